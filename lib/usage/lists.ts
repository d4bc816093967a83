// The runs and ledger entries of a Usage filter, a page at a time by keyset in the chosen order, and in batches for the CSV export.
import "server-only";
import { Prisma } from "@/lib/db/generated/client";
import { spreadsheetText } from "@/lib/csv";
import { db } from "@/lib/db/client";
import { endOfDayIn, startOfDayIn } from "@/lib/ledger/dates";
import { firstValue, type UrlQuery } from "@/lib/url-query";
import type { RunSort, UsageFilter } from "./filters";
import { runConditions, runOnlyConditions } from "./queries";

type Team = { id: string; timeZone: string };

export const USAGE_PAGE_SIZE = 50;
/** Rows per read of an export: large enough that round trips do not dominate, small enough that memory stays flat. */
const EXPORT_BATCH = 10_000;

/** Where a page starts: after (older) or before (newer) the row with this sort value and id. */
export type UsageCursor = { direction: "older" | "newer"; key: number; id: string };

const CURSOR = /^(-?\d{1,16})~([A-Za-z0-9_-]{1,64})$/;
// The instants a date key may name (the years 1 to 9999, what PostgreSQL reads as a timestamp), the range of a
// credits column, the range of a ledger entry's id.
const MIN_TIME = -62_135_596_800_000;
const MAX_TIME = 253_402_300_799_999;
const MAX_CREDITS_KEY = 2_147_483_647;
const MAX_ENTRY_ID = 9_223_372_036_854_775_807n;

export function encodeUsageCursor(key: number, id: string | bigint): string {
  return `${key}~${id}`;
}

/**
 * `?older=` or `?newer=` as this page wrote it for the list shown (runs in a sort, or ledger entries); anything else —
 * a key no date or credits column holds, an entry id that is no number — is the first page and a message.
 */
export function readUsageCursor(query: UrlQuery, list: RunSort | "entries"): { cursor: UsageCursor | null; error?: string } {
  const older = firstValue(query.older);
  const newer = firstValue(query.newer);
  if (!older && !newer) return { cursor: null };
  const match = older && newer ? null : CURSOR.exec(older || newer);
  const key = match ? Number(match[1]) : Number.NaN;
  const byCredits = list === "credits" || list === "cheapest";
  const keyFits = byCredits ? Math.abs(key) <= MAX_CREDITS_KEY : key >= MIN_TIME && key <= MAX_TIME;
  const idFits = list !== "entries" || (match !== null && /^\d{1,19}$/.test(match[2]) && BigInt(match[2]) <= MAX_ENTRY_ID);
  if (!match || !Number.isSafeInteger(key) || !keyFits || !idFits) {
    return { cursor: null, error: "This page link is not valid (it may have been cut off); showing the first page." };
  }
  return { cursor: { direction: older ? "older" : "newer", key, id: match[2] } };
}

// Each order is a key and the id after it; "older" means further along the chosen order.
// `cursor` is the key as the number a page link carries (milliseconds for a date).
const BY_DATE = { key: Prisma.sql`r."createdAt"`, cursor: Prisma.sql`(extract(epoch FROM r."createdAt") * 1000)::bigint` };
const BY_CREDITS = { key: Prisma.sql`COALESCE(r."actual", 0)`, cursor: Prisma.sql`COALESCE(r."actual", 0)` };
const RUN_ORDERS: Record<RunSort, { key: Prisma.Sql; cursor: Prisma.Sql; descending: boolean; value: (row: { createdAt: Date; charged: number }) => number }> = {
  newest: { ...BY_DATE, descending: true, value: (row) => row.createdAt.getTime() },
  oldest: { ...BY_DATE, descending: false, value: (row) => row.createdAt.getTime() },
  credits: { ...BY_CREDITS, descending: true, value: (row) => row.charged },
  cheapest: { ...BY_CREDITS, descending: false, value: (row) => row.charged },
};

function cursorValue(sort: RunSort, key: number): Prisma.Sql {
  return sort === "newest" || sort === "oldest" ? Prisma.sql`${new Date(key).toISOString()}::timestamp` : Prisma.sql`${key}::int`;
}

/** Rows past the cursor in the walk's direction: key beyond it, or the same key and the id beyond it. */
function beyond(key: Prisma.Sql, id: Prisma.Sql, value: Prisma.Sql, cursorId: string | bigint, greater: boolean): Prisma.Sql {
  return greater
    ? Prisma.sql`(${key} >= ${value} AND (${key} > ${value} OR ${id} > ${cursorId}))`
    : Prisma.sql`(${key} <= ${value} AND (${key} < ${value} OR ${id} < ${cursorId}))`;
}

