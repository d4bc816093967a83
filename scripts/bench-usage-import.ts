// The usage import's speed: a runs file of 100,000 rows (by default) streamed in and recorded through the ledger, then
// the same file again (every row already present), each beside a baseline measured in the same run — one plain
// INSERT … SELECT generate_series of as many Run-sized rows — with the process's memory before, at the peak and after;
// then (BENCH_IMPORT_PER_ROW_ROWS, 10,000 by default) the recording of a smaller file through the per-row chunk this
// import had before cw_record_runs, beside the chunk as sets on the same file, both in this run.
// `benchImport()` works on the database the app is using (bench-usage.ts can call it after seeding); stand-alone
// (`npx tsx --conditions=react-server scripts/bench-usage-import.ts`) it makes a scratch database of its own.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { PrismaPg } from "@prisma/adapter-pg";
import { closeDatabase, db } from "@/lib/db/client";
import { deployMigrations } from "@/lib/db/migrations";
import type { TeamContext } from "@/lib/authz/team";
import { stageUpload, startImport } from "@/lib/imports/commands";
import { importTimings, processImportJob } from "@/lib/imports/process";
import { getImportJob } from "@/lib/imports/queries";
import { addGrant } from "@/lib/ledger/commands";
import { verifyLedger } from "@/lib/ledger/verify";
import { createScratchDatabase } from "./scratch-database";

export type ImportBenchResult = {
  rows: number;
  baselineRowsPerSecond: number;
  uploadRowsPerSecond: number;
  recordRowsPerSecond: number;
  firstRowsPerSecond: number;
  againRowsPerSecond: number;
  heapBeforeMb: number;
  heapPeakMb: number;
  heapAfterMb: number;
  rssPeakMb: number;
  verify: "clean" | string;
  /** Recording a file of perRowRows rows: through the per-row chunk of before, and as sets. */
  perRowRecordRowsPerSecond?: number;
  setsRecordRowsPerSecond?: number;
};

const MODELS = [
  ["Qwen Image", "resolution=1k", 20],
  ["SDXL", "", 40],
  ["Flux 2 Dev", "resolution=1k", 50],
  ["Wan 2.5 Fast", "duration=5; resolution=720p", 60],
  ["Speech HD", "characters=1000", 40],
  ["Flux 2 Pro", "resolution=1k", 120],
] as const;

/** A runs file of `rows` rows, made as it is read (never whole in memory), oldest first, a third without external id. */
async function* runsFile(rows: number, emails: string[], end: Date) {
  yield Buffer.from("date,user email,model,settings,quantity,credits,stage,outcome,project,prompt,external id\n");
  const start = end.getTime() - 300 * 24 * 3600 * 1000;
  const step = (end.getTime() - start) / rows;
  let lines: string[] = [];
  for (let i = 0; i < rows; i++) {
    const [model, settings, credits] = MODELS[i % MODELS.length];
    const quantity = 1 + (i % 4);
    // Premium runs as drafts: a premium final recorded without approval raises an alert per run, which is not what is measured.
    const stage = model === "Flux 2 Pro" ? "draft" : ["test", "draft", "final"][i % 3];
    const at = new Date(start + i * step).toISOString();
    const id = i % 3 === 0 ? "" : `bench-${i}`;
    lines.push(`${at},${emails[i % emails.length]},${model},${settings},${quantity},${credits * quantity},${stage},${["accepted", "rejected", "needs edit"][i % 3]},,Prompt ${i % 500} for a bench run,${id}`);
    if (lines.length === 1_000) {
      yield Buffer.from(`${lines.join("\n")}\n`);
      lines = [];
    }
  }
  if (lines.length > 0) yield Buffer.from(`${lines.join("\n")}\n`);
}

const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;

/** A new team of the app's database with five people, a project and credits enough for any bench. */
async function benchTeam(now: Date) {
  const suffix = Math.random().toString(36).slice(2, 8);
  const team = await db().team.create({ data: { slug: `bench-import-${suffix}`, name: "Import bench", timeZone: "Europe/Berlin" } });
  const people = [];
  for (let i = 0; i < 5; i++) {
    const user = await db().user.create({ data: { name: `Bench ${i}`, email: `bench-import-${suffix}-${i}@example.test` }, select: { id: true, email: true, name: true } });
    await db().membership.create({ data: { teamId: team.id, userId: user.id, role: i === 0 ? "owner" : "member" } });
    people.push(user);
  }
  const project = await db().project.create({ data: { teamId: team.id, name: "Bench project" } });
  const ctx: TeamContext = { user: people[0], team: { id: team.id, slug: team.slug, name: team.name, timeZone: team.timeZone }, role: "owner" };
  await addGrant(ctx, { amount: 900_000_000, source: "Top-up", note: "bench" }, new Date(now.getTime() - 400 * 24 * 3600 * 1000));
  return { team, project, ctx, emails: people.map((person) => person.email) };
}

