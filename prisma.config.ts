// Prisma CLI configuration: one schema, migrations applied by scripts/migrate.ts.
import { existsSync } from "node:fs";
import { defineConfig } from "prisma/config";

// `prisma generate` never runs the schema engine, but the CLI still tries to
// download one at start-up; offline that fails. Point it at any existing file,
// and only for `generate`, so a connected machine keeps the normal behaviour.
const command = process.argv.slice(2).find((arg) => !arg.startsWith("-"));
if (command === "generate" && !process.env.PRISMA_SCHEMA_ENGINE_BINARY) {
  if (existsSync(process.execPath)) process.env.PRISMA_SCHEMA_ENGINE_BINARY = process.execPath;
}

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
});
