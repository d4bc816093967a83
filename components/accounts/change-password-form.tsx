"use client";
// Change the signed-in person's password.
import { useActionForm } from "@/components/forms/use-action-form";
import { FormError, Input } from "@/components/ui/input";
import { SubmitButton } from "@/components/ui/submit-button";
import { changePasswordAction } from "@/lib/accounts/actions";

export function ChangePasswordForm() {
  const form = useActionForm(changePasswordAction);
  return (
    <form id={form.formId} action={form.formAction} className="flex max-w-md flex-col gap-4" noValidate>
      <Input label="Current password" name="currentPassword" type="password" autoComplete="current-password" required error={form.fieldError("currentPassword")} />
      <Input label="New password" name="newPassword" type="password" autoComplete="new-password" hint="At least 10 characters." required error={form.fieldError("newPassword")} />
      <Input label="Repeat the new password" name="confirmPassword" type="password" autoComplete="new-password" required error={form.fieldError("confirmPassword")} />
      <FormError message={form.formError} />
      <div>
        <SubmitButton pending={form.pending}>Change password</SubmitButton>
      </div>
    </form>
  );
}
