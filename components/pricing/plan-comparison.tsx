"use client";
// Test cheap, finalize premium: two stage plans side by side, with the saving of the second.
import { useMemo, useState } from "react";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { formatCredits, formatNumber, formatPercent } from "@/lib/format";
import { comparePlans, estimatePlan, type PlanInput, type PlanStage } from "@/lib/pricing/plans";
import type { PriceList } from "@/lib/pricing/types";
import { planSuggestion } from "@/lib/recommendations/suggestion";
import { ModelOptions } from "./model-options";
import { parseQuantity } from "./quantity";

type StageDraft = { modelId: string; count: string };
type PlanDraft = Record<PlanStage, StageDraft>;

function toPlan(draft: PlanDraft): PlanInput {
  return {
    tests: { modelId: draft.tests.modelId, count: parseQuantity(draft.tests.count) },
    finals: { modelId: draft.finals.modelId, count: parseQuantity(draft.finals.count) },
  };
}

function toDraft(plan: PlanInput): PlanDraft {
  return {
    tests: { modelId: plan.tests.modelId, count: String(plan.tests.count) },
    finals: { modelId: plan.finals.modelId, count: String(plan.finals.count) },
  };
}

function has(priceList: PriceList, id: string): boolean {
  return priceList.entries.some((entry) => entry.id === id && entry.enabled);
}

// The worked example every team knows: five premium iterations, against five budget tests and one premium final.
function initialPlans(priceList: PriceList): { written: PlanDraft; alternative: PlanDraft } {
  const premium = has(priceList, "flux-2-pro") ? "flux-2-pro" : (priceList.entries.find((entry) => entry.enabled)?.id ?? "");
  const budget = has(priceList, "qwen-image") ? "qwen-image" : premium;
  return {
    written: { tests: { modelId: premium, count: "5" }, finals: { modelId: premium, count: "0" } },
    alternative: { tests: { modelId: budget, count: "5" }, finals: { modelId: premium, count: "1" } },
  };
}

export function PlanComparison({ priceList }: { priceList: PriceList }) {
  const [written, setWritten] = useState(() => initialPlans(priceList).written);
  const [alternative, setAlternative] = useState(() => initialPlans(priceList).alternative);
  const [reason, setReason] = useState<string | null>(null);

  const writtenEstimate = useMemo(() => estimatePlan(priceList, toPlan(written)), [priceList, written]);
  const alternativeEstimate = useMemo(() => estimatePlan(priceList, toPlan(alternative)), [priceList, alternative]);
  const comparison = writtenEstimate.ok && alternativeEstimate.ok ? comparePlans(writtenEstimate, alternativeEstimate) : null;

  const propose = () => {
    // The recommendations engine's test-cheap rule: the same suggestion a batch item with this plan would get.
    const proposal = planSuggestion(priceList, toPlan(written));
    if (!proposal.ok) {
      setReason(proposal.error.message);
      return;
    }
    // Nothing cheaper: the alternative becomes the plan itself, rather than an older suggestion left standing.
    setAlternative(proposal.changed ? toDraft(proposal.proposal) : written);
    setReason(proposal.reason);
  };

  return (
    <div className="flex flex-col gap-4" data-testid="plan-comparison">
      <div className="grid gap-4 sm:grid-cols-2">
        <PlanEditor
          title="As planned"
          id="written"
          priceList={priceList}
          draft={written}
          onChange={(draft) => {
            setWritten(draft);
            // A reason given for the old plan does not speak for the new one.
            setReason(null);
          }}
          total={writtenEstimate.ok ? writtenEstimate.credits : null}
          error={writtenEstimate.ok ? null : writtenEstimate.error}
        />
        <PlanEditor
          title="Alternative"
          id="alternative"
          priceList={priceList}
          draft={alternative}
          onChange={(draft) => {
            setAlternative(draft);
            setReason(null);
          }}
          total={alternativeEstimate.ok ? alternativeEstimate.credits : null}
          error={alternativeEstimate.ok ? null : alternativeEstimate.error}
        />
      </div>
      <div className="flex flex-col gap-3 rounded-lg bg-zinc-50 p-4 sm:flex-row sm:items-center sm:justify-between" aria-live="polite">
        <p className="text-sm text-zinc-800" data-testid="plan-saving">
          {comparison === null
            ? "Fix the plans above to see the difference."
            : comparison.saving > 0
              ? <>The alternative saves <strong>{formatCredits(comparison.saving)}</strong> <span className="whitespace-nowrap">({formatPercent(comparison.savingPercent)})</span>.</>
              : comparison.saving === 0
                ? "Both plans cost the same."
                : <>The alternative costs <strong>{formatCredits(-comparison.saving)}</strong> more <span className="whitespace-nowrap">({formatPercent(-comparison.savingPercent)})</span>.</>}
        </p>
        <Button variant="secondary" size="sm" onClick={propose}>
          Suggest a cheaper plan
        </Button>
      </div>
      {reason && (
        <p className="text-sm text-zinc-700" data-testid="plan-reason">
          {reason}
        </p>
      )}
    </div>
  );
}

type PlanEditorProps = {
  title: string;
  id: string;
  priceList: PriceList;
  draft: PlanDraft;
  onChange: (draft: PlanDraft) => void;
  total: number | null;
  error: { message: string; stage?: PlanStage } | null;
};

const STAGES: { stage: PlanStage; label: string; countLabel: string }[] = [
  { stage: "tests", label: "Tests on", countLabel: "Test runs" },
  { stage: "finals", label: "Finals on", countLabel: "Final runs" },
];

function PlanEditor({ title, id, priceList, draft, onChange, total, error }: PlanEditorProps) {
  const update = (stage: PlanStage, patch: Partial<StageDraft>) => onChange({ ...draft, [stage]: { ...draft[stage], ...patch } });
  // A stage's problem shows under that stage; one about the whole plan under both.
  return (
    <fieldset className="flex flex-col gap-3 rounded-lg border border-zinc-200 p-4" data-testid={`plan-${id}`}>
      <legend className="px-1 text-sm font-semibold text-zinc-900">{title}</legend>
      {STAGES.map(({ stage, label, countLabel }) => (
        <div key={stage} className="grid grid-cols-[1fr_6rem] gap-2">
          <Select
            label={label}
            name={`${id}.${stage}.modelId`}
            value={draft[stage].modelId}
            onChange={(event) => update(stage, { modelId: event.target.value })}
          >
            <ModelOptions entries={priceList.entries} />
          </Select>
          <Input
            label={countLabel}
            name={`${id}.${stage}.count`}
            type="number"
            inputMode="numeric"
            min={0}
            step={1}
            value={draft[stage].count}
            onChange={(event) => update(stage, { count: event.target.value })}
          />
          {error?.stage === stage && <ErrorLine message={error.message} />}
        </div>
      ))}
      {error && error.stage === undefined && <ErrorLine message={error.message} />}
      <p className="text-sm text-zinc-700">
        Total:{" "}
        <strong className="text-lg text-zinc-900 tabular-nums" data-testid={`plan-${id}-total`}>
          {total === null ? "—" : formatNumber(total)}
        </strong>{" "}
        credits
      </p>
    </fieldset>
  );
}

function ErrorLine({ message }: { message: string }) {
  return (
    <p role="status" className="col-span-2 flex items-start gap-1 text-sm text-red-700">
      <span aria-hidden="true">⚠</span>
      <span>{message}</span>
    </p>
  );
}
