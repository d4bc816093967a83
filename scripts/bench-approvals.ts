// `npm run bench:approvals`: what approvals cost on PostgreSQL, each figure beside a baseline measured in the same run
// (these machines are shared and noisy): the policy read every admission makes, approving (which holds) beside a plain
// admission, the nav's count and the "Waiting for me" list with thousands of requests waiting, and the expiry sweep.
// Uses BENCH_DATABASE_URL (or TEST_DATABASE_URL, or the local server) to create a scratch database, dropped afterwards.
import { randomBytes } from "node:crypto";
import { PrismaPg } from "@prisma/adapter-pg";
import type { Role } from "@/lib/authz/roles";
import type { TeamContext } from "@/lib/authz/team";
import { DEFAULT_POLICY } from "@/lib/approvals/policy";
import { policyInForce } from "@/lib/approvals/queries";
import { createRequest, decideRequest, expireApprovals } from "@/lib/approvals/request-commands";
import { countWaitingFor, listRequests } from "@/lib/approvals/request-queries";
import { closeDatabase, db } from "@/lib/db/client";
import { deployMigrations } from "@/lib/db/migrations";
import { addGrant, admitRun } from "@/lib/ledger/commands";
import { verifyLedger } from "@/lib/ledger/verify";
import { ANSWERS } from "@/test/approvals";
import { createScratchDatabase } from "./scratch-database";

const WAITING = Number(process.env.BENCH_WAITING ?? 5_000);
const EXPIRING = Number(process.env.BENCH_EXPIRING ?? 1_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 200);

type Timing = { runs: number; p50: number; p99: number };

/** Calls `operation` `rounds` times, one after the other, and measures each call in milliseconds. */
async function time(rounds: number, operation: (i: number) => Promise<unknown>): Promise<Timing> {
  const latencies: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const started = performance.now();
    await operation(i);
    latencies.push(performance.now() - started);
  }
  latencies.sort((a, b) => a - b);
  const at = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))];
  return { runs: rounds, p50: at(50), p99: at(99) };
}

function row(label: string, timing: Timing, baseline?: Timing) {
  const ratio = baseline ? `  ${(timing.p50 / baseline.p50).toFixed(2)}× baseline` : "";
  return `${label.padEnd(46)} p50 ${timing.p50.toFixed(2).padStart(7)} ms  p99 ${timing.p99.toFixed(2).padStart(7)} ms  (${timing.runs} calls)${ratio}`;
}

async function makeTeam() {
  const suffix = randomBytes(4).toString("hex");
  const team = await db().team.create({
    data: { slug: `bench-${suffix}`, name: `Bench ${suffix}`, timeZone: "Europe/Berlin" },
    select: { id: true, slug: true, name: true, timeZone: true },
  });
  const people = {} as Record<"owner" | "approver" | "member", TeamContext>;
  for (const role of ["owner", "approver", "member"] satisfies Role[]) {
    const user = await db().user.create({ data: { email: `${role}-${suffix}@example.test`, name: `${role} ${suffix}` }, select: { id: true, email: true, name: true } });
    await db().membership.create({ data: { teamId: team.id, userId: user.id, role } });
    people[role] = { user, team, role };
  }
  // Requesters enough that nobody reaches the cap of requests waiting per person.
  const requesters: TeamContext[] = [];
  for (let i = 0; i < 20; i++) {
    const user = await db().user.create({ data: { email: `asker-${i}-${suffix}@example.test`, name: `Asker ${i}` }, select: { id: true, email: true, name: true } });
    await db().membership.create({ data: { teamId: team.id, userId: user.id, role: "member" } });
    requesters.push({ user, team, role: "member" });
  }
  const project = await db().project.create({ data: { teamId: team.id, name: "Bench" }, select: { id: true } });
  await addGrant(people.owner, { amount: 900_000_000, source: "Top-up", note: "bench" });
  return { team, people, requesters, projectId: project.id };
}

const premiumFinal = (projectId: string) =>
  ({ projectId, modelId: "flux-2-pro", settings: {}, quantity: 1, stage: "final", purpose: "final_delivery", notes: "" }) as const;

