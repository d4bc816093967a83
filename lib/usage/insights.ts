// Reads what the insights from history need for a team and a scope (dates, project, member), set-based, and hands them
// to the pure rules (lib/recommendations/history): the daily totals (UsageDay) for everything they can answer, the runs
// only for prompts and for what a price depends on (settings, quantity, price list version).
import "server-only";
import { appNow } from "@/lib/clock";
import { db } from "@/lib/db/client";
import { Prisma } from "@/lib/db/generated/client";
import { endOfDayIn, startOfDayIn } from "@/lib/ledger/dates";
import { creditSummary, currentUse } from "@/lib/ledger/queries";
import { periodAt, type WeekStart } from "@/lib/ledger/periods";
import { latestPriceListVersion, priceListVersion } from "@/lib/price-lists/queries";
import type { PriceList } from "@/lib/pricing/types";
import {
  LISTED,
  TRAILING_DAYS,
  addDays,
  dayIn,
  forecast as forecastOf,
  historyInsights as insightsOf,
  type DayCharge,
  type Forecast,
  type HistoryInsights,
  type Outcome,
  type PromptStat,
  type RunGroup,
  type Stage,
  type UsageRow,
} from "@/lib/recommendations/history";

/** What the insights cover: instants (the Usage page passes its filter's days as the instants they begin and end), and optionally one project or member. */
export type InsightScope = { from: Date; to: Date; projectId?: string; userId?: string };

type TeamRef = { id: string; timeZone: string };

/** The insights of a scope, with the forecast as of now and the names of the people they mention. */
export type HistoryView = {
  insights: HistoryInsights;
  forecast: Forecast;
  /** userId → name, for every person the insights name. */
  people: Record<string, string>;
  timeZone: string;
};

// The SQL's prompt key is normalizePrompt's: white space runs as one space, trimmed, lower-case.
const PROMPT_KEY = Prisma.sql`lower(btrim(regexp_replace(r."prompt", '\\s+', ' ', 'g')))`;

function dayFilters(scope: InsightScope) {
  return Prisma.sql`${scope.projectId ? Prisma.sql`AND d."projectId" = ${scope.projectId}` : Prisma.empty}
    ${scope.userId ? Prisma.sql`AND d."userId" = ${scope.userId}` : Prisma.empty}`;
}

/** The scope's runs: by (teamId, createdAt), the index the Usage page's run list reads too. */
function runWhere(teamId: string, scope: InsightScope) {
  return Prisma.sql`r."teamId" = ${teamId} AND r."createdAt" >= ${scope.from} AND r."createdAt" < ${scope.to}
    ${scope.projectId ? Prisma.sql`AND r."projectId" = ${scope.projectId}` : Prisma.empty}
    ${scope.userId ? Prisma.sql`AND r."userId" = ${scope.userId}` : Prisma.empty}`;
}

type UsageSqlRow = { userId: string; modelId: string; outputType: string; tier: string; stage: Stage; outcome: string; runs: number; charged: number };

/** Settled runs of the scope's days by member, model, stage and outcome. */
async function readUsage(team: TeamRef, from: string, to: string, scope: InsightScope): Promise<UsageRow[]> {
  const rows = await db().$queryRaw<UsageSqlRow[]>`
    SELECT d."userId", d."modelId", d."outputType", d."tier", d."stage", d."outcome",
        SUM(d."runs")::int AS runs, SUM(d."actual" - d."refunded")::float8 AS charged
      FROM "UsageDay" d
      WHERE d."teamId" = ${team.id} AND d."day" >= ${from}::date AND d."day" <= ${to}::date AND d."state" = 'settled' ${dayFilters(scope)}
      GROUP BY 1, 2, 3, 4, 5, 6
      HAVING SUM(d."runs") > 0`;
  return rows.map((row) => ({ ...row, tier: row.tier === "" ? null : row.tier, outcome: row.outcome === "" ? null : (row.outcome as Outcome), charged: Number(row.charged) }));
}

/** Charged credits per day (settled runs, by the day they were made) from `from` to `to`. */
async function readDays(team: TeamRef, from: string, to: string, scope: InsightScope): Promise<DayCharge[]> {
  const rows = await db().$queryRaw<{ day: string; charged: number }[]>`
    SELECT to_char(d."day", 'YYYY-MM-DD') AS day, SUM(d."actual" - d."refunded")::float8 AS charged
      FROM "UsageDay" d
      WHERE d."teamId" = ${team.id} AND d."day" >= ${from}::date AND d."day" <= ${to}::date AND d."state" = 'settled' ${dayFilters(scope)}
      GROUP BY 1`;
  return rows.map((row) => ({ day: row.day, charged: Number(row.charged) }));
}

