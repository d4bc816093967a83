// Reads of apps: the catalog (published first) with each app's cost per run by the price list in force, the range its
// inputs allow, and how it has done — runs, accepted share, credits, credits per accepted output, last use.
import "server-only";
import { appNow } from "@/lib/clock";
import { Prisma } from "@/lib/db/generated/client";
import { db } from "@/lib/db/client";
import type { TransactionClient } from "@/lib/db/transaction";
import { priceListInForce } from "@/lib/price-lists/queries";
import type { OutputType } from "@/lib/pricing/types";
import type { Purpose } from "@/lib/recommendations/types";
import { appCostRange, appRunCost, defaultValues, type AppDefinition, type AppInput } from "./rules";

/**
 * How an app has done (tests not counted): its runs started (each a batch), the outputs they asked for, the
 * generations recorded against those outputs that were settled and accepted, what they were charged after refunds,
 * that per accepted output, and who started the newest run, when.
 */
export type AppUse = {
  runs: number;
  outputs: number;
  settled: number;
  accepted: number;
  credits: number;
  perAccepted: number | null;
  lastUsedAt: Date | null;
  lastUsedBy: string | null;
};

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
  draft: { id: string; version: number; authorId: string; acceptedTestRuns: number } | null;
  /** Of the version in use (the published one, else the draft), by the price list in force: null when it cannot be priced. */
  cost: { priceListVersion: number; perRun: number; min: number; max: number } | null;
  /** What a person chooses when running the version in use (the published one, else the draft); none without one. */
  inputs: AppInput[];
  use: AppUse;
};

/** Whose runs an app's use counts: the whole team's, or one project's (what a key limited to one project may read). */
export type AppUseScope = { projectId?: string | null };

/**
 * A run that makes an output: the final on the item's first step, at its settings (a run's settings are resolved, so
 * they hold the plan's). Tool steps recorded against the item add to what
 * it cost, not to how many outputs were made or accepted.
 */
const MAKES_OUTPUT = Prisma.sql`r."stage" = 'final' AND r."modelId" = i."plan" -> 'finals' ->> 'modelId'
  AND r."settings" @> COALESCE(i."plan" -> 'finals' -> 'settings', '{}'::jsonb)`;

/** Each app's use (AppUse), from its batches that are not tests and the runs recorded against their items. */
async function appUse(teamId: string, appIds: string[], scope: AppUseScope = {}): Promise<Map<string, AppUse>> {
  if (appIds.length === 0) return new Map();
  const projectId = scope.projectId || null;
  const rows = await db().$queryRaw<
    { appId: string; runs: bigint; outputs: bigint; settled: bigint; accepted: bigint; credits: bigint | null; lastUsedAt: Date | null; lastUsedBy: string | null }[]
  >`
    WITH started AS (
      SELECT v."appId", b."id", b."createdAt", b."createdById"
        FROM "AppVersion" v
        JOIN "Batch" b ON b."appVersionId" = v."id" AND b."teamId" = v."teamId" AND NOT b."appTest"
                      AND (${projectId}::text IS NULL OR b."projectId" = ${projectId}::text)
       WHERE v."teamId" = ${teamId} AND v."appId" = ANY(${appIds}::text[])
    ), made AS (
      SELECT s."appId",
             COUNT(r."id") FILTER (WHERE r."state" = 'settled' AND ${MAKES_OUTPUT}) AS "settled",
             COUNT(r."id") FILTER (WHERE r."state" = 'settled' AND r."outcome" = 'accepted' AND ${MAKES_OUTPUT}) AS "accepted",
             SUM(COALESCE(r."actual", 0) - r."refunded") FILTER (WHERE r."state" = 'settled') AS "credits"
        FROM started s
        JOIN "BatchItem" i ON i."batchId" = s."id"
        JOIN "Run" r ON r."batchItemId" = i."id" AND r."teamId" = ${teamId}
       GROUP BY s."appId"
    )
    SELECT s."appId",
           COUNT(DISTINCT s."id") AS "runs",
           (SELECT COUNT(*) FROM "BatchItem" i WHERE i."batchId" IN (SELECT t."id" FROM started t WHERE t."appId" = s."appId")) AS "outputs",
           COALESCE(MAX(m."settled"), 0) AS "settled",
           COALESCE(MAX(m."accepted"), 0) AS "accepted",
           MAX(m."credits") AS "credits",
           MAX(s."createdAt") AS "lastUsedAt",
           (ARRAY_AGG(u."name" ORDER BY s."createdAt" DESC))[1] AS "lastUsedBy"
      FROM started s
      LEFT JOIN made m ON m."appId" = s."appId"
      LEFT JOIN "User" u ON u."id" = s."createdById"
     GROUP BY s."appId"`;
  return new Map(
    rows.map((row) => {
      const accepted = Number(row.accepted);
      const credits = Number(row.credits ?? 0);
      return [
        row.appId,
        {
          runs: Number(row.runs),
          outputs: Number(row.outputs),
          settled: Number(row.settled),
          accepted,
          credits,
          perAccepted: accepted > 0 ? Math.ceil(credits / accepted) : null,
          lastUsedAt: row.lastUsedAt,
          lastUsedBy: row.lastUsedBy,
        },
      ];
    }),
  );
}

