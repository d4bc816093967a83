// `npm start` (and `npm run dev`): build if needed, migrate, add demo data to an empty embedded database, serve.
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const dev = process.argv.includes("--dev");
const bin = (name) => join(root, "node_modules", ".bin", name);
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1" };
const port = env.PORT ?? "3000";
const embedded = !env.DATABASE_URL;
const dataDir = resolve(root, env.PGLITE_DATA_DIR ?? ".data/pglite");

function fail(message) {
  console.error(`\n✖ ${message}\n`);
  process.exit(1);
}

function step(label, command, args) {
  console.log(`▸ ${label}`);
  const result = spawnSync(command, args, { cwd: root, env, stdio: "inherit" });
  if (result.status !== 0) fail(`${label} failed (exit ${result.status ?? result.signal}).`);
}

// The embedded database serves one process; say so before spending time on a build.
function checkDataDirFree() {
  const lockPath = `${dataDir}.lock`;
  if (!existsSync(lockPath)) return;
  const pid = Number.parseInt(readFileSync(lockPath, "utf8").trim(), 10);
  try {
    process.kill(pid, 0);
  } catch (error) {
    if (error.code !== "EPERM") return; // stale: the process is gone, the lock is cleared on open
  }
  // Killed but not reaped (a zombie, in a container whose first process reaps nothing): as good as gone.
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    if (stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) === "Z") return;
  } catch {
    // no /proc: signal 0 is all there is
  }
  fail(
    `The embedded database in ${dataDir} is already in use by process ${pid}.\n` +
      "  Stop the other Creditwise first, or set PGLITE_DATA_DIR to another folder, or DATABASE_URL for PostgreSQL.",
  );
}

function ensureAuthSecret() {
  if (env.AUTH_SECRET) return;
  if (!embedded && !dev) {
    fail("AUTH_SECRET is required when DATABASE_URL is set. Generate one with: openssl rand -base64 33");
  }
  // Embedded mode keeps a generated secret beside its data, so sessions survive restarts.
  const secretPath = join(dirname(dataDir), "auth-secret");
  if (!existsSync(secretPath)) {
    mkdirSync(dirname(secretPath), { recursive: true });
    writeFileSync(secretPath, randomBytes(33).toString("base64"), { mode: 0o600 });
  }
  env.AUTH_SECRET = readFileSync(secretPath, "utf8").trim();
}

const SOURCES = ["app", "components", "lib", "public", "next.config.ts", "proxy.ts", "package.json", "postcss.config.mjs", "tsconfig.json"];

function newestSourceTime(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestSourceTime(join(path, entry)));
  return newest;
}

function buildIsCurrent() {
  const buildId = join(root, ".next", "BUILD_ID");
  if (!existsSync(buildId)) return false;
  const built = statSync(buildId).mtimeMs;
  return SOURCES.every((source) => newestSourceTime(join(root, source)) <= built);
}

if (embedded) checkDataDirFree();
ensureAuthSecret();

if (!dev) {
  if (env.SKIP_BUILD === "1" || buildIsCurrent()) console.log("▸ Build is up to date");
  else step("Building the app", bin("next"), ["build"]);
}
step(embedded ? `Migrating the embedded database (${dataDir})` : "Migrating the database", bin("tsx"), ["scripts/migrate.ts", "deploy"]);
if (embedded) step("Checking for demo data", bin("tsx"), ["--conditions=react-server", "scripts/seed.ts", "--if-empty"]);

const server = spawn(bin("next"), [dev ? "dev" : "start", "--port", port], { cwd: root, env, stdio: "inherit" });
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => server.kill(signal));
server.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