/**
 * Names of the projects and people rows refer to, read for the ids not yet known: a page asks once, an export once
 * per batch for the few new ids, instead of joining two tables on every one of a million rows.
 */
class NameBook {
  private projects = new Map<string, string>();
  private people = new Map<string, string>();
  constructor(private teamId: string) {}

  async learn(projectIds: Iterable<string | null>, userIds: Iterable<string | null>) {
    const unknown = (ids: Iterable<string | null>, known: Map<string, string>) => [...new Set([...ids].filter((id): id is string => id !== null && !known.has(id)))];
    const [projects, people] = [unknown(projectIds, this.projects), unknown(userIds, this.people)];
    const [projectRows, personRows] = await Promise.all([
      projects.length ? db().project.findMany({ where: { teamId: this.teamId, id: { in: projects } }, select: { id: true, name: true } }) : [],
      people.length ? db().user.findMany({ where: { id: { in: people } }, select: { id: true, name: true } }) : [],
    ]);
    for (const row of projectRows) this.projects.set(row.id, row.name);
    for (const row of personRows) this.people.set(row.id, row.name);
  }

  project(id: string | null): string | null {
    return id === null ? null : (this.projects.get(id) ?? "—");
  }

  person(id: string | null): string | null {
    return id === null ? null : (this.people.get(id) ?? "Former member");
  }
}

export type UsageRun = {
  id: string;
  createdAt: Date;
  /** "2026-12-06 14:03:05" in the team's zone, made by the database (cheaper there than per row here). */
  localTime: string;
  projectId: string;
  projectName: string;
  userId: string;
  userName: string;
  modelId: string;
  modelName: string;
  outputType: string;
  tier: string | null;
  quantity: number;
  stage: string;
  purpose: string;
  state: string;
  outcome: string | null;
  estimate: number;
  charged: number;
  refunded: number;
  overrun: boolean;
  overBudget: boolean;
  prompt: string;
  notes: string;
  externalId: string | null;
};

type RunRow = Omit<UsageRun, "projectName" | "userName">;

/**
 * The filter's runs past `after` in the chosen order (walking back, to newer pages, in the other order), `take` of
 * them, as `shape` makes each: named fields for a page, or one JSON array of cell arrays for an export — a batch of
 * 10,000 then crosses the driver as one value read by JSON.parse, instead of a row object made per row by the client.
 */
function runQuery(team: Team, filter: UsageFilter, sort: RunSort, after: { key: number; id: string } | null, forward: boolean, take: number) {
  const order = RUN_ORDERS[sort];
  const descending = forward === order.descending;
  const keyset = after ? Prisma.sql` AND ${beyond(order.key, Prisma.sql`r."id"`, cursorValue(sort, after.key), after.id, !descending)}` : Prisma.empty;
  const direction = Prisma.raw(descending ? "DESC" : "ASC");
  const orderBy = Prisma.sql`${order.key} ${direction}, r."id" ${direction}`;
  return {
    rows: (fields: Prisma.Sql) => Prisma.sql`SELECT ${fields} FROM "Run" r WHERE ${runConditions(team, filter)}${keyset} ORDER BY ${orderBy} LIMIT ${take}`,
    cells: (cells: Prisma.Sql) => Prisma.sql`
      SELECT COALESCE(json_agg(json_build_array(${cells}, ${order.cursor}, r."id") ORDER BY ${orderBy}), '[]')::text AS "cells"
        FROM (SELECT * FROM "Run" r WHERE ${runConditions(team, filter)}${keyset} ORDER BY ${orderBy} LIMIT ${take}) r`,
  };
}

async function selectRuns(team: Team, filter: UsageFilter, sort: RunSort, after: { key: number; id: string } | null, forward: boolean, take: number, names: NameBook): Promise<UsageRun[]> {
  const rows = await db().$queryRaw<RunRow[]>(
    runQuery(team, filter, sort, after, forward, take).rows(Prisma.sql`r."id", r."createdAt",
      to_char((r."createdAt" AT TIME ZONE 'UTC') AT TIME ZONE ${team.timeZone}, 'YYYY-MM-DD HH24:MI:SS') AS "localTime",
      r."projectId", r."userId", r."modelId", r."modelName", r."outputType", r."tier", r."quantity", r."stage"::text AS "stage", r."purpose",
      r."state"::text AS "state", r."outcome"::text AS "outcome", r."estimate", COALESCE(r."actual", 0) AS "charged", r."refunded", r."overrun",
      r."overBudget", r."prompt", r."notes", r."externalId"`),
  );
  await names.learn(
    rows.map((row) => row.projectId),
    rows.map((row) => row.userId),
  );
  return rows.map((row) => ({ ...row, projectName: names.project(row.projectId)!, userName: names.person(row.userId)! }));
}

