// `npm run db:backup [-- file]` and `npm run db:restore -- file`: the embedded database's whole folder to one .tar.gz and
// back, while no Creditwise runs on it. With DATABASE_URL set, use pg_dump and pg_restore (README).
import { resolve } from "node:path";
import { backupEmbedded, restoreEmbedded } from "@/lib/db/backup";
import { databaseTarget, DataDirLockedError } from "@/lib/db/connection";

const [command, fileArgument] = process.argv.slice(2);
const target = databaseTarget();

function fail(message: string): never {
  console.error(`✖ ${message}`);
  process.exit(1);
}

if (target.kind !== "pglite" || !target.dataDir) {
  fail("DATABASE_URL is set: back up PostgreSQL with pg_dump (and restore with pg_restore), as the README shows.");
}
const dataDir = target.dataDir;

try {
  if (command === "backup") {
    const file = resolve(fileArgument ?? `.data/backups/creditwise-${new Date().toISOString().replace(/[:.]/g, "-")}.tar.gz`);
    const made = await backupEmbedded(dataDir, file);
    console.log(`Backed up ${dataDir} (${made.migrations} migrations) to ${made.file}: ${(made.bytes / 1_048_576).toFixed(1)} MiB.`);
  } else if (command === "restore") {
    if (!fileArgument) fail("Name the backup to restore: npm run db:restore -- .data/backups/creditwise-….tar.gz");
    const restored = await restoreEmbedded(dataDir, resolve(fileArgument));
    console.log(`Restored ${dataDir} from ${resolve(fileArgument)} (${restored.migrations} migrations).`);
    if (restored.keptAs) console.log(`The database it replaced is kept in ${restored.keptAs}; delete it once you no longer need it.`);
    console.log("Start Creditwise again with npm start: it applies any newer migrations.");
  } else {
    fail("Use npm run db:backup [-- file] or npm run db:restore -- file.");
  }
} catch (error) {
  if (error instanceof DataDirLockedError) fail(`${error.message} (${command === "restore" ? "A restore" : "A backup"} needs the database to itself; nothing was changed.)`);
  fail(error instanceof Error ? error.message : String(error));
}
