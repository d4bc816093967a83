// What the ledger and API benchmarks share: timed loops at a concurrency, bench teams with credits, one admit+settle pair.
import { randomBytes } from "node:crypto";
import type { TeamContext } from "@/lib/authz/team";
import { db } from "@/lib/db/client";
import { setProjectBudget } from "@/lib/ledger/budgets";
import { addGrant, admitRun, settleRun } from "@/lib/ledger/commands";

export const SECONDS = Number(process.env.BENCH_SECONDS ?? 4);

export type BenchTeam = TeamContext & { projectId: string };

export type Result = { operations: number; seconds: number; perSecond: number; p50: number; p99: number };

export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** Runs `operation` from `concurrency` loops for about SECONDS and measures each call. */
export async function measure(concurrency: number, operation: (worker: number, i: number) => Promise<void>): Promise<Result> {
  const latencies: number[] = [];
  const deadline = performance.now() + SECONDS * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async (_, worker) => {
      for (let i = 0; performance.now() < deadline; i++) {
        const t = performance.now();
        await operation(worker, i);
        latencies.push(performance.now() - t);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { operations: latencies.length, seconds, perSecond: latencies.length / seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
}

export async function makeTeams(count: number): Promise<BenchTeam[]> {
  const contexts: BenchTeam[] = [];
  for (let i = 0; i < count; i++) {
    const suffix = randomBytes(4).toString("hex");
    const user = await db().user.create({ data: { email: `bench-${suffix}@example.test`, name: `Bench ${suffix}` }, select: { id: true, email: true, name: true } });
    const team = await db().team.create({ data: { slug: `bench-${suffix}`, name: `Bench ${suffix}`, timeZone: "Europe/Berlin" }, select: { id: true, slug: true, name: true, timeZone: true } });
    await db().membership.create({ data: { teamId: team.id, userId: user.id, role: "admin" } });
    const project = await db().project.create({ data: { teamId: team.id, name: "Bench" }, select: { id: true } });
    const ctx: TeamContext = { user, team, role: "admin" };
    await addGrant(ctx, { amount: 100_000_000, source: "Top-up", note: "bench" });
    await setProjectBudget(ctx, { projectId: project.id, credits: 50_000_000, period: "month", weekStartsOn: 1, alertPercent: 80, hardCap: true });
    contexts.push(Object.assign(ctx, { projectId: project.id }));
  }
  return contexts;
}

export async function pair(ctx: BenchTeam) {
  const run = await admitRun(ctx, { projectId: ctx.projectId, modelId: "qwen-image", settings: {}, quantity: 5, stage: "test", purpose: "internal_review", notes: "" });
  if (run.status !== "admitted") throw new Error(`bench run not admitted: ${run.status === "denied" ? run.reason : run.status}`);
  await settleRun(ctx, { runId: run.runId, actual: 80, outcome: "accepted" });
}

export function row(label: string, r: Result, baseline?: Result) {
  const ratio = baseline ? `  ${(r.perSecond / baseline.perSecond).toFixed(2)}× baseline` : "";
  return `${label.padEnd(34)} ${r.perSecond.toFixed(0).padStart(7)}/s  p50 ${r.p50.toFixed(1).padStart(6)} ms  p99 ${r.p99.toFixed(1).padStart(6)} ms  (${r.operations} in ${r.seconds.toFixed(1)} s)${ratio}`;
}

