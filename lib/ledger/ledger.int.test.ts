// The ledger's operations on a real database: grants, admission, settlement, release, refund, record, expiry, the append-only rule.
import { beforeEach, expect, it } from "vitest";
import type { TeamContext } from "@/lib/authz/team";
import { db } from "@/lib/db/client";
import { describeEachDatabase } from "@/test/db";
import { makeTeam, type TeamFixture } from "@/test/fixtures";
import { addGrant, adjustCredits, admitRun, recordRun, refundRun, releaseRun, settleRun } from "./commands";
import { setMemberLimit, setProjectBudget } from "./budgets";
import { listMemberLimits, projectBudgetStatuses, teamUseThisMonth } from "./queries";
import { verifyLedger } from "./verify";

function ctxOf(fixture: TeamFixture, role: keyof TeamFixture["people"] = "member"): TeamContext {
  return { user: fixture.people[role], team: fixture.team, role };
}

const qwen = (projectId: string, quantity = 1) =>
  ({ projectId, modelId: "qwen-image", settings: {}, quantity, stage: "test", purpose: "internal_review", notes: "" }) as const;

async function totals(teamId: string) {
  return db().teamCredits.findUniqueOrThrow({ where: { teamId }, select: { balance: true, held: true } });
}

describeEachDatabase("ledger", () => {
  let fixture: TeamFixture;
  let admin: TeamContext;
  let member: TeamContext;

  beforeEach(async () => {
    fixture = await makeTeam("America/New_York");
    admin = ctxOf(fixture, "admin");
    member = ctxOf(fixture, "member");
  });

  it("grants, holds on admission, charges the actual cost and releases the rest", async () => {
    await addGrant(admin, { amount: 1_000, source: "Top-up", note: "" });
    const admitted = await admitRun(member, qwen(fixture.projectId, 5));
    expect(admitted).toMatchObject({ status: "admitted", estimate: 100, priceListVersion: 0 });
    expect(await totals(fixture.team.id)).toEqual({ balance: 1_000, held: 100 });
    if (admitted.status !== "admitted") throw new Error("not admitted");
    await settleRun(member, { runId: admitted.runId, actual: 80, outcome: "accepted" });
    expect(await totals(fixture.team.id)).toEqual({ balance: 920, held: 0 });
    const entries = await db().ledgerEntry.findMany({ where: { teamId: fixture.team.id }, orderBy: { id: "asc" } });
    expect(entries.map((e) => [e.kind, e.amount, e.heldDelta, e.balanceAfter, e.availableAfter])).toEqual([
      ["grant", 1000, 0, 1000, 1000],
      ["hold", 0, 100, 1000, 900],
      ["charge", -80, -80, 920, 900],
      ["release", 0, -20, 920, 920],
    ]);
    expect(await verifyLedger(db(), fixture.team.id)).toEqual([]);
  });

  it("denies a run past the project budget with the figures, and holds nothing", async () => {
    await addGrant(admin, { amount: 10_000, source: "Monthly pool", note: "" });
    await setProjectBudget(admin, { projectId: fixture.projectId, credits: 150, period: "month", weekStartsOn: 1, alertPercent: 80, hardCap: true });
    expect(await admitRun(member, qwen(fixture.projectId, 5))).toMatchObject({ status: "admitted" });
    const denied = await admitRun(member, qwen(fixture.projectId, 3));
    expect(denied).toMatchObject({ status: "denied", denial: { limit: "project_budget", budget: 150, used: 100, remaining: 50, needed: 60, shortfall: 10 } });
    if (denied.status === "denied") expect(denied.reason).toContain("short by 10");
    expect(await totals(fixture.team.id)).toEqual({ balance: 10_000, held: 100 });
    const alerts = await db().notification.findMany({ where: { teamId: fixture.team.id } });
    expect(alerts).toEqual([]);
    expect(await verifyLedger(db(), fixture.team.id)).toEqual([]);
  });

  it("denies past the team's available credits and past a member limit", async () => {
    await addGrant(admin, { amount: 50, source: "Top-up", note: "" });
    expect(await admitRun(member, qwen(fixture.projectId, 3))).toMatchObject({ status: "denied", denial: { limit: "team_balance", available: 50, shortfall: 10 } });
    await addGrant(admin, { amount: 1_000, source: "Top-up", note: "" });
    await setMemberLimit(admin, { userId: member.user.id, scope: "team", credits: 40, period: "week", weekStartsOn: 0 });
    expect(await admitRun(member, qwen(fixture.projectId, 2))).toMatchObject({ status: "admitted" });
    expect(await admitRun(member, qwen(fixture.projectId, 1))).toMatchObject({ status: "denied", denial: { limit: "member_limit", used: 40 } });
    expect(await admitRun(admin, qwen(fixture.projectId, 1))).toMatchObject({ status: "admitted" });
    expect(await verifyLedger(db(), fixture.team.id)).toEqual([]);
  });

  it("reports each budget's and limit's use this period, with the bar's colour", async () => {
    await addGrant(admin, { amount: 10_000, source: "Top-up", note: "" });
    await setProjectBudget(admin, { projectId: fixture.projectId, credits: 200, period: "month", weekStartsOn: 1, alertPercent: 80, hardCap: true });
    await setMemberLimit(admin, { userId: member.user.id, scope: "team", credits: 500, period: "week", weekStartsOn: 1 });
    await admitRun(member, qwen(fixture.projectId, 5));
    const [status] = await projectBudgetStatuses(fixture.team);
    expect(status.budget).toMatchObject({ used: 100, remaining: 100, percent: 50, tone: "green" });
    await admitRun(member, qwen(fixture.projectId, 3));
    expect((await projectBudgetStatuses(fixture.team))[0].budget).toMatchObject({ used: 160, tone: "amber" });
    const [limit] = await listMemberLimits(fixture.team);
    expect(limit).toMatchObject({ scope: "team", credits: 500, used: 160 });
    expect(await teamUseThisMonth(fixture.team)).toMatchObject({ used: 160 });
    // A new month starts the budget afresh.
    const nextMonth = new Date(Date.now() + 32 * 24 * 3600_000);
    expect((await projectBudgetStatuses(fixture.team, nextMonth))[0].budget).toMatchObject({ used: 0, tone: "green" });
  });

  it("answers a retried admission once, and refuses the key for another request", async () => {
    await addGrant(admin, { amount: 1_000, source: "Top-up", note: "" });
    const first = await admitRun(member, { ...qwen(fixture.projectId), idempotencyKey: "key-12345678" });
    const again = await admitRun(member, { ...qwen(fixture.projectId), idempotencyKey: "key-12345678" });
    expect(again).toMatchObject({ status: "admitted", replayed: true });
    if (first.status === "admitted" && again.status === "admitted") expect(again.runId).toBe(first.runId);
    await expect(admitRun(member, { ...qwen(fixture.projectId, 2), idempotencyKey: "key-12345678" })).rejects.toThrow(/different request/);
    expect(await db().run.count({ where: { teamId: fixture.team.id } })).toBe(1);
  });

  it("settles a run once; release after settle and settle after release are refused", async () => {
    await addGrant(admin, { amount: 1_000, source: "Top-up", note: "" });
    const a = await admitRun(member, qwen(fixture.projectId));
    const b = await admitRun(member, qwen(fixture.projectId));
    if (a.status !== "admitted" || b.status !== "admitted") throw new Error("not admitted");
    await settleRun(member, { runId: a.runId, actual: 20, outcome: "accepted" });
    await expect(settleRun(member, { runId: a.runId, actual: 20, outcome: "accepted" })).rejects.toThrow(/already settled/);
    await expect(releaseRun(member, { runId: a.runId, failed: false, reason: "" })).rejects.toThrow(/already settled/);
    await releaseRun(member, { runId: b.runId, failed: true, reason: "Generation failed" });
    await expect(settleRun(member, { runId: b.runId, actual: 20, outcome: "accepted" })).rejects.toThrow(/already failed/);
    expect(await totals(fixture.team.id)).toEqual({ balance: 980, held: 0 });
    expect(await verifyLedger(db(), fixture.team.id)).toEqual([]);
  });

  it("charges an overrun in full, flags it, and alerts the admins", async () => {
    await addGrant(admin, { amount: 1_000, source: "Top-up", note: "" });
    const run = await admitRun(member, qwen(fixture.projectId));
    if (run.status !== "admitted") throw new Error("not admitted");
    const settled = await settleRun(member, { runId: run.runId, actual: 45, outcome: "accepted" });
    expect(settled).toMatchObject({ actual: 45, overrun: true });
    expect(await totals(fixture.team.id)).toEqual({ balance: 955, held: 0 });
    expect(await db().run.findUniqueOrThrow({ where: { id: run.runId } })).toMatchObject({ overrun: true, actual: 45 });
    expect(await db().notification.count({ where: { teamId: fixture.team.id, kind: "overrun" } })).toBe(1);
    expect(await verifyLedger(db(), fixture.team.id)).toEqual([]);
  });

  it("spends the grant that expires first, and writes off what is left at expiry once", async () => {
    const t0 = new Date("2026-03-01T12:00:00Z");
    await addGrant(admin, { amount: 100, source: "Top-up", note: "never expires" }, t0);
    await addGrant(admin, { amount: 50, source: "Promotion", note: "", expiresAt: new Date("2026-03-10T05:00:00Z") }, t0);
    const run = await admitRun(member, qwen(fixture.projectId, 2), t0);
    if (run.status !== "admitted") throw new Error("not admitted");
    await settleRun(member, { runId: run.runId, actual: 40, outcome: "accepted" }, t0);
    const grants = await db().grant.findMany({ where: { teamId: fixture.team.id }, orderBy: { amount: "asc" } });
    expect(grants.map((g) => g.remaining)).toEqual([10, 100]);
    const later = new Date("2026-03-11T00:00:00Z");
    await admitRun(member, qwen(fixture.projectId), later);
    await admitRun(member, qwen(fixture.projectId), later);
    const expiries = await db().ledgerEntry.findMany({ where: { teamId: fixture.team.id, kind: "expiry" } });
    expect(expiries.map((e) => e.amount)).toEqual([-10]);
    expect((await totals(fixture.team.id)).balance).toBe(100);
    expect(await verifyLedger(db(), fixture.team.id)).toEqual([]);
  });

  it("records usage that already happened even past the budget, and flags it", async () => {
    await addGrant(admin, { amount: 100, source: "Top-up", note: "" });
    await setProjectBudget(admin, { projectId: fixture.projectId, credits: 50, period: "lifetime", weekStartsOn: 1, alertPercent: 80, hardCap: true });
    const recorded = await recordRun(member, { ...qwen(fixture.projectId, 1), modelId: "flux-2-pro", prompt: "A red fox at dawn", actual: 120, outcome: "accepted" });
    expect(recorded.overBudget).toMatchObject({ limit: "team_balance" });
    expect(await db().run.findUniqueOrThrow({ where: { id: recorded.runId }, select: { prompt: true } })).toEqual({ prompt: "A red fox at dawn" });
    expect(await totals(fixture.team.id)).toEqual({ balance: -20, held: 0 });
    const kinds = (await db().notification.findMany({ where: { teamId: fixture.team.id } })).map((n) => n.kind).sort();
    expect(kinds).toEqual(["budget_threshold", "budget_threshold", "over_budget"]);
    // The next grant pays the debt first.
    await addGrant(admin, { amount: 500, source: "Top-up", note: "" });
    expect(await totals(fixture.team.id)).toEqual({ balance: 480, held: 0 });
    expect(await verifyLedger(db(), fixture.team.id)).toEqual([]);
  });

  it("refunds a settled run and adjusts with a reason", async () => {
    await addGrant(admin, { amount: 1_000, source: "Top-up", note: "" });
    const run = await admitRun(member, qwen(fixture.projectId, 5));
    if (run.status !== "admitted") throw new Error("not admitted");
    await settleRun(member, { runId: run.runId, actual: 100, outcome: "rejected" });
    await refundRun(admin, { runId: run.runId, credits: 60, reason: "Platform refunded a broken batch" });
    await expect(refundRun(admin, { runId: run.runId, credits: 41, reason: "Too much" })).rejects.toThrow(/At most 40/);
    await adjustCredits(admin, { amount: -60, reason: "Correction of a double top-up" });
    expect(await totals(fixture.team.id)).toEqual({ balance: 900, held: 0 });
    const audit = await db().auditLog.findMany({ where: { teamId: fixture.team.id }, select: { action: true } });
    expect(audit.map((a) => a.action).sort()).toEqual(["credits.adjusted", "credits.granted", "credits.refunded"]);
    expect(await verifyLedger(db(), fixture.team.id)).toEqual([]);
  });

  it("a call that fails inside a group of concurrent calls does not fail the others", async () => {
    await addGrant(admin, { amount: 1_000, source: "Top-up", note: "" });
    const first = await admitRun(member, qwen(fixture.projectId));
    if (first.status !== "admitted") throw new Error("not admitted");
    const results = await Promise.allSettled([
      ...Array.from({ length: 5 }, () => admitRun(member, qwen(fixture.projectId))),
      // An outcome the database does not know fails inside the transaction, past the app's validation.
      settleRun(member, { runId: first.runId, actual: 10, outcome: "lost-in-transit" }),
      ...Array.from({ length: 5 }, () => admitRun(member, qwen(fixture.projectId))),
    ]);
    expect(results.map((r) => r.status)).toEqual([...Array(5).fill("fulfilled"), "rejected", ...Array(5).fill("fulfilled")]);
    expect(await db().run.count({ where: { teamId: fixture.team.id, state: "held" } })).toBe(11);
    expect(await verifyLedger(db(), fixture.team.id)).toEqual([]);
  });

  it("refuses UPDATE, DELETE and TRUNCATE on ledger entries", async () => {
    await addGrant(admin, { amount: 10, source: "Top-up", note: "" });
    await expect(db().$executeRawUnsafe(`UPDATE "LedgerEntry" SET "amount" = 999 WHERE "teamId" = '${fixture.team.id}'`)).rejects.toThrow(/append-only/);
    await expect(db().$executeRawUnsafe(`DELETE FROM "LedgerEntry" WHERE "teamId" = '${fixture.team.id}'`)).rejects.toThrow(/append-only/);
    await expect(db().$executeRawUnsafe(`TRUNCATE "LedgerEntry" CASCADE`)).rejects.toThrow(/append-only/);
    expect(await db().ledgerEntry.count({ where: { teamId: fixture.team.id } })).toBe(1);
  });
});
