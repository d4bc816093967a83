// Backing up and restoring the embedded database (PGlite): a whole copy of its folder as one .tar.gz, taken and put
// back only while no app has the folder open (its lock file says which process does). PostgreSQL deployments use
// pg_dump and pg_restore instead (README).
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { lockDataDir } from "./connection";

/** The table every migrated Creditwise database has: what tells a Creditwise backup from any other tarball. */
const MIGRATIONS_TABLE = "_prisma_migrations";

async function migrationsApplied(client: PGlite): Promise<number> {
  const found = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM information_schema.tables WHERE table_name = '${MIGRATIONS_TABLE}'`);
  if (found.rows[0]?.n !== 1) return 0;
  const applied = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${MIGRATIONS_TABLE}" WHERE finished_at IS NOT NULL`);
  return applied.rows[0]?.n ?? 0;
}

export type BackupOutcome = { file: string; bytes: number; migrations: number };

/** Writes the whole embedded database in `dataDir` to `file` (gzip'd tar). Refused while an app has the folder open. */
export async function backupEmbedded(dataDir: string, file: string): Promise<BackupOutcome> {
  if (!existsSync(dataDir)) throw new Error(`There is no embedded database in ${dataDir}.`);
  const release = lockDataDir(dataDir);
  try {
    const client = await PGlite.create(dataDir);
    try {
      const migrations = await migrationsApplied(client);
      if (migrations === 0) throw new Error(`${dataDir} holds no Creditwise database (no migrations applied).`);
      const dump = await client.dumpDataDir("gzip");
      const bytes = Buffer.from(await dump.arrayBuffer());
      mkdirSync(dirname(file), { recursive: true });
      // Written beside its name first: a backup cut short never looks like a whole one.
      writeFileSync(`${file}.partial`, bytes);
      renameSync(`${file}.partial`, file);
      return { file, bytes: bytes.length, migrations };
    } finally {
      await client.close();
    }
  } finally {
    release();
  }
}

export type RestoreOutcome = { migrations: number; keptAs: string | null };

/**
 * Replaces the embedded database in `dataDir` with the backup in `file`. Refused while an app has the folder open.
 * The backup is unpacked and opened beside the folder first, so a file that is not a Creditwise backup changes
 * nothing; the database it replaces is kept, renamed, until you delete it.
 */
export async function restoreEmbedded(dataDir: string, file: string, now = new Date()): Promise<RestoreOutcome> {
  if (!existsSync(file)) throw new Error(`There is no backup file ${file}.`);
  const release = lockDataDir(dataDir);
  const staging = `${dataDir}.restoring`;
  try {
    rmSync(staging, { recursive: true, force: true });
    let migrations = 0;
    try {
      const client = await PGlite.create({ dataDir: staging, loadDataDir: new Blob([readFileSync(file)]) });
      try {
        migrations = await migrationsApplied(client);
      } finally {
        await client.close();
      }
    } catch (error) {
      rmSync(staging, { recursive: true, force: true });
      throw new Error(`${file} could not be read as a backup of the embedded database: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (migrations === 0) {
      rmSync(staging, { recursive: true, force: true });
      throw new Error(`${file} holds no Creditwise database (no migrations applied); nothing was changed.`);
    }
    let keptAs: string | null = null;
    if (existsSync(dataDir)) {
      keptAs = `${dataDir}.before-restore-${now.toISOString().replace(/[:.]/g, "-")}`;
      renameSync(dataDir, keptAs);
    }
    renameSync(staging, dataDir);
    return { migrations, keptAs };
  } finally {
    release();
  }
}