/** The first day the scope had a run, however long ago (the primary key starts with team and day). */
async function readFirstDay(team: TeamRef, scope: InsightScope): Promise<string | null> {
  const [row] = await db().$queryRaw<{ day: string }[]>`
    SELECT to_char(d."day", 'YYYY-MM-DD') AS day FROM "UsageDay" d
      WHERE d."teamId" = ${team.id} AND d."runs" > 0 ${dayFilters(scope)}
      ORDER BY d."day" LIMIT 1`;
  return row?.day ?? null;
}

type GroupSqlRow = Omit<RunGroup, "settings" | "outcome"> & { settings: unknown; outcome: string | null };

function toGroups(rows: GroupSqlRow[]): RunGroup[] {
  return rows.map((row) => ({
    ...row,
    settings: (row.settings ?? {}) as Record<string, string>,
    outcome: row.outcome as Outcome | null,
    charged: Number(row.charged),
  }));
}

/**
 * Settled runs a waste rule may be about, grouped by what their price depends on: premium tests and drafts, finals
 * rejected or failed, and tools used for the web (the rules decide which tool is an upscaler, from the price list).
 */
async function readWaste(team: TeamRef, scope: InsightScope): Promise<RunGroup[]> {
  const rows = await db().$queryRaw<GroupSqlRow[]>`
    SELECT r."modelId", r."outputType", r."tier", r."stage", r."purpose", r."outcome"::text AS outcome, r."settings", r."quantity",
        r."priceListVersion", COUNT(*)::int AS runs, SUM(COALESCE(r."actual", 0) - r."refunded")::float8 AS charged
      FROM "Run" r
      WHERE ${runWhere(team.id, scope)} AND r."state" = 'settled'
        AND ((r."tier" = 'premium' AND r."stage" IN ('test', 'draft'))
          OR (r."stage" = 'final' AND r."outcome" IN ('rejected', 'failed'))
          OR (r."purpose" = 'web' AND r."outputType" = 'tool'))
      GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9`;
  return toGroups(rows);
}

type PromptSqlRow = {
  kind: "prompt" | "regeneration" | "totals";
  key: string | null;
  text: string | null;
  authorId: string | null;
  runs: number;
  charged: number;
  acceptedAttempt: number | null;
  chargedBefore: number;
  modelId: string | null;
  outputType: string | null;
  tier: string | null;
  stage: Stage | null;
  purpose: string | null;
  outcome: string | null;
  settings: unknown;
  quantity: number | null;
  priceListVersion: number | null;
};

/**
 * Settled runs with a prompt, in the order they were made per normalized prompt: each prompt's attempts up to the
 * first accepted one and who wrote it (the LISTED first of each list, cut in the rules' own order), how many prompts
 * there were and how many worked first time, and the runs made again right after a run of the same prompt came out
 * "needs edit" (grouped by what their price depends on).
 */
