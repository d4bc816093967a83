"use client";
// The available balance below which the admins are alerted (admins); empty switches the alert off.
import { useActionForm } from "@/components/forms/use-action-form";
import { FormError, Input } from "@/components/ui/input";
import { SubmitButton } from "@/components/ui/submit-button";
import { setLowBalanceAction } from "@/lib/ledger/actions";

export function LowBalanceForm({ teamSlug, threshold }: { teamSlug: string; threshold: number | null }) {
  const form = useActionForm(setLowBalanceAction);
  return (
    <form id={form.formId} action={form.formAction} className="flex flex-col gap-4" noValidate data-testid="low-balance-form">
      <input type="hidden" name="teamSlug" value={teamSlug} />
      <Input
        label="Alert below (credits available)"
        name="threshold"
        type="number"
        inputMode="numeric"
        min={1}
        step={1}
        hint="Leave empty for no alert."
        fieldClassName="max-w-xs"
        defaultValue={form.value("threshold", threshold === null ? "" : String(threshold))}
        error={form.fieldError("threshold")}
      />
      <FormError message={form.formError} />
      <div>
        <SubmitButton pending={form.pending} variant="secondary">
          Save alert
        </SubmitButton>
      </div>
    </form>
  );
}
