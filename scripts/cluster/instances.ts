// Production instances of the app (`next start`, or `npm start` for the embedded database) started by a harness:
// waited for until they answer, killed hard or stopped gracefully, their output kept for when something fails.
import { spawn } from "node:child_process";
import { join } from "node:path";
import { root, waitForHealth } from "../app-server";


export type Instance = {
  name: string;
  origin: string;
  /** Everything the instance printed, for a report when a check fails. */
  log: () => string;
  /** kill -9 of the whole process group, as a crashed machine would do. */
  kill: () => Promise<void>;
  /** SIGTERM; resolves with how it exited and after how long. */
  terminate: () => Promise<{ code: number | null; signal: NodeJS.Signals | null; ms: number }>;
};

/** Starts `command args` in its own process group with `env`, and waits until /api/health answers on `port`. */
export async function startInstance(name: string, port: number, env: Record<string, string | undefined>, command?: { file: string; args: string[] }): Promise<Instance> {
  const origin = `http://127.0.0.1:${port}`;
  const program = command ?? { file: join(root, "node_modules", ".bin", "next"), args: ["start", "-p", String(port), "-H", "127.0.0.1"] };
  const child = spawn(program.file, program.args, {
    cwd: root,
    env: { ...process.env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1", PORT: String(port), ...env },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let output = "";
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-200_000);
  };
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on("exit", (code, signal) => resolve({ code, signal })));
  const log = () => output;
  await waitForHealth(origin, child).catch((error: Error) => {
    throw new Error(`${name} at ${origin}: ${error.message}\n${log()}`);
  });
  return {
    name,
    origin,
    log,
    kill: async () => {
      process.kill(-child.pid!, "SIGKILL");
      await exited;
    },
    terminate: async () => {
      const started = Date.now();
      child.kill("SIGTERM");
      const result = await exited;
      return { ...result, ms: Date.now() - started };
    },
  };
}
