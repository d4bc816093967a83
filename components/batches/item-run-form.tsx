"use client";
// Record a test or final run straight from an item: model and settings come from its plan, the ledger admits it
// (holding the credits) or says why not, exactly as on the project page; settle it under the batch's active holds.
import { useState } from "react";
import Link from "next/link";
import { NeedsApproval } from "@/components/approvals/request-approval";
import { AdmissionAnswer } from "@/components/ledger/admission-answer";
import { useActionForm } from "@/components/forms/use-action-form";
import { useKeepOnSubmit } from "@/components/forms/use-keep-on-submit";
import { useRequestKey } from "@/components/ledger/request-key";
import { FormError, Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { SubmitButton } from "@/components/ui/submit-button";
import { recordItemRunAction } from "@/lib/batches/actions";
import { formatNumber } from "@/lib/format";
import { estimateRun, findEntry } from "@/lib/pricing/estimate";
import type { FinalAnswers, ItemRunStage } from "@/lib/batches/schema";
import type { PriceList } from "@/lib/pricing/types";
import type { ItemPlan } from "@/lib/recommendations/types";
import { readWholeNumber } from "@/lib/whole-number";

export function ItemRunForm({
  teamSlug,
  projectId,
  itemId,
  purpose,
  plan,
  priceList,
  remaining,
  holdsHref,
  answers,
}: {
  teamSlug: string;
  projectId: string;
  itemId: string;
  /** The item's planned purpose, which its runs take. */
  purpose: string;
  plan: ItemPlan;
  priceList: PriceList;
  /** What the project's budget has left this period, or null without a budget. */
  remaining: number | null;
  /** The batch page's Active holds, where a held run is settled. */
  holdsHref: string;
  /** The item's answers to the four questions, carried into an approval request. */
  answers: FinalAnswers;
}) {
  // What can be run: the test, the final, and each tool step applied to the final (recorded as part of the final).
  const steps = [
    ...(plan.tests ? [{ value: "test" as ItemRunStage, step: plan.tests, words: "A test" }] : []),
    ...(plan.finals ? [{ value: "final" as ItemRunStage, step: plan.finals, words: "The final" }] : []),
    ...(plan.finals ? plan.tools.map((tool, index) => ({ value: `tool:${index}` as ItemRunStage, step: tool, words: `Tool step ${index + 1} on the final:` })) : []),
  ];
  const [chosen, setStage] = useState<ItemRunStage>(steps[0]?.value ?? "test");
  // The plan may have lost the chosen step since (the item was edited): run the step it still has.
  const current = steps.find((candidate) => candidate.value === chosen) ?? steps[0];
  const [quantity, setQuantity] = useState("1");
  const requestKey = useRequestKey();
  const form = useActionForm(recordItemRunAction, { toastOnSuccess: false, onSuccess: requestKey.renew });
  // Submitted by hand so React does not reset the form (and its request key) after each answer.
  const submit = useKeepOnSubmit(form.formAction);
  if (!current) return <p className="text-sm text-zinc-600">The plan has no test or final step to run yet.</p>;
  const { step, value: stage } = current;
  const entry = findEntry(priceList, step.modelId);
  const estimate = estimateRun(priceList, { modelId: step.modelId, settings: step.settings, quantity: readWholeNumber(quantity) });
  const answer = form.result?.ok ? form.result.data : null;
  return (
    <>
      <form id={form.formId} onSubmit={submit} className="flex flex-col gap-3" noValidate data-testid="item-run-form">
        <input type="hidden" name="teamSlug" value={teamSlug} />
        <input type="hidden" name="itemId" value={itemId} />
        {requestKey.field}
        <div className="grid gap-3 sm:grid-cols-2">
          <Select
            label="Run"
            name="stage"
            value={stage}
            onChange={(event) => setStage(event.target.value as ItemRunStage)}
            error={form.fieldError("stage")}
            options={steps.map((candidate) => ({
              value: candidate.value,
              label: `${candidate.words}${candidate.value === "test" || candidate.value === "final" ? " on" : ""} ${findEntry(priceList, candidate.step.modelId)?.name ?? candidate.step.modelId}`,
            }))}
          />
          <Input
            label={entry ? `How many (${entry.unit}s)` : "How many"}
            name="quantity"
            inputMode="numeric"
            value={quantity}
            onChange={(event) => setQuantity(event.target.value)}
            error={form.fieldError("quantity")}
          />
        </div>
        <p className="text-sm text-zinc-700" aria-live="polite" data-testid="item-run-estimate">
          {estimate.ok ? (
            <>
              Estimate <strong className="tabular-nums">{formatNumber(estimate.credits)}</strong> credits ({estimate.breakdown})
              {remaining !== null && estimate.credits > remaining && <span className="text-amber-800"> — more than the budget has left ({formatNumber(remaining)}).</span>}
            </>
          ) : (
            `No estimate yet: ${estimate.error.message}`
          )}
        </p>
        <FormError message={form.formError} />
        <div>
          <SubmitButton size="sm" pending={form.pending} pendingLabel="Asking the ledger…">
            Record run
          </SubmitButton>
        </div>
        <AdmissionAnswer
          answer={answer}
          confirmationId={form.confirmationId}
          admitted={
            <>
              Admitted: {formatNumber(answer?.estimate ?? 0)} credits are held. Settle it under <Link href={holdsHref}>Active holds</Link> on the batch page when it is done.
            </>
          }
        />
      </form>
      {/* Outside the run form: the request dialog holds a form of its own. */}
      {answer?.status === "needs_approval" && (
        <div aria-live="polite">
          <NeedsApproval
            teamSlug={teamSlug}
            rule={answer.rule}
            estimate={answer.estimate}
            confirmationId={form.confirmationId}
            answers={answers}
            run={{
              projectId,
              batchItemId: itemId,
              modelId: step.modelId,
              settings: step.settings,
              quantity,
              stage: stage === "test" ? "test" : "final",
              purpose,
              notes: "",
            }}
          />
        </div>
      )}
    </>
  );
}
