// Writes to a team's price list: every change is a new version, numbered in turn, diffed and audited in one transaction.
import "server-only";
import { recordAudit } from "@/lib/audit/commands";
import { DomainError, fieldError } from "@/lib/authz/result";
import type { TeamContext } from "@/lib/authz/team";
import { db } from "@/lib/db/client";
import { isUniqueViolation } from "@/lib/db/errors";
import type { Prisma } from "@/lib/db/generated/client";
import { formatDateTime } from "@/lib/format";
import { diffPriceLists } from "@/lib/pricing/diff";
import { parsePriceListFile } from "@/lib/pricing/schema";
import type { CatalogEntry } from "@/lib/pricing/types";
import { latestPriceListVersion } from "./queries";
import {
  addEntry,
  applyEntryUpdate,
  checkEntries,
  resolveEffectiveFrom,
  type EffectiveInput,
  type EntryUpdate,
  type NewEntry,
  type Outcome,
} from "./rules";

export type SavedVersion = { version: number; effectiveFrom: Date; changes: string[]; scheduled: boolean };

type VersionChange = {
  /** Audit action: "price_list.saved" for form edits, "price_list.imported" for files. */
  action: "price_list.saved" | "price_list.imported";
  /** Builds the next entries from the latest version's; a refusal names the form field at fault. */
  build: (base: CatalogEntry[]) => Outcome<CatalogEntry[]>;
  effective: EffectiveInput;
  note: string;
  /** The form field that hears "nothing changed". */
  unchangedField: string;
};

function refuse(outcome: { field: string; message: string }): DomainError {
  return outcome.field === "form" ? new DomainError("invalid", outcome.message) : fieldError(outcome.field, outcome.message);
}

/**
 * Saves the next version. The base is the latest version by number, and a new
 * version may not take effect before it: otherwise the older-dated one would be
 * replaced by the later one on its date and its change silently undone.
 */
async function saveVersion(ctx: TeamContext, change: VersionChange): Promise<SavedVersion> {
  const { team, user } = ctx;
  try {
    return await db().$transaction(async (tx) => {
      // Saves of one team take turns here, so each numbers its version after the one before and diffs against it.
      await tx.$queryRaw`SELECT 1 FROM "Team" WHERE "id" = ${team.id} FOR NO KEY UPDATE`;
      const now = new Date();
      const effective = resolveEffectiveFrom(change.effective, team.timeZone, now);
      if (!effective.ok) throw refuse(effective);
      const latest = await latestPriceListVersion(team.id, tx);
      if (latest.effectiveFrom && effective.value < latest.effectiveFrom) {
        throw fieldError(
          change.effective.effective === "now" ? "effective" : "effectiveAt",
          `Version ${latest.version} is scheduled to take effect on ${formatDateTime(latest.effectiveFrom, team.timeZone)}; ` +
            "a new version cannot start before it. Choose that moment or later.",
        );
      }

      const built = change.build(latest.priceList.entries);
      if (!built.ok) throw refuse(built);
      const checked = checkEntries(built.value);
      if (!checked.ok) throw refuse(checked);
      const changes = diffPriceLists(latest.priceList, { entries: checked.value });
      if (changes.length === 0) {
        throw refuse({
          field: change.unchangedField,
          message: `Nothing to save: this is the same as version ${latest.version}. Change a price or a setting first.`,
        });
      }

      const version = latest.version + 1;
      const row = await tx.priceListVersion.create({
        data: {
          teamId: team.id,
          version,
          effectiveFrom: effective.value,
          entries: checked.value as unknown as Prisma.InputJsonArray,
          changes,
          note: change.note,
          createdById: user.id,
        },
        select: { id: true },
      });
      const scheduled = effective.value > now;
      await recordAudit(tx, {
        teamId: team.id,
        actorId: user.id,
        action: change.action,
        targetType: "price_list_version",
        targetId: row.id,
        details: { version, effectiveFrom: effective.value.toISOString(), scheduled, changes, note: change.note },
      });
      return { version, effectiveFrom: effective.value, changes, scheduled };
    });
  } catch (error) {
    // Only if two saves slipped past the team lock (it holds on PostgreSQL and PGlite alike).
    if (isUniqueViolation(error)) throw new DomainError("conflict", "Someone saved the price list at the same moment; please save again.");
    throw error;
  }
}

type VersionOptions = { effective: EffectiveInput; note: string };

/** Changes one entry: credits, tier, status, unit, use, note, minimum charge and factors. */
export async function updatePriceEntry(ctx: TeamContext, update: EntryUpdate, options: VersionOptions): Promise<SavedVersion> {
  return saveVersion(ctx, {
    action: "price_list.saved",
    build: (base) => applyEntryUpdate(base, update),
    unchangedField: "form",
    ...options,
  });
}

/** Adds a custom model or tool. */
export async function addPriceEntry(ctx: TeamContext, entry: NewEntry, options: VersionOptions): Promise<SavedVersion> {
  return saveVersion(ctx, {
    action: "price_list.saved",
    build: (base) => addEntry(base, entry),
    unchangedField: "form",
    ...options,
  });
}

/** Replaces the whole list with an imported file; a bad file is refused with its line, and nothing is stored. */
export async function importPriceList(ctx: TeamContext, json: string, options: VersionOptions): Promise<SavedVersion> {
  const parsed = parsePriceListFile(json);
  if (!parsed.ok) {
    const { message, line, column } = parsed.error;
    const where = line === undefined ? "" : column === undefined ? `Line ${line}: ` : `Line ${line}, column ${column}: `;
    throw fieldError("json", `${where}${message}`);
  }
  return saveVersion(ctx, {
    action: "price_list.imported",
    build: () => ({ ok: true, value: parsed.priceList.entries }),
    unchangedField: "json",
    ...options,
  });
}
