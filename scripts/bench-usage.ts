// `npm run bench:usage`: the usage history's reads over a team that has worked for years — 1,000,000 runs in one team,
// with 100 other teams beside it — each figure beside a baseline measured in the same run (a plain count(*) over the
// team's runs). Seeds with generate_series (not a million ledger calls) and counts the daily totals (UsageDay) once,
// as a change of time zone would. Uses BENCH_DATABASE_URL (or TEST_DATABASE_URL, or the local server) to create a
// scratch database, dropped afterwards. The Usage page itself is still to come (issue 10): these are the reads it
// will be built on.
import pg from "pg";
import { PrismaPg } from "@prisma/adapter-pg";
import { deployMigrations } from "@/lib/db/migrations";
import { createScratchDatabase } from "./scratch-database";

const RUNS = Number(process.env.BENCH_RUNS ?? 1_000_000);
const OTHER_TEAMS = 100;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 40);

type Timing = { p50: number; p95: number };

async function time(pool: pg.Pool, sql: string, params: unknown[]): Promise<Timing> {
  const latencies: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const started = performance.now();
    await pool.query(sql, params);
    latencies.push(performance.now() - started);
  }
  latencies.sort((a, b) => a - b);
  const at = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))];
  return { p50: at(50), p95: at(95) };
}

function row(label: string, timing: Timing, baseline?: Timing) {
  const ratio = baseline ? `  ${(timing.p95 / baseline.p95).toFixed(2)}× baseline (p95)` : "";
  return `${label.padEnd(58)} p50 ${timing.p50.toFixed(1).padStart(7)} ms  p95 ${timing.p95.toFixed(1).padStart(7)} ms${ratio}`;
}

/** Runs of one team over three years: 8 projects, 20 people, the default catalog's models, every stage, state and outcome. */
const SEED_RUNS = `
  INSERT INTO "Run" ("id", "teamId", "projectId", "userId", "modelId", "modelName", "outputType", "tier", "quantity", "stage", "purpose",
      "estimate", "priceListVersion", "state", "actual", "refunded", "outcome", "overrun", "createdAt", "settledAt")
    SELECT 'run_' || $1 || '_' || g, $1, $2 || (g % 8), $3 || (g % 20),
        (ARRAY['qwen-image','sdxl','flux-2-dev','flux-2-pro','wan-2-5-fast','veo-3-1','speech-turbo','music-1-5'])[1 + g % 8],
        'Model', (ARRAY['image','image','image','image','video','video','audio','audio'])[1 + g % 8],
        (ARRAY['budget','mid','mid','premium','budget','premium','budget','mid'])[1 + g % 8],
        1 + g % 4, (ARRAY['test','draft','final']::"RunStage"[])[1 + g % 3], 'internal_review',
        20 * (1 + g % 50), 0,
        CASE WHEN g % 97 = 0 THEN 'held' WHEN g % 31 = 0 THEN 'released' ELSE 'settled' END::"RunState",
        CASE WHEN g % 97 = 0 OR g % 31 = 0 THEN NULL ELSE 20 * (1 + g % 50) END, 0,
        CASE WHEN g % 97 = 0 OR g % 31 = 0 THEN NULL ELSE (ARRAY['accepted','accepted','rejected','needs_edit']::"RunOutcome"[])[1 + g % 4] END,
        false, now() - ((g % (3 * 365 * 24)) || ' hours')::interval, NULL
      FROM generate_series(1, $4::int) g`;

