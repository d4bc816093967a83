// Prepares the databases once per test run; every test file then gets fresh copies of them.
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { resolve } from "node:path";
import pg from "pg";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    pgliteSnapshot: string;
    postgresTemplate: string | null;
  }
}

export default async function setup(project: TestProject) {
  const runId = randomBytes(4).toString("hex");
  const baseUrl = process.env.TEST_DATABASE_URL;
  const template = baseUrl ? `cw_test_${runId}_template` : null;
  const output = execFileSync(resolve("node_modules/.bin/tsx"), ["test/prepare-databases.ts", ...(template ? [template] : [])], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
  });
  const { snapshot } = JSON.parse(output.trim().split("\n").at(-1)!) as { snapshot: string };
  project.provide("pgliteSnapshot", resolve(snapshot));
  project.provide("postgresTemplate", template);

  return async () => {
    if (!baseUrl) return;
    // Drop the template and any per-file database a crashed file left behind.
    const admin = new pg.Client({ connectionString: baseUrl });
    await admin.connect();
    try {
      const { rows } = await admin.query<{ datname: string }>(
        "SELECT datname FROM pg_database WHERE datname LIKE $1",
        [`cw_test_${runId}_%`],
      );
      for (const { datname } of rows) await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    } finally {
      await admin.end();
    }
  };
}
