// A fresh database for each test file: in-memory PGlite always, and PostgreSQL too when TEST_DATABASE_URL is set.
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { afterAll, beforeAll, describe, inject } from "vitest";
import { closeDatabase, useDatabase, type Db } from "@/lib/db/client";
import { databaseUrlFor } from "@/lib/db/connection";
import { PrismaClient } from "@/lib/db/generated/client";

export type DatabaseKind = "pglite" | "postgres";

export const databaseKinds: DatabaseKind[] = process.env.TEST_DATABASE_URL ? ["pglite", "postgres"] : ["pglite"];

export async function openFreshDatabase(kind: DatabaseKind): Promise<{ client: Db; close: () => Promise<void>; url?: string }> {
  if (kind === "pglite") {
    const snapshot = readFileSync(inject("pgliteSnapshot"));
    const pglite = await PGlite.create({ loadDataDir: new Blob([snapshot]) });
    const client = new PrismaClient({ adapter: new PrismaPGlite(pglite) });
    return {
      client,
      close: async () => {
        await client.$disconnect();
        await pglite.close();
      },
    };
  }
  const baseUrl = process.env.TEST_DATABASE_URL!;
  const template = inject("postgresTemplate");
  if (!template) throw new Error("TEST_DATABASE_URL is set but the global setup made no PostgreSQL template.");
  const name = template.replace(/_template$/, `_${randomBytes(4).toString("hex")}`);
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`);
  await admin.end();
  const url = databaseUrlFor(baseUrl, name);
  const client = new PrismaClient({ adapter: new PrismaPg({ connectionString: url, max: 40 }) });
  return {
    client,
    url,
    close: async () => {
      await client.$disconnect();
      const dropper = new pg.Client({ connectionString: baseUrl });
      await dropper.connect();
      await dropper.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await dropper.end();
    },
  };
}

/** Runs the block once per database kind, each time on a database of its own. */
export function describeEachDatabase(title: string, body: (kind: DatabaseKind) => void): void {
  for (const kind of databaseKinds) {
    describe(`${title} [${kind}]`, () => {
      beforeAll(async () => {
        const database = await openFreshDatabase(kind);
        useDatabase(database.client, database.close);
      });
      afterAll(async () => {
        await closeDatabase();
      });
      body(kind);
    });
  }
}
