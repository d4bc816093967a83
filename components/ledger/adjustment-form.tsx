"use client";
// Correct the team's balance (admins) with a new ledger entry and its reason; nothing already recorded is edited.
// A correction that would take available credits below zero asks first, naming the figure it leaves.
import { useActionForm } from "@/components/forms/use-action-form";
import { FormError, Input } from "@/components/ui/input";
import { SubmitButton } from "@/components/ui/submit-button";
import { formatNumber } from "@/lib/format";
import { adjustCreditsAction } from "@/lib/ledger/actions";
import { useRequestKey } from "./request-key";

export function AdjustmentForm({ teamSlug }: { teamSlug: string }) {
  const requestKey = useRequestKey();
  const form = useActionForm(adjustCreditsAction, {
    onSuccess: (data) => {
      // The same request, confirmed, keeps its key: it is still one adjustment.
      if (data.status !== "confirm") requestKey.renew();
    },
  });
  const answer = form.result?.ok ? form.result.data : null;
  const confirm = answer?.status === "confirm" ? answer : null;
  return (
    <form
      id={form.formId}
      key={confirm ? `confirm:${confirm.amount}:${confirm.availableAfter}` : "adjust"}
      action={form.formAction}
      className="flex flex-col gap-4"
      noValidate
      data-testid="adjustment-form"
    >
      <input type="hidden" name="teamSlug" value={teamSlug} />
      {requestKey.field}
      <div className="flex flex-col gap-4">
        <Input
          label="Correction in credits"
          name="amount"
          inputMode="numeric"
          required
          hint="Negative to take credits away, e.g. -250: taken as spending is, from the grant that expires first. Positive corrections add credits that never expire."
          fieldClassName="max-w-xs"
          defaultValue={confirm ? String(confirm.amount) : form.value("amount")}
          error={form.fieldError("amount")}
        />
        <Input
          label="Reason"
          name="reason"
          required
          hint="Shown in the ledger beside the entry."
          defaultValue={confirm ? confirm.reason : form.value("reason")}
          error={form.fieldError("reason")}
        />
      </div>
      {confirm ? (
        <div role="alert" className="rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900" data-testid="adjustment-confirm">
          <input type="hidden" name="confirmAvailable" value={confirm.availableAfter} />
          This takes the team&apos;s available credits to <strong>{formatNumber(confirm.availableAfter)}</strong> (balance{" "}
          {formatNumber(confirm.balanceAfter)}): runs will be refused until credits come in. Nothing has been recorded yet.
        </div>
      ) : null}
      <FormError message={form.formError} />
      <div>
        <SubmitButton pending={form.pending} variant={confirm ? "danger" : "secondary"}>
          {confirm ? `Record anyway, leaving ${formatNumber(confirm.availableAfter)} available` : "Record adjustment"}
        </SubmitButton>
      </div>
    </form>
  );
}