type BenchTeam = Awaited<ReturnType<typeof benchTeam>>;

/** Streams a generated file of `rows` rows into a job of the team and records it: the job and the seconds each part took. */
async function importOnce({ team, project, ctx, emails }: BenchTeam, name: string, rows: number, now: Date) {
  const started = performance.now();
  const { jobId } = await stageUpload(ctx, name, runsFile(rows, emails, now), now);
  const staged = performance.now();
  await startImport(ctx, { jobId, projectId: project.id, stage: "test", outcome: "accepted", purpose: "internal_review" }, now);
  await processImportJob(jobId);
  const done = performance.now();
  const job = (await getImportJob(team.id, jobId))!;
  return { job, upload: (staged - started) / 1000, record: (done - staged) / 1000, total: (done - started) / 1000 };
}

/** The per-row chunk this import had before cw_record_runs, read from its migration. */
function perRowChunk(): string {
  const text = readFileSync(join(import.meta.dirname, "../prisma/migrations/20261206142743_usage_import/migration.sql"), "utf8");
  return text.slice(text.indexOf("CREATE FUNCTION cw_import_chunk("));
}

/**
 * Recording speed of the per-row chunk of before and of the chunk as sets, on the same file of `rows` rows in two new
 * teams, in this run: the per-row function stands in for cw_import_chunk meanwhile, and the set-based one is put back.
 */
async function comparePerRow(rows: number, now: Date): Promise<{ perRow: number; sets: number }> {
  await db().$executeRawUnsafe(`ALTER FUNCTION cw_import_chunk(TEXT, TEXT, JSONB, TIMESTAMP) RENAME TO cw_import_chunk_sets`);
  let perRow: number;
  try {
    await db().$executeRawUnsafe(perRowChunk());
    perRow = rows / (await importOnce(await benchTeam(now), "per-row.csv", rows, now)).record;
  } finally {
    await db().$executeRawUnsafe(`DROP FUNCTION IF EXISTS cw_import_chunk(TEXT, TEXT, JSONB, TIMESTAMP)`);
    await db().$executeRawUnsafe(`ALTER FUNCTION cw_import_chunk_sets(TEXT, TEXT, JSONB, TIMESTAMP) RENAME TO cw_import_chunk`);
  }
  const sets = rows / (await importOnce(await benchTeam(now), "sets.csv", rows, now)).record;
  return { perRow, sets };
}

/**
 * Imports a generated runs file of `rows` rows twice into a new team of the app's database, and answers the figures;
 * with `perRowRows`, also records a file of that size through the per-row chunk of before and through the chunk as sets.
 */
