"use client";
// Record a run on a project: the live estimate follows every change, then the ledger admits it (and holds its credits) or says why not.
import { useState, useTransition, type FormEvent } from "react";
import { NeedsApproval, type RunToRequest } from "@/components/approvals/request-approval";
import { useActionForm } from "@/components/forms/use-action-form";
import { Badge } from "@/components/ui/badge";
import { FormError } from "@/components/ui/input";
import { SubmitButton } from "@/components/ui/submit-button";
import { Textarea } from "@/components/ui/textarea";
import { formatNumber } from "@/lib/format";
import { admitRunAction } from "@/lib/ledger/actions";
import type { PriceList } from "@/lib/pricing/types";
import { RunChoiceFields, StageAndPurposeFields, useRunChoice } from "@/components/pricing/run-fields";
import { AdmissionAnswer } from "./admission-answer";
import { useRequestKey } from "./request-key";

export type RecordRunBudget = { remaining: number; credits: number; periodLabel: string; hardCap: boolean };

type Props = {
  teamSlug: string;
  projectId: string;
  priceList: PriceList;
  priceListVersion: number;
  /** This period's budget of the project, or null when it has none. */
  budget: RecordRunBudget | null;
  /** The team's available credits when the page was drawn. */
  available: number;
};

const TIER_TONES = { budget: "green", mid: "neutral", premium: "amber" } as const;

export function RecordRunForm({ teamSlug, projectId, priceList, priceListVersion, budget, available }: Props) {
  const choice = useRunChoice(priceList);
  const { entry, estimate } = choice;
  const requestKey = useRequestKey();
  // A completed answer (admitted or denied) used the key; the next request is a new one.
  const form = useActionForm(admitRunAction, { toastOnSuccess: false, onSuccess: requestKey.renew });
  const [, startTransition] = useTransition();
  // The run as last sent, carried into an approval request when the policy holds it back.
  const [sent, setSent] = useState<RunToRequest | null>(null);

  // Submitted by hand rather than through `action`, so React does not reset the controlled fields after each answer.
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const field = (name: string) => String(data.get(name) ?? "");
    setSent({
      projectId,
      modelId: field("modelId"),
      settings: Object.fromEntries([...data.keys()].filter((key) => key.startsWith("setting.")).map((key) => [key.slice("setting.".length), field(key)])),
      quantity: field("quantity"),
      stage: field("stage"),
      purpose: field("purpose"),
      notes: field("notes"),
    });
    startTransition(() => form.formAction(data));
  };

  const answer = form.result?.ok ? form.result.data : null;
  const projectError = form.fieldError("projectId");
  const settingsError = form.fieldError("settings");

  return (
    <>
      <form id={form.formId} onSubmit={submit} className="grid gap-6 md:grid-cols-[minmax(0,1fr)_minmax(0,20rem)]" noValidate data-testid="record-run-form">
        <input type="hidden" name="teamSlug" value={teamSlug} />
        <input type="hidden" name="projectId" value={projectId} />
        {requestKey.field}
        <div className="flex flex-col gap-4 md:col-start-1 md:row-start-1">
          <RunChoiceFields choice={choice} fieldError={form.fieldError} />
          <StageAndPurposeFields form={form} stage="test" purpose="internal_review" />
          <Textarea label="Prompt" name="prompt" rows={2} hint="Optional: what you asked the model. Usage shows which prompts worked first time." error={form.fieldError("prompt")} />
          <Textarea label="Notes" name="notes" rows={2} hint="Optional: the brief or a link." error={form.fieldError("notes")} />
        </div>

        <aside aria-label="Live estimate" className="flex flex-col gap-3 self-start rounded-lg bg-zinc-50 p-4 ring-1 ring-zinc-200 ring-inset md:col-start-2 md:row-span-2 md:row-start-1">
          <h3 className="text-sm font-semibold text-zinc-900">Estimate</h3>
          {entry && (
            <p className="flex flex-wrap items-center gap-2 text-sm text-zinc-700">
              {entry.tier && <Badge tone={TIER_TONES[entry.tier]}>{entry.tier}</Badge>}
              {entry.useFor && <span>{entry.useFor}</span>}
            </p>
          )}
          <div aria-live="polite" aria-atomic="true" data-testid="live-estimate">
            {estimate.ok ? (
              <>
                <p className="text-3xl font-semibold text-zinc-900 tabular-nums">
                  {formatNumber(estimate.credits)} <span className="text-base font-normal text-zinc-600">credits</span>
                </p>
                <p className="mt-1 text-sm break-words text-zinc-700" data-testid="live-breakdown">
                  {estimate.breakdown}
                </p>
              </>
            ) : (
              <p className="text-sm text-zinc-700">No estimate yet: {estimate.error.message}</p>
            )}
          </div>
          <dl className="grid grid-cols-[1fr_auto] gap-x-3 gap-y-1 border-t border-zinc-200 pt-3 text-sm">
            {budget ? (
              <>
                <dt className="text-zinc-600">Budget left ({budget.periodLabel})</dt>
                <dd className="text-right font-medium tabular-nums">{formatNumber(budget.remaining)}</dd>
              </>
            ) : (
              <>
                <dt className="text-zinc-600">Project budget</dt>
                <dd className="text-right">none</dd>
              </>
            )}
            <dt className="text-zinc-600">Team credits available</dt>
            <dd className="text-right font-medium tabular-nums">{formatNumber(available)}</dd>
          </dl>
          {estimate.ok && <RefusalWarning estimate={estimate.credits} budget={budget} available={available} />}
          <p className="text-xs text-zinc-600">
            Priced with price list v{priceListVersion}; the ledger prices it again when you record it.
          </p>
        </aside>

        {/* After the estimate in the page order, so on a phone the figure is read before the button. */}
        <div className="flex flex-col gap-4 md:col-start-1 md:row-start-2">
          <FormError message={form.formError ?? projectError ?? settingsError} />
          <div>
            <SubmitButton pending={form.pending} pendingLabel="Asking the ledger…">
              Record run
            </SubmitButton>
          </div>
          <AdmissionAnswer
            answer={answer}
            confirmationId={form.confirmationId}
            admitted={
              <>
                <p className="font-medium">Admitted: {formatNumber(answer?.estimate ?? 0)} credits are held for this run.</p>
                <p>When it is done, settle it under Active holds with what it really cost.</p>
              </>
            }
          />
        </div>
      </form>
      {/* Outside the run form: the request dialog holds a form of its own. */}
      {answer?.status === "needs_approval" && sent && (
        <div aria-live="polite" className="mt-4">
          <NeedsApproval teamSlug={teamSlug} rule={answer.rule} estimate={answer.estimate} run={sent} confirmationId={form.confirmationId} />
        </div>
      )}
    </>
  );
}

/** A warning before sending a run the ledger is going to refuse (or flag); the ledger still decides. */
function RefusalWarning({ estimate, budget, available }: { estimate: number; budget: RecordRunBudget | null; available: number }) {
  let message: string | null = null;
  if (estimate > available) message = "More than the team has available: the ledger will refuse it.";
  else if (budget && estimate > budget.remaining)
    message = budget.hardCap
      ? "More than the budget has left: the ledger will refuse it."
      : "Past the budget: it will be admitted, and the admins are alerted.";
  if (!message) return null;
  return <p className="rounded-md bg-amber-50 px-2 py-1.5 text-sm text-amber-900 ring-1 ring-amber-200 ring-inset">{message}</p>;
}
