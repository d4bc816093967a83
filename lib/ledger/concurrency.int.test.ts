// Storms of concurrent requests on PostgreSQL (real connections): nothing is ever spent twice or past a limit.
import { afterAll, beforeAll, beforeEach, describe, expect, it, onTestFinished } from "vitest";
import type { TeamContext } from "@/lib/authz/team";
import { closeDatabase, db, useDatabase } from "@/lib/db/client";
import { openFreshDatabase } from "@/test/db";
import { makeTeam, type TeamFixture } from "@/test/fixtures";
import { addGrant, admitRun, releaseRun, settleRun, type AdmitOutcome } from "./commands";
import { setMemberLimit, setProjectBudget } from "./budgets";
import { updateTeam } from "@/lib/teams/commands";
import { verifyLedger } from "./verify";

const STORM = 200;
// Five Qwen Image tests: 100 credits at the default price list.
const hundredCredits = (projectId: string, idempotencyKey?: string) =>
  ({ projectId, modelId: "qwen-image", settings: {}, quantity: 5, stage: "test", purpose: "internal_review", notes: "", idempotencyKey }) as const;

function tally(outcomes: AdmitOutcome[]) {
  const admitted = outcomes.filter((o) => o.status === "admitted").length;
  const reasons = new Set(outcomes.flatMap((o) => (o.status === "denied" ? [o.denial.limit] : [])));
  return { admitted, denied: outcomes.length - admitted, reasons: [...reasons] };
}

