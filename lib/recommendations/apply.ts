// Applies findings to a batch's items: one at a click, or every saving one to learn what applying all would save. Pure.
import type { PriceList } from "@/lib/pricing/types";
import { estimateBatch, estimateItem, type ItemEstimate } from "./estimate";
import { activeItems, batchLevelFindings, isActive, itemFindings, sortFindings } from "./findings";
import type { Finding, PlannedItem } from "./types";

/** Applies one finding's change to the items it names (others unchanged, the same objects). Advice changes nothing. */
export function applyFinding(items: PlannedItem[], finding: Finding): PlannedItem[] {
  if (finding.change === null) return items.slice();
  const changes = new Map(finding.change.items.map((change) => [change.itemId, change]));
  return items.map((item) => {
    const change = changes.get(item.id);
    if (!change) return item;
    return change.outputType === undefined ? { ...item, plan: change.plan } : { ...item, plan: change.plan, outputType: change.outputType };
  });
}

function isSaving(finding: Finding): boolean {
  return finding.kind === "saving" && finding.saved > 0 && finding.change !== null;
}

function largestSaving(findings: Finding[]): Finding | undefined {
  let best: Finding | undefined;
  for (const finding of findings) if (isSaving(finding) && (best === undefined || finding.saved > best.saved)) best = finding;
  return best;
}

/**
 * Applies saving findings one after another, largest first and recomputed after each, until none is left: the true
 * total "applying all of them would save" (overlapping findings are not double-counted).
 *
 * An item's own findings depend on that item alone, so each item is settled on its own (largest first), which
 * comes to the same plans as one queue over the batch and avoids recomputing a thousand items after every step.
 * Then the batch-level findings, largest first, each followed by settling the items it changed, until neither
 * finds a saving. Every applied finding lowers the total, so this ends.
 */
export function applyAllSavings(
  priceList: PriceList,
  items: PlannedItem[],
): { items: PlannedItem[]; before: number; after: number; saved: number; applied: Finding[] } {
  const before = estimateBatch(priceList, items).credits;
  const applied: Finding[] = [];
  const current = items.slice();
  const index = new Map(current.map((item, i) => [item.id, i]));
  const estimates = new Map<string, ItemEstimate>();

  const settle = (i: number) => {
    let item = current[i];
    for (;;) {
      const finding = largestSaving(itemFindings(priceList, item));
      if (!finding) break;
      item = applyFinding([item], finding)[0];
      applied.push(finding);
    }
    current[i] = item;
    estimates.set(item.id, estimateItem(priceList, item.plan));
  };

  for (let i = 0; i < current.length; i++) if (isActive(current[i])) settle(i);

  // Bounded for safety: each round lowers the total by at least one credit, and there are at most a few groups.
  for (let round = 0; round < current.length + 10; round++) {
    const finding = largestSaving(sortFindings(batchLevelFindings(priceList, activeItems(priceList, current, estimates))));
    if (!finding) break;
    const changed = applyFinding(current, finding);
    applied.push(finding);
    for (const change of finding.change!.items) {
      const i = index.get(change.itemId);
      if (i === undefined) continue;
      current[i] = changed[i];
      settle(i);
    }
  }

  const after = estimateBatch(priceList, current).credits;
  return { items: current, before, after, saved: before - after, applied };
}