export async function benchImport(options: { rows?: number; perRowRows?: number; log?: (line: string) => void } = {}): Promise<ImportBenchResult> {
  const rows = options.rows ?? 100_000;
  const log = options.log ?? console.log;
  const now = new Date();
  const bench = await benchTeam(now);

  // Baseline: the same number of Run-sized rows written by one set-based statement, no ledger, no checks.
  await db().$executeRawUnsafe(`CREATE UNLOGGED TABLE bench_import_baseline (LIKE "Run" INCLUDING DEFAULTS)`);
  const baselineStart = performance.now();
  await db().$executeRawUnsafe(`
    INSERT INTO bench_import_baseline ("id", "teamId", "projectId", "userId", "modelId", "modelName", "outputType", "tier", "quantity",
        "stage", "purpose", "estimate", "priceListVersion", "state", "actual", "outcome", "prompt", "notes", "createdAt", "settledAt")
      SELECT 'run_' || g, 'team', 'project', 'user', 'qwen-image', 'Qwen Image', 'image', 'budget', 1 + g % 4, 'test', 'internal_review',
        20 * (1 + g % 4), 0, 'settled', 20 * (1 + g % 4), 'accepted', 'Prompt ' || (g % 500), 'Imported from bench.csv, line ' || g,
        now() - (g || ' seconds')::interval, now()
      FROM generate_series(1, ${rows}) g`);
  const baselineSeconds = (performance.now() - baselineStart) / 1000;
  await db().$executeRawUnsafe(`DROP TABLE bench_import_baseline`);

  let peak = process.memoryUsage();
  const sampler = setInterval(() => {
    const usage = process.memoryUsage();
    if (usage.heapUsed > peak.heapUsed) peak = { ...peak, heapUsed: usage.heapUsed };
    if (usage.rss > peak.rss) peak = { ...peak, rss: usage.rss };
  }, 20);
  const heapBefore = process.memoryUsage().heapUsed;
  peak = process.memoryUsage();

  importTimings.readMs = 0;
  importTimings.decideMs = 0;
  importTimings.ledgerMs = 0;
  let first: Awaited<ReturnType<typeof importOnce>>;
  let again: Awaited<ReturnType<typeof importOnce>>;
  try {
    first = await importOnce(bench, "bench.csv", rows, now);
    log(`first import, per row: ${(importTimings.readMs / rows * 1000).toFixed(0)} µs taking the chunk's rows, ${(importTimings.decideMs / rows * 1000).toFixed(0)} µs deciding and pricing in the app, ${(importTimings.ledgerMs / rows * 1000).toFixed(0)} µs in cw_import_chunk (the ledger's record)`);
    again = await importOnce(bench, "bench-again.csv", rows, now);
  } finally {
    clearInterval(sampler);
  }
  const heapAfter = process.memoryUsage().heapUsed;
  const differences = await verifyLedger(db(), bench.team.id, new Date());
  const compared = options.perRowRows ? await comparePerRow(options.perRowRows, now) : null;
  const result: ImportBenchResult = {
    rows,
    baselineRowsPerSecond: rows / baselineSeconds,
    uploadRowsPerSecond: rows / first.upload,
    recordRowsPerSecond: rows / first.record,
    firstRowsPerSecond: rows / first.total,
    againRowsPerSecond: rows / again.total,
    heapBeforeMb: mb(heapBefore),
    heapPeakMb: mb(peak.heapUsed),
    heapAfterMb: mb(heapAfter),
    rssPeakMb: mb(peak.rss),
    verify: differences.length === 0 ? "clean" : `${differences.length} differences`,
    perRowRecordRowsPerSecond: compared?.perRow,
    setsRecordRowsPerSecond: compared?.sets,
  };
  const ratio = (value: number) => `${(value / result.baselineRowsPerSecond).toFixed(3)}× baseline`;
  const line = (label: string, value: number, withRatio = true) => `${label.padEnd(52)} ${Math.round(value).toLocaleString("en-US").padStart(10)} rows/s${withRatio ? `  ${ratio(value)}` : ""}`;
  log(`Usage import of ${rows.toLocaleString("en-US")} rows (runs layout), PostgreSQL`);
  log(line("baseline: INSERT … SELECT generate_series (Run rows)", result.baselineRowsPerSecond, false));
  log(line("first import: upload (stream → staged rows)", result.uploadRowsPerSecond));
  log(line("first import: recording through the ledger", result.recordRowsPerSecond));
  log(line("first import: whole (upload + recording)", result.firstRowsPerSecond));
  log(line("same file again: whole (all already present)", result.againRowsPerSecond));
  log(`first import: ${first.job.imported.toLocaleString("en-US")} imported, ${first.job.refused} refused; again: ${again.job.present.toLocaleString("en-US")} already present, ${again.job.imported} imported`);
  if (compared) {
    const size = options.perRowRows!.toLocaleString("en-US");
    log(line(`${size} rows: recording, per-row chunk (before)`, compared.perRow));
    log(line(`${size} rows: recording, chunk as sets (now)`, compared.sets));
    log(`${size} rows: recording as sets is ${(compared.sets / compared.perRow).toFixed(1)}× the per-row chunk`);
  }
  log(`heap: ${result.heapBeforeMb} MB before, ${result.heapPeakMb} MB at the peak, ${result.heapAfterMb} MB after; rss peak ${result.rssPeakMb} MB`);
  log(`verify: ${result.verify}`);
  if (first.job.imported !== rows || again.job.present !== rows || again.job.imported !== 0) throw new Error("the import bench did not import every row exactly once");
  return result;
}

async function main() {
  const scratch = await createScratchDatabase("cw_bench_import");
  try {
    process.env.DATABASE_URL = scratch.url;
    process.env.DATABASE_POOL_SIZE = "10";
    await deployMigrations(new PrismaPg({ connectionString: scratch.url, max: 2 }));
    const result = await benchImport({
      rows: Number(process.env.BENCH_IMPORT_ROWS ?? 100_000),
      perRowRows: Number(process.env.BENCH_IMPORT_PER_ROW_ROWS ?? 10_000),
    });
    if (result.verify !== "clean") process.exitCode = 1;
  } finally {
    await closeDatabase();
    await scratch.drop();
  }
}

if (process.argv[1]?.endsWith("bench-usage-import.ts")) {
  main().then(
    () => process.exit(process.exitCode ?? 0),
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
}
