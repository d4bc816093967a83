// Where an import's time goes in the database: the bench's import of BENCH_IMPORT_ROWS rows (10,000 by default) on a
// scratch database with track_functions = 'pl', then each ledger function's calls, total and self time per row.
// Run: npx tsx --conditions=react-server scripts/profile-usage-import.ts
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { closeDatabase } from "@/lib/db/client";
import { deployMigrations } from "@/lib/db/migrations";
import { benchImport } from "./bench-usage-import";
import { createScratchDatabase } from "./scratch-database";

async function main() {
  const scratch = await createScratchDatabase("cw_profile_import");
  const rows = Number(process.env.BENCH_IMPORT_ROWS ?? 10_000);
  try {
    const admin = new pg.Client({ connectionString: scratch.url });
    await admin.connect();
    await admin.query(`ALTER DATABASE "${scratch.name}" SET track_functions = 'pl'`);
    // PROFILE_EXPLAIN_MS=30: every statement (nested ones too) slower than that is written with its plan to the server's log.
    if (process.env.PROFILE_EXPLAIN_MS) {
      await admin.query(`ALTER DATABASE "${scratch.name}" SET session_preload_libraries = 'auto_explain'`);
      await admin.query(`ALTER DATABASE "${scratch.name}" SET auto_explain.log_min_duration = ${Number(process.env.PROFILE_EXPLAIN_MS)}`);
      await admin.query(`ALTER DATABASE "${scratch.name}" SET auto_explain.log_nested_statements = on`);
      await admin.query(`ALTER DATABASE "${scratch.name}" SET auto_explain.log_analyze = on`);
    }
    await admin.end();
    process.env.DATABASE_URL = scratch.url;
    process.env.DATABASE_POOL_SIZE = "10";
    await deployMigrations(new PrismaPg({ connectionString: scratch.url, max: 2 }));
    const reset = new pg.Client({ connectionString: scratch.url });
    await reset.connect();
    await reset.query(`SELECT pg_stat_reset()`);
    await reset.end();
    await benchImport({ rows });
    // Backends flush their statistics when they end.
    await closeDatabase();
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const reader = new pg.Client({ connectionString: scratch.url });
    await reader.connect();
    const { rows: functions } = await reader.query(
      `SELECT funcname, calls, total_time, self_time FROM pg_stat_user_functions ORDER BY self_time DESC`,
    );
    await reader.end();
    const perRow = (ms: number) => ((ms * 1000) / rows).toFixed(1).padStart(8);
    console.log(`${"function".padEnd(28)} ${"calls".padStart(9)} ${"total µs/row".padStart(13)} ${"self µs/row".padStart(12)}  (both imports: first, then all present)`);
    for (const f of functions) console.log(`${String(f.funcname).padEnd(28)} ${String(f.calls).padStart(9)} ${perRow(f.total_time).padStart(13)} ${perRow(f.self_time).padStart(12)}`);
  } finally {
    await closeDatabase();
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
