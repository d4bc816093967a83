// `npm run bench:http`: four pages under load — the Overview, a project page, Usage and the Approvals queue — read by 50
// signed-in people at once for 30 s each against one production instance (`next start`; refuses without a build), in a
// team of 10,000 runs; requests per second and p50/p95/p99 per page, beside the floor of the same instance measured in
// the same run (GET /api/health, one `SELECT 1`) before and after the pages. The aim: the Overview's p95 under 100 ms.
// PostgreSQL: a scratch database on BENCH_DATABASE_URL (or TEST_DATABASE_URL, or the local server), dropped afterwards.
// BENCH_HTTP_SECONDS, BENCH_HTTP_CONNECTIONS and BENCH_HTTP_RUNS change the duration, the readers and the runs.
import { cpus, loadavg } from "node:os";
import autocannon from "autocannon";
import { PrismaPg } from "@prisma/adapter-pg";
import { closeDatabase, db } from "@/lib/db/client";
import { deployMigrations } from "@/lib/db/migrations";
import { verifyLedger } from "@/lib/ledger/verify";
import { cookieHeader, hasProductionBuild, signIn, startApp, type AppServer } from "./app-server";
import { FIXTURE_PASSWORD, makeHttpFixture } from "./http-fixture";
import { createScratchDatabase } from "./scratch-database";

const SECONDS = Number(process.env.BENCH_HTTP_SECONDS ?? 30);
const CONNECTIONS = Number(process.env.BENCH_HTTP_CONNECTIONS ?? 50);
const RUNS = Number(process.env.BENCH_HTTP_RUNS ?? 10_000);
// Any free port unless BENCH_PORT names one.
const PORT = Number(process.env.BENCH_PORT ?? 0);
const OVERVIEW_AIM_MS = 100;

type Load = { perSecond: number; p50: number; p95: number; p99: number; requests: number; errors: number; non2xx: number; statuses: Record<string, number> };

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/**
 * CONNECTIONS connections on `path` for `seconds`; each connection is one reader, signed in as one of `cookies` in
 * turn, so the readers are spread over the people. Latencies are every response's own (autocannon's summary has no p95).
 */
function load(origin: string, path: string, cookies: string[], seconds: number): Promise<Load> {
  const statuses: Record<string, number> = {};
  const latencies: number[] = [];
  let next = 0;
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const instance = autocannon(
      {
        url: origin,
        connections: CONNECTIONS,
        duration: seconds,
        requests: [
          {
            method: "GET",
            path,
            setupRequest: (request, context) => {
              const reader = context as { cookie?: string };
              reader.cookie ??= cookies[next++ % cookies.length];
              return { ...request, headers: { ...request.headers, cookie: reader.cookie } };
            },
          },
        ],
      },
      (error, result) => {
        if (error) return reject(error);
        const elapsed = (performance.now() - started) / 1000;
        latencies.sort((a, b) => a - b);
        resolve({
          perSecond: latencies.length / elapsed,
          p50: percentile(latencies, 50),
          p95: percentile(latencies, 95),
          p99: percentile(latencies, 99),
          requests: latencies.length,
          errors: result.errors + result.timeouts,
          non2xx: result.non2xx,
          statuses,
        });
      },
    );
    instance.on("response", (_client, status, _bytes, responseTime) => {
      statuses[status] = (statuses[status] ?? 0) + 1;
      latencies.push(responseTime);
    });
  });
}

const ms = (value: number | undefined) => (value === undefined ? "    — ms" : `${value.toFixed(0).padStart(5)} ms`);

function line(label: string, result: Load, floor?: Load): string {
  const ratio = floor ? `  ${(result.perSecond / floor.perSecond).toFixed(3)}× the floor's rate` : "";
  const bad = result.errors + result.non2xx;
  return (
    `${label.padEnd(28)} ${result.perSecond.toFixed(1).padStart(8)} req/s  p50 ${ms(result.p50)}  p95 ${ms(result.p95)}  p99 ${ms(result.p99)}  ` +
    `(${result.requests} requests; errors/non-2xx ${bad}${bad ? ` ${JSON.stringify(result.statuses)}` : ""})${ratio}`
  );
}

/**
 * One request per reader of the page, one after the other: each answers 200 with what the page shows (else the load
 * would measure an error page). Returns the median time of one request with nobody else asking, and warms the route.
 */
async function checkPage(origin: string, path: string, cookies: string[], mustContain: string): Promise<number> {
  const times: number[] = [];
  for (const cookie of [...cookies, ...cookies]) {
    const started = performance.now();
    const response = await fetch(`${origin}${path}`, { headers: { cookie }, redirect: "manual" });
    const body = await response.text();
    times.push(performance.now() - started);
    if (response.status !== 200 || !body.includes(mustContain)) throw new Error(`${path} answered ${response.status} without “${mustContain}”.`);
  }
  return percentile(times.slice(cookies.length).sort((a, b) => a - b), 50);
}

