// The insight queries give the figures a direct computation from the team's Run rows gives, after random ledger
// operations at random moments (fast-check), for the whole team and for one project or member; and a day near
// midnight counts in the team's zone.
import fc from "fast-check";
import { beforeEach, expect, it } from "vitest";
import type { TeamContext } from "@/lib/authz/team";
import { db } from "@/lib/db/client";
import { addGrant, admitRun, recordRun, refundRun, settleRun } from "@/lib/ledger/commands";
import { startOfDayIn } from "@/lib/ledger/dates";
import { DEFAULT_PRICE_LIST } from "@/lib/pricing/default-price-list";
import type { PriceList } from "@/lib/pricing/types";
import {
  TRAILING_DAYS,
  addDays,
  dayIn,
  historyInsights as insightsOf,
  normalizePrompt,
  type HistoryInput,
  type Outcome,
  type PromptStat,
  type RunGroup,
  type UsageRow,
} from "@/lib/recommendations/history";
import { describeEachDatabase } from "@/test/db";
import { makeTeam, withoutApprovals, type TeamFixture } from "@/test/fixtures";
import { contextOf } from "@/test/results";
import { historyInsights, type InsightScope } from "./insights";

const ZONE = "America/New_York";
const START = Date.parse("2026-03-01T05:00:00.000Z"); // midnight in New York
const HOUR = 3_600_000;
const MODELS = [
  { modelId: "qwen-image", settings: {} },
  { modelId: "flux-2-pro", settings: {} },
  { modelId: "veo-3-1", settings: { duration: "4" } },
  { modelId: "crystal-upscaler", settings: { scale: "2x" } },
] as const;
const STAGES = ["test", "draft", "final"] as const;
const OUTCOMES = ["accepted", "rejected", "needs_edit", "failed"] as const;
const PURPOSES = ["internal_review", "web", "print"] as const;
const PROMPTS = ["A red fox", "  a RED   fox ", "Blue sky", "", "City at night"];

type Op =
  | { kind: "record"; who: number; project: number; model: number; stage: number; purpose: number; prompt: number; quantity: number; hours: number; actual: number; outcome: number }
  | { kind: "admit"; who: number; project: number; model: number; stage: number; prompt: number; hours: number; settle: boolean; actual: number; outcome: number }
  | { kind: "refund"; pick: number; credits: number; hours: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.record({
    kind: fc.constant("record" as const),
    who: fc.nat(1),
    project: fc.nat(1),
    model: fc.nat(MODELS.length - 1),
    stage: fc.nat(STAGES.length - 1),
    purpose: fc.nat(PURPOSES.length - 1),
    prompt: fc.nat(PROMPTS.length - 1),
    quantity: fc.integer({ min: 1, max: 3 }),
    hours: fc.integer({ min: 0, max: 24 * 70 }),
    actual: fc.integer({ min: 0, max: 5_000 }),
    outcome: fc.nat(OUTCOMES.length - 1),
  }) },
  { weight: 1, arbitrary: fc.record({
    kind: fc.constant("admit" as const),
    who: fc.nat(1),
    project: fc.nat(1),
    model: fc.nat(MODELS.length - 1),
    stage: fc.nat(STAGES.length - 1),
    prompt: fc.nat(PROMPTS.length - 1),
    hours: fc.integer({ min: 0, max: 24 * 70 }),
    settle: fc.boolean(),
    actual: fc.integer({ min: 0, max: 5_000 }),
    outcome: fc.nat(OUTCOMES.length - 1),
  }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("refund" as const), pick: fc.nat(), credits: fc.integer({ min: 1, max: 50 }), hours: fc.integer({ min: 0, max: 24 * 70 }) }) },
);

type RunRow = Awaited<ReturnType<typeof readRuns>>[number];

function readRuns(teamId: string) {
  return db().run.findMany({
    where: { teamId },
    select: { id: true, projectId: true, userId: true, modelId: true, outputType: true, tier: true, settings: true, quantity: true, stage: true, purpose: true,
      priceListVersion: true, state: true, actual: true, refunded: true, outcome: true, prompt: true, createdAt: true },
  });
}

// jsonb equality does not care about key order; neither does this.
const settingsKey = (settings: unknown) => JSON.stringify(Object.entries((settings ?? {}) as Record<string, string>).sort());
const charged = (run: RunRow) => (run.actual ?? 0) - run.refunded;

function groupRuns(runs: RunRow[]): RunGroup[] {
  const groups = new Map<string, RunGroup>();
  for (const run of runs) {
    const key = [run.modelId, run.outputType, run.tier, run.stage, run.purpose, run.outcome, settingsKey(run.settings), run.quantity, run.priceListVersion].join("|");
    const group = groups.get(key) ?? {
      modelId: run.modelId, outputType: run.outputType, tier: run.tier, stage: run.stage, purpose: run.purpose, outcome: run.outcome as Outcome | null,
      settings: run.settings as Record<string, string>, quantity: run.quantity, priceListVersion: run.priceListVersion, runs: 0, charged: 0,
    };
    group.runs += 1;
    group.charged += charged(run);
    groups.set(key, group);
  }
  return [...groups.values()];
}

