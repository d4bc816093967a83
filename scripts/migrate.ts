// Command line for migrations on the configured database: create (from schema changes), deploy, status.
import { relative } from "node:path";
import { parseArgs } from "node:util";
import { databaseTarget, openAdapter, type DatabaseTarget, type OpenedAdapter } from "../lib/db/connection.ts";
import { createMigration, deployMigrations, migrationNameProblem, migrationStatus } from "../lib/db/migrations.ts";

const USAGE = `Usage:
  tsx scripts/migrate.ts create --name <name>   write a migration for the schema's changes, then apply it
  tsx scripts/migrate.ts deploy                 apply pending migrations
  tsx scripts/migrate.ts status                 list pending migrations and problems (exit 1 if any)`;

function describeTarget(target: DatabaseTarget): string {
  if (target.kind === "postgres") {
    const url = new URL(target.url);
    return `PostgreSQL at ${url.host}${url.pathname}`;
  }
  if (!target.dataDir) return "an in-memory embedded database";
  return `the embedded database in ${relative(process.cwd(), target.dataDir) || "."}`;
}

async function deploy(database: OpenedAdapter): Promise<void> {
  const { applied } = await deployMigrations(database.factory);
  if (applied.length === 0) console.log("No pending migrations.");
  for (const name of applied) console.log(`Applied ${name}`);
}

async function status(database: OpenedAdapter): Promise<number> {
  const { applied, pending, problems } = await migrationStatus(database.factory);
  console.log(`${applied.length} applied, ${pending.length} pending.`);
  for (const name of pending) console.log(`Pending ${name}`);
  for (const problem of problems) console.log(`Problem: ${problem}`);
  if (pending.length > 0 && problems.length === 0) console.log("Run `npm run db:deploy` to apply them.");
  return pending.length > 0 || problems.length > 0 ? 1 : 0;
}

async function main(args: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args,
    allowPositionals: true,
    options: { name: { type: "string" }, help: { type: "boolean", short: "h" } },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const [command, ...extra] = positionals;
  if (!command || extra.length > 0 || !["create", "deploy", "status"].includes(command)) {
    console.error(USAGE);
    return 1;
  }
  if (command === "create") {
    const problem =
      values.name === undefined
        ? "Name the migration, e.g. npm run db:migrate -- --name add_teams"
        : migrationNameProblem(values.name);
    if (problem) {
      console.error(problem);
      return 1;
    }
  }

  const target = databaseTarget();
  // Opened first: if the app holds the embedded database, fail before writing any migration.
  const database = openAdapter(target);
  try {
    console.log(`Database: ${describeTarget(target)}`);
    if (command === "status") return await status(database);
    if (command === "create") {
      const { message } = await createMigration({ name: values.name! });
      console.log(message);
    }
    await deploy(database);
    return 0;
  } finally {
    await database.close();
  }
}

// Always exit explicitly: the schema engine and database drivers may leave timers behind.
main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  },
);
