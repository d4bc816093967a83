// The Pricing page's "suggest a cheaper plan", answered by the recommendations engine's test-cheap rule. Pure.
import { comparePlans, estimatePlan, type PlanInput, type PlanProposal, type StageInput } from "@/lib/pricing/plans";
import type { PriceList } from "@/lib/pricing/types";
import { estimateItem } from "./estimate";
import { testCheap } from "./rules";
import { NO_FLAGS, type PlannedItem, type PlanStep } from "./types";

function toStep(stage: StageInput): PlanStep | null {
  return stage.count === 0 ? null : { modelId: stage.modelId, settings: stage.settings ?? {}, count: stage.count };
}

function toStage(step: PlanStep | null, fallback: StageInput): StageInput {
  return step === null ? fallback : { modelId: step.modelId, settings: step.settings, count: step.count };
}

/**
 * The Pricing page's two-stage plan read as a batch item delivered to a client (a tests-only plan delivers its last
 * iteration, so it gets a final), run through test cheap, and answered in the page's terms: the proposal, the
 * comparison and the reason. Same errors as estimatePlan for a plan that cannot be priced.
 */
export function planSuggestion(priceList: PriceList, plan: PlanInput): PlanProposal {
  const asWritten = estimatePlan(priceList, plan);
  if (!asWritten.ok) return asWritten;
  const item: PlannedItem = {
    id: "plan",
    title: "",
    outputType: asWritten.tests.estimate?.entry.outputType ?? asWritten.finals.estimate?.entry.outputType ?? "image",
    purpose: "final_delivery",
    prompt: "",
    status: "planned",
    plan: { tests: toStep(plan.tests), finals: toStep(plan.finals), tools: [] },
    flags: NO_FLAGS,
  };
  const estimate = estimateItem(priceList, item.plan);
  // estimatePlan accepted the plan, so the item (the same runs) prices too; this only narrows the type.
  if (!estimate.ok) return { ok: false, error: { code: "invalid_quantity", message: estimate.error.message } };
  const outcome = testCheap(priceList, item, estimate, true);
  if (!outcome.changed) return { ok: true, ...comparePlans(asWritten, asWritten), proposal: plan, changed: false, reason: outcome.reason };
  const proposal: PlanInput = { tests: toStage(outcome.plan.tests, plan.tests), finals: toStage(outcome.plan.finals, plan.finals) };
  const alternative = estimatePlan(priceList, proposal);
  if (!alternative.ok) return alternative;
  return { ok: true, ...comparePlans(asWritten, alternative), proposal, changed: true, reason: outcome.reason };
}
