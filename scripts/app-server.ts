// What the HTTP benchmarks share: one production instance (`next start`) on a database of their choosing, and people
// signed in to it through Auth.js's own credentials endpoint, their cookies kept as a browser keeps them.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";

/** The project's folder. */
export const root = join(import.meta.dirname, "..");

/** True when `next build` has left a production build to start. */
export function hasProductionBuild(): boolean {
  return existsSync(join(root, ".next", "BUILD_ID"));
}

/**
 * `port` if it is free on 127.0.0.1, or a free one the system picks when `port` is 0; refuses a port another process
 * listens on (the health check would otherwise be answered, and the benchmark run, by someone else's server).
 */
export function freePort(port = 0): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", (error: NodeJS.ErrnoException) =>
      reject(error.code === "EADDRINUSE" ? new Error(`Port ${port} is taken by another process: choose another with BENCH_PORT.`) : error),
    );
    probe.listen(port, "127.0.0.1", () => {
      const { port: chosen } = probe.address() as { port: number };
      probe.close(() => resolve(chosen));
    });
  });
}

export type AppServer = { origin: string; stop: () => Promise<void> };

/**
 * Starts one `next start` on 127.0.0.1:`port` (0: any free port) against `databaseUrl`, with a fresh AUTH_SECRET, and waits until
 * `/api/health` answers. `env` adds to (or overrides) what it is given; the server's own errors go to this stderr.
 */
export async function startApp({ port, databaseUrl, env = {} }: { port: number; databaseUrl: string; env?: Record<string, string> }): Promise<AppServer> {
  if (!hasProductionBuild()) throw new Error("No production build: run `npm run build` first.");
  port = await freePort(port);
  const origin = `http://127.0.0.1:${port}`;
  const server = spawn(join(root, "node_modules", ".bin", "next"), ["start", "-p", String(port), "-H", "127.0.0.1"], {
    cwd: root,
    env: {
      ...process.env,
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      DATABASE_URL: databaseUrl,
      AUTH_SECRET: randomBytes(33).toString("base64"),
      AUTH_URL: origin,
      ...env,
    },
    stdio: ["ignore", "ignore", "inherit"],
  });
  // Waits for the exit, so a database dropped next is not pulled from under a request or the background work.
  const stop = async () => {
    if (server.exitCode !== null || server.signalCode !== null) return;
    const exited = new Promise((resolve) => server.once("exit", resolve));
    server.kill("SIGTERM");
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
  };
  try {
    await waitForHealth(origin, server);
  } catch (error) {
    await stop();
    throw error;
  }
  return { origin, stop };
}

/** Waits until `/api/health` answers on `origin` from `server` (2 minutes at most); throws if it exits first. */
export async function waitForHealth(origin: string, server: ChildProcess) {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null || server.signalCode !== null) throw new Error(`next start exited (${server.exitCode ?? server.signalCode}) before it answered.`);
    try {
      // Ours, not a server that took the port in the meantime: that one would answer while ours exits.
      if ((await fetch(`${origin}/api/health`)).ok && server.exitCode === null) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error("next start did not answer /api/health within 2 minutes.");
}

/** Cookies as a browser keeps them: name → value, from every Set-Cookie of a response. */
export type CookieJar = Map<string, string>;

function keepCookies(jar: CookieJar, response: Response) {
  for (const header of response.headers.getSetCookie()) {
    const [pair] = header.split(";");
    const at = pair.indexOf("=");
    jar.set(pair.slice(0, at), pair.slice(at + 1));
  }
}

export const cookieHeader = (jar: CookieJar) => [...jar].map(([name, value]) => `${name}=${value}`).join("; ");

/** Signs in with email and password as the sign-in form does (CSRF token first); the jar holds the session cookie. */
export async function signIn(origin: string, email: string, password: string): Promise<CookieJar> {
  const jar: CookieJar = new Map();
  const csrf = await fetch(`${origin}/api/auth/csrf`);
  keepCookies(jar, csrf);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const response = await fetch(`${origin}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookieHeader(jar), origin },
    body: new URLSearchParams({ email, password, csrfToken, callbackUrl: `${origin}/teams` }),
  });
  keepCookies(jar, response);
  if (![...jar.keys()].some((name) => name.includes("session-token"))) throw new Error(`Sign-in of ${email} failed (${response.status}).`);
  return jar;
}
