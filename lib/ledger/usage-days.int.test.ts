// A team's daily totals (UsageDay) are always exactly its runs grouped by day and kind: after any sequence of the
// ledger's operations (admit, settle, release, fail, record, refund) at any moments, and after the team's time zone
// changes. `verifyLedger` compares them (its corruption tests are in verify.int.test.ts).
import fc from "fast-check";
import { beforeEach, expect, it } from "vitest";
import type { TeamContext } from "@/lib/authz/team";
import { db } from "@/lib/db/client";
import { updateTeam } from "@/lib/teams/commands";
import { describeEachDatabase } from "@/test/db";
import { makeTeam, withoutApprovals, type TeamFixture } from "@/test/fixtures";
import { contextOf } from "@/test/results";
import { addGrant, admitRun, recordRun, refundRun, releaseRun, settleRun } from "./commands";
import { verifyLedger } from "./verify";

const START = Date.parse("2026-03-01T00:00:00.000Z");
const HOUR = 3_600_000;
const MODELS = [
  { modelId: "qwen-image", settings: {} },
  { modelId: "flux-2-pro", settings: {} },
  { modelId: "speech-turbo", settings: {} },
  { modelId: "bg-remover", settings: {} },
] as const;
const STAGES = ["test", "draft", "final"] as const;
const OUTCOMES = ["accepted", "rejected", "needs_edit", "failed"] as const;

type Op =
  | { kind: "admit" | "record"; who: number; project: number; model: number; stage: number; quantity: number; hours: number; actual: number; outcome: number }
  | { kind: "settle"; pick: number; actual: number; outcome: number; hours: number }
  | { kind: "release"; pick: number; failed: boolean; hours: number }
  | { kind: "refund"; pick: number; credits: number; hours: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    kind: fc.constantFrom("admit" as const, "record" as const),
    who: fc.nat(1),
    project: fc.nat(1),
    model: fc.nat(MODELS.length - 1),
    stage: fc.nat(STAGES.length - 1),
    quantity: fc.integer({ min: 1, max: 4 }),
    hours: fc.integer({ min: 0, max: 24 * 20 }),
    actual: fc.integer({ min: 0, max: 500 }),
    outcome: fc.nat(OUTCOMES.length - 1),
  }),
  fc.record({ kind: fc.constant("settle" as const), pick: fc.nat(), actual: fc.integer({ min: 0, max: 500 }), outcome: fc.nat(OUTCOMES.length - 1), hours: fc.integer({ min: 0, max: 24 * 20 }) }),
  fc.record({ kind: fc.constant("release" as const), pick: fc.nat(), failed: fc.boolean(), hours: fc.integer({ min: 0, max: 24 * 20 }) }),
  fc.record({ kind: fc.constant("refund" as const), pick: fc.nat(), credits: fc.integer({ min: 1, max: 50 }), hours: fc.integer({ min: 0, max: 24 * 20 }) }),
);

describeEachDatabase("daily totals", () => {
  let fixture: TeamFixture;
  let admin: TeamContext;

  beforeEach(async () => {
    fixture = await makeTeam("Europe/Berlin");
    admin = contextOf(fixture, "admin");
    await withoutApprovals(fixture.team.id);
    await addGrant(admin, { amount: 1_000_000, source: "Top-up", note: "" }, new Date(START - HOUR));
  });

  it("equal the runs after any sequence of operations, at any moments, and after the time zone changes", async () => {
    const second = await db().project.create({ data: { teamId: fixture.team.id, name: `Second ${fixture.team.slug}` }, select: { id: true } });
    const projects = [fixture.projectId, second.id];
    const people = [admin, contextOf(fixture, "member")];
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 12 }), async (ops) => {
        const held: string[] = [];
        const settled: string[] = [];
        for (const step of ops) {
          const at = new Date(START + step.hours * HOUR);
          try {
            if (step.kind === "admit" || step.kind === "record") {
              const run = { projectId: projects[step.project], ...MODELS[step.model], quantity: step.quantity, stage: STAGES[step.stage], purpose: "internal_review", notes: "" } as const;
              if (step.kind === "admit") {
                const answer = await admitRun(people[step.who], run, at);
                if (answer.status === "admitted") held.push(answer.runId);
              } else {
                settled.push((await recordRun(people[step.who], { ...run, actual: step.actual, outcome: OUTCOMES[step.outcome] }, at)).runId);
              }
            } else if (step.kind === "settle" && held.length > 0) {
              const [runId] = held.splice(step.pick % held.length, 1);
              await settleRun(admin, { runId, actual: step.actual, outcome: OUTCOMES[step.outcome] }, at);
              settled.push(runId);
            } else if (step.kind === "release" && held.length > 0) {
              const [runId] = held.splice(step.pick % held.length, 1);
              await releaseRun(admin, { runId, failed: step.failed, reason: "Not needed" }, at);
            } else if (step.kind === "refund" && settled.length > 0) {
              await refundRun(admin, { runId: settled[step.pick % settled.length], credits: step.credits, reason: "Platform refund" }, at);
            }
          } catch {
            // A refusal (a refund above what was charged) changes nothing: the totals must still match.
          }
        }
        expect(await verifyLedger(db(), fixture.team.id, new Date(START + 30 * 24 * HOUR))).toEqual([]);
      }),
      { numRuns: 8 },
    );

    // The same runs counted in another zone: days move, totals stay exact.
    const before = await db().usageDay.aggregate({ where: { teamId: fixture.team.id }, _sum: { runs: true, actual: true, refunded: true } });
    await updateTeam(admin, { name: fixture.team.name, timeZone: "Pacific/Kiritimati" });
    expect(await verifyLedger(db(), fixture.team.id, new Date(START + 30 * 24 * HOUR))).toEqual([]);
    expect(await db().usageDay.aggregate({ where: { teamId: fixture.team.id }, _sum: { runs: true, actual: true, refunded: true } })).toEqual(before);
  });

  it("count a run on the day it was made in the team's zone, and move it when the zone changes", async () => {
    const member = contextOf(fixture, "member");
    // 23:30 UTC on 1 March is already 2 March in Berlin (UTC+1).
    const at = new Date("2026-03-01T23:30:00.000Z");
    const { runId } = await recordRun(member, { projectId: fixture.projectId, modelId: "qwen-image", settings: {}, quantity: 2, stage: "test", purpose: "internal_review", notes: "", actual: 40, outcome: "accepted" }, at);
    const day = async () => (await db().usageDay.findFirstOrThrow({ where: { teamId: fixture.team.id, runs: { gt: 0 } } })).day.toISOString().slice(0, 10);
    expect(await day()).toBe("2026-03-02");
    await updateTeam(admin, { name: fixture.team.name, timeZone: "UTC" });
    expect(await day()).toBe("2026-03-01");
    expect(await db().usageDay.findFirstOrThrow({ where: { teamId: fixture.team.id, runs: { gt: 0 } } })).toMatchObject({
      runs: 1,
      estimate: 40n,
      actual: 40n,
      state: "settled",
      outcome: "accepted",
      modelId: "qwen-image",
      userId: member.user.id,
    });
    expect(await db().run.findUniqueOrThrow({ where: { id: runId } })).toMatchObject({ actual: 40 });
  });
});