async function main() {
  const scratch = await createScratchDatabase();
  try {
    process.env.DATABASE_URL = scratch.url;
    await deployMigrations(new PrismaPg({ connectionString: scratch.url, max: 2 }));
    const { team, people, requesters, projectId } = await makeTeam();
    const asker = (i: number) => requesters[i % requesters.length];
    const { member, approver } = people;
    console.log(`Approvals benchmark on PostgreSQL (${ROUNDS} calls per row, one after the other)\n`);

    // Every admission reads the policy in force: beside the cheapest read there is, a primary-key lookup.
    const pkRead = await time(ROUNDS, () => db().team.findUnique({ where: { id: team.id }, select: { id: true } }));
    const policyRead = await time(ROUNDS, () => policyInForce(team.id));
    console.log(row("baseline: a primary-key read", pkRead));
    console.log(row("the policy read of every admission", policyRead, pkRead));

    // Approving holds in the decision's transaction: beside the admission of a run the policy lets through.
    const admission = await time(ROUNDS, () =>
      admitRun(member, { projectId, modelId: "qwen-image", settings: {}, quantity: 1, stage: "test", purpose: "internal_review", notes: "" }),
    );
    const requests: string[] = [];
    for (let i = 0; i < ROUNDS; i++) requests.push((await createRequest(asker(i), { ...premiumFinal(projectId), answers: ANSWERS })).requestId);
    const approving = await time(ROUNDS, (i) => decideRequest(approver, { requestId: requests[i], decision: "approve", comment: "" }));
    console.log(row("baseline: an admission (hold) without approval", admission));
    console.log(row("approving a request (decision + hold)", approving, admission));
    const asking = await time(ROUNDS, (i) => createRequest(asker(i), { ...premiumFinal(projectId), answers: ANSWERS }));
    console.log(row("asking (price, policy, findings, notify)", asking, admission));

    // The nav counts what waits for the approver on every page; the list pages it. With thousands waiting.
    const now = new Date();
    const template = await db().approvalRequest.findUniqueOrThrow({ where: { id: requests[0] } });
    // Copies of one request, still waiting: everything but its id, state and what an approval sets.
    const copy = {
      ...template,
      id: undefined,
      state: "pending" as const,
      holdRunId: null,
      approvedAt: null,
      expiresAt: null,
      usedKey: null,
      updatedAt: undefined,
      settings: template.settings ?? {},
      findings: template.findings ?? [],
      answers: template.answers ?? {},
      rule: template.rule ?? DEFAULT_POLICY.rules[0],
    };
    for (let done = 0; done < WAITING; done += 1_000) {
      await db().approvalRequest.createMany({
        data: Array.from({ length: Math.min(1_000, WAITING - done) }, (_, i) => ({
          ...copy,
          createdAt: new Date(now.getTime() - (done + i) * 1_000),
        })),
      });
    }
    const waiting = await db().approvalRequest.count({ where: { teamId: team.id, state: "pending" } });
    const count = await time(Math.min(ROUNDS, 50), () => countWaitingFor(approver));
    const list = await time(Math.min(ROUNDS, 50), () => listRequests(approver, "waiting"));
    console.log(row(`baseline: a primary-key read`, pkRead));
    console.log(row(`nav count, ${waiting.toLocaleString("en-US")} waiting`, count, pkRead));
    console.log(row(`"Waiting for me", first page of ${waiting.toLocaleString("en-US")}`, list, pkRead));

    // The sweep: approvals past their expiry, holds released in steps.
    const expiring: string[] = [];
    for (let i = 0; i < EXPIRING; i++) {
      const { requestId } = await createRequest(member, { ...premiumFinal(projectId), answers: ANSWERS });
      await decideRequest(approver, { requestId, decision: "approve", comment: "" });
      expiring.push(requestId);
    }
    const later = new Date(Date.now() + 49 * 3_600_000);
    const started = performance.now();
    let expired = 0;
    for (let round = 0; round < 100 && expired < EXPIRING + ROUNDS; round++) {
      const step = await expireApprovals(team.id, later);
      if (step.expired === 0) break;
      expired += step.expired;
    }
    const seconds = (performance.now() - started) / 1000;
    console.log(
      `\nexpiry sweep: ${expired.toLocaleString("en-US")} approvals expired and released in ${seconds.toFixed(2)} s (${(expired / seconds).toFixed(0)}/s; ` +
        `${(((seconds * 1000) / expired) / admission.p50).toFixed(2)}× an admission each)`,
    );

    const differences = await verifyLedger(db());
    const held = await db().teamCredits.findUniqueOrThrow({ where: { teamId: team.id }, select: { held: true } });
    console.log(`verify: ${differences.length === 0 ? "clean" : `${differences.length} differences`}; still held after the sweep: ${held.held} (the admissions above)`);
    if (differences.length > 0) process.exitCode = 1;
  } finally {
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
