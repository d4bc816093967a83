"use client";
// The email + password sign-in form.
import { useActionForm } from "@/components/forms/use-action-form";
import { FormError, Input } from "@/components/ui/input";
import { SubmitButton } from "@/components/ui/submit-button";
import { signInAction } from "@/lib/accounts/actions";

export function SignInForm({ next }: { next?: string }) {
  const form = useActionForm(signInAction);
  return (
    <form id={form.formId} action={form.formAction} className="flex flex-col gap-4" noValidate>
      {next && <input type="hidden" name="next" value={next} />}
      <Input label="Email" name="email" type="email" autoComplete="email" required defaultValue={form.value("email")} error={form.fieldError("email")} />
      <Input label="Password" name="password" type="password" autoComplete="current-password" required error={form.fieldError("password")} />
      <FormError message={form.formError} />
      <SubmitButton pending={form.pending}>Sign in</SubmitButton>
    </form>
  );
}
