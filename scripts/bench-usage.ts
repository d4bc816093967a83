// `npm run bench:usage`: the usage history over a team that has worked for years — 1,000,000 runs in one team, with 100
// other teams beside it — each figure beside a baseline measured in the same run (a plain count(*) over the team's runs).
// Seeds with generate_series (not a million ledger calls) and counts the daily totals (UsageDay) once, as a change of
// time zone would. Times what the Usage page reads (loadUsagePage: the default view and each single filter), the CSV
// export's rows per second and memory, and the insights from history. Uses BENCH_DATABASE_URL (or TEST_DATABASE_URL,
// or the local server) to create a scratch database, dropped afterwards. BENCH_RUNS sets the big team's runs.
import pg from "pg";
import { PrismaPg } from "@prisma/adapter-pg";
import { closeDatabase, openDatabase, useDatabase as pointDatabaseAt } from "@/lib/db/client";
import { deployMigrations } from "@/lib/db/migrations";
import { csvStreamResponse } from "@/lib/csv";
import { RUN_COLUMNS, runRows } from "@/lib/usage/export";
import { loadUsagePage } from "@/lib/usage/page-data";
import type { UrlQuery } from "@/lib/url-query";
import { benchImport } from "./bench-usage-import";
import { benchInsights } from "./bench-usage-insights";
import { timeCalls, timingLine, type Timing } from "./bench-timing";
import { createScratchDatabase } from "./scratch-database";

const RUNS = Number(process.env.BENCH_RUNS ?? 1_000_000);
const OTHER_TEAMS = 100;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 40);

function time(pool: pg.Pool, sql: string, params: unknown[]): Promise<Timing> {
  return timeCalls(ROUNDS, () => pool.query(sql, params));
}

const row = timingLine;

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

/** The big team's people as members, a charge in the ledger for each settled run (the transactions list), a batch of 2,000 runs. */
const SEED_TEAM_EXTRAS = [
  `INSERT INTO "Membership" ("id", "teamId", "userId", "role", "updatedAt") SELECT $1 || '_m' || g, $1, $1 || '_u' || g, (CASE WHEN g = 0 THEN 'owner' ELSE 'member' END)::"Role", now() FROM generate_series(0, 19) g`,
  `INSERT INTO "LedgerEntry" ("teamId", "kind", "amount", "heldDelta", "balanceAfter", "heldAfter", "availableAfter", "projectId", "runId", "actorId", "createdAt")
     SELECT r."teamId", 'charge', -r."actual", -r."estimate", 0, 0, 0, r."projectId", r."id", r."userId", r."createdAt"
       FROM "Run" r WHERE r."teamId" = $1 AND r."state" = 'settled' ORDER BY r."createdAt"`,
  `INSERT INTO "Batch" ("id", "teamId", "projectId", "name", "createdById", "updatedAt") VALUES ($1 || '_batch', $1, $1 || '_p0', 'Campaign', $1 || '_u0', now())`,
  `INSERT INTO "BatchItem" ("id", "teamId", "batchId", "position", "title", "outputType", "purpose", "plan", "updatedAt")
     SELECT $1 || '_item' || g, $1, $1 || '_batch', g, 'Item ' || g, 'image', 'web', '{}', now() FROM generate_series(0, 19) g`,
  `UPDATE "Run" SET "batchItemId" = $1 || '_item' || (abs(hashtext("id")) % 20)
     WHERE "id" IN (SELECT "id" FROM "Run" WHERE "teamId" = $1 AND "projectId" = $1 || '_p0' ORDER BY "createdAt" DESC LIMIT 2000)`,
];

