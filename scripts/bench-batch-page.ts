// The batch page's server time for a 500-item batch: a production build of the app on a scratch PostgreSQL database,
// signed in through the real sign-in form, each page fetched whole, beside a light page of the same app as a baseline.
import { writeFileSync } from "node:fs";
import { PrismaPg } from "@prisma/adapter-pg";
import { closeDatabase, db } from "@/lib/db/client";
import { deployMigrations } from "@/lib/db/migrations";
import { DEMO_PASSWORD, DEMO_TEAM, seedDemo } from "@/lib/db/seed";
import { DEFAULT_PRICE_LIST } from "@/lib/pricing";
import { cookieHeader, hasProductionBuild, signIn, startApp, type AppServer, type CookieJar } from "./app-server";
import { generateBatch } from "./batch-fixture";
import { createScratchDatabase } from "./scratch-database";

const ITEMS = 500;
const REQUESTS = 30;
const WARM_UP = 5;
// Any free port unless BENCH_PORT names one.
const PORT = Number(process.env.BENCH_PORT ?? 0);

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** Fetches a page REQUESTS times after WARM_UP, one at a time, and times each until its last byte. */
async function timePage(url: string, jar: CookieJar, mustContain: string) {
  const times: number[] = [];
  let bytes = 0;
  for (let i = 0; i < WARM_UP + REQUESTS; i++) {
    const started = performance.now();
    const response = await fetch(url, { headers: { cookie: cookieHeader(jar) }, redirect: "manual" });
    const body = await response.text();
    const elapsed = performance.now() - started;
    if (response.status !== 200 || !body.includes(mustContain)) throw new Error(`${url} answered ${response.status} without “${mustContain}”.`);
    bytes = body.length;
    if (process.env.BENCH_DUMP && i === 0) writeFileSync(`${process.env.BENCH_DUMP}-${url.split("/").pop()}.html`, body);
    if (i >= WARM_UP) times.push(elapsed);
  }
  times.sort((a, b) => a - b);
  return { median: percentile(times, 50), p99: percentile(times, 99), bytes };
}

export async function benchBatchPage(): Promise<{ medianMs: number; p99Ms: number } | null> {
  console.log(`2. The batch page's server time for a ${ITEMS}-item batch (production build, PostgreSQL), ${REQUESTS} requests after ${WARM_UP} warm-up`);
  if (!hasProductionBuild()) {
    console.log("   skipped: no production build; run `npm run build` first.");
    return null;
  }
  const scratch = await createScratchDatabase("cw_bench_page");
  const url = scratch.url;
  let server: AppServer | undefined;
  try {
    process.env.DATABASE_URL = url;
    await deployMigrations(new PrismaPg({ connectionString: url, max: 2 }));
    await seedDemo();
    const team = await db().team.findUniqueOrThrow({ where: { slug: DEMO_TEAM.slug }, select: { id: true } });
    const project = await db().project.findFirstOrThrow({ where: { teamId: team.id }, select: { id: true } });
    const owner = await db().user.findFirstOrThrow({ where: { email: "member@demo.creditwise.test" }, select: { id: true, email: true } });
    const batch = await db().batch.create({ data: { teamId: team.id, projectId: project.id, name: "Bench batch", notes: "", createdById: owner.id } });
    const items = generateBatch(DEFAULT_PRICE_LIST, ITEMS, 7);
    await db().batchItem.createMany({
      data: items.map((item, position) => ({
        teamId: team.id,
        batchId: batch.id,
        position,
        title: item.title,
        outputType: item.outputType,
        purpose: item.purpose,
        prompt: item.prompt,
        plan: item.plan,
        flags: item.flags,
        status: item.status,
      })),
    });
    await closeDatabase();

    server = await startApp({ port: PORT, databaseUrl: url });
    const { origin } = server;
    const jar = await signIn(origin, owner.email, DEMO_PASSWORD);
    const baseline = await timePage(`${origin}/t/${DEMO_TEAM.slug}/projects`, jar, "Projects");
    const page = await timePage(`${origin}/t/${DEMO_TEAM.slug}/batches/${batch.id}`, jar, "Bench batch");
    const ms = (value: number) => `${value.toFixed(1).padStart(6)} ms`;
    console.log(`   baseline, the Projects page:   median ${ms(baseline.median)}, p99 ${ms(baseline.p99)} (${Math.round(baseline.bytes / 1024)} KiB)`);
    console.log(
      `   batch page, ${ITEMS} items:       median ${ms(page.median)}, p99 ${ms(page.p99)} (${Math.round(page.bytes / 1024)} KiB; ` +
        `${(page.median / baseline.median).toFixed(1)}× the baseline; target under 300 ms: ${page.p99 < 300 ? "met" : "missed"})`,
    );
    return { medianMs: page.median, p99Ms: page.p99 };
  } finally {
    await server?.stop();
    await closeDatabase();
    await scratch.drop();
  }
}