/**
 * Accepted test runs of versions: settled, accepted final runs of the items of their test batches, each made by the
 * person who started the test, on the model the item's plan (the app's first step) names — counted from the ledger's
 * runs, never from a form's figure. Items of an app's batch cannot be added or re-planned by hand.
 */
export async function acceptedTestRuns(teamId: string, versionIds: string[], reader: Pick<TransactionClient, "$queryRaw"> = db()): Promise<Map<string, number>> {
  if (versionIds.length === 0) return new Map();
  const rows = await reader.$queryRaw<{ versionId: string; accepted: bigint }[]>`
    SELECT b."appVersionId" AS "versionId", COUNT(*) AS "accepted"
      FROM "Batch" b
      JOIN "BatchItem" i ON i."batchId" = b."id"
      JOIN "Run" r ON r."batchItemId" = i."id" AND r."teamId" = b."teamId"
     WHERE b."teamId" = ${teamId} AND b."appTest" AND b."appVersionId" = ANY(${versionIds}::text[])
       AND r."state" = 'settled' AND r."outcome" = 'accepted' AND ${MAKES_OUTPUT} AND r."userId" = b."createdById"
     GROUP BY b."appVersionId"`;
  return new Map(rows.map((row) => [row.versionId, Number(row.accepted)]));
}

const NO_USE: AppUse = { runs: 0, outputs: 0, settled: 0, accepted: 0, credits: 0, perAccepted: null, lastUsedAt: null, lastUsedBy: null };

/** The team's apps: published and in use first, then drafts, then retired ones; each by name. */
export async function listApps(teamId: string, now = appNow(), scope: AppUseScope = {}): Promise<AppSummary[]> {
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
  const drafts = apps.flatMap((app) => app.versions.filter((version) => version.state === "draft").map((version) => version.id));
  const [use, tested] = await Promise.all([appUse(teamId, apps.map((app) => app.id), scope), acceptedTestRuns(teamId, drafts)]);
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
      draft: draft && { id: draft.id, version: draft.version, authorId: draft.authorId, acceptedTestRuns: tested.get(draft.id) ?? 0 },
      cost,
      inputs: inUse ? (inUse.definition as AppDefinition).inputs : [],
      use: use.get(app.id) ?? NO_USE,
    };
  });
  const rank = (app: AppSummary) => (app.retired ? 2 : app.published ? 0 : 1);
  return summaries.sort((a, b) => rank(a) - rank(b));
}

export type AppVersionView = {
  id: string;
  version: number;
  state: "draft" | "published" | "superseded";
  definition: AppDefinition;
  author: { id: string; name: string };
  createdAt: Date;
  publishedAt: Date | null;
  publishedBy: string | null;
  /** Settled, accepted runs of its test batches: what publishing counts. */
  acceptedTestRuns: number;
  /** Test batches made of it: a draft nobody has tested is changed in place. */
  testBatches: number;
};

export type AppBatchView = {
  id: string;
  name: string;
  version: number;
  test: boolean;
  projectId: string;
  projectName: string;
  createdAt: Date;
  createdBy: string | null;
  items: number;
  runs: number;
  accepted: number;
  /** Settled runs' charges after refunds, plus what is held. */
  spent: number;
};

/** How many of an app's batches its page lists, newest first (its totals count every run). */
export const APP_BATCHES_SHOWN = 50;

/**
 * One app for its page: every version (newest first) with its author and accepted test runs, the batches that ran it
 * (tests and runs, newest first) with their runs' figures, how it has done, and what the team requires to publish.
 * Scoped to one project, the batches and the use are that project's only.
 */
