// A PostgreSQL server of the harness's own (initdb in a temporary folder, its own port), so a fault test can restart
// it without touching the machine's server that other work uses. PostgreSQL refuses to run as root: as root the
// commands run as the `postgres` user.
import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

function binDir(): string {
  const root = "/usr/lib/postgresql";
  const versions = existsSync(root) ? readdirSync(root).sort((a, b) => Number(b) - Number(a)) : [];
  const found = versions.map((version) => join(root, version, "bin")).find((dir) => existsSync(join(dir, "initdb")));
  if (!found) throw new Error("PostgreSQL's server programs (initdb, pg_ctl) were not found under /usr/lib/postgresql.");
  return found;
}

const asRoot = process.getuid?.() === 0;

function run(program: string, args: string[]): string {
  const [command, argv] = asRoot ? ["runuser", ["-u", "postgres", "--", program, ...args]] : [program, args];
  const result = spawnSync(command, argv, { encoding: "utf8" });
  if (result.status !== 0) throw new Error(`${program} ${args.join(" ")} failed: ${result.stderr || result.stdout}`);
  return result.stdout;
}

export type OwnPostgres = {
  url: (database: string) => string;
  /** A fast restart, as an operator's (connections in flight are cut, the server comes back). */
  restart: () => void;
  /** Down until `up` (an outage of the length the caller chooses). */
  down: () => void;
  up: () => void;
  stop: () => void;
};

export function startOwnPostgres(port: number): OwnPostgres {
  const bin = binDir();
  const folder = mkdtempSync(join(tmpdir(), "cw-cluster-pg-"));
  chmodSync(folder, 0o777);
  if (asRoot) execFileSync("chown", ["postgres", folder]);
  const data = join(folder, "data");
  run(join(bin, "initdb"), ["-D", data, "-U", "postgres", "--auth=trust", "--no-sync", "-E", "UTF8", "--locale=C"]);
  // Speed over durability: the data lives for one test run, and a fast restart flushes it anyway.
  const options = `-p ${port} -k ${folder} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -c max_connections=200`;
  const pgCtl = (...args: string[]) => run(join(bin, "pg_ctl"), ["-D", data, "-w", "-t", "60", "-l", join(folder, "log"), ...args]);
  pgCtl("-o", options, "start");
  return {
    url: (database) => `postgresql://postgres@127.0.0.1:${port}/${database}`,
    restart: () => void pgCtl("-m", "fast", "-o", options, "restart"),
    down: () => void pgCtl("-m", "fast", "stop"),
    up: () => void pgCtl("-o", options, "start"),
    stop: () => {
      try {
        pgCtl("-m", "immediate", "stop");
      } finally {
        rmSync(folder, { recursive: true, force: true });
      }
    },
  };
}
