// The Usage filter as CSV files: its runs (whose charged and refunded columns add up to the page's totals) and its ledger entries.
// Each file's cells are made by the database in the column order below, a batch of 10,000 rows at a time.
import "server-only";
import { Prisma } from "@/lib/db/generated/client";
import type { RunSort, UsageFilter } from "./filters";
import { eachEntryCells, eachRunCells } from "./lists";

type Team = { id: string; slug: string; timeZone: string };

/** A spreadsheet runs a cell that starts with = + - @ (or a tab, a return) as a formula: text a person typed stays text. */
function text(column: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`CASE WHEN ${column} ~ '^[=+@\\t\\r-]' THEN '''' || ${column} ELSE ${column} END`;
}

function localTime(column: Prisma.Sql, timeZone: string): Prisma.Sql {
  return Prisma.sql`to_char((${column} AT TIME ZONE 'UTC') AT TIME ZONE ${timeZone}, 'YYYY-MM-DD HH24:MI:SS')`;
}

const yesNo = (column: Prisma.Sql) => Prisma.sql`CASE WHEN ${column} THEN 'yes' ELSE 'no' END`;

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

// In RUN_COLUMNS' order; the project and member are ids here and names in the file.
const runCells = (timeZone: string) => Prisma.sql`${localTime(Prisma.sql`r."createdAt"`, timeZone)}, r."id", r."projectId", r."userId",
  ${text(Prisma.sql`r."modelName"`)}, r."outputType", COALESCE(r."tier", ''), r."stage", r."purpose", r."quantity", r."state",
  COALESCE(r."outcome"::text, ''), r."estimate", COALESCE(r."actual", 0), r."refunded", COALESCE(r."actual", 0) - r."refunded",
  ${yesNo(Prisma.sql`r."overrun"`)}, ${yesNo(Prisma.sql`r."overBudget"`)}, ${text(Prisma.sql`r."prompt"`)}, ${text(Prisma.sql`r."notes"`)},
  ${text(Prisma.sql`COALESCE(r."externalId", '')`)}`;

export const ENTRY_COLUMNS = ["date", "entry id", "kind", "credits", "held change", "balance after", "held after", "available after", "project", "member", "run id", "model", "reason"];

const entryCells = (timeZone: string) => Prisma.sql`${localTime(Prisma.sql`e."createdAt"`, timeZone)}, e."id"::text, e."kind", e."amount",
  e."heldDelta", e."balanceAfter", e."heldAfter", e."availableAfter", e."projectId", COALESCE(e."runUserId", e."actorId"),
  COALESCE(e."runId", ''), ${text(Prisma.sql`COALESCE(e."modelName", '')`)}, ${text(Prisma.sql`e."reason"`)}`;

/** The runs of the filter as CSV rows, in the order the page sorts them. */
export function runRows(team: Team, filter: UsageFilter, sort: RunSort) {
  return eachRunCells(team, filter, sort, runCells(team.timeZone), { projectAt: RUN_COLUMNS.indexOf("project"), personAt: RUN_COLUMNS.indexOf("member") });
}

/** The ledger entries of the filter as CSV rows, newest first. */
export function entryRows(team: Team, filter: UsageFilter) {
  return eachEntryCells(team, filter, entryCells(team.timeZone), { projectAt: ENTRY_COLUMNS.indexOf("project"), personAt: ENTRY_COLUMNS.indexOf("member") });
}

export function exportName(team: Team, what: "runs" | "transactions", filter: UsageFilter): string {
  return `${team.slug}-${what}-${filter.from}-to-${filter.to}.csv`;
}
