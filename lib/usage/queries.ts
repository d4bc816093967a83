// Reads of the Usage area: the team's directory for its filter, totals, chart series, members, and pages of runs and ledger entries for a filter.
import "server-only";
import { Prisma } from "@/lib/db/generated/client";
import { db } from "@/lib/db/client";
import { endOfDayIn, startOfDayIn } from "@/lib/ledger/dates";
import { listMemberLimits } from "@/lib/ledger/queries";
import { priceListInForce } from "@/lib/price-lists/queries";
import { firstValue, type UrlQuery } from "@/lib/url-query";
import { NO_OUTCOME, type ChartBucket, type ChartStack, type UsageDirectory, type UsageFilter } from "./filters";

type Team = { id: string; timeZone: string };

/**
 * The team's projects, people, models and batches: what the filter may name, with the names to show. The batch list
 * holds the newest 500, and the batch the URL names if it is an older one of this team.
 */
export async function usageDirectory(team: Team, now: Date, query: UrlQuery = {}) {
  const asked = firstValue(query.batch);
  const [projects, memberships, priceList, newest, older] = await Promise.all([
    db().project.findMany({ where: { teamId: team.id }, orderBy: [{ archivedAt: { sort: "desc", nulls: "first" } }, { name: "asc" }], select: { id: true, name: true, archivedAt: true } }),
    db().membership.findMany({ where: { teamId: team.id }, orderBy: { user: { name: "asc" } }, select: { role: true, user: { select: { id: true, name: true } } } }),
    priceListInForce(team.id, now),
    db().batch.findMany({ where: { teamId: team.id }, orderBy: { createdAt: "desc" }, take: 500, select: { id: true, name: true } }),
    asked ? db().batch.findFirst({ where: { id: asked, teamId: team.id }, select: { id: true, name: true } }) : null,
  ]);
  const batches = older && !newest.some((batch) => batch.id === older.id) ? [...newest, older] : newest;
  const models = priceList.priceList.entries.map((entry) => ({ id: entry.id, name: entry.name, outputType: entry.outputType, tier: entry.tier }));
  const people = memberships.map((membership) => ({ id: membership.user.id, name: membership.user.name, role: membership.role }));
  const directory: UsageDirectory = {
    projects: new Set(projects.map((project) => project.id)),
    people: new Set(people.map((person) => person.id)),
    models: new Set(models.map((model) => model.id)),
    batches: new Set(batches.map((batch) => batch.id)),
  };
  return { directory, projects, people, models, batches };
}

/** The team's runs in the filter as rows shaped like its daily totals (UsageDay): the days table itself, or, for a batch, its runs. */
function usageRows(team: Team, filter: UsageFilter): Prisma.Sql {
  const conditions: Prisma.Sql[] = [];
  const column = (name: string) => Prisma.raw(`"${name}"`);
  const equal = (name: string, value: string | undefined) => {
    if (value !== undefined) conditions.push(Prisma.sql`${column(name)} = ${value}`);
  };
  if (filter.batch === undefined) {
    equal("projectId", filter.project);
    equal("userId", filter.member);
    equal("modelId", filter.model);
    equal("outputType", filter.type);
    equal("tier", filter.tier);
    if (filter.stage) conditions.push(Prisma.sql`"stage" = ${filter.stage}::"RunStage"`);
    if (filter.outcome) conditions.push(Prisma.sql`"outcome" = ${filter.outcome === NO_OUTCOME ? "" : filter.outcome}`);
    const extra = conditions.length ? Prisma.sql` AND ${Prisma.join(conditions, " AND ")}` : Prisma.empty;
    return Prisma.sql`SELECT * FROM "UsageDay" WHERE "teamId" = ${team.id} AND "day" BETWEEN ${filter.from}::date AND ${filter.to}::date${extra}`;
  }
  // A batch's runs are few (its items' runs, through the batchItemId index): counted from the runs themselves.
  return Prisma.sql`SELECT ((r."createdAt" AT TIME ZONE 'UTC') AT TIME ZONE ${team.timeZone})::date AS "day", r."projectId", r."userId",
      r."modelId", r."outputType", COALESCE(r."tier", '') AS "tier", r."stage", r."state", COALESCE(r."outcome"::text, '') AS "outcome",
      1 AS "runs", r."estimate"::bigint AS "estimate", COALESCE(r."actual", 0)::bigint AS "actual", r."refunded"::bigint AS "refunded",
      (CASE WHEN r."overrun" THEN 1 ELSE 0 END) AS "overruns"
    FROM "Run" r WHERE ${runConditions(team, filter)}`;
}