type CellIds = { projectAt: number; personAt: number };
type After = { key: number; id: string } | null;

/**
 * Rows of export cells, `size` at a time, from `query` (one JSON array of cell arrays per read, each ending in the
 * cursor: the key as a number, then the id). The `projectAt` and `personAt` cells hold ids and become names. The next
 * batch is read while the caller writes this one, so the database and the CSV writing overlap.
 */
async function* eachCellBatch(teamId: string, query: (after: After) => Prisma.Sql, ids: CellIds, size: number): AsyncGenerator<unknown[][]> {
  const names = new NameBook(teamId);
  const read = (after: After) => {
    const batch = db()
      .$queryRaw<{ cells: string }[]>(query(after))
      .then(([{ cells }]) => JSON.parse(cells) as unknown[][]);
    // Read ahead while the caller is paused on the last batch: a failure then is handled when it is awaited, not
    // reported meanwhile as an unhandled rejection (which would stop the server).
    batch.catch(() => undefined);
    return batch;
  };
  let next: Promise<unknown[][]> | null = read(null);
  while (next) {
    const rows: unknown[][] = await next;
    const last = rows.at(-1);
    next = rows.length === size && last ? read({ key: Number(last[last.length - 2]), id: String(last[last.length - 1]) }) : null;
    await names.learn(
      rows.map((row) => row[ids.projectAt] as string | null),
      rows.map((row) => row[ids.personAt] as string | null),
    );
    for (const row of rows) {
      row.length -= 2;
      row[ids.projectAt] = spreadsheetText(names.project(row[ids.projectAt] as string | null) ?? "");
      row[ids.personAt] = spreadsheetText(names.person(row[ids.personAt] as string | null) ?? "");
    }
    yield rows;
  }
}

/** Every run of the filter in the chosen order as rows of `cells` (SQL over `r`, in the export's column order). */
export function eachRunCells(team: Team, filter: UsageFilter, sort: RunSort, cells: Prisma.Sql, ids: CellIds, size = EXPORT_BATCH) {
  return eachCellBatch(team.id, (after) => runQuery(team, filter, sort, after, true, size).cells(cells), ids, size);
}

/** One page of the filter's runs in the chosen order, with the cursors of the pages either side. */
export async function listUsageRuns(team: Team, filter: UsageFilter, sort: RunSort, cursor: UsageCursor | null) {
  const order = RUN_ORDERS[sort];
  const keyOf = (row: UsageRun) => encodeUsageCursor(order.value(row), row.id);
  const names = new NameBook(team.id);
  if (cursor?.direction === "newer") {
    const back = await selectRuns(team, filter, sort, cursor, false, USAGE_PAGE_SIZE + 1, names);
    if (back.length > USAGE_PAGE_SIZE) {
      const runs = back.slice(0, USAGE_PAGE_SIZE).reverse();
      return { runs, newer: keyOf(runs[0]), older: keyOf(runs[runs.length - 1]) };
    }
    // Less than a page before the cursor: that is the first page.
    cursor = null;
  }
  const rows = await selectRuns(team, filter, sort, cursor, true, USAGE_PAGE_SIZE + 1, names);
  const runs = rows.slice(0, USAGE_PAGE_SIZE);
  return {
    runs,
    newer: cursor && runs.length ? keyOf(runs[0]) : null,
    older: rows.length > USAGE_PAGE_SIZE ? keyOf(runs[runs.length - 1]) : null,
  };
}

/** The filter as conditions on ledger entries `e` joined to their run `r` (if any). */
function entryConditions(team: Team, filter: UsageFilter): Prisma.Sql {
  const conditions: Prisma.Sql[] = [
    Prisma.sql`e."teamId" = ${team.id}`,
    Prisma.sql`e."createdAt" >= ${startOfDayIn(filter.from, team.timeZone).toISOString()}::timestamp`,
    Prisma.sql`e."createdAt" < ${endOfDayIn(filter.to, team.timeZone).toISOString()}::timestamp`,
  ];
  if (filter.project) conditions.push(Prisma.sql`e."projectId" = ${filter.project}`);
  // A run's entries belong to the person whose run it is, whoever settled it; other entries to who made them.
  if (filter.member) conditions.push(Prisma.sql`COALESCE(r."userId", e."actorId") = ${filter.member}`);
  // With any filter only a run has, only the entries of matching runs.
  const runOnly = runOnlyConditions(team, filter);
  if (runOnly.length > 0) conditions.push(Prisma.sql`r."id" IS NOT NULL`, ...runOnly);
  return Prisma.join(conditions, " AND ");
}

