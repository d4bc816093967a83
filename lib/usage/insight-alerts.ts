// Alerts from history, raised by the background work (never by a page): the team's credits or a project's budget
// running out before its period ends at the trailing rate, and a day of unusual spend. Each is written once per dedupe
// key through the ledger's cw_notify (to the team's admins, emailed through the outbox), so any number of app
// instances may check the same team at the same moment.
import "server-only";
import { appNow } from "@/lib/clock";
import { db } from "@/lib/db/client";
import { TRAILING_DAYS, addDays, dayIn, findAnomalies } from "@/lib/recommendations/history";
import { teamForecast } from "./insights";

type TeamRef = { id: string; timeZone: string };

/** Teams with a credit movement in this window are checked; the others' figures have not changed. */
const RECENT_MS = 2 * 24 * 3_600_000;

async function notify(teamId: string, kind: string, dedupeKey: string, data: Record<string, unknown>, at: Date): Promise<void> {
  await db().$executeRaw`SELECT cw_notify(${teamId}, ${null}::text, ${kind}, ${dedupeKey}, ${JSON.stringify(data)}::jsonb, ${at.toISOString()}::timestamp)`;
}

/**
 * Checks one team now: the forecast of its credits (this calendar month) and of each budget (its current period,
 * lifetime budgets have none), and whether yesterday or today was a day of unusual spend (today as far as it has gone).
 * A forecast is raised only at a rate above zero, once per period; an unusual day once.
 */
export async function raiseInsightAlerts(team: TeamRef, now = appNow()): Promise<{ checked: string[] }> {
  const today = dayIn(now, team.timeZone);
  const yesterday = addDays(today, -1);
  const [forecast, days, first] = await Promise.all([
    teamForecast(team, now),
    db().$queryRaw<{ day: string; charged: number }[]>`
      SELECT to_char("day", 'YYYY-MM-DD') AS day, SUM("actual" - "refunded")::float8 AS charged FROM "UsageDay"
        WHERE "teamId" = ${team.id} AND "day" >= ${addDays(yesterday, -TRAILING_DAYS)}::date AND "day" <= ${today}::date AND "state" = 'settled'
        GROUP BY 1`,
    db().$queryRaw<{ day: string }[]>`
      SELECT to_char("day", 'YYYY-MM-DD') AS day FROM "UsageDay" WHERE "teamId" = ${team.id} AND "runs" > 0 ORDER BY "day" LIMIT 1`,
  ]);
  const checked: string[] = [];
  const { team: credits } = forecast;
  if (credits.beforePeriodEnd && credits.trailing > 0 && credits.day !== null) {
    const key = `forecast:team:${credits.periodKey}`;
    await notify(team.id, "forecast_run_out", key, { runOutDay: credits.day, left: credits.available, perDay: credits.perDay, periodKey: credits.periodKey, periodLastDay: credits.periodLastDay }, now);
    checked.push(key);
  }
  for (const budget of forecast.budgets) {
    if (!budget.beforePeriodEnd || budget.trailing <= 0 || budget.day === null || budget.periodLastDay === null) continue;
    const key = `forecast:project:${budget.projectId}:${budget.periodKey}`;
    await notify(team.id, "forecast_run_out", key, {
      projectId: budget.projectId,
      runOutDay: budget.day,
      left: Math.max(0, budget.remaining),
      perDay: budget.perDay,
      periodKey: budget.periodKey,
      periodLastDay: budget.periodLastDay,
    }, now);
    checked.push(key);
  }
  const anomalies = findAnomalies(days.map((row) => ({ day: row.day, charged: Number(row.charged) })), yesterday, today, first[0]?.day ?? null);
  for (const anomaly of anomalies) {
    const key = `anomaly:${anomaly.day}`;
    await notify(team.id, "spend_anomaly", key, { ...anomaly }, now);
    checked.push(key);
  }
  return { checked };
}

/** Every team with a recent credit movement, checked once; what each raised is written once whoever checks it. */
export async function sweepInsightAlerts(now = appNow()): Promise<{ teams: number }> {
  const teams = await db().$queryRaw<TeamRef[]>`
    SELECT t."id", t."timeZone" FROM "TeamCredits" c JOIN "Team" t ON t."id" = c."teamId"
      WHERE c."updatedAt" >= ${new Date(now.getTime() - RECENT_MS)}`;
  for (const team of teams) {
    try {
      await raiseInsightAlerts(team, now);
    } catch (error) {
      // One team's failure must not stop the others' alerts.
      console.error(`[insight alerts] team ${team.id}`, error);
    }
  }
  return { teams: teams.length };
}