/** The filter's fields only a run has (model, type, tier, stage, outcome, batch) as conditions on `Run r`. */
export function runOnlyConditions(team: Team, filter: UsageFilter): Prisma.Sql[] {
  const conditions: Prisma.Sql[] = [];
  if (filter.model) conditions.push(Prisma.sql`r."modelId" = ${filter.model}`);
  if (filter.type) conditions.push(Prisma.sql`r."outputType" = ${filter.type}`);
  if (filter.tier) conditions.push(Prisma.sql`r."tier" = ${filter.tier}`);
  if (filter.stage) conditions.push(Prisma.sql`r."stage" = ${filter.stage}::"RunStage"`);
  if (filter.outcome === NO_OUTCOME) conditions.push(Prisma.sql`r."outcome" IS NULL`);
  else if (filter.outcome) conditions.push(Prisma.sql`r."outcome" = ${filter.outcome}::"RunOutcome"`);
  if (filter.batch) {
    conditions.push(Prisma.sql`r."batchItemId" IN (SELECT bi."id" FROM "BatchItem" bi WHERE bi."batchId" = ${filter.batch} AND bi."teamId" = ${team.id})`);
  }
  return conditions;
}

/** The filter as conditions on `Run r` (the runs table, its export and a batch's totals). */
export function runConditions(team: Team, filter: UsageFilter): Prisma.Sql {
  const conditions: Prisma.Sql[] = [
    Prisma.sql`r."teamId" = ${team.id}`,
    Prisma.sql`r."createdAt" >= ${startOfDayIn(filter.from, team.timeZone).toISOString()}::timestamp`,
    Prisma.sql`r."createdAt" < ${endOfDayIn(filter.to, team.timeZone).toISOString()}::timestamp`,
  ];
  if (filter.project) conditions.push(Prisma.sql`r."projectId" = ${filter.project}`);
  if (filter.member) conditions.push(Prisma.sql`r."userId" = ${filter.member}`);
  conditions.push(...runOnlyConditions(team, filter));
  return Prisma.join(conditions, " AND ");
}

export type UsageTotals = {
  runs: number;
  /** Credits the settled runs were charged, before refunds. */
  charged: number;
  refunded: number;
  /** Credits still held by runs in flight. */
  held: number;
  overruns: number;
  accepted: number;
  /** Runs with an outcome: the accepted share is of these. */
  decided: number;
  byStage: { test: number; draft: number; final: number };
};

const n = (value: bigint | number | null) => Number(value ?? 0);

const BUCKETS: Record<ChartBucket, Prisma.Sql> = {
  day: Prisma.sql`"day"`,
  week: Prisma.sql`date_trunc('week', "day")::date`,
  month: Prisma.sql`date_trunc('month', "day")::date`,
};
const STACKS: Record<ChartStack, Prisma.Sql> = {
  type: Prisma.sql`"outputType"`,
  project: Prisma.sql`"projectId"`,
  model: Prisma.sql`"modelId"`,
  member: Prisma.sql`"userId"`,
};

/** Net credits (charged less refunded), runs and outcomes of one key: a model, a stage, a member. */
export type UsageShare = { key: string; credits: number; runs: number; accepted: number; decided: number };

export type UsageSummary = {
  totals: UsageTotals;
  /** The chart's points: net credits per bucket of days and key of the stack. */
  series: { bucket: string; key: string; credits: number; runs: number }[];
  modelShares: UsageShare[];
  stageShares: UsageShare[];
  memberShares: UsageShare[];
};

type SummaryRow = {
  part: number;
  bucket: Date | null;
  key: string | null;
  runs: bigint | null;
  charged: bigint | null;
  refunded: bigint | null;
  held: bigint | null;
  overruns: bigint | null;
  accepted: bigint | null;
  decided: bigint | null;
  test: bigint | null;
  draft: bigint | null;
  final: bigint | null;
};

const bySpend = (a: UsageShare, b: UsageShare) => b.credits - a.credits || a.key.localeCompare(b.key);

