// Reads of a team's price list versions: the one in force at a moment, the latest saved, and the history.
import "server-only";
import { DomainError } from "@/lib/authz/result";
import { MAX_CREDITS, runTooDear } from "@/lib/ledger/schema";
import { db } from "@/lib/db/client";
import type { TransactionClient } from "@/lib/db/transaction";
import { DEFAULT_PRICE_LIST, deepFreeze } from "@/lib/pricing/default-price-list";
import { estimateRun } from "@/lib/pricing/estimate";
import { priceListEntriesSchema } from "@/lib/pricing/schema";
import type { CatalogEntry, PriceList, RunInput } from "@/lib/pricing/types";
import { versionInForce } from "@/lib/pricing/versions";

/** Anything that can read versions: the process's client or a transaction (the ledger prices inside its own). */
export type PriceListReader = Pick<TransactionClient, "priceListVersion">;

export type Person = { name: string; email: string };

/** A version of a team's price list as the app uses it; version 0 is the default list no one saved. */
export type PriceListInForce = {
  version: number;
  /** Null for the default list, which no row holds. */
  id: string | null;
  /** Null for the default list: it applies from the beginning. */
  effectiveFrom: Date | null;
  priceList: PriceList;
  createdBy: Person | null;
};

/** The default list as version 0; copied, because callers may build on it and the original is frozen. */
function defaultVersion(): PriceListInForce {
  return { version: 0, id: null, effectiveFrom: null, priceList: structuredClone(DEFAULT_PRICE_LIST), createdBy: null };
}

/**
 * Entries as stored. Every row was validated before it was written, so a row that
 * fails now means the data was changed behind the app's back: fail loudly rather
 * than price with it.
 */
function readStoredEntries(entries: unknown, label: string): CatalogEntry[] {
  const parsed = priceListEntriesSchema.safeParse(entries);
  if (!parsed.success) throw new Error(`Stored price list ${label} is not a valid price list: ${parsed.error.issues[0]?.message}`);
  return parsed.data;
}

const personSelect = { select: { name: true, email: true } } as const;
const versionSelect = { id: true, version: true, effectiveFrom: true, entries: true, createdBy: personSelect } as const;

type VersionRow = { id: string; version: number; effectiveFrom: Date; entries: unknown; createdBy: Person | null };

function toVersion(row: VersionRow): PriceListInForce {
  return {
    version: row.version,
    id: row.id,
    effectiveFrom: row.effectiveFrom,
    priceList: { entries: readStoredEntries(row.entries, `version ${row.version}`) },
    createdBy: row.createdBy,
  };
}

// Saved versions never change, so each process keeps the ones it has read, frozen and shared;
// only which version is in force is asked each time. Admission prices every run through here.
const readVersions = new Map<string, PriceListInForce>();
const MAX_KEPT_VERSIONS = 500;
const DEFAULT_IN_FORCE: PriceListInForce = deepFreeze({ version: 0, id: null, effectiveFrom: null, priceList: DEFAULT_PRICE_LIST, createdBy: null });

/**
 * The version in force at `at` (default: now): the latest effective date at or before it, else
 * the default list. The answer is shared and frozen: build edits on `latestPriceListVersion`.
 */
export async function priceListInForce(
  teamId: string,
  at: Date = new Date(),
  reader: PriceListReader = db(),
): Promise<PriceListInForce> {
  // One row through the (teamId, effectiveFrom) index; ties go to the higher version, as in versionInForce.
  const chosen = await reader.priceListVersion.findFirst({
    where: { teamId, effectiveFrom: { lte: at } },
    orderBy: [{ effectiveFrom: "desc" }, { version: "desc" }],
    select: { id: true },
  });
  return priceListVersionById(chosen?.id ?? null, reader);
}

/**
 * A saved version by its id (as `priceListInForce` chose it, or a query of the caller's that chose it), from what
 * this process has read already when it can; null is the default list. Shared and frozen.
 */
