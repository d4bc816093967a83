"use client";
// Correct the team's balance (admins) with a new ledger entry and its reason; nothing already recorded is edited.
import { useActionForm } from "@/components/forms/use-action-form";
import { FormError, Input } from "@/components/ui/input";
import { SubmitButton } from "@/components/ui/submit-button";
import { adjustCreditsAction } from "@/lib/ledger/actions";
import { useRequestKey } from "./request-key";

export function AdjustmentForm({ teamSlug }: { teamSlug: string }) {
  const requestKey = useRequestKey();
  const form = useActionForm(adjustCreditsAction, { onSuccess: requestKey.renew });
  return (
    <form id={form.formId} action={form.formAction} className="flex flex-col gap-4" noValidate data-testid="adjustment-form">
      <input type="hidden" name="teamSlug" value={teamSlug} />
      {requestKey.field}
      <div className="flex flex-col gap-4">
        <Input
          label="Correction in credits"
          name="amount"
          type="number"
          inputMode="numeric"
          step={1}
          required
          hint="Negative to take credits away, e.g. -250."
          fieldClassName="max-w-xs"
          defaultValue={form.value("amount")}
          error={form.fieldError("amount")}
        />
        <Input
          label="Reason"
          name="reason"
          required
          hint="Shown in the ledger beside the entry."
          defaultValue={form.value("reason")}
          error={form.fieldError("reason")}
        />
      </div>
      <FormError message={form.formError} />
      <div>
        <SubmitButton pending={form.pending} variant="secondary">
          Record adjustment
        </SubmitButton>
      </div>
    </form>
  );
}