/**
 * Everything the page counts for a filter in one pass over its daily totals (GROUPING SETS): the totals, the chart's
 * points, and the shares of each model, stage and member, largest spend first.
 */
export async function usageSummary(team: Team, filter: UsageFilter, by: ChartBucket, stack: ChartStack): Promise<UsageSummary> {
  const rows = await db().$queryRaw<SummaryRow[]>`
    SELECT GROUPING("modelId", "stage", "userId", bucket, stackKey)::int AS part,
        bucket, COALESCE("modelId", "stage"::text, "userId", stackKey) AS key,
        SUM("runs")::bigint AS runs, SUM("actual")::bigint AS charged, SUM("refunded")::bigint AS refunded,
        SUM("estimate") FILTER (WHERE "state" = 'held')::bigint AS held, SUM("overruns")::bigint AS overruns,
        SUM("runs") FILTER (WHERE "outcome" = 'accepted')::bigint AS accepted, SUM("runs") FILTER (WHERE "outcome" <> '')::bigint AS decided,
        SUM("actual") FILTER (WHERE "stage" = 'test')::bigint AS test, SUM("actual") FILTER (WHERE "stage" = 'draft')::bigint AS draft,
        SUM("actual") FILTER (WHERE "stage" = 'final')::bigint AS final
      FROM (SELECT u.*, ${BUCKETS[by]} AS bucket, ${STACKS[stack]} AS stackKey FROM (${usageRows(team, filter)}) u) u
      GROUP BY GROUPING SETS ((), ("modelId"), ("stage"), ("userId"), (bucket, stackKey))`;
  // GROUPING(model, stage, user, bucket, stackKey) as bits, the first argument highest: 1 where a column is not grouped.
  const PARTS = { totals: 0b11111, model: 0b01111, stage: 0b10111, member: 0b11011, series: 0b11100 };
  const share = (row: SummaryRow): UsageShare => ({
    key: row.key ?? "",
    credits: n(row.charged) - n(row.refunded),
    runs: n(row.runs),
    accepted: n(row.accepted),
    decided: n(row.decided),
  });
  const part = (bits: number) => rows.filter((row) => row.part === bits);
  const whole = part(PARTS.totals)[0];
  return {
    totals: {
      runs: n(whole?.runs ?? null),
      charged: n(whole?.charged ?? null),
      refunded: n(whole?.refunded ?? null),
      held: n(whole?.held ?? null),
      overruns: n(whole?.overruns ?? null),
      accepted: n(whole?.accepted ?? null),
      decided: n(whole?.decided ?? null),
      byStage: { test: n(whole?.test ?? null), draft: n(whole?.draft ?? null), final: n(whole?.final ?? null) },
    },
    series: part(PARTS.series)
      .map((row) => ({ bucket: row.bucket!.toISOString().slice(0, 10), key: row.key ?? "", credits: n(row.charged) - n(row.refunded), runs: n(row.runs) }))
      .sort((a, b) => a.bucket.localeCompare(b.bucket) || a.key.localeCompare(b.key)),
    modelShares: part(PARTS.model).map(share).sort(bySpend),
    stageShares: part(PARTS.stage).map(share).sort(bySpend),
    memberShares: part(PARTS.member).map(share).sort(bySpend),
  };
}

/** Each member's limit and use this period (as the Credits page counts them) beside their use in the filter (`use`, from usageSummary). */
export async function memberUsage(team: Team, filter: UsageFilter, use: UsageShare[], people: { id: string; name: string }[], now: Date) {
  const limits = await listMemberLimits(team, now);
  const useOf = new Map(use.map((row) => [row.key, row]));
  const names = new Map(people.map((person) => [person.id, person.name]));
  const ids = [...new Set([...people.map((person) => person.id), ...use.map((row) => row.key)])];
  return ids
    .map((id) => ({
      userId: id,
      name: names.get(id) ?? "Former member",
      use: useOf.get(id) ?? { key: id, credits: 0, runs: 0, accepted: 0, decided: 0 },
      limits: limits.filter((limit) => limit.user.id === id).map((limit) => ({ ...limit, remaining: Math.max(0, limit.credits - limit.used) })),
    }))
    .filter((row) => !filter.member || row.userId === filter.member)
    .sort((a, b) => b.use.credits - a.use.credits || a.name.localeCompare(b.name));
}
