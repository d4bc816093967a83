// Backing up and restoring the embedded database: a round trip gives back what was backed up, keeps what it replaced,
// and nothing changes when the file is not a backup or when an app has the folder open.
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { backupEmbedded, restoreEmbedded } from "./backup";
import { DataDirLockedError } from "./connection";

async function withDatabase<T>(dataDir: string, body: (client: PGlite) => Promise<T>): Promise<T> {
  const client = await PGlite.create(dataDir);
  try {
    return await body(client);
  } finally {
    await client.close();
  }
}

const kites = (dataDir: string) => withDatabase(dataDir, async (client) => (await client.query<{ name: string }>("SELECT name FROM kite ORDER BY name")).rows.map((row) => row.name));

describe("backing up and restoring the embedded database", () => {
  let root: string;
  let dataDir: string;

  beforeEach(async () => {
    root = mkdtempSync(join(tmpdir(), "creditwise-backup-"));
    dataDir = join(root, "pglite");
    await withDatabase(dataDir, (client) =>
      client.exec(`
        CREATE TABLE "_prisma_migrations" (id text PRIMARY KEY, finished_at timestamptz);
        INSERT INTO "_prisma_migrations" VALUES ('1', now()), ('2', now());
        CREATE TABLE kite (name text);
        INSERT INTO kite VALUES ('red'), ('blue');`),
    );
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it("gives back what was backed up and keeps the database it replaced", async () => {
    const file = join(root, "backups", "one.tar.gz");
    const made = await backupEmbedded(dataDir, file);
    expect(made).toMatchObject({ file, migrations: 2 });
    expect(made.bytes).toBeGreaterThan(0);
    await withDatabase(dataDir, (client) => client.exec("DELETE FROM kite WHERE name = 'red'; INSERT INTO kite VALUES ('green');"));
    expect(await kites(dataDir)).toEqual(["blue", "green"]);

    const restored = await restoreEmbedded(dataDir, file, new Date("2026-12-06T12:00:00Z"));
    expect(restored.migrations).toBe(2);
    expect(await kites(dataDir)).toEqual(["blue", "red"]);
    // Nothing is lost: the database the restore replaced is kept beside it.
    expect(restored.keptAs).toBe(`${dataDir}.before-restore-2026-12-06T12-00-00-000Z`);
    expect(await kites(restored.keptAs!)).toEqual(["blue", "green"]);
    expect(readdirSync(root).filter((name) => name.endsWith(".restoring") || name.endsWith(".lock"))).toEqual([]);
  });

  it("changes nothing when the file is not a backup of a Creditwise database", async () => {
    const junk = join(root, "junk.tar.gz");
    writeFileSync(junk, "not a tarball at all");
    await expect(restoreEmbedded(dataDir, junk)).rejects.toThrow(/could not be read as a backup/);
    const other = join(root, "other");
    await withDatabase(other, (client) => client.exec("CREATE TABLE t (x int);"));
    const foreign = join(root, "foreign.tar.gz");
    await expect(backupEmbedded(other, foreign)).rejects.toThrow(/no Creditwise database/);
    expect(await kites(dataDir)).toEqual(["blue", "red"]);
    expect(readdirSync(root).sort()).toEqual(["junk.tar.gz", "other", "pglite"]);
  });

  it("refuses a backup or a restore while an app has the folder open, changing nothing", async () => {
    const file = join(root, "one.tar.gz");
    await backupEmbedded(dataDir, file);
    // A running app's lock: a live process (this test's parent) holds the folder.
    writeFileSync(`${dataDir}.lock`, String(process.ppid));
    await expect(restoreEmbedded(dataDir, file)).rejects.toBeInstanceOf(DataDirLockedError);
    await expect(backupEmbedded(dataDir, join(root, "two.tar.gz"))).rejects.toBeInstanceOf(DataDirLockedError);
    rmSync(`${dataDir}.lock`);
    expect(await kites(dataDir)).toEqual(["blue", "red"]);
    expect(readdirSync(root).sort()).toEqual(["one.tar.gz", "pglite"]);
  });
});
