"use client";
// Edits an item's stage plan — test iterations, finals, tool steps — with each step's model, settings and count, and
// prices every step while typing with the team's price list. The plan travels in one hidden `plan` field as JSON.
import { useMemo, useState } from "react";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { StepModelFields } from "@/components/pricing/step-model-fields";
import { formatCredits } from "@/lib/format";
import { defaultSettings, estimateRun, findEntry } from "@/lib/pricing/estimate";
import type { CatalogEntry, OutputType, PriceList } from "@/lib/pricing/types";
import type { ItemPlan, PlanStep } from "@/lib/recommendations/types";
import { readWholeNumber } from "@/lib/whole-number";

type StepDraft = { modelId: string; settings: Record<string, string>; count: string };
type PlanDraft = { tests: StepDraft | null; finals: StepDraft | null; tools: StepDraft[] };

function toDraft(step: PlanStep): StepDraft {
  return { modelId: step.modelId, settings: { ...step.settings }, count: String(step.count) };
}

function toStep(draft: StepDraft): PlanStep {
  return { modelId: draft.modelId, settings: draft.settings, count: readWholeNumber(draft.count) };
}

export function draftOf(plan: ItemPlan): PlanDraft {
  return { tests: plan.tests && toDraft(plan.tests), finals: plan.finals && toDraft(plan.finals), tools: plan.tools.map(toDraft) };
}

export function planOf(draft: PlanDraft): ItemPlan {
  return { tests: draft.tests && toStep(draft.tests), finals: draft.finals && toStep(draft.finals), tools: draft.tools.map(toStep) };
}

function newStep(entry: CatalogEntry | undefined, count: number): StepDraft {
  return { modelId: entry?.id ?? "", settings: entry ? defaultSettings(entry) : {}, count: String(count) };
}

/** The plan editor's state and its hidden field; `errors` are the server's, keyed "tests.count", "tools.0.modelId"… */
export function PlanEditor({
  priceList,
  outputType,
  initial,
  errors = {},
}: {
  priceList: PriceList;
  outputType: OutputType;
  initial: ItemPlan;
  errors?: Record<string, string | undefined>;
}) {
  const [draft, setDraft] = useState(() => draftOf(initial));
  const enabled = useMemo(() => priceList.entries.filter((entry) => entry.enabled), [priceList]);
  const ofType = enabled.filter((entry) => entry.outputType === outputType);
  const tools = enabled.filter((entry) => entry.outputType === "tool");
  const plan = planOf(draft);

  const setStep = (stage: "tests" | "finals", step: StepDraft | null) => setDraft({ ...draft, [stage]: step });
  const setTool = (index: number, step: StepDraft | null) =>
    setDraft({ ...draft, tools: step ? draft.tools.map((tool, i) => (i === index ? step : tool)) : draft.tools.filter((_, i) => i !== index) });

  return (
    <div className="flex flex-col gap-4" data-testid="plan-editor">
      <input type="hidden" name="plan" value={JSON.stringify(plan)} />
      {(["tests", "finals"] as const).map((stage) => {
        const step = draft[stage];
        const label = stage === "tests" ? "Test iterations" : "Finals";
        return (
          <fieldset key={stage} className="flex flex-col gap-3 rounded-md border border-zinc-200 p-3" data-testid={`plan-${stage}`}>
            <legend className="px-1 text-sm font-medium text-zinc-900">{label}</legend>
            {step ? (
              <>
                <StepFields priceList={priceList} entries={ofType.length ? ofType : enabled} step={step} prefix={stage} errors={errors} onChange={(next) => setStep(stage, next)} />
                <div>
                  <Button type="button" size="sm" variant="secondary" onClick={() => setStep(stage, null)}>
                    No {stage === "tests" ? "test iterations" : "finals"}
                  </Button>
                </div>
              </>
            ) : (
              <div>
                <Button type="button" size="sm" variant="secondary" onClick={() => setStep(stage, newStep(ofType[0] ?? enabled[0], stage === "tests" ? 3 : 1))}>
                  Add {stage === "tests" ? "test iterations" : "finals"}
                </Button>
              </div>
            )}
          </fieldset>
        );
      })}
      <fieldset className="flex flex-col gap-3 rounded-md border border-zinc-200 p-3" data-testid="plan-tools">
        <legend className="px-1 text-sm font-medium text-zinc-900">Tool steps on the finals</legend>
        {draft.tools.map((tool, index) => (
          <div key={index} className="flex flex-col gap-3 border-b border-zinc-100 pb-3 last:border-0 last:pb-0">
            <StepFields priceList={priceList} entries={tools} step={tool} prefix={`tools.${index}`} errors={errors} onChange={(next) => setTool(index, next)} />
            <div>
              <Button type="button" size="sm" variant="secondary" onClick={() => setTool(index, null)}>
                Remove this step
              </Button>
            </div>
          </div>
        ))}
        {tools.length > 0 && (
          <div>
            <Button type="button" size="sm" variant="secondary" onClick={() => setDraft({ ...draft, tools: [...draft.tools, newStep(tools[0], 1)] })}>
              Add a tool step
            </Button>
          </div>
        )}
      </fieldset>
    </div>
  );
}

function StepFields({
  priceList,
  entries,
  step,
  prefix,
  errors,
  onChange,
}: {
  priceList: PriceList;
  entries: CatalogEntry[];
  step: StepDraft;
  prefix: string;
  errors: Record<string, string | undefined>;
  onChange: (step: StepDraft) => void;
}) {
  const entry = findEntry(priceList, step.modelId);
  const estimate = estimateRun(priceList, { modelId: step.modelId, settings: step.settings, quantity: readWholeNumber(step.count) });
  return (
    <div className="grid gap-3 sm:grid-cols-[minmax(0,2fr)_minmax(0,1fr)]">
      <StepModelFields priceList={priceList} entries={entries} step={step} prefix={prefix} error={(field) => errors[field]} onChange={(choice) => onChange({ ...step, ...choice })}>
        <Input
          label={entry ? `How many (${entry.unit}s)` : "How many"}
          name={`${prefix}.count`}
          inputMode="numeric"
          value={step.count}
          onChange={(event) => onChange({ ...step, count: event.target.value })}
          error={errors[`${prefix}.count`]}
        />
      </StepModelFields>
      <p className="text-sm text-zinc-700 sm:col-span-2" aria-live="polite" data-testid={`estimate-${prefix.replace(".", "-")}`}>
        {estimate.ok ? `${formatCredits(estimate.credits)}: ${estimate.breakdown}` : `No estimate yet: ${estimate.error.message}`}
      </p>
    </div>
  );
}