/** The rules' input worked out from the runs themselves, in plain TypeScript. */
function directInput(all: RunRow[], scope: InsightScope, priceLists: Map<number, PriceList>): HistoryInput {
  const matches = (run: RunRow) => (!scope.projectId || run.projectId === scope.projectId) && (!scope.userId || run.userId === scope.userId);
  const mine = all.filter(matches);
  const inScope = mine.filter((run) => run.createdAt >= scope.from && run.createdAt < scope.to);
  const settled = inScope.filter((run) => run.state === "settled");
  const from = dayIn(scope.from, ZONE);
  const to = dayIn(new Date(scope.to.getTime() - 1), ZONE);
  const usage = new Map<string, UsageRow>();
  for (const run of settled) {
    const key = [run.userId, run.modelId, run.outputType, run.tier, run.stage, run.outcome].join("|");
    const row = usage.get(key) ?? { userId: run.userId, modelId: run.modelId, outputType: run.outputType, tier: run.tier, stage: run.stage, outcome: run.outcome as Outcome | null, runs: 0, charged: 0 };
    row.runs += 1;
    row.charged += charged(run);
    usage.set(key, row);
  }
  const days = new Map<string, number>();
  for (const run of mine) {
    const day = dayIn(run.createdAt, ZONE);
    if (run.state === "settled" && day >= addDays(from, -TRAILING_DAYS) && day <= to) days.set(day, (days.get(day) ?? 0) + charged(run));
  }
  const firstDay = mine.map((run) => dayIn(run.createdAt, ZONE)).sort()[0] ?? null;
  const waste = settled.filter(
    (run) => (run.tier === "premium" && (run.stage === "test" || run.stage === "draft")) || (run.stage === "final" && (run.outcome === "rejected" || run.outcome === "failed")) || (run.purpose === "web" && run.outputType === "tool"),
  );
  const byPrompt = new Map<string, RunRow[]>();
  for (const run of settled.filter((run) => normalizePrompt(run.prompt) !== "").sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || (a.id < b.id ? -1 : 1))) {
    const key = normalizePrompt(run.prompt);
    byPrompt.set(key, [...(byPrompt.get(key) ?? []), run]);
  }
  const stats: PromptStat[] = [];
  const regenerated: RunRow[] = [];
  for (const [key, runs] of byPrompt) {
    const accepted = runs.findIndex((run) => run.outcome === "accepted");
    stats.push({
      key,
      text: runs[0].prompt,
      authorId: runs[0].userId,
      runs: runs.length,
      charged: runs.reduce((sum, run) => sum + charged(run), 0),
      acceptedAttempt: accepted < 0 ? null : accepted + 1,
      chargedBefore: (accepted < 0 ? runs : runs.slice(0, accepted)).reduce((sum, run) => sum + charged(run), 0),
    });
    runs.forEach((run, i) => i > 0 && runs[i - 1].outcome === "needs_edit" && regenerated.push(run));
  }
  return {
    from,
    to,
    usage: [...usage.values()],
    waste: groupRuns(waste),
    regenerations: groupRuns(regenerated),
    prompts: { total: stats.length, firstTime: stats.filter((s) => s.acceptedAttempt === 1).length, rows: stats },
    days: [...days].map(([day, c]) => ({ day, charged: c })),
    firstDay,
    priceLists,
  };
}

// Order of rows the rules add up does not matter; the figures and lists must be the same.
function comparable(insights: ReturnType<typeof insightsOf>) {
  return { ...insights, bestValue: insights.bestValue.map((g) => ({ ...g, models: [...g.models].sort((a, b) => (a.modelId < b.modelId ? -1 : 1)) })) };
}

