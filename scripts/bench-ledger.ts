// `npm run bench:ledger`: admit+settle pairs per second and latency on PostgreSQL, beside plain single-row INSERT transactions.
// Uses BENCH_DATABASE_URL (or TEST_DATABASE_URL, or the local server) to create a scratch database, dropped afterwards.
import { randomBytes } from "node:crypto";
import pg from "pg";
import { PrismaPg } from "@prisma/adapter-pg";
import type { TeamContext } from "@/lib/authz/team";
import { closeDatabase, db } from "@/lib/db/client";
import { deployMigrations } from "@/lib/db/migrations";
import { addGrant, admitRun, settleRun } from "@/lib/ledger/commands";
import { setProjectBudget } from "@/lib/ledger/budgets";
import { verifyLedger } from "@/lib/ledger/verify";
import { createScratchDatabase } from "./scratch-database";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 4);
const CONCURRENCY = [1, 8, 32];

type Result = { operations: number; seconds: number; perSecond: number; p50: number; p99: number };

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** Runs `operation` from `concurrency` loops for about SECONDS and measures each call. */
async function measure(concurrency: number, operation: (worker: number, i: number) => Promise<void>): Promise<Result> {
  const latencies: number[] = [];
  const deadline = performance.now() + SECONDS * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async (_, worker) => {
      for (let i = 0; performance.now() < deadline; i++) {
        const t = performance.now();
        await operation(worker, i);
        latencies.push(performance.now() - t);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { operations: latencies.length, seconds, perSecond: latencies.length / seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
}

async function makeTeams(count: number): Promise<TeamContext[]> {
  const contexts: TeamContext[] = [];
  for (let i = 0; i < count; i++) {
    const suffix = randomBytes(4).toString("hex");
    const user = await db().user.create({ data: { email: `bench-${suffix}@example.test`, name: `Bench ${suffix}` }, select: { id: true, email: true, name: true } });
    const team = await db().team.create({ data: { slug: `bench-${suffix}`, name: `Bench ${suffix}`, timeZone: "Europe/Berlin" }, select: { id: true, slug: true, name: true, timeZone: true } });
    await db().membership.create({ data: { teamId: team.id, userId: user.id, role: "admin" } });
    const project = await db().project.create({ data: { teamId: team.id, name: "Bench" }, select: { id: true } });
    const ctx: TeamContext = { user, team, role: "admin" };
    await addGrant(ctx, { amount: 100_000_000, source: "Top-up", note: "bench" });
    await setProjectBudget(ctx, { projectId: project.id, credits: 50_000_000, period: "month", weekStartsOn: 1, alertPercent: 80, hardCap: true });
    contexts.push(Object.assign(ctx, { projectId: project.id }));
  }
  return contexts;
}

async function pair(ctx: TeamContext & { projectId?: string }) {
  const run = await admitRun(ctx, { projectId: ctx.projectId!, modelId: "qwen-image", settings: {}, quantity: 5, stage: "test", purpose: "internal_review", notes: "" });
  if (run.status !== "admitted") throw new Error(`bench run not admitted: ${run.status === "denied" ? run.reason : run.status}`);
  await settleRun(ctx, { runId: run.runId, actual: 80, outcome: "accepted" });
}

function row(label: string, r: Result, baseline?: Result) {
  const ratio = baseline ? `  ${(r.perSecond / baseline.perSecond).toFixed(2)}× baseline` : "";
  return `${label.padEnd(34)} ${r.perSecond.toFixed(0).padStart(7)}/s  p50 ${r.p50.toFixed(1).padStart(6)} ms  p99 ${r.p99.toFixed(1).padStart(6)} ms  (${r.operations} in ${r.seconds.toFixed(1)} s)${ratio}`;
}

async function main() {
  const scratch = await createScratchDatabase();
  try {
    process.env.DATABASE_URL = scratch.url;
    process.env.DATABASE_POOL_SIZE = "40";
    await deployMigrations(new PrismaPg({ connectionString: scratch.url, max: 2 }));

    const baselinePool = new pg.Pool({ connectionString: scratch.url, max: 40 });
    await baselinePool.query(`CREATE TABLE bench_baseline (id BIGSERIAL PRIMARY KEY, team TEXT NOT NULL, amount INT NOT NULL, created_at TIMESTAMP(3) NOT NULL DEFAULT now())`);
    const insertTx = async () => {
      const client = await baselinePool.connect();
      try {
        await client.query("BEGIN");
        await client.query("INSERT INTO bench_baseline (team, amount) VALUES ($1, $2)", ["t", 100]);
        await client.query("COMMIT");
      } finally {
        client.release();
      }
    };

    const [busy] = await makeTeams(1);
    const many = await makeTeams(100);
    console.log(`Ledger benchmark on PostgreSQL (${SECONDS} s per row; one pair = admit + settle, two transactions)\n`);
    for (const concurrency of CONCURRENCY) {
      const baseline = await measure(concurrency, insertTx);
      const oneTeam = await measure(concurrency, () => pair(busy));
      const hundred = await measure(concurrency, (worker, i) => pair(many[(worker * 7 + i) % many.length]));
      console.log(`concurrency ${concurrency}`);
      console.log(row("  baseline: INSERT transactions", baseline));
      console.log(row("  one busy team: pairs", oneTeam, baseline));
      console.log(row("  100 teams: pairs", hundred, baseline));
    }
    await baselinePool.end();

    const differences = await verifyLedger(db());
    const overspent = await db().$queryRaw<{ n: number }[]>`
      SELECT COUNT(*)::int AS n FROM "TeamCredits" c JOIN "ProjectBudget" b ON b."teamId" = c."teamId"
      WHERE c."balance" < 0 OR c."held" < 0`;
    console.log(`\nverify: ${differences.length === 0 ? "clean" : `${differences.length} differences`}; teams overspent: ${overspent[0].n}`);
    if (differences.length > 0 || overspent[0].n > 0) process.exitCode = 1;
  } finally {
    await closeDatabase();
    await scratch.drop();
  }
}

main().then(
  () => process.exit(process.exitCode ?? 0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
