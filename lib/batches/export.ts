// A batch as CSV: one row per item with its plan in words, the credits of each stage, the estimate and what it spent.
import "server-only";
import { stringify } from "csv-stringify/sync";
import { PURPOSE_LABELS } from "@/lib/ledger/schema";
import { estimateItem, type ItemEstimate } from "@/lib/recommendations";
import type { PriceList } from "@/lib/pricing/types";
import { spreadsheetText } from "@/lib/csv";
import type { BatchItemView } from "./queries";
import { ITEM_STATUS_LABELS } from "./schema";

export const EXPORT_COLUMNS = ["item", "output type", "purpose", "status", "plan", "tests credits", "finals credits", "tools credits", "estimate", "spent"];

const STAGE_WORDS = { tests: "Tests", finals: "Final", tools: "Tool" } as const;

/** "Tests: 4 × Qwen Image; Final: 1 × Flux 2 Pro; Tool: 1 × Crystal Upscaler", or why it cannot be priced. */
export function planInWords(estimate: ItemEstimate): string {
  if (!estimate.ok) return `Cannot be priced: ${estimate.error.message}`;
  if (estimate.steps.length === 0) return "No steps";
  return estimate.steps.map((step) => `${STAGE_WORDS[step.stage]}: ${step.count} × ${step.modelName}`).join("; ");
}


export function batchCsv(priceList: PriceList, items: BatchItemView[]): string {
  const rows = items.map((item) => {
    const estimate = estimateItem(priceList, item.plan);
    // Empty, never 0, where the plan cannot be priced with the list in force.
    const credits = (pick: (e: Extract<ItemEstimate, { ok: true }>) => number) => (estimate.ok ? pick(estimate) : "");
    return [
      spreadsheetText(item.title),
      item.outputType,
      PURPOSE_LABELS[item.purpose],
      ITEM_STATUS_LABELS[item.status],
      planInWords(estimate),
      credits((e) => e.tests),
      credits((e) => e.finals),
      credits((e) => e.tools),
      credits((e) => e.credits),
      item.spent,
    ];
  });
  return stringify(rows, { header: true, columns: EXPORT_COLUMNS });
}

/** A file name from the batch's name: "Spring campaign" → spring-campaign.csv. */
export function exportFileName(name: string): string {
  const base = name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 80);
  return `${base || "batch"}.csv`;
}