async function main() {
  const scratch = await createScratchDatabase();
  const pool = new pg.Pool({ connectionString: scratch.url, max: 4 });
  try {
    await deployMigrations(new PrismaPg({ connectionString: scratch.url, max: 2 }));
    const seeding = performance.now();
    const teams = ["team_big", ...Array.from({ length: OTHER_TEAMS }, (_, i) => `team_${i}`)];
    await pool.query(
      `INSERT INTO "Team" ("id", "slug", "name", "timeZone", "updatedAt") SELECT t, t, t, 'Europe/Berlin', now() FROM unnest($1::text[]) t`,
      [teams],
    );
    for (const team of teams) {
      await pool.query(`INSERT INTO "Project" ("id", "teamId", "name", "updatedAt") SELECT $1 || '_p' || g, $1, 'Project ' || g, now() FROM generate_series(0, 7) g`, [team]);
      await pool.query(`INSERT INTO "User" ("id", "email", "name", "updatedAt") SELECT $1 || '_u' || g, $1 || '_u' || g || '@example.test', 'Person ' || g, now() FROM generate_series(0, 19) g`, [team]);
    }
    // Seeding writes runs directly; their daily totals are then counted in one statement per team, as a change of zone does.
    await pool.query(`ALTER TABLE "Run" DISABLE TRIGGER "Run_usage_days"`);
    for (const team of teams) await pool.query(SEED_RUNS, [team, `${team}_p`, `${team}_u`, team === "team_big" ? RUNS : Math.round(RUNS / 100)]);
    await pool.query(`ALTER TABLE "Run" ENABLE TRIGGER "Run_usage_days"`);
    await pool.query(`INSERT INTO "TeamCredits" ("teamId") SELECT unnest($1::text[])`, [teams]);
    for (const team of teams) await pool.query(`SELECT cw_usage_recount($1)`, [team]);
    await pool.query(`ANALYZE`);
    const seeded = (performance.now() - seeding) / 1000;
    const { rows: sizes } = await pool.query(`SELECT (SELECT count(*) FROM "Run")::int AS runs, (SELECT count(*) FROM "UsageDay")::int AS days`);
    console.log(`Usage benchmark on PostgreSQL: ${sizes[0].runs.toLocaleString("en-US")} runs (${RUNS.toLocaleString("en-US")} in one team, ${OTHER_TEAMS} others), ` +
      `${sizes[0].days.toLocaleString("en-US")} daily-total rows, seeded in ${seeded.toFixed(1)} s; ${ROUNDS} calls per row\n`);

    const team = "team_big";
    const baseline = await time(pool, `SELECT count(*) FROM "Run" WHERE "teamId" = $1`, [team]);
    console.log(row("baseline: count(*) over the team's runs", baseline));
    const monthTotals = `
      SELECT SUM("runs") AS runs, SUM("actual" - "refunded") AS charged, SUM("runs") FILTER (WHERE "outcome" = 'accepted') AS accepted,
          SUM("actual" - "refunded") FILTER (WHERE "stage" = 'test') AS tests, SUM("refunded") AS refunded, SUM("overruns") AS overruns
        FROM "UsageDay" WHERE "teamId" = $1 AND "day" >= $2::date AND "day" < $3::date`;
    const today = new Date();
    const monthStart = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), 1)).toISOString().slice(0, 10);
    const tomorrow = new Date(today.getTime() + 86_400_000).toISOString().slice(0, 10);
    const yearsAgo = new Date(today.getTime() - 3 * 365 * 86_400_000).toISOString().slice(0, 10);
    console.log(row("totals this month (daily totals)", await time(pool, monthTotals, [team, monthStart, tomorrow]), baseline));
    console.log(row("totals over all three years (daily totals)", await time(pool, monthTotals, [team, yearsAgo, tomorrow]), baseline));
    console.log(
      row(
        "credits per day, 90 days, by output type",
        await time(
          pool,
          `SELECT "day", "outputType", SUM("actual" - "refunded") FROM "UsageDay" WHERE "teamId" = $1 AND "day" >= $2::date GROUP BY 1, 2 ORDER BY 1`,
          [team, new Date(today.getTime() - 90 * 86_400_000).toISOString().slice(0, 10)],
        ),
        baseline,
      ),
    );
    console.log(
      row(
        "top models by credits, one project, three years",
        await time(
          pool,
          `SELECT "modelId", SUM("actual" - "refunded") AS c FROM "UsageDay" WHERE "teamId" = $1 AND "projectId" = $2 GROUP BY 1 ORDER BY c DESC LIMIT 10`,
          [team, `${team}_p3`],
        ),
        baseline,
      ),
    );
    console.log(
      row(
        "the same totals this month straight from the runs",
        await time(
          pool,
          `SELECT count(*), SUM(COALESCE("actual", 0) - "refunded") FROM "Run" WHERE "teamId" = $1 AND "createdAt" >= $2::date`,
          [team, monthStart],
        ),
        baseline,
      ),
    );
  } finally {
    await pool.end();
    await scratch.drop();
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