async function readPrompts(team: TeamRef, scope: InsightScope): Promise<{ total: number; firstTime: number; rows: PromptStat[]; regenerations: RunGroup[] }> {
  // One sort of narrow rows (the key, the order, the outcome, the charge) numbers each prompt's attempts; the listed
  // prompts' words and author, and the regenerations' prices, are read back by id from the few runs that need them.
  const rows = await db().$queryRaw<PromptSqlRow[]>`
    WITH p AS MATERIALIZED (
      SELECT r."id", ${PROMPT_KEY} COLLATE "C" AS key, r."outcome", COALESCE(r."actual", 0) - r."refunded" AS charged,
          row_number() OVER w AS attempt,
          COUNT(*) FILTER (WHERE r."outcome" = 'accepted') OVER w AS accepted_so_far,
          lag(r."outcome") OVER w AS previous
        FROM "Run" r
        WHERE ${runWhere(team.id, scope)} AND r."state" = 'settled' AND r."prompt" <> ''
        WINDOW w AS (PARTITION BY ${PROMPT_KEY} COLLATE "C" ORDER BY r."createdAt", r."id")
    ), stats AS (
      SELECT key, MIN("id") FILTER (WHERE attempt = 1) AS first_id, COUNT(*)::int AS runs, SUM(charged)::float8 AS charged,
          (MIN(attempt) FILTER (WHERE "outcome" = 'accepted'))::int AS accepted,
          COALESCE(SUM(charged) FILTER (WHERE accepted_so_far = 0), 0)::float8 AS before
        FROM p WHERE key <> '' GROUP BY key
    ), ranked AS (
      SELECT s.*,
          CASE WHEN s.accepted = 1 THEN row_number() OVER (PARTITION BY s.accepted = 1 ORDER BY s.runs DESC, s.charged DESC, s.key) END AS first_rank,
          row_number() OVER (ORDER BY COALESCE(s.accepted, s.runs) DESC, s.before DESC, s.key) AS attempts_rank
        FROM stats s
    ), regenerated AS (
      SELECT "id" FROM p WHERE previous = 'needs_edit' AND key <> ''
    )
    SELECT 'prompt' AS kind, l.key, f."prompt" AS text, f."userId" AS "authorId", l.runs, l.charged, l.accepted AS "acceptedAttempt", l.before AS "chargedBefore",
        NULL AS "modelId", NULL AS "outputType", NULL AS tier, NULL::"RunStage" AS stage, NULL AS purpose, NULL AS outcome, NULL::jsonb AS settings,
        NULL::int AS quantity, NULL::int AS "priceListVersion"
      FROM ranked l JOIN "Run" f ON f."id" = l.first_id
      WHERE l.first_rank <= ${LISTED} OR (l.attempts_rank <= ${LISTED} AND COALESCE(l.accepted, l.runs) >= 2)
    UNION ALL
    SELECT 'totals', NULL, NULL, NULL, COUNT(*)::int, 0, COUNT(*) FILTER (WHERE accepted = 1)::int, 0, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
      FROM stats
    UNION ALL
    SELECT 'regeneration', NULL, NULL, NULL, COUNT(*)::int, SUM(COALESCE(r."actual", 0) - r."refunded")::float8, NULL, 0, r."modelId", r."outputType", r."tier",
        r."stage", r."purpose", r."outcome"::text, r."settings", r."quantity", r."priceListVersion"
      FROM regenerated g JOIN "Run" r ON r."id" = g."id"
      GROUP BY r."modelId", r."outputType", r."tier", r."stage", r."purpose", r."outcome", r."settings", r."quantity", r."priceListVersion"`;
  const totals = rows.find((row) => row.kind === "totals");
  return {
    total: totals?.runs ?? 0,
    firstTime: totals?.acceptedAttempt ?? 0,
    rows: rows
      .filter((row) => row.kind === "prompt")
      .map((row) => ({
        key: row.key!,
        text: row.text!,
        authorId: row.authorId!,
        runs: row.runs,
        charged: Number(row.charged),
        acceptedAttempt: row.acceptedAttempt,
        chargedBefore: Number(row.chargedBefore),
      })),
    regenerations: toGroups(
      rows
        .filter((row) => row.kind === "regeneration")
        .map((row) => ({
          modelId: row.modelId!,
          outputType: row.outputType!,
          tier: row.tier,
          stage: row.stage!,
          purpose: row.purpose!,
          outcome: row.outcome,
          settings: row.settings,
          quantity: row.quantity!,
          priceListVersion: row.priceListVersion!,
          runs: row.runs,
          charged: row.charged,
        })),
    ),
  };
}

/** The price list versions the runs were charged at, and the latest (for names of models no run names). */
async function readPriceLists(teamId: string, versions: number[]): Promise<Map<number, PriceList>> {
  const lists = new Map<number, PriceList>();
  const latest = await latestPriceListVersion(teamId);
  lists.set(latest.version, latest.priceList);
  const wanted = [...new Set(versions)].filter((version) => !lists.has(version));
  const found = await Promise.all(wanted.map((version) => priceListVersion(teamId, version)));
  for (const version of found) if (version) lists.set(version.version, version.priceList);
  return lists;
}

/** Last calendar day of a period that ends (exclusive) at `end`, in the zone. */
function lastDay(end: Date, timeZone: string): string {
  return dayIn(new Date(end.getTime() - 1), timeZone);
}

/**
 * When the team's available credits, and each budget (of one project, or every active project), run out at the
 * trailing rate: the charged credits of the TRAILING_DAYS days up to and including today, in the team's zone.
 */