export async function getApp(teamId: string, appId: string, scope: AppUseScope = {}) {
  const app = await db().app.findFirst({
    where: { id: appId, teamId },
    select: {
      id: true,
      name: true,
      description: true,
      outputType: true,
      purpose: true,
      createdAt: true,
      retiredAt: true,
      createdBy: { select: { name: true } },
      team: { select: { appTestRuns: true } },
      versions: {
        orderBy: { version: "desc" },
        select: {
          id: true,
          version: true,
          state: true,
          definition: true,
          createdAt: true,
          publishedAt: true,
          publishedById: true,
          author: { select: { id: true, name: true } },
          _count: { select: { batches: { where: { appTest: true } } } },
        },
      },
    },
  });
  if (!app) return null;
  const versionIds = app.versions.map((version) => version.id);
  const [batches, accepted, use] = await Promise.all([
    db().batch.findMany({
      where: { teamId, appVersionId: { in: versionIds }, ...(scope.projectId ? { projectId: scope.projectId } : {}) },
      orderBy: { createdAt: "desc" },
      take: APP_BATCHES_SHOWN,
      select: {
        id: true,
        name: true,
        appTest: true,
        appVersionId: true,
        createdAt: true,
        createdById: true,
        project: { select: { id: true, name: true } },
        _count: { select: { items: true } },
      },
    }),
    acceptedTestRuns(teamId, versionIds),
    appUse(teamId, [app.id], scope),
  ]);
  // Per batch: its runs' count, accepted ones and credits (settled after refunds, held at their estimate).
  const runFigures = await db().$queryRaw<{ batchId: string; runs: bigint; accepted: bigint; spent: bigint | null }[]>`
    SELECT i."batchId",
           COUNT(r."id") FILTER (WHERE ${MAKES_OUTPUT}) AS "runs",
           COUNT(r."id") FILTER (WHERE r."state" = 'settled' AND r."outcome" = 'accepted' AND ${MAKES_OUTPUT}) AS "accepted",
           SUM(CASE WHEN r."state" = 'settled' THEN COALESCE(r."actual", 0) - r."refunded" WHEN r."state" = 'held' THEN r."estimate" ELSE 0 END) AS "spent"
      FROM "BatchItem" i
      JOIN "Run" r ON r."batchItemId" = i."id" AND r."teamId" = i."teamId"
     WHERE i."teamId" = ${teamId} AND i."batchId" = ANY(${batches.map((batch) => batch.id)}::text[])
     GROUP BY i."batchId"`;
  const figures = new Map(runFigures.map((row) => [row.batchId, row]));
  const peopleIds = [...new Set([...batches.map((batch) => batch.createdById), ...app.versions.map((version) => version.publishedById)].filter((id): id is string => id !== null))];
  const people = new Map((await db().user.findMany({ where: { id: { in: peopleIds } }, select: { id: true, name: true } })).map((user) => [user.id, user.name]));
  const numberOf = new Map(app.versions.map((version) => [version.id, version.version]));
  const versions: AppVersionView[] = app.versions.map((version) => ({
    id: version.id,
    version: version.version,
    state: version.state,
    definition: version.definition as AppDefinition,
    author: version.author,
    createdAt: version.createdAt,
    publishedAt: version.publishedAt,
    publishedBy: version.publishedById ? (people.get(version.publishedById) ?? null) : null,
    acceptedTestRuns: accepted.get(version.id) ?? 0,
    testBatches: version._count.batches,
  }));
  return {
    app: {
      id: app.id,
      name: app.name,
      description: app.description,
      outputType: app.outputType as OutputType,
      purpose: app.purpose as Purpose,
      createdAt: app.createdAt,
      createdBy: app.createdBy.name,
      retiredAt: app.retiredAt,
    },
    requiredTestRuns: app.team.appTestRuns,
    versions,
    published: versions.find((version) => version.state === "published") ?? null,
    draft: versions.find((version) => version.state === "draft") ?? null,
    batches: batches.map((batch): AppBatchView => {
      const row = figures.get(batch.id);
      return {
        id: batch.id,
        name: batch.name,
        version: batch.appVersionId ? (numberOf.get(batch.appVersionId) ?? 0) : 0,
        test: batch.appTest,
        projectId: batch.project.id,
        projectName: batch.project.name,
        createdAt: batch.createdAt,
        createdBy: batch.createdById ? (people.get(batch.createdById) ?? null) : null,
        items: batch._count.items,
        runs: Number(row?.runs ?? 0),
        accepted: Number(row?.accepted ?? 0),
        spent: Number(row?.spent ?? 0),
      };
    }),
    use: use.get(app.id) ?? NO_USE,
  };
}

export type AppDetail = NonNullable<Awaited<ReturnType<typeof getApp>>>;

/** How many accepted test runs the team asks of an app version before it is published. */
export async function requiredTestRuns(teamId: string): Promise<number> {
  const team = await db().team.findUniqueOrThrow({ where: { id: teamId }, select: { appTestRuns: true } });
  return team.appTestRuns;
}
