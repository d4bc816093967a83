// `npm run test:cluster`: the promises of the ledger where they are tested for real. Two production instances
// (`next start`, one AUTH_SECRET) on one PostgreSQL server of the harness's own; a storm of API clients through both,
// resending what got no answer with the same Idempotency-Key; in the middle, one instance killed with kill -9 and
// started again, then PostgreSQL restarted. Afterwards: no budget, limit or balance passed, one run per key, every
// approval used once, each email sent once, `verify` clean; sessions and key revocation seen across instances; a
// graceful stop; and the embedded database after a kill -9 of `npm start` (scripts/cluster/embedded.ts).
// Needs a production build (`npm run build`); CLUSTER_STORM_SECONDS sets the storm's length (default 16).
import { randomBytes } from "node:crypto";
import { PrismaPg } from "@prisma/adapter-pg";
import { revokeApiKey } from "@/lib/api-keys/commands";
import { closeDatabase, db } from "@/lib/db/client";
import { deployMigrations } from "@/lib/db/migrations";
import { checkAfterStorm, type Check } from "./cluster/checks";
import { embeddedCrashCheck } from "./cluster/embedded";
import { cookieHeader, hasProductionBuild, signIn } from "./app-server";
import { startInstance, type Instance } from "./cluster/instances";
import { outagePageCheck } from "./cluster/outage-page";
import { startOwnPostgres } from "./cluster/postgres";
import { startSmtpSink } from "./cluster/smtp-sink";
import { storm } from "./cluster/storm";
import { PASSWORD, setupClusterTeam } from "./cluster/team";

const STORM_SECONDS = Number(process.env.CLUSTER_STORM_SECONDS ?? 16);
const BASE_PORT = Number(process.env.CLUSTER_PORT ?? 3470);

const failures: string[] = [];
const check: Check = (ok, what, detail = "") => {
  console.log(`${ok ? "  ✓" : "  ✖"} ${what}${detail ? ` — ${detail}` : ""}`);
  if (!ok) failures.push(what);
};

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

