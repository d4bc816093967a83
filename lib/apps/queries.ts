// Reads of apps: the catalog (published first) with each app's cost per run by the price list in force, the range its
// inputs allow, and how it has done — runs, accepted share, credits, credits per accepted output, last use.
import "server-only";
import { db } from "@/lib/db/client";
import { priceListInForce } from "@/lib/price-lists/queries";
import { appCostRange, appRunCost, defaultValues, type AppDefinition } from "./rules";

export type AppUse = { runs: number; accepted: number; credits: number; perAccepted: number | null; lastUsedAt: Date | null; lastUsedBy: string | null };

export type AppSummary = {
  id: string;
  name: string;
  description: string;
  outputType: string;
  purpose: string;
  retired: boolean;
  /** The version a member runs, if one is published. */
  published: { id: string; version: number } | null;
  /** The newest draft, if there is one. */
  draft: { id: string; version: number; authorId: string } | null;
  /** Of the version in use (the published one, else the draft), by the price list in force: null when it cannot be priced. */
  cost: { priceListVersion: number; perRun: number; min: number; max: number } | null;
  use: AppUse;
};

/**
 * How the app's runs have done: the runs of the items of its batches that are not tests — their count, the share
 * accepted, what they were charged after refunds, that per accepted output, and the newest with who ran it.
 */
async function appUse(teamId: string, appIds: string[]): Promise<Map<string, AppUse>> {
  if (appIds.length === 0) return new Map();
  const rows = await db().$queryRaw<{ appId: string; runs: bigint; accepted: bigint; credits: bigint | null; lastUsedAt: Date | null; lastUsedBy: string | null }[]>`
    SELECT v."appId",
           COUNT(r."id") AS "runs",
           COUNT(r."id") FILTER (WHERE r."outcome" = 'accepted') AS "accepted",
           SUM(COALESCE(r."actual", 0) - r."refunded") FILTER (WHERE r."state" = 'settled') AS "credits",
           MAX(r."createdAt") AS "lastUsedAt",
           (ARRAY_AGG(u."name" ORDER BY r."createdAt" DESC))[1] AS "lastUsedBy"
      FROM "AppVersion" v
      JOIN "Batch" b ON b."appVersionId" = v."id" AND b."teamId" = v."teamId" AND NOT b."appTest"
      JOIN "BatchItem" i ON i."batchId" = b."id"
      JOIN "Run" r ON r."batchItemId" = i."id" AND r."teamId" = v."teamId"
      JOIN "User" u ON u."id" = r."userId"
     WHERE v."teamId" = ${teamId} AND v."appId" = ANY(${appIds}::text[])
     GROUP BY v."appId"`;
  return new Map(
    rows.map((row) => {
      const accepted = Number(row.accepted);
      const credits = Number(row.credits ?? 0);
      return [row.appId, { runs: Number(row.runs), accepted, credits, perAccepted: accepted > 0 ? Math.ceil(credits / accepted) : null, lastUsedAt: row.lastUsedAt, lastUsedBy: row.lastUsedBy }];
    }),
  );
}

const NO_USE: AppUse = { runs: 0, accepted: 0, credits: 0, perAccepted: null, lastUsedAt: null, lastUsedBy: null };

/** The team's apps: published and in use first, then drafts, then retired ones; each by name. */
export async function listApps(teamId: string, now = new Date()): Promise<AppSummary[]> {
  const [apps, inForce] = await Promise.all([
    db().app.findMany({
      where: { teamId },
      orderBy: { name: "asc" },
      select: {
        id: true,
        name: true,
        description: true,
        outputType: true,
        purpose: true,
        retiredAt: true,
        versions: { where: { state: { in: ["draft", "published"] } }, orderBy: { version: "desc" }, select: { id: true, version: true, state: true, authorId: true, definition: true } },
      },
    }),
    priceListInForce(teamId, now),
  ]);
  const use = await appUse(teamId, apps.map((app) => app.id));
  const summaries = apps.map((app): AppSummary => {
    const published = app.versions.find((version) => version.state === "published") ?? null;
    const draft = app.versions.find((version) => version.state === "draft") ?? null;
    const inUse = published ?? draft;
    let cost: AppSummary["cost"] = null;
    if (inUse) {
      const definition = inUse.definition as AppDefinition;
      const perRun = appRunCost(inForce.priceList, definition, defaultValues(definition));
      const range = appCostRange(inForce.priceList, definition);
      if (perRun.ok && range.ok) cost = { priceListVersion: inForce.version, perRun: perRun.credits, min: range.min, max: range.max };
    }
    return {
      id: app.id,
      name: app.name,
      description: app.description,
      outputType: app.outputType,
      purpose: app.purpose,
      retired: app.retiredAt !== null,
      published: published && { id: published.id, version: published.version },
      draft: draft && { id: draft.id, version: draft.version, authorId: draft.authorId },
      cost,
      use: use.get(app.id) ?? NO_USE,
    };
  });
  const rank = (app: AppSummary) => (app.retired ? 2 : app.published ? 0 : 1);
  return summaries.sort((a, b) => rank(a) - rank(b));
}