/** Reads a Response's body to the end; returns its bytes and lines, sampling the heap's peak meanwhile. */
async function drain(response: Response): Promise<{ bytes: number; lines: number; peakRss: number }> {
  const reader = response.body!.getReader();
  let bytes = 0;
  let lines = 0;
  let peakRss = process.memoryUsage.rss();
  let chunks = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return { bytes, lines, peakRss: Math.max(peakRss, process.memoryUsage.rss()) };
    bytes += value.byteLength;
    for (let at = value.indexOf(10); at !== -1; at = value.indexOf(10, at + 1)) lines++;
    // Sampled now and then: reading the process's memory on every chunk would cost more than the chunk.
    if (++chunks % 64 === 0) peakRss = Math.max(peakRss, process.memoryUsage.rss());
  }
}

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
    await pool.query(`ALTER TABLE "Run" DISABLE TRIGGER "Run_usage_days_inserted"`);
    for (const team of teams) await pool.query(SEED_RUNS, [team, `${team}_p`, `${team}_u`, team === "team_big" ? RUNS : Math.round(RUNS / 100)]);
    await pool.query(`ALTER TABLE "Run" ENABLE TRIGGER "Run_usage_days_inserted"`);
    await pool.query(`INSERT INTO "TeamCredits" ("teamId") SELECT unnest($1::text[])`, [teams]);
    for (const sql of SEED_TEAM_EXTRAS) await pool.query(sql, ["team_big"]);
    for (const team of teams) await pool.query(`SELECT cw_usage_recount($1)`, [team]);
    // As autovacuum would after seeding: the runs the batch update rewrote leave dead versions the reads would visit.
    await pool.query(`VACUUM ANALYZE`);
    const seeded = (performance.now() - seeding) / 1000;
    const { rows: sizes } = await pool.query(`SELECT (SELECT count(*) FROM "Run")::int AS runs, (SELECT count(*) FROM "UsageDay")::int AS days`);
    console.log(`Usage benchmark on PostgreSQL: ${sizes[0].runs.toLocaleString("en-US")} runs (${RUNS.toLocaleString("en-US")} in one team, ${OTHER_TEAMS} others), ` +
      `${sizes[0].days.toLocaleString("en-US")} daily-total rows, seeded in ${seeded.toFixed(1)} s; ${ROUNDS} calls per row\n`);

    const team = "team_big";
    const baseline = await time(pool, `SELECT count(*) FROM "Run" WHERE "teamId" = $1`, [team]);
    console.log(row("baseline: count(*) over the team's runs", baseline));

    // What the Usage page reads for a URL, through the app's own client pointed at the scratch database.
    const opened = openDatabase({ kind: "postgres", url: scratch.url });
    pointDatabaseAt(opened.client, opened.close);
    const bigTeam = { id: team, timeZone: "Europe/Berlin" };
    const now = new Date();
    const views: [string, UrlQuery][] = [
      ["Usage page: default view (last 30 days, runs)", {}],
      ["  project", { project: `${team}_p3` }],
      ["  member", { member: `${team}_u7` }],
      ["  model", { model: "flux-2-pro" }],
      ["  output type", { type: "video" }],
      ["  tier", { tier: "premium" }],
      ["  stage", { stage: "final" }],
      ["  outcome", { outcome: "rejected" }],
      ["  batch", { batch: `${team}_batch` }],
      ["  this month", { range: "this-month" }],
      ["  last month", { range: "last-month" }],
      ["  last 90 days", { range: "90d" }],
      ["  three years (custom days)", { range: "custom", from: new Date(now.getTime() - 3 * 365 * 86_400_000).toISOString().slice(0, 10) }],
      ["  runs sorted by credits", { sort: "credits" }],
      ["  transactions tab", { tab: "transactions" }],
      ["  stacked by member, per week", { stack: "member", by: "week" }],
    ];
    console.log(`\nThe Usage page's reads (loadUsagePage: directory, totals, chart, top models, stages, members, one page of the list); ${ROUNDS} calls per row`);
    const pageTimes: number[] = [];
    for (const [label, query] of views) {
      const timing = await timeCalls(ROUNDS, () => loadUsagePage(bigTeam, query, now));
      pageTimes.push(timing.p95);
      console.log(row(label, timing, baseline));
    }
    console.log(`  worst p95 of these views: ${Math.max(...pageTimes).toFixed(1)} ms (aim: 150 ms)`);
    const deep = await loadUsagePage(bigTeam, { range: "custom", from: "2000-01-01" }, now);
    if ("runs" in deep.list && deep.list.older) {
      let cursor = deep.list.older;
      for (let i = 0; i < 50; i++) {
        const page = await loadUsagePage(bigTeam, { range: "custom", from: "2000-01-01", older: cursor }, now);
        if (!("runs" in page.list) || !page.list.older) break;
        cursor = page.list.older;
      }
      console.log(row("  page 51 of three years' runs", await timeCalls(ROUNDS, () => loadUsagePage(bigTeam, { range: "custom", from: "2000-01-01", older: cursor }, now)), baseline));
    }

    // The CSV export of every run of the team (three years), read to the end as a browser would.
    const everything = { range: "custom" as const, from: "2000-01-01", to: now.toISOString().slice(0, 10) };
    const plainStart = performance.now();
    let plainRows = 0;
    let after: [Date, string] | null = null;
    for (;;) {
      const { rows }: { rows: { id: string; createdAt: Date }[] } = await pool.query(
        `SELECT r.* FROM "Run" r
          WHERE r."teamId" = $1 ${after ? `AND (r."createdAt", r."id") < ($2, $3)` : ""} ORDER BY r."createdAt" DESC, r."id" DESC LIMIT 10000`,
        after ? [team, ...after] : [team],
      );
      plainRows += rows.length;
      if (rows.length < 10_000) break;
      after = [rows[rows.length - 1].createdAt, rows[rows.length - 1].id];
    }
    const plainSeconds = (performance.now() - plainStart) / 1000;
    global.gc?.();
    const rssBefore = process.memoryUsage().rss;
    const exportStart = performance.now();
    const file = await drain(csvStreamResponse("runs.csv", RUN_COLUMNS, runRows({ ...bigTeam, slug: "big" }, everything, "newest")));
    const exportSeconds = (performance.now() - exportStart) / 1000;
    const rate = (file.lines - 1) / exportSeconds;
    const baselineRate = plainRows / plainSeconds;
    console.log(
      `\nCSV export of every run (${(file.lines - 1).toLocaleString("en-US")} rows, ${(file.bytes / 1e6).toFixed(0)} MB): ${exportSeconds.toFixed(1)} s, ` +
        `${Math.round(rate).toLocaleString("en-US")} rows/s (aim: 100,000) — ${(rate / baselineRate).toFixed(2)}× the rate of reading the same rows ` +
        `(every column) in the same 10,000-row pages with plain pg and no CSV (${Math.round(baselineRate).toLocaleString("en-US")} rows/s, baseline); ` +
        `memory (RSS) ${(rssBefore / 1e6).toFixed(0)} MB before, peak ${(file.peakRss / 1e6).toFixed(0)} MB`,
    );
    await closeDatabase();

    await benchInsights({ url: scratch.url, teamId: team, baseline, print: (label, timing, base) => console.log(row(label, timing, base)) });

    // The import of the platform's usage, into a team of its own beside the million runs: the app's client reads the
    // scratch database from DATABASE_URL from here on.
    process.env.DATABASE_URL = scratch.url;
    console.log("");
    await benchImport({ rows: Number(process.env.BENCH_IMPORT_ROWS ?? 100_000), perRowRows: Number(process.env.BENCH_IMPORT_PER_ROW_ROWS ?? 10_000) });
    await closeDatabase();
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
