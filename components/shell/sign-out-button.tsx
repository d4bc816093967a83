"use client";
// Signs the person out.
import { useActionForm } from "@/components/forms/use-action-form";
import { SubmitButton } from "@/components/ui/submit-button";
import { signOutAction } from "@/lib/accounts/actions";

export function SignOutButton() {
  const form = useActionForm(signOutAction);
  return (
    <form action={form.formAction}>
      <SubmitButton variant="ghost" size="sm" pending={form.pending}>
        Sign out
      </SubmitButton>
    </form>
  );
}