export async function priceListVersionById(id: string | null, reader: PriceListReader = db()): Promise<PriceListInForce> {
  if (!id) return DEFAULT_IN_FORCE;
  const known = readVersions.get(id);
  if (known) return known;
  const version = deepFreeze(toVersion(await reader.priceListVersion.findUniqueOrThrow({ where: { id }, select: versionSelect })));
  if (readVersions.size >= MAX_KEPT_VERSIONS) readVersions.clear();
  readVersions.set(id, version);
  return version;
}

/** The highest-numbered version, whatever its date: new edits build on it. */
export async function latestPriceListVersion(teamId: string, reader: PriceListReader = db()): Promise<PriceListInForce> {
  const row = await reader.priceListVersion.findFirst({
    where: { teamId },
    orderBy: { version: "desc" },
    select: versionSelect,
  });
  return row ? toVersion(row) : defaultVersion();
}

/** One exact version, for export; version 0 is the default list. Null when the team has no such version. */
export async function priceListVersion(teamId: string, version: number): Promise<PriceListInForce | null> {
  if (version === 0) return defaultVersion();
  const row = await db().priceListVersion.findUnique({
    where: { teamId_version: { teamId, version } },
    select: versionSelect,
  });
  return row ? toVersion(row) : null;
}

export type PriceListHistoryItem = {
  id: string;
  version: number;
  effectiveFrom: Date;
  changes: string[];
  note: string;
  createdAt: Date;
  createdBy: Person | null;
};

function changeLines(changes: unknown): string[] {
  return Array.isArray(changes) ? changes.filter((line): line is string => typeof line === "string") : [];
}

/** Every saved version of the team, newest first (the default list, version 0, is not a row). */
export async function listPriceListVersions(teamId: string): Promise<PriceListHistoryItem[]> {
  const rows = await db().priceListVersion.findMany({
    where: { teamId },
    orderBy: { version: "desc" },
    select: { id: true, version: true, effectiveFrom: true, changes: true, note: true, createdAt: true, createdBy: personSelect },
  });
  return rows.map((row) => ({ ...row, changes: changeLines(row.changes) }));
}

export type ServerEstimate = {
  /** The price list version the figure comes from; estimates and charges record it. */
  version: number;
  modelId: string;
  credits: number;
  perUnit: number;
  quantity: number;
  settings: Record<string, string>;
  breakdown: string;
};

/** Prices a run with the version in force at `at`; a run that cannot be priced is refused at its field. */
export async function estimateRunInForce(teamId: string, run: RunInput, at: Date = new Date()): Promise<ServerEstimate> {
  const inForce = await priceListInForce(teamId, at);
  const estimate = estimateRun(inForce.priceList, run);
  if (!estimate.ok) {
    const { message, field } = estimate.error;
    throw new DomainError("invalid", message, { [field ?? "modelId"]: message });
  }
  const { credits, perUnit, quantity, settings, breakdown } = estimate;
  // What an admission would refuse, an estimate says too: no figure past what one run may cost.
  if (credits > MAX_CREDITS) {
    const message = runTooDear(credits);
    throw new DomainError("invalid", message, { quantity: message });
  }
  return { version: inForce.version, modelId: estimate.entry.id, credits, perUnit, quantity, settings, breakdown };
}

/**
 * The price list in force at any moment for one team, reading the list of versions once: for
 * pricing many runs of one team at many moments (played-back history, imports).
 */
export function priceListsOf(teamId: string, reader: PriceListReader = db()): (at: Date) => Promise<PriceListInForce> {
  let candidates: Promise<{ id: string; version: number; effectiveFrom: Date }[]> | undefined;
  return async (at) => {
    candidates ??= reader.priceListVersion.findMany({ where: { teamId }, select: { id: true, version: true, effectiveFrom: true } });
    const chosen = versionInForce(await candidates, at);
    if (!chosen) return DEFAULT_IN_FORCE;
    const known = readVersions.get(chosen.id);
    if (known) return known;
    const version = deepFreeze(toVersion(await reader.priceListVersion.findUniqueOrThrow({ where: { id: chosen.id }, select: versionSelect })));
    readVersions.set(chosen.id, version);
    return version;
  };
}
