// A database of its own for a benchmark, on the server BENCH_DATABASE_URL (or TEST_DATABASE_URL, or the local one)
// names: created empty, dropped afterwards whatever happened.
import { randomBytes } from "node:crypto";
import pg from "pg";
import { databaseUrlFor } from "@/lib/db/connection";

const server = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";

async function onServer(sql: string) {
  const client = new pg.Client({ connectionString: server });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export type ScratchDatabase = { name: string; url: string; drop: () => Promise<void> };

export async function createScratchDatabase(prefix = "cw_bench"): Promise<ScratchDatabase> {
  const name = `${prefix}_${randomBytes(4).toString("hex")}`;
  await onServer(`CREATE DATABASE "${name}"`);
  return { name, url: databaseUrlFor(server, name), drop: () => onServer(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`) };
}