async function main() {
  if (!hasProductionBuild()) throw new Error("No production build: run `npm run build` first.");
  const began = Date.now();
  const postgres = startOwnPostgres(BASE_PORT + 9);
  const smtp = await startSmtpSink(BASE_PORT + 8);
  const instances: (Instance | null)[] = [null, null];
  try {
    const url = postgres.url("postgres");
    process.env.DATABASE_URL = url;
    await deployMigrations(new PrismaPg({ connectionString: url, max: 2 }));
    const team = await setupClusterTeam();
    const env = {
      DATABASE_URL: url,
      DATABASE_POOL_SIZE: "8",
      AUTH_SECRET: randomBytes(33).toString("base64"),
      SMTP_URL: smtp.url,
      OUTBOX_INTERVAL_MS: "500",
      APP_URL: `http://127.0.0.1:${BASE_PORT}`,
      API_RATE_LIMIT_PER_MINUTE: "1000000",
      // A request cut off by the kill holds its Idempotency-Key until a retry may take it over: seconds here, not minutes.
      API_IDEMPOTENCY_TAKEOVER_MS: "6000",
      // Likewise an email claimed by the killed instance: back to the others after seconds.
      OUTBOX_LEASE_MS: "8000",
      PGLITE_DATA_DIR: undefined,
    };
    const start = (index: number) => startInstance(`instance ${"AB"[index]}`, BASE_PORT + index, env);
    [instances[0], instances[1]] = await Promise.all([start(0), start(1)]);
    console.log(`Two instances on one PostgreSQL, ready after ${seconds(Date.now() - began)}\n`);

    console.log("Sessions and keys across instances");
    const [a, b] = instances as Instance[];
    const session = cookieHeader(await signIn(a.origin, team.admin.user.email, PASSWORD));
    const page = await fetch(`${b.origin}/t/${team.slug}`, { headers: { cookie: session }, redirect: "manual" });
    check(page.status === 200 && (await page.text()).includes("Capped"), "a session made on instance A opens the team's Overview on instance B", `status ${page.status}`);
    const revoked = team.memberKeys.pop()!;
    const before = await fetch(`${b.origin}/api/v1/teams/${team.slug}/projects`, { headers: { authorization: `Bearer ${revoked.secret}` } });
    await revokeApiKey(team.admin, revoked.keyId);
    const afterA = await fetch(`${a.origin}/api/v1/teams/${team.slug}/projects`, { headers: { authorization: `Bearer ${revoked.secret}` } });
    const afterB = await fetch(`${b.origin}/api/v1/teams/${team.slug}/projects`, { headers: { authorization: `Bearer ${revoked.secret}` } });
    check(before.status === 200 && afterA.status === 401 && afterB.status === 401, "a revoked key is refused by both instances on their next request", `${before.status} → ${afterA.status}, ${afterB.status}`);
    const approverCookie = cookieHeader(await signIn(b.origin, team.approverEmail, PASSWORD));

    console.log(`\nStorm: ${STORM_SECONDS} s, 12 clients through both instances; kill -9 of A at 5 s (back at 8 s), PostgreSQL restarted at 13 s`);
    const stormStart = Date.now();
    const live = () => instances.filter((instance): instance is Instance => instance !== null).map((instance) => instance.origin);
    const faults = (async () => {
      const at = (s: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, stormStart + s * 1000 - Date.now())));
      await at(5);
      const killed = instances[0]!;
      instances[0] = null;
      await killed.kill();
      console.log(`  · ${seconds(Date.now() - stormStart)}: instance A killed (kill -9)`);
      await at(8);
      instances[0] = await start(0);
      console.log(`  · ${seconds(Date.now() - stormStart)}: instance A answering again`);
      await at(13);
      const restartBegan = Date.now();
      postgres.restart();
      console.log(`  · ${seconds(Date.now() - stormStart)}: PostgreSQL restarted (took ${seconds(Date.now() - restartBegan)})`);
    })();
    const record = await storm({ team, live, clients: 12, until: () => Date.now() - stormStart > STORM_SECONDS * 1000, approverCookie: () => approverCookie });
    await faults;
    console.log(`  · storm over after ${seconds(Date.now() - stormStart)}: ${JSON.stringify(record.counts)}`);

    console.log("\nAfter the storm");
    await checkAfterStorm(record, team, check);

    // The outbox: wait for it to empty, then each email arrived once.
    const drainDeadline = Date.now() + 30_000;
    let unsent = 0;
    while (Date.now() < drainDeadline && (unsent = await db().outboxMessage.count({ where: { sentAt: null, abandonedAt: null } })) > 0) await new Promise((resolve) => setTimeout(resolve, 500));
    const sent = await db().outboxMessage.findMany({ where: { sentAt: { not: null } }, select: { sentTo: true, lastError: true } });
    const expected = sent.reduce((sum, message) => sum + (Array.isArray(message.sentTo) ? message.sentTo.length : 0), 0);
    const ids = smtp.received.map((mail) => mail.messageId);
    const distinct = new Set(ids).size;
    // An email delivered by the instance killed before it could write that down is sent again by another, under the
    // same Message-ID (a reader's mail program shows it once): at most one per kill.
    check(
      unsent === 0 && expected > 0 && distinct === expected && ids.length - distinct <= 1,
      "the outbox sent each email once (a resend after the kill keeps its Message-ID)",
      `${sent.length} messages to ${expected} recipients; ${ids.length} emails received, ${distinct} distinct, ${unsent} unsent`,
    );

    console.log("\nIn the browser while PostgreSQL is down, and after");
    await outagePageCheck(instances[1]!.origin, session, `/t/${team.slug}`, team.name, postgres, check);

    console.log("\nGraceful stop (SIGTERM) with requests in flight");
    const target = instances[1]!;
    // Requests whose bodies are still arriving when the signal comes: taken, so they must be answered.
    const estimate = JSON.stringify({ modelId: "qwen-image", quantity: 5 });
    const inFlight = Array.from({ length: 8 }, () => {
      const body = new ReadableStream<Uint8Array>({
        async start(controller) {
          controller.enqueue(new TextEncoder().encode(estimate.slice(0, 10)));
          await new Promise((resolve) => setTimeout(resolve, 1_500));
          controller.enqueue(new TextEncoder().encode(estimate.slice(10)));
          controller.close();
        },
      });
      return fetch(`${target.origin}/api/v1/teams/${team.slug}/estimate`, {
        method: "POST",
        headers: { authorization: `Bearer ${team.memberKeys[1].secret}`, "content-type": "application/json" },
        body,
        duplex: "half",
      } as RequestInit).then(
        (response) => response.status,
        () => 0,
      );
    });
    await new Promise((resolve) => setTimeout(resolve, 500));
    const stopped = target.terminate();
    const statuses = await Promise.all(inFlight);
    const exit = await stopped;
    instances[1] = null;
    const refusedAfter = await fetch(`${target.origin}/api/health`).then(
      () => false,
      () => true,
    );
    check(statuses.every((status) => status === 200), "the requests in flight were answered", statuses.join(","));
    check(exit.code === 143 && exit.ms < 20_000 && target.log().includes("[shutdown]"), "the instance stopped by itself, in time", `exit ${exit.code ?? exit.signal} after ${seconds(exit.ms)}`);
    check(refusedAfter, "no request is taken after it stopped");
  } finally {
    for (const instance of instances) await instance?.kill().catch(() => undefined);
    await closeDatabase();
    await smtp.close();
    postgres.stop();
  }

  console.log("\nThe embedded database after kill -9 of `npm start`");
  await embeddedCrashCheck(check);

  console.log(`\n${failures.length === 0 ? "All checks passed" : `${failures.length} check(s) failed`} in ${seconds(Date.now() - began)}`);
  if (failures.length > 0) process.exitCode = 1;
}

main().then(
  () => process.exit(process.exitCode ?? 0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