describe.skipIf(!process.env.TEST_DATABASE_URL)("concurrent credit operations on PostgreSQL (needs TEST_DATABASE_URL)", () => {
  let fixture: TeamFixture;
  let admin: TeamContext;
  let member: TeamContext;

  beforeAll(async () => {
    const database = await openFreshDatabase("postgres");
    useDatabase(database.client, database.close);
  });
  afterAll(() => closeDatabase());

  beforeEach(async () => {
    fixture = await makeTeam("Europe/Berlin");
    admin = { user: fixture.people.admin, team: fixture.team, role: "admin" };
    member = { user: fixture.people.member, team: fixture.team, role: "member" };
  });

  it.each(["on", "off"])(`${STORM} admissions of 100 against a 5,000-credit project budget: exactly 50 admitted (grouping %s)`, async (batching) => {
    process.env.LEDGER_BATCHING = batching;
    onTestFinished(() => {
      delete process.env.LEDGER_BATCHING;
    });
    await addGrant(admin, { amount: 1_000_000, source: "Top-up", note: "" });
    await setProjectBudget(admin, { projectId: fixture.projectId, credits: 5_000, period: "month", weekStartsOn: 1, alertPercent: 80, hardCap: true });
    const outcomes = await Promise.all(Array.from({ length: STORM }, () => admitRun(member, hundredCredits(fixture.projectId))));
    expect(tally(outcomes)).toEqual({ admitted: 50, denied: 150, reasons: ["project_budget"] });
    expect(await db().teamCredits.findUniqueOrThrow({ where: { teamId: fixture.team.id } })).toMatchObject({ held: 5_000 });
    // Crossing 80 % and 100 % raised one alert each, however many requests crossed together.
    expect(await db().notification.count({ where: { teamId: fixture.team.id, kind: "budget_threshold" } })).toBe(2);
    expect(await verifyLedger(db(), fixture.team.id)).toEqual([]);
  });

  it(`${STORM} admissions of 100 against a 5,000-credit team balance: exactly 50 admitted`, async () => {
    await addGrant(admin, { amount: 5_000, source: "Monthly pool", note: "" });
    const outcomes = await Promise.all(Array.from({ length: STORM }, () => admitRun(member, hundredCredits(fixture.projectId))));
    expect(tally(outcomes)).toEqual({ admitted: 50, denied: 150, reasons: ["team_balance"] });
    expect(await db().teamCredits.findUniqueOrThrow({ where: { teamId: fixture.team.id } })).toMatchObject({ balance: 5_000, held: 5_000 });
    expect(await verifyLedger(db(), fixture.team.id)).toEqual([]);
  });

  it(`${STORM} admissions of 100 against a 5,000-credit member limit: exactly 50 admitted`, async () => {
    await addGrant(admin, { amount: 1_000_000, source: "Top-up", note: "" });
    await setMemberLimit(admin, { userId: member.user.id, scope: fixture.projectId, credits: 5_000, period: "week", weekStartsOn: 1 });
    const outcomes = await Promise.all(Array.from({ length: STORM }, () => admitRun(member, hundredCredits(fixture.projectId))));
    expect(tally(outcomes)).toEqual({ admitted: 50, denied: 150, reasons: ["member_limit"] });
    expect(await verifyLedger(db(), fixture.team.id)).toEqual([]);
  });

  it("one idempotency key sent 50 times at once makes one run and one hold", async () => {
    await addGrant(admin, { amount: 10_000, source: "Top-up", note: "" });
    const outcomes = await Promise.all(Array.from({ length: 50 }, () => admitRun(member, hundredCredits(fixture.projectId, "retry-storm-0001"))));
    const runIds = new Set(outcomes.map((o) => (o.status === "admitted" ? o.runId : "denied")));
    expect(runIds.size).toBe(1);
    expect(outcomes.filter((o) => !o.replayed)).toHaveLength(1);
    expect(await db().run.count({ where: { teamId: fixture.team.id } })).toBe(1);
    expect(await db().ledgerEntry.count({ where: { teamId: fixture.team.id, kind: "hold" } })).toBe(1);
    expect(await verifyLedger(db(), fixture.team.id)).toEqual([]);
  });

  it("settle and release racing on one run: exactly one wins, every time", async () => {
    await addGrant(admin, { amount: 100_000, source: "Top-up", note: "" });
    const runs = await Promise.all(Array.from({ length: 30 }, () => admitRun(member, hundredCredits(fixture.projectId))));
    for (const run of runs) {
      if (run.status !== "admitted") throw new Error("setup: not admitted");
      const results = await Promise.allSettled([
        settleRun(member, { runId: run.runId, actual: 90, outcome: "accepted" }),
        releaseRun(member, { runId: run.runId, failed: false, reason: "Cancelled" }),
        settleRun(admin, { runId: run.runId, actual: 100, outcome: "accepted" }),
      ]);
      expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
      for (const r of results) if (r.status === "rejected") expect(String(r.reason)).toMatch(/already (settled|released)/);
    }
    expect(await db().teamCredits.findUniqueOrThrow({ where: { teamId: fixture.team.id } })).toMatchObject({ held: 0 });
    expect(await db().run.count({ where: { teamId: fixture.team.id, state: "held" } })).toBe(0);
    expect(await verifyLedger(db(), fixture.team.id)).toEqual([]);
  });

  it("changes of time zone racing each other and budget saves leave every budget counted in the team's zone", async () => {
    await addGrant(admin, { amount: 100_000, source: "Top-up", note: "" });
    // Two days ago: inside this week in a zone 11 hours behind UTC, before it in one 14 hours ahead.
    const twoDaysAgo = new Date(Date.now() - 2 * 24 * 3600_000);
    expect(await admitRun(member, hundredCredits(fixture.projectId), twoDaysAgo)).toMatchObject({ status: "admitted" });
    const weekday = new Date(new Date().toLocaleString("en-US", { timeZone: "Pacific/Kiritimati" })).getDay() as 0 | 1 | 2 | 3 | 4 | 5 | 6;
    const owner: TeamContext = { user: fixture.people.owner, team: fixture.team, role: "owner" };
    for (let round = 0; round < 8; round++) {
      await Promise.all([
        updateTeam(owner, { name: fixture.team.name, timeZone: "Pacific/Kiritimati" }),
        setProjectBudget(admin, { projectId: fixture.projectId, credits: 5_000, period: "week", weekStartsOn: weekday, alertPercent: 80, hardCap: true }),
        updateTeam(owner, { name: fixture.team.name, timeZone: "Pacific/Pago_Pago" }),
        setMemberLimit(admin, { userId: member.user.id, scope: "team", credits: 5_000, period: "week", weekStartsOn: weekday }),
      ]);
      expect(await verifyLedger(db(), fixture.team.id)).toEqual([]);
    }
  });

  it("a mixed storm of admissions, settlements and releases leaves the books balanced", async () => {
    await addGrant(admin, { amount: 20_000, source: "Top-up", note: "" });
    await setProjectBudget(admin, { projectId: fixture.projectId, credits: 15_000, period: "lifetime", weekStartsOn: 1, alertPercent: 80, hardCap: true });
    await Promise.all(
      Array.from({ length: 120 }, async (_, i) => {
        const run = await admitRun(member, hundredCredits(fixture.projectId));
        if (run.status !== "admitted") return;
        if (i % 3 === 0) await releaseRun(member, { runId: run.runId, failed: i % 2 === 0, reason: "" });
        else await settleRun(member, { runId: run.runId, actual: 60 + (i % 5) * 20, outcome: "accepted" });
      }),
    );
    expect(await verifyLedger(db(), fixture.team.id)).toEqual([]);
  });
});
