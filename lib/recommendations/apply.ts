// Applies findings to a batch's items: one at a click, or every saving one to learn what applying all would save. Pure.
import type { PriceList } from "@/lib/pricing/types";
import { estimateItem, type ItemEstimate } from "./estimate";
import { activeItems, batchFindings, batchLevelFindings, findingsKey, isActive, itemFindingsWith, sortFindings } from "./findings";
import { remember } from "./memo";
import type { Finding, ItemPlan, PlannedItem, PlanStep } from "./types";

function copyStep(step: PlanStep): PlanStep {
  return { modelId: step.modelId, settings: { ...step.settings }, count: step.count };
}

// Findings are remembered and shared; the item gets a plan of its own, so editing it can never reach back into them.
function copyPlan(plan: ItemPlan): ItemPlan {
  return { tests: plan.tests && copyStep(plan.tests), finals: plan.finals && copyStep(plan.finals), tools: plan.tools.map(copyStep) };
}

/** Applies one finding's change to the items it names (others unchanged, the same objects). Advice changes nothing. */
export function applyFinding(items: PlannedItem[], finding: Finding): PlannedItem[] {
  if (finding.change === null) return items.slice();
  const changes = new Map(finding.change.items.map((change) => [change.itemId, change]));
  return items.map((item) => {
    const change = changes.get(item.id);
    if (!change) return item;
    const plan = copyPlan(change.plan);
    return change.outputType === undefined ? { ...item, plan } : { ...item, plan, outputType: change.outputType };
  });
}

function isSaving(finding: Finding): boolean {
  return finding.kind === "saving" && finding.saved > 0 && finding.change !== null;
}

/** The largest saving; equal savings keep the rules' order. */
function largestSaving(findings: Finding[]): Finding | undefined {
  let best: Finding | undefined;
  for (const finding of findings) if (isSaving(finding) && (best === undefined || finding.saved > best.saved)) best = finding;
  return best;
}

type Settled = { plan: ItemPlan; outputType: PlannedItem["outputType"]; estimate: ItemEstimate; applied: Finding[]; met: Finding[] };

const acceptAll = () => true;

/** One item's savings applied largest first, recomputed after each, until none is left; with every finding it met. */
function settleItem(priceList: PriceList, start: PlannedItem, accept: (finding: Finding) => boolean): Settled {
  let item = start;
  let estimate = estimateItem(priceList, item.plan);
  const applied: Finding[] = [];
  const met: Finding[] = [];
  for (;;) {
    const findings = itemFindingsWith(priceList, item, estimate);
    met.push(...findings);
    const finding = largestSaving(findings.filter(accept));
    if (!finding) break;
    item = applyFinding([item], finding)[0];
    estimate = estimateItem(priceList, item.plan);
    applied.push(finding);
  }
  return { plan: item.plan, outputType: item.outputType, estimate, applied, met };
}

/** The items a finding is about: those its change names, or its own item. */
function itemsOf(finding: Finding): string[] {
  if (finding.change !== null) return finding.change.items.map((change) => change.itemId);
  return finding.itemId === null ? [] : [finding.itemId];
}

/**
 * Which findings "apply every open saving" may apply, given the keys people dismissed. A key changes with the item's
 * plan, so once another finding has changed an item, the dismissed rule would come back under a new key: the same
 * rule on the same items stays turned down.
 */
export function acceptOpen(priceList: PriceList, items: PlannedItem[], dismissedKeys: ReadonlySet<string>): (finding: Finding) => boolean {
  if (dismissedKeys.size === 0) return acceptAll;
  const refused = new Set<string>();
  for (const finding of batchFindings(priceList, items)) {
    if (dismissedKeys.has(finding.key)) for (const id of itemsOf(finding)) refused.add(`${finding.rule}\u0000${id}`);
  }
  return (finding) => !dismissedKeys.has(finding.key) && !itemsOf(finding).some((id) => refused.has(`${finding.rule}\u0000${id}`));
}

/**
 * Applies saving findings one after another, largest first and recomputed after each, until none is left: the true
 * total "applying all of them would save" (overlapping findings are not double-counted).
 *
 * An item's own findings depend on that item alone, so each item is settled on its own (largest first), which
 * comes to the same plans as one queue over the batch and avoids recomputing a thousand items after every step.
 * Then the batch-level findings, largest first, and the items they changed settled again, until neither finds a
 * saving. Every applied finding lowers the total, so this ends.
 */
export function applyAllSavings(
  priceList: PriceList,
  items: PlannedItem[],
  /** Which findings may be applied; by default all. A batch page leaves out the ones people dismissed. */
  accept: (finding: Finding) => boolean = acceptAll,
): { items: PlannedItem[]; before: number; after: number; saved: number; applied: Finding[] } {
  const applied: Finding[] = [];
  const current = items.slice();
  const index = new Map(current.map((item, i) => [item.id, i]));
  const estimates = new Map<string, ItemEstimate>();

  const settle = (i: number) => {
    const item = current[i];
    // The same item settles the same way for the same price list: remembered, unless a finding it met is refused now.
    const remembered = remember(priceList, "settled", findingsKey(item), () => settleItem(priceList, item, acceptAll));
    const settled = remembered.met.every(accept) ? remembered : settleItem(priceList, item, accept);
    current[i] = settled.applied.length === 0 ? item : { ...item, plan: copyPlan(settled.plan), outputType: settled.outputType };
    estimates.set(item.id, settled.estimate);
    for (const finding of settled.applied) applied.push(finding);
  };

  // The total as planned, from the same estimates the rules read (dropped items and unpriced ones count nothing).
  let before = 0;
  for (let i = 0; i < current.length; i++) {
    if (isActive(current[i])) settle(i);
    else estimates.set(current[i].id, estimateItem(priceList, current[i].plan));
    const estimate = estimateItem(priceList, items[i].plan);
    if (estimate.ok && items[i].status !== "dropped") before += estimate.credits;
  }

  // Batch-level findings are about disjoint groups of items (each item's finals sit in one group), so one pass applies
  // every one of them, largest first; settling the items they changed may regroup some, hence another pass, until
  // none saves. Bounded for safety: every pass that applies something lowers the total.
  for (let pass = 0; pass < current.length + 10; pass++) {
    const findings = sortFindings(batchLevelFindings(priceList, activeItems(priceList, current, estimates))).filter(
      (finding) => isSaving(finding) && accept(finding),
    );
    if (findings.length === 0) break;
    const touched = new Set<number>();
    for (const finding of findings) {
      const names = finding.change!.items.map((change) => index.get(change.itemId)).filter((i) => i !== undefined);
      // A finding about an item an earlier one already changed waits for the next pass, recomputed.
      if (names.some((i) => touched.has(i))) continue;
      const changed = applyFinding(current, finding);
      applied.push(finding);
      for (const i of names) {
        current[i] = changed[i];
        touched.add(i);
      }
    }
    for (const i of touched) settle(i);
  }

  let after = 0;
  for (const item of current) {
    const estimate = estimates.get(item.id);
    if (estimate?.ok && item.status !== "dropped") after += estimate.credits;
  }
  return { items: current, before, after, saved: before - after, applied };
}
