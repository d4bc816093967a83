"use client";
// Change the name the signed-in person's teams see.
import { useActionForm } from "@/components/forms/use-action-form";
import { FormError, Input } from "@/components/ui/input";
import { SubmitButton } from "@/components/ui/submit-button";
import { changeNameAction } from "@/lib/accounts/actions";

export function ChangeNameForm({ name }: { name: string }) {
  const form = useActionForm(changeNameAction);
  return (
    <form id={form.formId} action={form.formAction} className="flex max-w-md flex-col gap-4" noValidate data-testid="change-name-form">
      <Input
        label="Name"
        name="name"
        autoComplete="name"
        required
        hint="Shown to your teammates: in members, runs, the ledger and the audit log."
        defaultValue={form.value("name", name)}
        error={form.fieldError("name")}
      />
      <FormError message={form.formError} />
      <div>
        <SubmitButton pending={form.pending}>Save name</SubmitButton>
      </div>
    </form>
  );
}
