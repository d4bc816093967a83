"use client";
// Add credits to the team (admins): a monthly pool, a top-up or a promotion, optionally usable only until a date.
import { useActionForm } from "@/components/forms/use-action-form";
import { FormError, Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { SubmitButton } from "@/components/ui/submit-button";
import { addGrantAction } from "@/lib/ledger/actions";
import { GRANT_SOURCES } from "@/lib/ledger/schema";
import { useRequestKey } from "./request-key";

export function GrantForm({ teamSlug, timeZone }: { teamSlug: string; timeZone: string }) {
  const requestKey = useRequestKey();
  const form = useActionForm(addGrantAction, { onSuccess: requestKey.renew });
  return (
    <form id={form.formId} action={form.formAction} className="flex flex-col gap-4" noValidate data-testid="grant-form">
      <input type="hidden" name="teamSlug" value={teamSlug} />
      {requestKey.field}
      <div className="grid gap-4 sm:grid-cols-2">
        <Input
          label="Credits"
          name="amount"
          type="number"
          inputMode="numeric"
          min={1}
          step={1}
          required
          defaultValue={form.value("amount")}
          error={form.fieldError("amount")}
        />
        <Select
          label="Source"
          name="source"
          required
          defaultValue={form.value("source", GRANT_SOURCES[0])}
          options={GRANT_SOURCES}
          error={form.fieldError("source")}
        />
        <Input
          label="Usable until"
          name="expiresOn"
          type="date"
          hint={`Optional: the last day, in ${timeZone}. What is left afterwards expires.`}
          defaultValue={form.value("expiresOn")}
          error={form.fieldError("expiresOn")}
        />
        <Input label="Note" name="note" hint="Optional: invoice, plan or campaign." defaultValue={form.value("note")} error={form.fieldError("note")} />
      </div>
      <FormError message={form.formError} />
      <div>
        <SubmitButton pending={form.pending}>Add credits</SubmitButton>
      </div>
    </form>
  );
}
