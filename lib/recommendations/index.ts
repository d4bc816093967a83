// Replaced by the engine: a minimal stand-in of lib/recommendations' public surface so the batches backend can be built and tested; the lead takes the engine's version at merge. Pure.
import { estimateRun } from "@/lib/pricing/estimate";
import type { OutputType, PriceList, Tier } from "@/lib/pricing/types";
import type { Finding, ItemPlan, PlannedItem, PlanStep, Purpose, RuleId } from "./types";

export * from "./types";

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
export type ItemEstimate =
  | { ok: true; credits: number; tests: number; finals: number; tools: number; steps: StepEstimate[] }
  | { ok: false; error: { message: string; field: string } };

function stepsOf(plan: ItemPlan): { stage: StepEstimate["stage"]; index: number; path: string; step: PlanStep }[] {
  return [
    ...(plan.tests ? [{ stage: "tests" as const, index: 0, path: "tests", step: plan.tests }] : []),
    ...(plan.finals ? [{ stage: "finals" as const, index: 0, path: "finals", step: plan.finals }] : []),
    ...plan.tools.map((step, index) => ({ stage: "tools" as const, index, path: `tools.${index}`, step })),
  ];
}

export function estimateItem(priceList: PriceList, plan: ItemPlan): ItemEstimate {
  const steps: StepEstimate[] = [];
  const totals = { tests: 0, finals: 0, tools: 0 };
  for (const { stage, index, path, step } of stepsOf(plan)) {
    const estimate = estimateRun(priceList, { modelId: step.modelId, settings: step.settings, quantity: step.count });
    if (!estimate.ok) {
      const field = estimate.error.field === "quantity" ? "count" : (estimate.error.field ?? "modelId");
      return { ok: false, error: { message: estimate.error.message, field: `${path}.${field}` } };
    }
    totals[stage] += estimate.credits;
    steps.push({
      stage,
      index,
      modelId: estimate.entry.id,
      modelName: estimate.entry.name,
      outputType: estimate.entry.outputType,
      tier: estimate.entry.tier,
      count: step.count,
      perUnit: estimate.perUnit,
      credits: estimate.credits,
    });
  }
  return { ok: true, credits: totals.tests + totals.finals + totals.tools, ...totals, steps };
}

export type ModelGroup = {
  modelId: string;
  modelName: string;
  outputType: OutputType;
  tier: Tier | null;
  itemIds: string[];
  runs: number;
  credits: number;
};
export type BatchEstimate = { credits: number; items: Record<string, ItemEstimate>; byModel: ModelGroup[]; unpricedItemIds: string[] };

const COUNTED = (item: PlannedItem) => item.status !== "dropped";

export function estimateBatch(priceList: PriceList, items: PlannedItem[]): BatchEstimate {
  const result: BatchEstimate = { credits: 0, items: {}, byModel: [], unpricedItemIds: [] };
  const groups = new Map<string, ModelGroup>();
  for (const item of items) {
    const estimate = estimateItem(priceList, item.plan);
    result.items[item.id] = estimate;
    if (!COUNTED(item)) continue;
    if (!estimate.ok) {
      result.unpricedItemIds.push(item.id);
      continue;
    }
    result.credits += estimate.credits;
    for (const step of estimate.steps) {
      const group = groups.get(step.modelId) ?? { modelId: step.modelId, modelName: step.modelName, outputType: step.outputType, tier: step.tier, itemIds: [], runs: 0, credits: 0 };
      if (!group.itemIds.includes(item.id)) group.itemIds.push(item.id);
      group.runs += step.count;
      group.credits += step.credits;
      groups.set(step.modelId, group);
    }
  }
  result.byModel = [...groups.values()].sort((a, b) => b.credits - a.credits || a.modelId.localeCompare(b.modelId));
  return result;
}

/** FNV-1a, hex: a short stable hash the browser and the server compute alike. */
function shortHash(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, "0");
}

function findingKey(rule: RuleId, item: PlannedItem): string {
  return `${rule}:${item.id}:${shortHash(JSON.stringify([item.plan, item.flags, item.outputType]))}`;
}

const ACTIVE = (item: PlannedItem) => item.status !== "done" && item.status !== "dropped";

