// Runs the rules: over one item, over a batch (items plus batch-level rules), and over a single run. Pure.
import type { OutputType, PriceList } from "@/lib/pricing/types";
import { emptyPromptFindings, groupModelsFindings } from "./batch-rules";
import { estimateItem, type ItemEstimate } from "./estimate";
import { itemKey, planKey, shortHash } from "./key";
import { remember } from "./memo";
import { ITEM_RULES, RUN_RULES, type ItemContext } from "./rules";
import { NO_FLAGS, type Finding, type ItemPlan, type PlannedItem, type Purpose } from "./types";

type Rule = (ctx: ItemContext) => Finding | null;

/** Only items still to be made get findings. */
export function isActive(item: PlannedItem): boolean {
  return item.status !== "done" && item.status !== "dropped";
}

// What an item's findings are about: a dismissal is remembered only while this stays the same.
function itemHash(item: PlannedItem): string {
  return shortHash(itemKey(item));
}

/** The change a finding makes, as text, to tell two findings that would do the same thing apart. */
function changeSignature(finding: Finding): string | null {
  if (finding.change === null) return null;
  return finding.change.items.map((item) => `${item.itemId}\u0003${planKey(item.plan)}\u0003${item.outputType ?? ""}`).join("\u0004");
}

/**
 * A check that is over-engineered moves every step above budget to budget, which is what test cheap and match purpose
 * would each do for one stage: one finding that says it all, instead of three. Past that, two rules proposing the
 * same plan keep the first in ITEM_RULES order (the more specific title).
 */
function dedupe(findings: Finding[]): Finding[] {
  if (findings.length < 2) return findings;
  const overEngineered = findings.some((finding) => finding.rule === "over-engineered");
  const seen = new Set<string>();
  const kept: Finding[] = [];
  for (const finding of findings) {
    if (overEngineered && (finding.rule === "test-cheap" || finding.rule === "match-purpose" || finding.rule === "premium-video-iterations")) continue;
    const signature = changeSignature(finding);
    if (signature !== null) {
      if (seen.has(signature)) continue;
      seen.add(signature);
    }
    kept.push(finding);
  }
  return kept;
}

function runRules(priceList: PriceList, item: PlannedItem, estimate: ItemEstimate, rules: Rule[], single: boolean): Finding[] {
  if (!estimate.ok) return [];
  const ctx: ItemContext = { priceList, item, estimate, hash: () => itemHash(item), single };
  const findings: Finding[] = [];
  for (const rule of rules) {
    const finding = rule(ctx);
    if (finding) findings.push(finding);
  }
  return dedupe(findings);
}

/** Everything an item's findings depend on besides the price list: its id, purpose, status, plan, flags and output type. */
export function findingsKey(item: PlannedItem): string {
  return `${item.id}\u0007${item.purpose}\u0007${item.status}\u0007${itemKey(item)}`;
}

/**
 * An item's findings depend on its id, purpose, status and what itemKey covers, and on the price list: remembered on
 * that key, so the batch page's findings and "apply all" (which starts from the same items) work each item out once.
 */
export function itemFindingsWith(priceList: PriceList, item: PlannedItem, estimate: ItemEstimate): Finding[] {
  if (!isActive(item)) return [];
  return remember(priceList, "findings", findingsKey(item), () => runRules(priceList, item, estimate, ITEM_RULES, false)).slice();
}

/** One item's findings; none for an item that is done or dropped, or whose plan cannot be priced. */
export function itemFindings(priceList: PriceList, item: PlannedItem): Finding[] {
  if (!isActive(item)) return [];
  return itemFindingsWith(priceList, item, estimateItem(priceList, item.plan));
}

const KIND_ORDER: Record<Finding["kind"], number> = { saving: 0, quality: 1, advice: 2 };

/** Savings first, largest first; then quality warnings (least extra cost first); then advice. Ties keep their order. */
export function sortFindings(findings: Finding[]): Finding[] {
  return findings.sort((a, b) => KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || b.saved - a.saved);
}

export type ActiveItem = { item: PlannedItem; estimate: Extract<ItemEstimate, { ok: true }> };

/** Active items that can be priced, each with its estimate (batch rules read both). */
export function activeItems(priceList: PriceList, items: PlannedItem[], estimates?: Map<string, ItemEstimate>): ActiveItem[] {
  const active: ActiveItem[] = [];
  for (const item of items) {
    if (!isActive(item)) continue;
    const estimate = estimates?.get(item.id) ?? estimateItem(priceList, item.plan);
    if (estimate.ok) active.push({ item, estimate });
  }
  return active;
}

/** The batch-level findings alone (group models, empty prompts). */
export function batchLevelFindings(priceList: PriceList, active: ActiveItem[]): Finding[] {
  return [...groupModelsFindings(priceList, active), ...emptyPromptFindings(active)];
}

/** Every item's findings plus the batch-level ones (group-models, empty-prompt), savings first, largest saving first. */
export function batchFindings(priceList: PriceList, items: PlannedItem[]): Finding[] {
  const active = activeItems(priceList, items);
  const findings: Finding[] = [];
  for (const { item, estimate } of active) findings.push(...itemFindingsWith(priceList, item, estimate));
  findings.push(...batchLevelFindings(priceList, active));
  return sortFindings(findings);
}

export type RunToCheck = {
  modelId: string;
  settings: Record<string, string>;
  quantity: number;
  stage: "test" | "draft" | "final";
  purpose: Purpose;
  outputType: OutputType;
};

/** The id a single run's finding names in its change, since a run is not a batch item. */
export const RUN_ITEM_ID = "run";

/**
 * A single run (before approval): a test on a model above budget → test cheap; a draft or final above its purpose's
 * tier → match purpose; anything premium for internal review → over-engineered. The finding's itemId is null and its
 * change names the run as RUN_ITEM_ID, with the run as a one-step plan (tests for a test, finals for a draft or final).
 */
export function runFindings(priceList: PriceList, run: RunToCheck): Finding[] {
  const step = { modelId: run.modelId, settings: run.settings, count: run.quantity };
  const plan: ItemPlan = run.stage === "test" ? { tests: step, finals: null, tools: [] } : { tests: null, finals: step, tools: [] };
  const item: PlannedItem = {
    id: RUN_ITEM_ID,
    title: "",
    outputType: run.outputType,
    purpose: run.purpose,
    prompt: "",
    status: "planned",
    plan,
    flags: NO_FLAGS,
  };
  const findings = runRules(priceList, item, estimateItem(priceList, plan), RUN_RULES, true);
  const hash = shortHash([run.modelId, run.settings, run.quantity, run.stage, run.purpose, run.outputType]);
  return sortFindings(findings.map((finding) => ({ ...finding, itemId: null, key: `${finding.rule}:run:${hash}` })));
}
