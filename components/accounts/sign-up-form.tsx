"use client";
// The sign-up form: name, email, password.
import { useActionForm } from "@/components/forms/use-action-form";
import { FormError, Input } from "@/components/ui/input";
import { SubmitButton } from "@/components/ui/submit-button";
import { signUpAction } from "@/lib/accounts/actions";

export function SignUpForm({ next }: { next?: string }) {
  const form = useActionForm(signUpAction);
  return (
    <form id={form.formId} action={form.formAction} className="flex flex-col gap-4" noValidate>
      {next && <input type="hidden" name="next" value={next} />}
      <Input label="Name" name="name" autoComplete="name" required defaultValue={form.value("name")} error={form.fieldError("name")} />
      <Input label="Email" name="email" type="email" autoComplete="email" required defaultValue={form.value("email")} error={form.fieldError("email")} />
      <Input
        label="Password"
        name="password"
        type="password"
        autoComplete="new-password"
        hint="At least 10 characters."
        required
        error={form.fieldError("password")}
      />
      <FormError message={form.formError} />
      <SubmitButton pending={form.pending}>Create account</SubmitButton>
    </form>
  );
}