export type UsageEntry = {
  id: bigint;
  createdAt: Date;
  localTime: string;
  kind: string;
  amount: number;
  heldDelta: number;
  balanceAfter: number;
  heldAfter: number;
  availableAfter: number;
  projectId: string | null;
  projectName: string | null;
  /** The person whose run it is, or who made the entry. */
  personId: string | null;
  personName: string | null;
  runId: string | null;
  modelName: string | null;
  reason: string;
};

type EntryRow = Omit<UsageEntry, "projectName" | "personName">;

/** The filter's ledger entries past `after`, newest first (walking back to newer pages, oldest first), as rows or export cells. */
function entryQuery(team: Team, filter: UsageFilter, after: { key: number; id: bigint } | null, forward: boolean, take: number) {
  const descending = forward;
  const keyset = after
    ? Prisma.sql` AND ${beyond(Prisma.sql`e."createdAt"`, Prisma.sql`e."id"`, Prisma.sql`${new Date(after.key).toISOString()}::timestamp`, after.id, !descending)}`
    : Prisma.empty;
  const direction = Prisma.raw(descending ? "DESC" : "ASC");
  const orderBy = Prisma.sql`e."createdAt" ${direction}, e."id" ${direction}`;
  const from = Prisma.sql`FROM "LedgerEntry" e LEFT JOIN "Run" r ON r."id" = e."runId" WHERE ${entryConditions(team, filter)}${keyset}`;
  return {
    rows: (fields: Prisma.Sql) => Prisma.sql`SELECT ${fields} ${from} ORDER BY ${orderBy} LIMIT ${take}`,
    cells: (cells: Prisma.Sql) => Prisma.sql`
      SELECT COALESCE(json_agg(json_build_array(${cells}, (extract(epoch FROM e."createdAt") * 1000)::bigint, e."id"::text) ORDER BY ${orderBy}), '[]')::text AS "cells"
        FROM (SELECT e.*, r."userId" AS "runUserId", r."modelName" ${from} ORDER BY ${orderBy} LIMIT ${take}) e`,
  };
}

async function selectEntries(team: Team, filter: UsageFilter, after: { key: number; id: bigint } | null, forward: boolean, take: number, names: NameBook): Promise<UsageEntry[]> {
  const rows = await db().$queryRaw<EntryRow[]>(
    entryQuery(team, filter, after, forward, take).rows(Prisma.sql`e."id", e."createdAt",
      to_char((e."createdAt" AT TIME ZONE 'UTC') AT TIME ZONE ${team.timeZone}, 'YYYY-MM-DD HH24:MI:SS') AS "localTime",
      e."kind"::text AS "kind", e."amount", e."heldDelta", e."balanceAfter", e."heldAfter", e."availableAfter",
      e."projectId", COALESCE(r."userId", e."actorId") AS "personId", e."runId", r."modelName", e."reason"`),
  );
  await names.learn(
    rows.map((row) => row.projectId),
    rows.map((row) => row.personId),
  );
  return rows.map((row) => ({ ...row, projectName: names.project(row.projectId), personName: names.person(row.personId) }));
}

/** One page of the filter's ledger entries, newest first, each with the balance after it. */
export async function listUsageEntries(team: Team, filter: UsageFilter, cursor: UsageCursor | null) {
  const keyOf = (entry: UsageEntry) => encodeUsageCursor(entry.createdAt.getTime(), entry.id);
  const parsed = cursor && /^\d{1,19}$/.test(cursor.id) ? { key: cursor.key, id: BigInt(cursor.id) } : null;
  const names = new NameBook(team.id);
  if (cursor?.direction === "newer" && parsed) {
    const back = await selectEntries(team, filter, parsed, false, USAGE_PAGE_SIZE + 1, names);
    if (back.length > USAGE_PAGE_SIZE) {
      const entries = back.slice(0, USAGE_PAGE_SIZE).reverse();
      return { entries, newer: keyOf(entries[0]), older: keyOf(entries[entries.length - 1]) };
    }
  }
  const start = cursor?.direction === "older" ? parsed : null;
  const rows = await selectEntries(team, filter, start, true, USAGE_PAGE_SIZE + 1, names);
  const entries = rows.slice(0, USAGE_PAGE_SIZE);
  return {
    entries,
    newer: start && entries.length ? keyOf(entries[0]) : null,
    older: rows.length > USAGE_PAGE_SIZE ? keyOf(entries[entries.length - 1]) : null,
  };
}

/** Every ledger entry of the filter, newest first, as rows of `cells` (SQL over `e`, with the run's "runUserId" and "modelName"). */
export function eachEntryCells(team: Team, filter: UsageFilter, cells: Prisma.Sql, ids: CellIds, size = EXPORT_BATCH) {
  const query = (after: After) => entryQuery(team, filter, after && { key: after.key, id: BigInt(after.id) }, true, size).cells(cells);
  return eachCellBatch(team.id, query, ids, size);
}