describeEachDatabase("insights from history", () => {
  let fixture: TeamFixture;
  let admin: TeamContext;

  beforeEach(async () => {
    fixture = await makeTeam(ZONE);
    admin = contextOf(fixture, "admin");
    await withoutApprovals(fixture.team.id);
    await addGrant(admin, { amount: 100_000_000, source: "Top-up", note: "" }, new Date(START - HOUR));
  });

  it("give the figures a direct computation from the runs gives, after random operations", async () => {
    const second = await db().project.create({ data: { teamId: fixture.team.id, name: `Second ${fixture.team.slug}` }, select: { id: true } });
    const projects = [fixture.projectId, second.id];
    const people = [admin, contextOf(fixture, "member")];
    const lists = new Map<number, PriceList>([[0, DEFAULT_PRICE_LIST]]);
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 14 }), fc.integer({ min: 0, max: 60 }), fc.integer({ min: 1, max: 40 }), async (ops, startDay, length) => {
        const settled: string[] = [];
        for (const step of ops) {
          const at = new Date(START + step.hours * HOUR);
          try {
            if (step.kind === "refund") {
              if (settled.length > 0) await refundRun(admin, { runId: settled[step.pick % settled.length], credits: step.credits, reason: "Platform refund" }, at);
              continue;
            }
            const model = MODELS[step.model];
            const run = { projectId: projects[step.project], ...model, quantity: 1, stage: STAGES[step.stage], purpose: "internal_review", notes: "", prompt: PROMPTS[step.prompt] } as const;
            if (step.kind === "record") {
              const recorded = await recordRun(people[step.who], { ...run, quantity: step.quantity, purpose: PURPOSES[step.purpose], actual: step.actual, outcome: OUTCOMES[step.outcome] }, at);
              settled.push(recorded.runId);
            } else {
              const answer = await admitRun(people[step.who], run, at);
              if (answer.status === "admitted" && step.settle) {
                await settleRun(admin, { runId: answer.runId, actual: step.actual, outcome: OUTCOMES[step.outcome] }, at);
                settled.push(answer.runId);
              }
            }
          } catch {
            // A refused refund changes nothing; the figures must still agree.
          }
        }
        const first = addDays("2026-03-01", startDay);
        const scopes: InsightScope[] = [
          { from: startOfDayIn(first, ZONE), to: startOfDayIn(addDays(first, length), ZONE) },
          { from: startOfDayIn(first, ZONE), to: startOfDayIn(addDays(first, length), ZONE), projectId: projects[1] },
          { from: startOfDayIn("2026-03-01", ZONE), to: startOfDayIn("2026-05-15", ZONE), userId: people[1].user.id },
        ];
        const runs = await readRuns(fixture.team.id);
        for (const scope of scopes) {
          const view = await historyInsights(fixture.team, scope, new Date(START + 70 * 24 * HOUR));
          expect(comparable(view.insights)).toEqual(comparable(insightsOf(directInput(runs, scope, lists))));
        }
      }),
      { numRuns: 6 },
    );
  });

  it("count a run made just before midnight on the day it was in the team's zone, and find its waste", async () => {
    const member = contextOf(fixture, "member");
    // 03:30 UTC on 10 March is 23:30 on 9 March in New York (summer time, UTC−4, since 8 March).
    const late = new Date("2026-03-10T03:30:00.000Z");
    for (let i = 0; i < 5; i++) {
      await recordRun(member, { projectId: fixture.projectId, modelId: "flux-2-pro", settings: {}, quantity: 1, stage: "test", purpose: "internal_review", notes: "", prompt: "Fox", actual: 120, outcome: i === 4 ? "accepted" : "rejected" }, new Date(late.getTime() + i * 60_000));
    }
    const ninth = await historyInsights(fixture.team, { from: startOfDayIn("2026-03-09", ZONE), to: startOfDayIn("2026-03-10", ZONE) }, late);
    expect(ninth.insights).toMatchObject({ runs: 5, charged: 600 });
    expect(ninth.insights.findings).toEqual([expect.objectContaining({ rule: "premium-tests", spent: 600, after: 100, saved: 500 })]);
    expect(ninth.insights.prompts.mostAttempts).toEqual([expect.objectContaining({ key: "fox", acceptedAttempt: 5, chargedBefore: 480, authorId: member.user.id })]);
    expect(ninth.people[member.user.id]).toBe(member.user.name);
    const tenth = await historyInsights(fixture.team, { from: startOfDayIn("2026-03-10", ZONE), to: startOfDayIn("2026-03-11", ZONE) }, late);
    expect(tenth.insights).toMatchObject({ runs: 0, charged: 0, findings: [] });
  });

  it("never show another team's runs", async () => {
    const other = await makeTeam(ZONE);
    await withoutApprovals(other.team.id);
    const otherAdmin = contextOf(other, "admin");
    await addGrant(otherAdmin, { amount: 10_000, source: "Top-up", note: "" }, new Date(START - HOUR));
    await recordRun(otherAdmin, { projectId: other.projectId, modelId: "flux-2-pro", settings: {}, quantity: 1, stage: "test", purpose: "internal_review", notes: "", prompt: "Theirs", actual: 120, outcome: "accepted" }, new Date(START + HOUR));
    const view = await historyInsights(fixture.team, { from: new Date(START), to: new Date(START + 24 * HOUR) }, new Date(START + 2 * HOUR));
    expect(view.insights).toMatchObject({ runs: 0, charged: 0, findings: [], patterns: [], prompts: { total: 0 } });
    expect(view.forecast.team.trailing).toBe(0);
  });
});
