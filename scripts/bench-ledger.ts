// `npm run bench:ledger`: admit+settle pairs per second and latency on PostgreSQL, beside plain single-row INSERT transactions.
// Uses BENCH_DATABASE_URL (or TEST_DATABASE_URL, or the local server) to create a scratch database, dropped afterwards.
import pg from "pg";
import { PrismaPg } from "@prisma/adapter-pg";
import { closeDatabase, db } from "@/lib/db/client";
import { deployMigrations } from "@/lib/db/migrations";
import { verifyLedger } from "@/lib/ledger/verify";
import { createScratchDatabase } from "./scratch-database";
import { makeTeams, measure, pair, row, SECONDS } from "./ledger-bench-support";

const CONCURRENCY = [1, 8, 32];

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
