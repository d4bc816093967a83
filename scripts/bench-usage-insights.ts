// The insights from history timed over bench:usage's data set (called from scripts/bench-usage.ts once it has seeded):
// every insight of the last 90 days for the whole team, one project and one member, the Overview's forecast, and the
// background check of one team's alerts, each beside the baseline bench:usage measured in the same run. The seeded runs
// have no prompts; the 90 days' runs get one of 5,000 prompts each first, so the prompt reads have work to do.
import pg from "pg";
import { appNow } from "@/lib/clock";
import { closeDatabase, openDatabase, useDatabase as pointDatabaseAt } from "@/lib/db/client";
import { endOfDayIn, startOfDayIn } from "@/lib/ledger/dates";
import { addDays, dayIn } from "@/lib/recommendations/history";
import { raiseInsightAlerts } from "@/lib/usage/insight-alerts";
import { historyInsights, teamForecast, type InsightScope } from "@/lib/usage/insights";
import { timeCalls, timingLine, type Timing } from "./bench-timing";

export type BenchInsightsOptions = {
  /** The scratch database bench:usage seeded. */
  url: string;
  /** The big team's id (bench:usage: "team_big"), its projects `${teamId}_p0…7` and people `${teamId}_u0…19`. */
  teamId: string;
  /** bench:usage's baseline (count(*) over the team's runs), for the ratios. */
  baseline: Timing;
  rounds?: number;
  /** Prints one line; bench:usage passes its own so the figures line up. */
  print?: (label: string, timing: Timing, baseline: Timing) => void;
};

function defaultPrint(label: string, timing: Timing, baseline: Timing) {
  console.log(timingLine(label, timing, baseline));
}

/** Times the insights over the seeded team; returns each figure by label. */
export async function benchInsights(options: BenchInsightsOptions): Promise<Record<string, Timing>> {
  const { url, teamId, baseline } = options;
  const rounds = options.rounds ?? 20;
  const print = options.print ?? defaultPrint;
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  const opened = openDatabase({ kind: "postgres", url });
  // The insight reads use the process's client: pointed at the scratch database for the run.
  pointDatabaseAt(opened.client, opened.close);
  try {
    const [team] = (await pool.query<{ id: string; timeZone: string }>(`SELECT "id", "timeZone" FROM "Team" WHERE "id" = $1`, [teamId])).rows;
    if (!team) throw new Error(`No team ${teamId} in the benchmark's database.`);
    const now = appNow();
    const today = dayIn(now, team.timeZone);
    const scope: InsightScope = { from: startOfDayIn(addDays(today, -89), team.timeZone), to: endOfDayIn(today, team.timeZone) };
    // Prompts on the scope's runs (not a column the daily totals read, so no trigger fires): 5,000 prompts in varied
    // spelling, each run of a prompt a few hours after the one before.
    const prompted = await pool.query(
      `UPDATE "Run" SET "prompt" = CASE WHEN hashtext("id") % 3 = 0 THEN '  Prompt ' ELSE 'prompt ' END || (abs(hashtext("id")) % 5000)
        WHERE "teamId" = $1 AND "createdAt" >= $2`,
      [teamId, scope.from],
    );
    // As autovacuum would after such an update: the runs it rewrote leave dead versions the reads would visit.
    await pool.query(`VACUUM ANALYZE "Run"`);
    console.log(`\nInsights from history over the last 90 days (${(prompted.rowCount ?? 0).toLocaleString("en-US")} runs given prompts); ${rounds} calls per row`);
    const figures: Record<string, Timing> = {};
    const measure = async (label: string, run: () => Promise<unknown>) => {
      figures[label] = await timeCalls(rounds, run);
      print(label, figures[label], baseline);
    };
    await measure("insights, 90 days, whole team (all reads)", () => historyInsights(team, scope, now));
    await measure("insights, 90 days, one project", () => historyInsights(team, { ...scope, projectId: `${teamId}_p3` }, now));
    await measure("insights, 90 days, one member", () => historyInsights(team, { ...scope, userId: `${teamId}_u7` }, now));
    await measure("forecast (Overview)", () => teamForecast(team, now));
    await measure("alert check of one team (background)", () => raiseInsightAlerts(team, now));
    return figures;
  } finally {
    await pool.end();
    await closeDatabase();
  }
}
