// Chooses and opens the database: embedded PGlite by default, a PostgreSQL server when DATABASE_URL is set.
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import type { SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import { PrismaPGlite } from "pglite-prisma-adapter";

export type DatabaseTarget =
  | { kind: "postgres"; url: string }
  | { kind: "pglite"; dataDir: string | null };

/** The embedded database's folder, relative to the working directory unless absolute. */
export function pgliteDataDir(env: Record<string, string | undefined> = process.env): string {
  // Chosen at run time, never part of the build output.
  return resolve(/*turbopackIgnore: true*/ env.PGLITE_DATA_DIR ?? ".data/pglite");
}

export function databaseTarget(env: Record<string, string | undefined> = process.env): DatabaseTarget {
  const url = env.DATABASE_URL?.trim();
  if (url) {
    if (!/^postgres(ql)?:\/\//.test(url)) {
      throw new Error("DATABASE_URL must be a postgresql:// URL; leave it unset to use the embedded database.");
    }
    return { kind: "postgres", url };
  }
  return { kind: "pglite", dataDir: pgliteDataDir(env) };
}

/** The URL of another database on the same PostgreSQL server (tests and benchmarks make their own). */
export function databaseUrlFor(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

export class DataDirLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly pid: number,
  ) {
    super(
      `The embedded database in ${dataDir} is already open in process ${pid}. ` +
        "PGlite serves one process per folder: stop the other Creditwise process first, " +
        "or set DATABASE_URL to use a PostgreSQL server.",
    );
    this.name = "DataDirLockedError";
  }
}

/**
 * Whether the process that wrote a lock still runs. A zombie (killed, not yet reaped: a container whose first process
 * reaps nothing) holds no folder, though signal 0 still reaches it; Linux says so in /proc.
 */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM means the process exists but belongs to someone else.
    if ((error as NodeJS.ErrnoException).code !== "EPERM") return false;
  }
  try {
    // The state follows the name, which may hold anything, so it is read after the last ")".
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return true; // no /proc (not Linux): signal 0 is all there is
  }
}

const heldLocks = new Map<string, () => void>();

/**
 * Takes the exclusive lock on a PGlite folder. PGlite does not notice a second
 * opener, and two processes on one folder silently lose each other's writes,
 * so the lock file (with our pid) is what keeps a second server out.
 */
export function lockDataDir(dataDir: string): () => void {
  const existing = heldLocks.get(dataDir);
  if (existing) return existing;
  const lockPath = `${dataDir}.lock`;
  mkdirSync(dirname(lockPath), { recursive: true });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lockPath, "wx");
      writeSync(fd, String(process.pid));
      closeSync(fd);
      const release = () => {
        heldLocks.delete(dataDir);
        try {
          if (readFileSync(lockPath, "utf8").trim() === String(process.pid)) rmSync(lockPath);
        } catch {
          // Already gone: nothing to release.
        }
      };
      heldLocks.set(dataDir, release);
      process.once("exit", release);
      return release;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const pid = Number.parseInt(readFileSync(lockPath, "utf8").trim(), 10);
      if (Number.isInteger(pid) && pid !== process.pid && isAlive(pid)) {
        throw new DataDirLockedError(dataDir, pid);
      }
      // A stale lock from a process that died without cleaning up.
      rmSync(lockPath, { force: true });
    }
  }
  throw new Error(`Could not lock ${dataDir}.`);
}

export type OpenedAdapter = {
  factory: SqlMigrationAwareDriverAdapterFactory;
  close: () => Promise<void>;
};

/** Opens a driver-adapter factory for the target; the caller closes it when done. */
export function openAdapter(target: DatabaseTarget = databaseTarget()): OpenedAdapter {
  if (target.kind === "postgres") {
    const factory = new PrismaPg({ connectionString: target.url, max: poolSize() });
    return { factory, close: async () => {} };
  }
  let release = () => {};
  if (target.dataDir) {
    release = lockDataDir(target.dataDir);
    mkdirSync(target.dataDir, { recursive: true });
  }
  const client = new PGlite(target.dataDir ?? undefined);
  return {
    factory: new PrismaPGlite(client),
    close: async () => {
      await client.close();
      release();
    },
  };
}

function poolSize(): number {
  const size = Number.parseInt(process.env.DATABASE_POOL_SIZE ?? "", 10);
  return Number.isInteger(size) && size > 0 ? size : 10;
}
