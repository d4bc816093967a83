// `npm run bench:api`: admit+settle pairs per second over HTTP with an API key at concurrency 32 against one running
// production instance (`next start`, needs `npm run build` first), beside the same pairs called in-process in the same run.
// PostgreSQL: a scratch database on BENCH_DATABASE_URL (or TEST_DATABASE_URL, or the local server), dropped afterwards.
import autocannon from "autocannon";
import { PrismaPg } from "@prisma/adapter-pg";
import { createApiKey } from "@/lib/api-keys/commands";
import { closeDatabase, db } from "@/lib/db/client";
import { deployMigrations } from "@/lib/db/migrations";
import { verifyLedger } from "@/lib/ledger/verify";
import { hasProductionBuild, startApp, type AppServer } from "./app-server";
import { makeTeams, measure, pair, percentile, row, SECONDS } from "./ledger-bench-support";
import { createScratchDatabase } from "./scratch-database";

const CONCURRENCY = 32;
// Any free port unless BENCH_PORT names one.
const PORT = Number(process.env.BENCH_PORT ?? 0);

type PairContext = { sentAt?: number; runId?: string };
const pairContext = (context: object) => context as PairContext;

type HttpResult = { pairs: number; seconds: number; perSecond: number; p50: number; p99: number; errors: number; statuses: Record<string, number> };

/** Admit+settle pairs from CONCURRENCY connections for `seconds`; a pair's latency is from the admit's send to the settle's answer. */
function httpPairs(origin: string, teamSlug: string, projectId: string, secret: string, seconds: number): Promise<HttpResult> {
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  const count = (status: number) => (statuses[status] = (statuses[status] ?? 0) + 1);
  const base = `/api/v1/teams/${teamSlug}`;
  const admitBody = JSON.stringify({ projectId, modelId: "qwen-image", quantity: 5, stage: "test", purpose: "internal_review" });
  const settleBody = JSON.stringify({ actual: 80, outcome: "accepted" });
  return new Promise((resolve, reject) => {
    const started = performance.now();
    autocannon(
      {
        url: origin,
        connections: CONCURRENCY,
        duration: seconds,
        headers: { authorization: `Bearer ${secret}`, "content-type": "application/json" },
        requests: [
          {
            method: "POST",
            path: `${base}/runs`,
            body: admitBody,
            setupRequest: (request, context) => {
              pairContext(context).sentAt = performance.now();
              return request;
            },
            onResponse: (status, body, context) => {
              count(status);
              pairContext(context).runId = status === 201 ? (JSON.parse(body) as { run: { id: string } }).run.id : undefined;
            },
          },
          {
            method: "POST",
            body: settleBody,
            // No admitted run: start the pair again.
            setupRequest: (request, context) => {
              const { runId } = pairContext(context);
              return runId ? { ...request, path: `${base}/runs/${runId}/settle` } : (undefined as never);
            },
            onResponse: (status, _body, context) => {
              count(status);
              if (status === 200) latencies.push(performance.now() - (pairContext(context).sentAt ?? 0));
            },
          },
        ],
      },
      (error, result) => {
        if (error) return reject(error);
        const elapsed = (performance.now() - started) / 1000;
        latencies.sort((a, b) => a - b);
        resolve({
          pairs: latencies.length,
          seconds: elapsed,
          perSecond: latencies.length / elapsed,
          p50: percentile(latencies, 50),
          p99: percentile(latencies, 99),
          errors: result.errors + result.non2xx,
          statuses,
        });
      },
    );
  });
}

/** The floor of one instance: GET /api/health (one `SELECT 1`) from CONCURRENCY connections, in requests per second. */
function healthRequests(origin: string, seconds: number): Promise<{ perSecond: number; p50: number; p99: number }> {
  return new Promise((resolve, reject) => {
    autocannon({ url: `${origin}/api/health`, connections: CONCURRENCY, duration: seconds }, (error, result) => {
      if (error) return reject(error);
      resolve({ perSecond: result.requests.average, p50: result.latency.p50, p99: result.latency.p99 });
    });
  });
}

async function main() {
  if (!hasProductionBuild()) throw new Error("No production build: run `npm run build` first.");
  const scratch = await createScratchDatabase("cw_bench_api");
  let server: AppServer | undefined;
  try {
    process.env.DATABASE_URL = scratch.url;
    process.env.DATABASE_POOL_SIZE = "40";
    await deployMigrations(new PrismaPg({ connectionString: scratch.url, max: 2 }));
    const [team] = await makeTeams(1);
    const key = await createApiKey(team, { name: "Bench", scopes: ["runs:write"] });

    console.log(`API benchmark on PostgreSQL (${SECONDS} s per row; one pair = admit + settle; concurrency ${CONCURRENCY})\n`);
    const inProcess = await measure(CONCURRENCY, () => pair(team));
    console.log(row("in-process ledger: pairs", inProcess));

    server = await startApp({
      port: PORT,
      databaseUrl: scratch.url,
      // One script at full speed: far past the per-key limit a studio would set.
      env: { DATABASE_POOL_SIZE: "40", API_RATE_LIMIT_PER_MINUTE: "1000000000" },
    });
    const { origin } = server;
    await httpPairs(origin, team.team.slug, team.projectId, key.secret, 2); // warm-up: first requests load the routes
    const health = await healthRequests(origin, SECONDS);
    const http = await httpPairs(origin, team.team.slug, team.projectId, key.secret, SECONDS);
    const ratio = (http.perSecond / inProcess.perSecond).toFixed(2);
    console.log(
      `${"HTTP with a key: pairs".padEnd(34)} ${http.perSecond.toFixed(0).padStart(7)}/s  p50 ${http.p50.toFixed(1).padStart(6)} ms  p99 ${http.p99.toFixed(1).padStart(6)} ms  (${http.pairs} in ${http.seconds.toFixed(1)} s)  ${ratio}× in-process`,
    );
    console.log(`  answers: ${JSON.stringify(http.statuses)}; errors and non-2xx: ${http.errors}`);
    console.log(
      `${"HTTP floor: GET /api/health".padEnd(34)} ${health.perSecond.toFixed(0).padStart(7)}/s  p50 ${health.p50.toFixed(1).padStart(6)} ms  p99 ${health.p99.toFixed(1).padStart(6)} ms  (a pair is 2 requests: ${((2 * http.perSecond) / health.perSecond).toFixed(2)}× the floor's request rate)`,
    );

    const differences = await verifyLedger(db());
    const held = await db().teamCredits.findUniqueOrThrow({ where: { teamId: team.team.id }, select: { held: true, balance: true } });
    console.log(`\nverify: ${differences.length === 0 ? "clean" : `${differences.length} differences`}; still held: ${held.held}; balance ${held.balance}`);
    if (differences.length > 0 || http.errors > 0) process.exitCode = 1;
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
