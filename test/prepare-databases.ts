// Child process of the test global setup: builds a migrated PGlite snapshot and, with TEST_DATABASE_URL, a migrated PostgreSQL template.
// It runs apart because the schema engine leaves work behind that would keep vitest's setup from ending.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { databaseUrlFor } from "../lib/db/connection.ts";
import { deployMigrations } from "../lib/db/migrations.ts";

const MIGRATIONS = "prisma/migrations";

function migrationsHash(): string {
  const hash = createHash("sha256");
  for (const entry of readdirSync(MIGRATIONS).sort()) {
    const file = join(MIGRATIONS, entry, "migration.sql");
    if (existsSync(file)) hash.update(entry).update(readFileSync(file));
  }
  return hash.digest("hex").slice(0, 16);
}

async function pgliteSnapshot(): Promise<string> {
  const dir = ".data/test";
  const path = join(dir, `snapshot-${migrationsHash()}.tar.gz`);
  if (existsSync(path)) return path;
  const client = await PGlite.create();
  await deployMigrations(new PrismaPGlite(client));
  const dump = await client.dumpDataDir("gzip");
  mkdirSync(dir, { recursive: true });
  writeFileSync(path, Buffer.from(await dump.arrayBuffer()));
  await client.close();
  return path;
}

async function postgresTemplate(baseUrl: string, template: string): Promise<void> {
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${template}"`);
    await admin.query(`CREATE DATABASE "${template}"`);
  } finally {
    await admin.end();
  }
  const factory = new PrismaPg({ connectionString: databaseUrlFor(baseUrl, template), max: 2 });
  await deployMigrations(factory);
}

const [template] = process.argv.slice(2);
try {
  const snapshot = await pgliteSnapshot();
  if (process.env.TEST_DATABASE_URL && template) await postgresTemplate(process.env.TEST_DATABASE_URL, template);
  console.log(JSON.stringify({ snapshot }));
  process.exit(0);
} catch (error) {
  console.error(error);
  process.exit(1);
}