/** Waits until the server has answered what an earlier row left in flight: a lone health check back under 50 ms. */
async function untilIdle(origin: string) {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const started = performance.now();
    await fetch(`${origin}/api/health`);
    if (performance.now() - started < 50) return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

async function main() {
  if (!hasProductionBuild()) {
    console.error("bench:http needs a production build and does not make one (it takes minutes): run `npm run build` first.");
    process.exit(1);
  }
  const scratch = await createScratchDatabase("cw_bench_http");
  let server: AppServer | undefined;
  try {
    process.env.DATABASE_URL = scratch.url;
    await deployMigrations(new PrismaPg({ connectionString: scratch.url, max: 2 }));
    const seeding = performance.now();
    const fixture = await makeHttpFixture(RUNS);
    // As autovacuum would after a bulk load: the planner's statistics of the tables just filled.
    await db().$executeRawUnsafe("ANALYZE");
    const differences = await verifyLedger(db());
    if (differences.length > 0) throw new Error(`The fixture's books do not balance: ${JSON.stringify(differences.slice(0, 3))}`);
    const seeded = (performance.now() - seeding) / 1000;
    await closeDatabase();

    server = await startApp({ port: PORT, databaseUrl: scratch.url });
    const { origin } = server;
    const jarOf = async (key: string) => cookieHeader(await signIn(origin, fixture.people[key].email, FIXTURE_PASSWORD));
    const everyone: string[] = [];
    for (const key of Object.keys(fixture.people)) everyone.push(await jarOf(key));
    // The queue is read by those who decide: the owner, the admin and the approvers.
    const deciders = ["owner", "admin", "approver-1", "approver-2"].map((key) => everyone[Object.keys(fixture.people).indexOf(key)]);
    const slug = fixture.team.slug;
    const project = fixture.projects[0];
    const pages: { label: string; path: string; readers: string[]; mustContain: string }[] = [
      { label: "Overview", path: `/t/${slug}`, readers: everyone, mustContain: "Project budgets" },
      { label: "Project page", path: `/t/${slug}/projects/${project.id}`, readers: everyone, mustContain: "Active holds" },
      { label: "Usage", path: `/t/${slug}/usage`, readers: everyone, mustContain: "Credits over time" },
      { label: "Approvals queue", path: `/t/${slug}/approvals`, readers: deciders, mustContain: "Bench member-1" },
    ];
    const alone: number[] = [];
    for (const page of pages) alone.push(await checkPage(origin, page.path, page.readers, page.mustContain));

    console.log(
      `HTTP benchmark: one \`next start\` on PostgreSQL, ${fixture.runs.toLocaleString("en-US")} runs in the team (${fixture.waiting} requests waiting), ` +
        `seeded through the ledger in ${seeded.toFixed(0)} s, books verified clean`,
    );
    console.log(
      `${CONNECTIONS} signed-in readers at once (spread over ${everyone.length} people; the queue over ${deciders.length} who decide), ${SECONDS} s per row; ` +
        `${cpus().length} cores, load ${loadavg()[0].toFixed(2)} before (shared machine: compare rows with the floor of the same run)\n`,
    );
    console.log(`one reader alone (median of ${everyone.length} in a row, after a first round): ${pages.map((page, i) => `${page.label} ${alone[i].toFixed(0)} ms`).join(", ")}\n`);

    await untilIdle(origin);
    const floorBefore = await load(origin, "/api/health", [""], SECONDS);
    console.log(line("floor: GET /api/health", floorBefore));
    const results: Load[] = [];
    for (const page of pages) {
      await untilIdle(origin);
      const result = await load(origin, page.path, page.readers, SECONDS);
      results.push(result);
      console.log(line(page.label, result, floorBefore));
    }
    await untilIdle(origin);
    const floorAfter = await load(origin, "/api/health", [""], SECONDS);
    console.log(line("floor again, after the pages", floorAfter));
    const overview = results[0];
    console.log(`\nOverview p95 ${overview.p95.toFixed(0)} ms: aim under ${OVERVIEW_AIM_MS} ms ${overview.p95 < OVERVIEW_AIM_MS ? "met" : "missed"}`);
    if (results.some((result) => result.errors + result.non2xx > 0)) process.exitCode = 1;
  } finally {
    await server?.stop();
    await closeDatabase();
    await scratch.drop();
  }
}

main().then(
  () => process.exit(process.exitCode ?? 0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
