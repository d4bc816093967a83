// Prices a planned item (tests + finals + tool steps) and a whole batch, per item and per model, with lib/pricing. Pure.
import type { OutputType, PriceList, PricingErrorField, Tier } from "@/lib/pricing/types";
import { priceStep } from "./memo";
import type { ItemPlan, PlannedItem, PlanStep } from "./types";

export type StepEstimate = {
  stage: "tests" | "finals" | "tools";
  index: number;
  modelId: string;
  modelName: string;
  outputType: OutputType;
  tier: Tier | null;
  count: number;
  perUnit: number;
  credits: number;
};

export type ItemEstimateError = {
  message: string;
  /** Where the form shows it: "tests.modelId", "finals.count", "tools.0.settings.scale", or "plan" for the whole plan. */
  field: string;
};

export type ItemEstimate =
  | { ok: true; credits: number; tests: number; finals: number; tools: number; steps: StepEstimate[] }
  | { ok: false; error: ItemEstimateError };

export type ModelGroup = {
  modelId: string;
  modelName: string;
  outputType: OutputType;
  tier: Tier | null;
  itemIds: string[];
  runs: number;
  credits: number;
};

export type BatchEstimate = {
  /** Every item that can be priced and is not dropped. */
  credits: number;
  items: Record<string, ItemEstimate>;
  /** Credits descending; equal credits keep the order models first appear in. */
  byModel: ModelGroup[];
  unpricedItemIds: string[];
};

const STAGE_TITLES = { tests: "Tests", finals: "Finals", tools: "Tool step" } as const;

// The pricing library names the run's quantity "quantity"; a plan step calls it "count".
function stepField(prefix: string, field: PricingErrorField | undefined): string {
  if (field === undefined || field === "modelId") return `${prefix}.modelId`;
  if (field === "quantity") return `${prefix}.count`;
  return `${prefix}.${field}`;
}

function estimateStep(
  priceList: PriceList,
  stage: StepEstimate["stage"],
  index: number,
  step: PlanStep,
): { ok: true; value: StepEstimate } | { ok: false; error: ItemEstimateError } {
  const prefix = stage === "tools" ? `tools.${index}` : stage;
  const result = priceStep(priceList, step);
  if (!result.ok) {
    const title = stage === "tools" ? `${STAGE_TITLES.tools} ${index + 1}` : STAGE_TITLES[stage];
    return { ok: false, error: { message: `${title}: ${result.error.message}`, field: stepField(prefix, result.error.field) } };
  }
  const { entry } = result;
  return {
    ok: true,
    value: {
      stage,
      index,
      modelId: entry.id,
      modelName: entry.name,
      outputType: entry.outputType,
      tier: entry.tier,
      count: step.count,
      perUnit: result.perUnit,
      credits: result.credits,
    },
  };
}

/** Credits of an item's plan, step by step. A plan needs tests or finals; tool steps alone make nothing to apply them to. */
export function estimateItem(priceList: PriceList, plan: ItemPlan): ItemEstimate {
  if (plan.tests === null && plan.finals === null) {
    return { ok: false, error: { message: "A plan needs test runs, final runs, or both.", field: "plan" } };
  }
  const steps: StepEstimate[] = [];
  let tests = 0;
  let finals = 0;
  let tools = 0;
  if (plan.tests !== null) {
    const step = estimateStep(priceList, "tests", 0, plan.tests);
    if (!step.ok) return step;
    steps.push(step.value);
    tests = step.value.credits;
  }
  if (plan.finals !== null) {
    const step = estimateStep(priceList, "finals", 0, plan.finals);
    if (!step.ok) return step;
    steps.push(step.value);
    finals = step.value.credits;
  }
  for (let i = 0; i < plan.tools.length; i++) {
    const step = estimateStep(priceList, "tools", i, plan.tools[i]);
    if (!step.ok) return step;
    steps.push(step.value);
    tools += step.value.credits;
  }
  return { ok: true, credits: tests + finals + tools, tests, finals, tools, steps };
}

/**
 * Every item priced, the total, and the plan grouped by model ("run similar generations together").
 * Dropped items are priced (the page may show them) but count neither in the total nor in the groups:
 * they will not be made. Items that cannot be priced are listed, never counted as 0.
 */
export function estimateBatch(priceList: PriceList, items: PlannedItem[]): BatchEstimate {
  const estimates: Record<string, ItemEstimate> = {};
  const groups = new Map<string, ModelGroup>();
  const unpricedItemIds: string[] = [];
  let credits = 0;
  for (const item of items) {
    const estimate = estimateItem(priceList, item.plan);
    estimates[item.id] = estimate;
    if (!estimate.ok) {
      unpricedItemIds.push(item.id);
      continue;
    }
    if (item.status === "dropped") continue;
    credits += estimate.credits;
    for (const step of estimate.steps) {
      let group = groups.get(step.modelId);
      if (!group) {
        group = { modelId: step.modelId, modelName: step.modelName, outputType: step.outputType, tier: step.tier, itemIds: [], runs: 0, credits: 0 };
        groups.set(step.modelId, group);
      }
      if (group.itemIds[group.itemIds.length - 1] !== item.id) group.itemIds.push(item.id);
      group.runs += step.count;
      group.credits += step.credits;
    }
  }
  // Array.prototype.sort is stable: equal credits keep first-appearance order.
  const byModel = [...groups.values()].sort((a, b) => b.credits - a.credits);
  return { credits, items: estimates, byModel, unpricedItemIds };
}