export async function teamForecast(team: TeamRef, now = appNow(), projectId?: string): Promise<Forecast> {
  const today = dayIn(now, team.timeZone);
  const since = addDays(today, -(TRAILING_DAYS - 1));
  const [credits, trailing, budgets, use] = await Promise.all([
    creditSummary(team.id, now),
    db().$queryRaw<{ projectId: string; charged: number }[]>`
      SELECT d."projectId", SUM(d."actual" - d."refunded")::float8 AS charged FROM "UsageDay" d
        WHERE d."teamId" = ${team.id} AND d."day" >= ${since}::date AND d."day" <= ${today}::date AND d."state" = 'settled'
        GROUP BY 1`,
    db().$queryRaw<{ projectId: string; name: string; credits: number; period: "lifetime" | "month" | "week"; weekStartsOn: number }[]>`
      SELECT b."projectId", p."name", b."credits", b."period"::text AS period, b."weekStartsOn"
        FROM "ProjectBudget" b JOIN "Project" p ON p."id" = b."projectId"
        WHERE b."teamId" = ${team.id} AND p."archivedAt" IS NULL ${projectId ? Prisma.sql`AND b."projectId" = ${projectId}` : Prisma.empty}
        ORDER BY p."name"`,
    // The budget's use this period is the counter admission checks (charges and active holds), the same read (per
    // request) as the Overview's budget bars.
    currentUse(team.id, team.timeZone, now),
  ]);
  const byProject = new Map(trailing.map((row) => [row.projectId, Number(row.charged)]));
  const month = periodAt(now, { period: "month", timeZone: team.timeZone });
  return forecastOf({
    today,
    available: credits.available,
    trailing: [...byProject.values()].reduce((sum, charged) => sum + charged, 0),
    periodKey: month.key,
    periodLabel: month.label,
    periodLastDay: lastDay(month.end!, team.timeZone),
    budgets: budgets.map((budget) => {
      const period = periodAt(now, { period: budget.period, timeZone: team.timeZone, weekStartsOn: budget.weekStartsOn as WeekStart });
      return {
        projectId: budget.projectId,
        projectName: budget.name,
        credits: budget.credits,
        used: use.get(`budget:${budget.projectId}`) ?? 0,
        periodKey: period.key,
        periodLabel: period.label,
        periodLastDay: period.end ? lastDay(period.end, team.timeZone) : null,
        trailing: byProject.get(budget.projectId) ?? 0,
      };
    }),
  });
}

/** The insights of the team's last `days` days, today included, in its time zone (the Recommendations page's section). */
export async function historyDays(team: TeamRef, days: number, now = appNow()): Promise<HistoryView> {
  const today = dayIn(now, team.timeZone);
  return historyInsights(team, { from: startOfDayIn(addDays(today, -(days - 1)), team.timeZone), to: endOfDayIn(today, team.timeZone) }, now);
}

/** Every insight of a scope, the forecast as of now, and the names of the people they mention. */
export async function historyInsights(team: TeamRef, scope: InsightScope, now = appNow()): Promise<HistoryView> {
  const from = dayIn(scope.from, team.timeZone);
  const to = dayIn(new Date(Math.max(scope.from.getTime(), scope.to.getTime() - 1)), team.timeZone);
  const [usage, days, firstDay, waste, prompts, forecast] = await Promise.all([
    readUsage(team, from, to, scope),
    readDays(team, addDays(from, -TRAILING_DAYS), to, scope),
    readFirstDay(team, scope),
    readWaste(team, scope),
    readPrompts(team, scope),
    teamForecast(team, now, scope.projectId),
  ]);
  const priceLists = await readPriceLists(team.id, [...waste, ...prompts.regenerations].map((group) => group.priceListVersion));
  const insights = insightsOf({
    from,
    to,
    usage,
    waste,
    regenerations: prompts.regenerations,
    prompts: { total: prompts.total, firstTime: prompts.firstTime, rows: prompts.rows },
    days,
    firstDay,
    priceLists,
  });
  const ids = new Set([...insights.patterns.map((p) => p.userId), ...insights.prompts.firstTimeList.map((p) => p.authorId), ...insights.prompts.mostAttempts.map((p) => p.authorId)]);
  const people = ids.size === 0 ? [] : await db().user.findMany({ where: { id: { in: [...ids] } }, select: { id: true, name: true } });
  return { insights, forecast, people: Object.fromEntries(people.map((person) => [person.id, person.name])), timeZone: team.timeZone };
}
