// The Usage filter as CSV files: its runs (whose charged and refunded columns add up to the page's totals) and its ledger entries.
import "server-only";
import { spreadsheetText } from "@/lib/csv";
import type { RunSort, UsageFilter } from "./filters";
import { eachUsageEntry, eachUsageRun, type UsageEntry, type UsageRun } from "./lists";

type Team = { id: string; slug: string; timeZone: string };

export const RUN_COLUMNS = [
  "date",
  "run id",
  "project",
  "member",
  "model",
  "output type",
  "tier",
  "stage",
  "purpose",
  "quantity",
  "state",
  "outcome",
  "estimate",
  "charged",
  "refunded",
  "net credits",
  "overrun",
  "over budget",
  "prompt",
  "notes",
  "external id",
];

export const ENTRY_COLUMNS = ["date", "entry id", "kind", "credits", "held change", "balance after", "held after", "available after", "project", "member", "run id", "model", "reason"];

export function runRow(run: UsageRun): unknown[] {
  return [
    run.localTime,
    run.id,
    spreadsheetText(run.projectName),
    spreadsheetText(run.userName),
    spreadsheetText(run.modelName),
    run.outputType,
    run.tier ?? "",
    run.stage,
    run.purpose,
    run.quantity,
    run.state,
    run.outcome ?? "",
    run.estimate,
    run.charged,
    run.refunded,
    run.charged - run.refunded,
    run.overrun ? "yes" : "no",
    run.overBudget ? "yes" : "no",
    spreadsheetText(run.prompt),
    spreadsheetText(run.notes),
    spreadsheetText(run.externalId ?? ""),
  ];
}

export function entryRow(entry: UsageEntry): unknown[] {
  return [
    entry.localTime,
    entry.id.toString(),
    entry.kind,
    entry.amount,
    entry.heldDelta,
    entry.balanceAfter,
    entry.heldAfter,
    entry.availableAfter,
    spreadsheetText(entry.projectName ?? ""),
    spreadsheetText(entry.personName ?? ""),
    entry.runId ?? "",
    spreadsheetText(entry.modelName ?? ""),
    spreadsheetText(entry.reason),
  ];
}

async function* rows<T>(batches: AsyncGenerator<T[]>, row: (item: T) => unknown[]): AsyncGenerator<unknown[][]> {
  for await (const batch of batches) yield batch.map(row);
}

export function runRows(team: Team, filter: UsageFilter, sort: RunSort) {
  return rows(eachUsageRun(team, filter, sort), runRow);
}

export function entryRows(team: Team, filter: UsageFilter) {
  return rows(eachUsageEntry(team, filter), entryRow);
}

export function exportName(team: Team, what: "runs" | "transactions", filter: UsageFilter): string {
  return `${team.slug}-${what}-${filter.from}-to-${filter.to}.csv`;
}
