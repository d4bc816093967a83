// The embedded database (PGlite) after a crash: `npm start` killed with kill -9 in the middle of a storm of writes,
// started again (it must clear the stale lock and open the data), the clients' resends answered, a graceful stop
// releasing the lock, and the data checked as after any storm.
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { closeDatabase, openDatabase, useDatabase as pointDatabaseAt } from "@/lib/db/client";
import { isAlive, openAdapter } from "@/lib/db/connection";
import { deployMigrations } from "@/lib/db/migrations";
import { checkAfterStorm, type Check } from "./checks";
import { cookieHeader, signIn } from "../app-server";
import { startInstance, type Instance } from "./instances";
import { storm } from "./storm";
import { PASSWORD, setupClusterTeam } from "./team";

const PORT = Number(process.env.CLUSTER_PORT ?? 3470) + 5;

/** Waits (up to 10 s) for a killed process to be gone: the kernel takes a moment to end a process group. */
async function gone(pid: number): Promise<boolean> {
  for (let waited = 0; waited < 10_000 && isAlive(pid); waited += 100) await new Promise((resolve) => setTimeout(resolve, 100));
  return !isAlive(pid);
}

export async function embeddedCrashCheck(check: Check): Promise<void> {
  const folder = mkdtempSync(join(tmpdir(), "cw-cluster-embedded-"));
  const dataDir = join(folder, "pglite");
  delete process.env.DATABASE_URL;
  let instance: Instance | null = null;
  try {
    // The team and its keys, written before the app opens the folder (PGlite serves one process).
    const migrating = openAdapter({ kind: "pglite", dataDir });
    await deployMigrations(migrating.factory);
    await migrating.close();
    const opened = openDatabase({ kind: "pglite", dataDir });
    pointDatabaseAt(opened.client, opened.close);
    const team = await setupClusterTeam(2);
    await closeDatabase();

    const env = { PGLITE_DATA_DIR: dataDir, DATABASE_URL: "", SKIP_BUILD: "1", AUTH_SECRET: undefined, SMTP_URL: undefined, OUTBOX_INTERVAL_MS: "1000", API_RATE_LIMIT_PER_MINUTE: "1000000", API_IDEMPOTENCY_TAKEOVER_MS: "6000" };
    const start = () => startInstance("npm start (embedded)", PORT, env, { file: process.execPath, args: ["scripts/start.mjs"] });
    instance = await start();
    const approverCookie = cookieHeader(await signIn(instance.origin, team.approverEmail, PASSWORD));
    const origin = instance.origin;
    let stopAt = Number.POSITIVE_INFINITY;
    const writes = storm({ team, live: () => [origin], clients: 6, until: () => Date.now() > stopAt, approverCookie: () => approverCookie });

    await new Promise((resolve) => setTimeout(resolve, 4_000));
    const lockPath = `${dataDir}.lock`;
    await instance.kill();
    instance = null;
    const stalePid = existsSync(lockPath) ? Number.parseInt(readFileSync(lockPath, "utf8"), 10) : null;
    check(stalePid !== null && (await gone(stalePid)), "kill -9 left the lock of a process that is gone", `lock pid ${stalePid}`);

    const restarted = Date.now();
    instance = await start();
    check(true, "`npm start` cleared the stale lock and opened the data", `answering ${((Date.now() - restarted) / 1000).toFixed(1)} s after the restart`);
    stopAt = Date.now() + 2_000;
    const record = await writes;
    console.log(`  · writes: ${JSON.stringify(record.counts)}`);

    const exit = await instance.terminate();
    instance = null;
    check(exit.code !== null && !existsSync(lockPath), "a graceful stop released the lock", `exit ${exit.code ?? exit.signal} after ${(exit.ms / 1000).toFixed(1)} s`);

    const reopened = openDatabase({ kind: "pglite", dataDir });
    pointDatabaseAt(reopened.client, reopened.close);
    await checkAfterStorm(record, team, check);
  } finally {
    await instance?.kill().catch(() => undefined);
    await closeDatabase();
    rmSync(folder, { recursive: true, force: true });
  }
}