/** Only "test cheap, finalize premium" here: tests on a premium model move to the cheapest enabled budget model of the type. */
export function itemFindings(priceList: PriceList, item: PlannedItem): Finding[] {
  if (!ACTIVE(item) || !item.plan.tests) return [];
  const before = estimateItem(priceList, item.plan);
  if (!before.ok) return [];
  const tests = before.steps.find((step) => step.stage === "tests");
  if (!tests || tests.tier !== "premium") return [];
  const budget = priceList.entries
    .filter((entry) => entry.enabled && entry.tier === "budget" && entry.outputType === tests.outputType)
    .map((entry) => ({ entry, estimate: estimateRun(priceList, { modelId: entry.id, quantity: 1 }) }))
    .filter((candidate) => candidate.estimate.ok)
    .sort((a, b) => (a.estimate.ok && b.estimate.ok ? a.estimate.credits - b.estimate.credits : 0))[0];
  if (!budget || !budget.estimate.ok) return [];
  const plan: ItemPlan = { ...item.plan, tests: { modelId: budget.entry.id, settings: budget.estimate.settings, count: item.plan.tests.count } };
  const after = estimateItem(priceList, plan);
  if (!after.ok || after.credits >= before.credits) return [];
  return [
    {
      rule: "test-cheap",
      itemId: item.id,
      key: findingKey("test-cheap", item),
      title: RULES["test-cheap"].title,
      changeText: `Tests: ${tests.modelName} → ${budget.entry.name}`,
      explanation: RULES["test-cheap"].explanation,
      change: { items: [{ itemId: item.id, plan }] },
      before: before.credits,
      after: after.credits,
      saved: before.credits - after.credits,
      kind: "saving",
    },
  ];
}

export function batchFindings(priceList: PriceList, items: PlannedItem[]): Finding[] {
  return items.flatMap((item) => itemFindings(priceList, item)).sort((a, b) => b.saved - a.saved || a.key.localeCompare(b.key));
}

export type RunToCheck = {
  modelId: string;
  settings: Record<string, string>;
  quantity: number;
  stage: "test" | "draft" | "final";
  purpose: Purpose;
  outputType: OutputType;
};
/** None in the stand-in: no rule reads single runs yet. */
export function runFindings(priceList: PriceList, run: RunToCheck): Finding[] {
  return priceList.entries.length > 0 && run.quantity < 0 ? [] : [];
}

export function applyFinding(items: PlannedItem[], finding: Finding): PlannedItem[] {
  if (!finding.change) return items;
  const changes = new Map(finding.change.items.map((change) => [change.itemId, change]));
  return items.map((item) => {
    const change = changes.get(item.id);
    return change ? { ...item, plan: change.plan, outputType: change.outputType ?? item.outputType } : item;
  });
}

export function applyAllSavings(priceList: PriceList, items: PlannedItem[]) {
  const before = estimateBatch(priceList, items).credits;
  const applied: Finding[] = [];
  let current = items;
  for (let guard = 0; guard < items.length * 12 + 1; guard++) {
    const next = batchFindings(priceList, current).find((finding) => finding.kind === "saving" && finding.saved > 0 && finding.change);
    if (!next) break;
    current = applyFinding(current, next);
    applied.push(next);
  }
  const after = estimateBatch(priceList, current).credits;
  return { items: current, before, after, saved: before - after, applied };
}

export const RULES: Record<RuleId, { title: string; explanation: string }> = Object.fromEntries(
  (
    [
      ["test-cheap", "Test cheap, finalize premium", "Prompt checks do not need a premium model: test on a budget one and keep premium for the final."],
      ["match-purpose", "Match quality to purpose", "Pick the tier the use needs."],
      ["print-upscale", "Print needs an upscale", "Printed work needs the resolution of an upscale."],
      ["over-engineered", "Don't over-engineer", "A quick check does not need the dearest model."],
      ["upscale-web", "No upscale for the web", "Web use does not need an upscale."],
      ["upscale-before-edit", "Upscale after editing", "Upscale once the edits are done."],
      ["still-would-do", "A still would do", "Make a still image where a video is not needed."],
      ["background-music", "Background music", "Background music does not need premium audio."],
      ["premium-video-iterations", "Iterating with premium video", "Iterate on a fast video model first."],
      ["edit-not-regenerate", "Edit instead of regenerating", "Edit the existing output."],
      ["group-models", "Group on one model", "One model for similar work keeps the style and the tests together."],
      ["empty-prompt", "Write the prompt", "An item without a prompt cannot be generated."],
    ] as const
  ).map(([id, title, explanation]) => [id, { title, explanation }]),
) as Record<RuleId, { title: string; explanation: string }>;
