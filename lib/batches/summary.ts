// What a batch page shows, worked out from its items and the team's price list: estimates, findings still open,
// what applying every saving would save, progress and whether the rest fits the project's budget. Pure.
import {
  acceptOpen,
  applyAllSavings,
  batchFindings,
  estimateBatch,
  type BatchEstimate,
  type Finding,
  type PlannedItem,
} from "@/lib/recommendations";
import type { PriceList } from "@/lib/pricing/types";

export type BatchSummary = {
  estimate: BatchEstimate;
  /**
   * Credits still to spend on items still to do (not done, not dropped): each stage's plan less what that stage has
   * already spent or holds, never below 0. What it spent has left the budget already, so it is not counted again.
   */
  plannedOpen: number;
  spent: number;
  done: number;
  /** Items that count towards progress (every item but the dropped ones). */
  total: number;
  savings: Finding[];
  warnings: Finding[];
  advice: Finding[];
  /** What applying every saving finding, one after another, would save in all. */
  couldSave: number;
  /** Findings people dismissed that would still show for the plans as they are (a dismissal lapses when its plan changes). */
  dismissed: Finding[];
  /** By how much the open plan exceeds what the budget has left; null when it fits or there is no budget. */
  overBy: number | null;
};

const CLOSED = new Set(["done", "dropped"]);

/** An item with what it spent; with its runs (stage and what each counts), a stage's spending is set against that stage alone. */
type SummaryItem = PlannedItem & { spent: number; runs?: { stage: string; spent: number }[] };

/**
 * What an open item still has to spend: the tests' plan less what its test runs spent, and the finals' and tools' less
 * what the rest spent, each never below 0. Tests that ran over do not pay for a final that has not run yet.
 */
function stillToDo(estimate: Extract<BatchEstimate["items"][string], { ok: true }>, item: SummaryItem): number {
  if (!item.runs) return Math.max(0, estimate.credits - item.spent);
  const tests = item.runs.reduce((sum, run) => sum + (run.stage === "test" ? run.spent : 0), 0);
  return Math.max(0, estimate.tests - tests) + Math.max(0, estimate.finals + estimate.tools - (item.spent - tests));
}

export function summarizeBatch(
  priceList: PriceList,
  items: SummaryItem[],
  dismissedKeys: ReadonlySet<string>,
  budgetRemaining: number | null,
): BatchSummary {
  const estimate = estimateBatch(priceList, items);
  const open = items.filter((item) => !CLOSED.has(item.status));
  let plannedOpen = 0;
  for (const item of open) {
    const itemEstimate = estimate.items[item.id];
    if (itemEstimate?.ok) plannedOpen += stillToDo(itemEstimate, item);
  }
  const every = batchFindings(priceList, open);
  const findings = every.filter((finding) => !dismissedKeys.has(finding.key));
  // Dismissed savings are left out of the total: applying "all of them" means all the ones still shown.
  const all = applyAllSavings(priceList, open, acceptOpen(priceList, open, dismissedKeys));
  const spent = items.reduce((sum, item) => sum + item.spent, 0);
  return {
    estimate,
    plannedOpen,
    spent,
    done: items.filter((item) => item.status === "done").length,
    total: items.filter((item) => item.status !== "dropped").length,
    savings: findings.filter((finding) => finding.kind === "saving"),
    warnings: findings.filter((finding) => finding.kind === "quality"),
    advice: findings.filter((finding) => finding.kind === "advice"),
    couldSave: all.saved,
    dismissed: every.filter((finding) => dismissedKeys.has(finding.key)),
    overBy: budgetRemaining !== null && plannedOpen > budgetRemaining ? plannedOpen - budgetRemaining : null,
  };
}
