// The ledger's silent errors of issue 7, one test each: counters of one team, grants expiring under holds, budgets set
// after spending, empty and huge amounts, alerts after a raise, denials retried, alerts and email in the movement's transaction.
import { createServer, type Server } from "node:net";
import { afterEach, beforeEach, expect, it } from "vitest";
import type { TeamContext } from "@/lib/authz/team";
import { db } from "@/lib/db/client";
import { drainOutbox } from "@/lib/mail/outbox";
import { updatePriceEntry } from "@/lib/price-lists/commands";
import { describeEachDatabase } from "@/test/db";
import { makeTeam, makeUser, withoutApprovals, type TeamFixture } from "@/test/fixtures";
import { signInAs } from "@/test/session";
import { addGrantAction, adjustCreditsAction, recordRunAction, setBudgetAction, settleRunAction } from "./actions";
import { setMemberLimit, setProjectBudget } from "./budgets";
import { addGrant, adjustCredits, admitRun, releaseRun, settleRun } from "./commands";
import { creditSummary, listGrants, listMemberLimits, listNotifications, projectBudgetStatuses } from "./queries";
import { updateTeam } from "@/lib/teams/commands";
import { verifyLedger } from "./verify";

function ctxOf(fixture: TeamFixture, role: keyof TeamFixture["people"] = "member"): TeamContext {
  return { user: fixture.people[role], team: fixture.team, role };
}

// Qwen Image is 20 credits a picture on the default price list.
const qwen = (projectId: string, quantity = 1, idempotencyKey?: string) =>
  ({ projectId, modelId: "qwen-image", settings: {}, quantity, stage: "test", purpose: "internal_review", notes: "", idempotencyKey }) as const;

async function admitted(ctx: TeamContext, request: Parameters<typeof admitRun>[1], at?: Date): Promise<string> {
  const outcome = await admitRun(ctx, request, at);
  if (outcome.status !== "admitted") throw new Error(`expected an admission, got: ${outcome.status === "denied" ? outcome.reason : `needs approval (${outcome.rule.name})`}`);
  return outcome.runId;
}

async function totals(teamId: string) {
  return db().teamCredits.findUniqueOrThrow({ where: { teamId }, select: { balance: true, held: true, debt: true } });
}

describeEachDatabase("ledger hardening", () => {
  let fixture: TeamFixture;
  let admin: TeamContext;
  let member: TeamContext;

  beforeEach(async () => {
    fixture = await makeTeam("Europe/Berlin");
    // These tests are about the ledger: runs of 1,000 credits or more are admitted without an approval here.
    await withoutApprovals(fixture.team.id);
    admin = ctxOf(fixture, "admin");
    member = ctxOf(fixture, "member");
  });

  it("1 · a person in two teams has a counter in each: spending in one never shows, or refuses, in the other", async () => {
    const other = await makeTeam("UTC");
    const person = await makeUser({ name: "Shared Person" });
    await db().membership.createMany({
      data: [
        { teamId: fixture.team.id, userId: person.id, role: "member" },
        { teamId: other.team.id, userId: person.id, role: "member" },
      ],
    });
    const inA: TeamContext = { user: person, team: fixture.team, role: "member" };
    const inB: TeamContext = { user: person, team: other.team, role: "member" };
    const adminB: TeamContext = { user: other.people.admin, team: other.team, role: "admin" };
    await addGrant(admin, { amount: 10_000, source: "Top-up", note: "" });
    await addGrant(adminB, { amount: 10_000, source: "Top-up", note: "" });
    await setMemberLimit(admin, { userId: person.id, scope: "team", credits: 1_000, period: "month", weekStartsOn: 1 });
    await setMemberLimit(adminB, { userId: person.id, scope: "team", credits: 100, period: "month", weekStartsOn: 1 });

    await settleRun(inA, { runId: await admitted(inA, qwen(fixture.projectId, 25)), actual: 500, outcome: "accepted" });

    expect((await listMemberLimits(other.team)).find((limit) => limit.user.id === person.id)).toMatchObject({ used: 0 });
    expect((await listMemberLimits(fixture.team)).find((limit) => limit.user.id === person.id)).toMatchObject({ used: 500 });
    expect(await admitRun(inB, qwen(other.projectId, 1))).toMatchObject({ status: "admitted" });
    expect(await verifyLedger(db(), fixture.team.id)).toEqual([]);
    expect(await verifyLedger(db(), other.team.id)).toEqual([]);
  });

  // A 100-credit grant expires while a 100-credit run holds it; whatever happens in between, the
  // credits it held stay the run's, and what the run leaves is written off then.
  const t0 = new Date("2026-03-02T10:00:00Z");
  const expiry = new Date("2026-03-05T00:00:00Z");
  const afterExpiry = new Date("2026-03-06T10:00:00Z");
  const later = new Date("2026-03-07T10:00:00Z");

  it.each([
    { order: "expiry written by another operation, then settle of the whole hold", actual: 100, between: true },
    { order: "expiry written by another operation, then settle of part of it", actual: 1, between: true },
    { order: "settle of the whole hold as the first operation after expiry", actual: 100, between: false },
    { order: "settle of part of it as the first operation after expiry", actual: 1, between: false },
  ])("2 · a grant that expires under a hold: $order ends at 0, never below or above", async ({ actual, between }) => {
    await addGrant(admin, { amount: 100, source: "Promotion", note: "", expiresAt: expiry }, t0);
    const runId = await admitted(member, qwen(fixture.projectId, 5), t0);
    if (between) {
      // Anything that runs after the expiry writes it: here another admission, refused for want of credits.
      expect(await admitRun(member, qwen(fixture.projectId, 1), afterExpiry)).toMatchObject({ status: "denied", denial: { limit: "team_balance" } });
    }
    await settleRun(member, { runId, actual, outcome: "accepted" }, later);
    expect(await totals(fixture.team.id)).toEqual({ balance: 0, held: 0, debt: 0 });
    const writtenOff = await db().ledgerEntry.aggregate({ where: { teamId: fixture.team.id, kind: "expiry" }, _sum: { amount: true } });
    expect(writtenOff._sum.amount ?? 0).toBe(actual === 100 ? 0 : -(100 - actual));
    expect(await verifyLedger(db(), fixture.team.id, later)).toEqual([]);
  });

  it("2 · settled before the expiry, the unused part goes back to the grant and expires with it", async () => {
    await addGrant(admin, { amount: 100, source: "Promotion", note: "", expiresAt: expiry }, t0);
    const runId = await admitted(member, qwen(fixture.projectId, 5), t0);
    await settleRun(member, { runId, actual: 1, outcome: "accepted" }, new Date("2026-03-03T10:00:00Z"));
    expect(await totals(fixture.team.id)).toMatchObject({ balance: 99, held: 0 });
    await admitRun(member, qwen(fixture.projectId, 1), afterExpiry);
    expect(await totals(fixture.team.id)).toEqual({ balance: 0, held: 0, debt: 0 });
    expect(await verifyLedger(db(), fixture.team.id, afterExpiry)).toEqual([]);
  });

  it("2 · a release after the expiry writes the whole hold off; a release before it returns the credits", async () => {
    await addGrant(admin, { amount: 100, source: "Promotion", note: "", expiresAt: expiry }, t0);
    await addGrant(admin, { amount: 50, source: "Top-up", note: "never expires" }, t0);
    const first = await admitted(member, qwen(fixture.projectId, 5), t0);
    await releaseRun(member, { runId: first, failed: true, reason: "" }, new Date("2026-03-03T10:00:00Z"));
    const second = await admitted(member, qwen(fixture.projectId, 5), new Date("2026-03-04T10:00:00Z"));
    await releaseRun(member, { runId: second, failed: true, reason: "" }, afterExpiry);
    expect(await totals(fixture.team.id)).toEqual({ balance: 50, held: 0, debt: 0 });
    expect(await verifyLedger(db(), fixture.team.id, afterExpiry)).toEqual([]);
  });

  it("2 · credits held before the expiry stay spendable by their run; pages show the balance net of what expired before anything is written", async () => {
    await addGrant(admin, { amount: 100, source: "Promotion", note: "", expiresAt: expiry }, t0);
    const runId = await admitted(member, qwen(fixture.projectId, 2), t0);
    // Nothing has run since the expiry: the 60 unreserved credits are already gone from the page.
    expect(await creditSummary(fixture.team.id, afterExpiry)).toMatchObject({ balance: 40, held: 40, available: 0 });
    expect(await admitRun(member, qwen(fixture.projectId, 1), afterExpiry)).toMatchObject({ status: "denied" });
    await settleRun(member, { runId, actual: 40, outcome: "accepted" }, afterExpiry);
    expect(await totals(fixture.team.id)).toEqual({ balance: 0, held: 0, debt: 0 });
    expect(await creditSummary(fixture.team.id, afterExpiry)).toMatchObject({ balance: 0, available: 0 });
    expect(await verifyLedger(db(), fixture.team.id, afterExpiry)).toEqual([]);
  });

  it("2 · an overrun past every grant becomes debt, which the next credits pay first", async () => {
    await addGrant(admin, { amount: 100, source: "Top-up", note: "" });
    const runId = await admitted(member, qwen(fixture.projectId, 5));
    await settleRun(member, { runId, actual: 130, outcome: "accepted" });
    expect(await totals(fixture.team.id)).toEqual({ balance: -30, held: 0, debt: 30 });
    await addGrant(admin, { amount: 100, source: "Top-up", note: "" });
    expect(await totals(fixture.team.id)).toEqual({ balance: 70, held: 0, debt: 0 });
    expect(await verifyLedger(db(), fixture.team.id)).toEqual([]);
  });

  it("3 · a budget set after spending counts that spending, and so does a change of its period", async () => {
    await addGrant(admin, { amount: 10_000, source: "Top-up", note: "" });
    await settleRun(member, { runId: await admitted(member, qwen(fixture.projectId, 50)), actual: 1_000, outcome: "accepted" });
    await setProjectBudget(admin, { projectId: fixture.projectId, credits: 1_000, period: "month", weekStartsOn: 1, alertPercent: 80, hardCap: true });
    expect((await projectBudgetStatuses(fixture.team))[0].budget).toMatchObject({ used: 1_000, remaining: 0 });
    expect(await admitRun(member, qwen(fixture.projectId, 1))).toMatchObject({ status: "denied", denial: { limit: "project_budget", used: 1_000 } });
    await setProjectBudget(admin, { projectId: fixture.projectId, credits: 1_000, period: "lifetime", weekStartsOn: 1, alertPercent: 80, hardCap: true });
    expect(await admitRun(member, qwen(fixture.projectId, 50))).toMatchObject({ status: "denied", denial: { limit: "project_budget", used: 1_000 } });
    await setProjectBudget(admin, { projectId: fixture.projectId, credits: 1_000, period: "week", weekStartsOn: 3, alertPercent: 80, hardCap: true });
    expect(await admitRun(member, qwen(fixture.projectId, 50))).toMatchObject({ status: "denied" });
    expect(await verifyLedger(db(), fixture.team.id)).toEqual([]);
  });

  it("3 · a member limit set after spending counts it, and a hold taken before the budget settles against it", async () => {
    await addGrant(admin, { amount: 10_000, source: "Top-up", note: "" });
    const early = await admitted(member, qwen(fixture.projectId, 25));
    await setMemberLimit(admin, { userId: member.user.id, scope: "team", credits: 600, period: "month", weekStartsOn: 1 });
    await setProjectBudget(admin, { projectId: fixture.projectId, credits: 5_000, period: "month", weekStartsOn: 1, alertPercent: 80, hardCap: true });
    expect((await listMemberLimits(fixture.team))[0]).toMatchObject({ used: 500 });
    expect(await admitRun(member, qwen(fixture.projectId, 6))).toMatchObject({ status: "denied", denial: { limit: "member_limit", used: 500 } });
    await settleRun(member, { runId: early, actual: 300, outcome: "accepted" });
    expect((await listMemberLimits(fixture.team))[0]).toMatchObject({ used: 300 });
    expect((await projectBudgetStatuses(fixture.team))[0].budget).toMatchObject({ used: 300 });
    expect(await verifyLedger(db(), fixture.team.id)).toEqual([]);
  });

  it("3 · a budget saved with a stale view of the team's time zone counts its period in the zone the team has now", async () => {
    await addGrant(admin, { amount: 10_000, source: "Top-up", note: "" });
    // A run two days ago: inside this week for a team 11 hours behind UTC, before it for one 14 hours ahead.
    await admitted(member, qwen(fixture.projectId, 5), new Date(Date.now() - 2 * 24 * 3600_000));
    await admitted(member, qwen(fixture.projectId, 3));
    const weekday = new Date(new Date().toLocaleString("en-US", { timeZone: "Pacific/Kiritimati" })).getDay() as 0 | 1 | 2 | 3 | 4 | 5 | 6;
    await updateTeam({ ...admin, role: "owner" }, { name: fixture.team.name, timeZone: "Pacific/Kiritimati" });
    // The admin's context was loaded before the change: it still says Europe/Berlin.
    await setProjectBudget(admin, { projectId: fixture.projectId, credits: 5_000, period: "week", weekStartsOn: weekday, alertPercent: 80, hardCap: true });
    await setMemberLimit(admin, { userId: member.user.id, scope: "team", credits: 5_000, period: "week", weekStartsOn: weekday });
    expect(await verifyLedger(db(), fixture.team.id)).toEqual([]);
  });

  it("4 · an empty or missing money field is an error at the field, never 0, and changes nothing", async () => {
    await addGrant(admin, { amount: 1_000, source: "Top-up", note: "" });
    const runId = await admitted(member, qwen(fixture.projectId, 5));
    signInAs(member.user);
    const slug = fixture.team.slug;
    for (const actual of ["", "   ", undefined, "1e3", "12.5", "0x10"]) {
      const result = await settleRunAction({ teamSlug: slug, runId, actual, outcome: "accepted" });
      expect(result.ok ? "settled" : result.fieldErrors?.actual).toMatch(/^Enter the actual cost/);
    }
    expect(await db().run.findUniqueOrThrow({ where: { id: runId } })).toMatchObject({ state: "held", actual: null });
    const recorded = await recordRunAction({ teamSlug: slug, ...qwen(fixture.projectId), actual: "", outcome: "accepted" });
    expect(recorded).toMatchObject({ ok: false, fieldErrors: { actual: "Enter the actual cost in credits." } });
    signInAs(admin.user);
    expect(await addGrantAction({ teamSlug: slug, amount: "", source: "Top-up" })).toMatchObject({ ok: false, fieldErrors: { amount: "Enter the amount in credits." } });
    expect(await adjustCreditsAction({ teamSlug: slug, amount: "", reason: "Correction" })).toMatchObject({ ok: false, fieldErrors: { amount: expect.stringMatching(/^Enter the correction/) } });
    expect(await setBudgetAction({ teamSlug: slug, projectId: fixture.projectId, credits: "", period: "month" })).toMatchObject({ ok: false, fieldErrors: { credits: "Enter the budget in credits." } });
    // A last day that is no day is refused, not rolled over to another month.
    expect(await addGrantAction({ teamSlug: slug, amount: "100", source: "Top-up", expiresOn: "2026-13-45" })).toMatchObject({
      ok: false,
      fieldErrors: { expiresOn: "2026-13-45 is not a day in the calendar." },
    });
    expect(await totals(fixture.team.id)).toEqual({ balance: 1_000, held: 100, debt: 0 });
    expect(await db().ledgerEntry.count({ where: { teamId: fixture.team.id } })).toBe(2);
  });

  it("5 · an adjustment that takes available credits below zero is made only once its figure is confirmed", async () => {
    await addGrant(admin, { amount: 10_531, source: "Top-up", note: "" });
    const asked = await adjustCredits(admin, { amount: -99_999_999, reason: "Mistyped correction" });
    expect(asked).toEqual({ status: "confirm", availableAfter: -99_989_468, balanceAfter: -99_989_468 });
    expect(await db().ledgerEntry.count({ where: { teamId: fixture.team.id, kind: "adjustment" } })).toBe(0);
    // The figure moved since the question (a run was admitted): asked again, with the new figure.
    await admitted(member, qwen(fixture.projectId, 1));
    expect(await adjustCredits(admin, { amount: -99_999_999, reason: "Mistyped correction", confirmAvailable: -99_989_468 })).toMatchObject({
      status: "confirm",
      availableAfter: -99_989_488,
    });
    expect(await adjustCredits(admin, { amount: -99_999_999, reason: "Mistyped correction", confirmAvailable: -99_989_488 })).toMatchObject({ status: "adjusted" });
    expect(await totals(fixture.team.id)).toEqual({ balance: -99_989_468, held: 20, debt: 99_989_488 });
    expect(await verifyLedger(db(), fixture.team.id)).toEqual([]);
    // The page's form gets the question as data, with what was typed, to ask it.
    signInAs(admin.user);
    const answer = await adjustCreditsAction({ teamSlug: fixture.team.slug, amount: "-5", reason: "Another correction" });
    expect(answer).toMatchObject({ ok: true, data: { status: "confirm", amount: -5, reason: "Another correction" } });
  });

  it("5 · the grants listed, with what corrections and refunds added, make up the balance less the debt", async () => {
    await addGrant(admin, { amount: 1_000, source: "Top-up", note: "", expiresAt: new Date(Date.now() + 30 * 24 * 3600_000) });
    await adjustCredits(admin, { amount: -400, reason: "Double top-up" });
    await adjustCredits(admin, { amount: 400, reason: "Reverse the correction" });
    const { grants, corrections } = await listGrants(fixture.team.id);
    expect(corrections).toEqual({ amount: 400, remaining: 400, held: 0 });
    const summary = await creditSummary(fixture.team.id);
    expect(grants.reduce((sum, grant) => sum + grant.remaining, 0) + corrections.remaining - summary.debt).toBe(summary.balance);
  });

  it("5 · adjustment reasons get the message that fits", async () => {
    signInAs(admin.user);
    const reasonError = async (reason: string) => {
      const result = await adjustCreditsAction({ teamSlug: fixture.team.slug, amount: "10", reason });
      return result.ok ? "accepted" : result.fieldErrors?.reason;
    };
    expect(await reasonError("")).toBe("Every adjustment needs a reason.");
    expect(await reasonError("x")).toMatch(/^Say in a few words why/);
    expect(await reasonError("ok")).toMatch(/^Say in a few words why/);
    expect(await reasonError("a".repeat(10_000))).toBe("Keep the reason to 500 characters; this one has 10,000.");
    expect(await reasonError("Refund of a double top-up")).toBe("accepted");
  });

  it("6 · figures past the bound get a message naming the largest allowed value at their field, not an overflow", async () => {
    signInAs(admin.user);
    const slug = fixture.team.slug;
    expect(await addGrantAction({ teamSlug: slug, amount: "1000000000", source: "Top-up" })).toMatchObject({ ok: true });
    expect(await addGrantAction({ teamSlug: slug, amount: "1000000000", source: "Top-up" })).toMatchObject({
      ok: false,
      fieldErrors: { amount: "A team can hold at most 1,000,000,000 credits; this would take its balance to 2,000,000,000." },
    });
    expect(await addGrantAction({ teamSlug: slug, amount: "1000000001", source: "Top-up" })).toMatchObject({
      ok: false,
      fieldErrors: { amount: "The amount can be at most 1,000,000,000 credits." },
    });
    signInAs(member.user);
    const record = (actual: string) => recordRunAction({ teamSlug: slug, ...qwen(fixture.projectId), actual, outcome: "accepted" });
    expect(await record("1000000000")).toMatchObject({ ok: true });
    expect(await record("1000000000")).toMatchObject({ ok: true });
    expect(await record("1")).toMatchObject({ ok: false, fieldErrors: { actual: expect.stringContaining("below -1,000,000,000") } });
    await updatePriceEntry(admin, { modelId: "veo-3-1", credits: 6_000_000 }, { effective: { effective: "now" }, note: "" });
    await addGrant(admin, { amount: 1_000_000_000, source: "Top-up", note: "" });
    await expect(admitRun(member, { ...qwen(fixture.projectId, 170), modelId: "veo-3-1" })).rejects.toMatchObject({
      fieldErrors: { quantity: expect.stringContaining("at most 1,000,000,000") },
    });
    expect(await verifyLedger(db(), fixture.team.id)).toEqual([]);
  });

  it("6 · the ledger's functions refuse negative and oversized amounts themselves, behind the forms' checks", async () => {
    await addGrant(admin, { amount: 1_000, source: "Top-up", note: "" });
    const runId = await admitted(member, qwen(fixture.projectId, 5));
    const answer = async (query: Promise<{ result: string }[]>) => JSON.parse((await query)[0].result) as { status: string; field?: string };
    const t = fixture.team.id;
    const now = new Date().toISOString();
    const keys = "{}";
    expect(await answer(db().$queryRaw`SELECT cw_settle_run(${t}, ${runId}, -50, 'accepted', ${member.user.id}, false, NULL, 'h', ${keys}::jsonb, ${now}::timestamp)::text AS result`)).toMatchObject({ status: "error", field: "actual" });
    expect(await answer(db().$queryRaw`SELECT cw_add_grant(${t}, 'grant_neg', -5, 'Top-up', '', NULL, NULL, NULL, 'h', ${now}::timestamp)::text AS result`)).toMatchObject({ status: "error", field: "amount" });
    expect(await answer(db().$queryRaw`SELECT cw_adjust(${t}, 'grant_zero', 0, 'Nothing', NULL, NULL, 'h', NULL, ${keys}::jsonb, ${now}::timestamp)::text AS result`)).toMatchObject({ status: "error", field: "amount" });
    expect(await answer(db().$queryRaw`SELECT cw_refund_run(${t}, ${runId}, 'grant_r', -10, 'x', NULL, NULL, 'h', ${now}::timestamp)::text AS result`)).toMatchObject({ status: "error" });
    expect(await totals(fixture.team.id)).toEqual({ balance: 1_000, held: 100, debt: 0 });
    expect(await verifyLedger(db(), fixture.team.id)).toEqual([]);
  });

  it("7 · a raised budget alerts again in the same period", async () => {
    await addGrant(admin, { amount: 10_000, source: "Top-up", note: "" });
    await setProjectBudget(admin, { projectId: fixture.projectId, credits: 1_000, period: "month", weekStartsOn: 1, alertPercent: 80, hardCap: true });
    await admitted(member, qwen(fixture.projectId, 40)); // 800: 80 %
    await setProjectBudget(admin, { projectId: fixture.projectId, credits: 2_000, period: "month", weekStartsOn: 1, alertPercent: 80, hardCap: true });
    await admitted(member, qwen(fixture.projectId, 40)); // 1,600 of 2,000: 80 % again
    const alerts = await listNotifications(fixture.team, admin.user.id, "admin");
    expect(alerts.map((alert) => alert.title)).toEqual([
      `${"Project"} ${fixture.team.slug.replace("team-", "")} is at 80 % of its budget`,
      `${"Project"} ${fixture.team.slug.replace("team-", "")} is at 80 % of its budget`,
    ]);
    expect(alerts.map((alert) => alert.body)).toEqual([expect.stringMatching(/^1,600 of 2,000 credits used in /), expect.stringMatching(/^800 of 1,000 credits used in /)]);
  });

  it("7 · alerts of runs held before a budget changed are measured against the budget as it is now", async () => {
    await addGrant(admin, { amount: 100_000, source: "Top-up", note: "" });
    await setProjectBudget(admin, { projectId: fixture.projectId, credits: 1_000, period: "month", weekStartsOn: 1, alertPercent: 80, hardCap: true });
    const early = await admitted(member, qwen(fixture.projectId, 50)); // 1,000 of 1,000: alerts at 80 % and 100 %
    await setProjectBudget(admin, { projectId: fixture.projectId, credits: 5_000, period: "month", weekStartsOn: 1, alertPercent: 80, hardCap: true });
    await settleRun(member, { runId: early, actual: 1_100, outcome: "accepted" }); // 1,100 of 5,000: nothing to say
    const budgetAlerts = () => db().notification.findMany({ where: { teamId: fixture.team.id, kind: "budget_threshold" }, select: { data: true } });
    expect((await budgetAlerts()).map((n) => (n.data as { limit: number }).limit)).toEqual([1_000, 1_000]);
    const late = await admitted(member, qwen(fixture.projectId, 100)); // 3,100 of 5,000
    await setProjectBudget(admin, { projectId: fixture.projectId, credits: 3_500, period: "month", weekStartsOn: 1, alertPercent: 80, hardCap: true });
    await settleRun(member, { runId: late, actual: 2_500, outcome: "accepted" }); // 3,600 of 3,500: past 100 % of the budget as it is now
    expect((await budgetAlerts()).map((n) => (n.data as { limit: number; threshold: number }).limit).sort()).toEqual([1_000, 1_000, 3_500]);
    expect(await verifyLedger(db(), fixture.team.id)).toEqual([]);
  });

  it("7 · a denied admission retried under its key is asked again; an admitted one is replayed", async () => {
    await addGrant(admin, { amount: 50, source: "Top-up", note: "" });
    expect(await admitRun(member, qwen(fixture.projectId, 5, "retry-key-0001"))).toMatchObject({ status: "denied", replayed: false });
    await addGrant(admin, { amount: 1_000, source: "Top-up", note: "" });
    const first = await admitRun(member, qwen(fixture.projectId, 5, "retry-key-0001"));
    expect(first).toMatchObject({ status: "admitted", replayed: false });
    expect(await admitRun(member, qwen(fixture.projectId, 5, "retry-key-0001"))).toMatchObject({ status: "admitted", replayed: true });
    expect(await db().run.count({ where: { teamId: fixture.team.id } })).toBe(1);
  });

  // A mail server that accepts connections and never answers: the slowest there is.
  let silent: Server | undefined;
  let connections = 0;
  afterEach(async () => {
    delete process.env.SMTP_URL;
    if (silent) await new Promise((resolve) => silent!.close(resolve));
    silent = undefined;
  });

  it("8 · alerts and their email are written with the movement; no request waits on the mail server", async () => {
    connections = 0;
    silent = createServer((socket) => {
      connections++;
      socket.on("error", () => {});
    });
    await new Promise<void>((resolve) => silent!.listen(0, "127.0.0.1", resolve));
    const port = (silent.address() as { port: number }).port;
    process.env.SMTP_URL = `smtp://127.0.0.1:${port}`;

    await addGrant(admin, { amount: 10_000, source: "Top-up", note: "" });
    await setProjectBudget(admin, { projectId: fixture.projectId, credits: 1_000, period: "month", weekStartsOn: 1, alertPercent: 80, hardCap: true });
    const runId = await admitted(member, qwen(fixture.projectId, 50)); // 1,000: 80 % and 100 %
    await settleRun(member, { runId, actual: 1_100, outcome: "accepted" }); // an overrun
    expect(connections).toBe(0);
    const notifications = await db().notification.findMany({ where: { teamId: fixture.team.id }, select: { id: true, kind: true } });
    expect(notifications.map((n) => n.kind).sort()).toEqual(["budget_threshold", "budget_threshold", "overrun"]);
    const outbox = await db().outboxMessage.findMany({ where: { teamId: fixture.team.id } });
    expect(outbox.map((message) => message.notificationId).sort()).toEqual(notifications.map((n) => n.id).sort());
    expect(outbox.every((message) => message.sentAt === null)).toBe(true);
  });

  it("8 · the outbox sends each email once, retries a failure with backoff, and skips who already got it", async () => {
    // Earlier tests of this file left messages: let them go first, unsent.
    await drainOutbox({ enabled: false, limit: 1_000 });
    await addGrant(admin, { amount: 10_000, source: "Top-up", note: "" });
    await setProjectBudget(admin, { projectId: fixture.projectId, credits: 1_000, period: "month", weekStartsOn: 1, alertPercent: 80, hardCap: true });
    await admitted(member, qwen(fixture.projectId, 40)); // 80 %: one alert for the owner and the admin
    const delivered: string[] = [];
    const now = new Date();
    // The owner's address works, the admin's mail server refuses the first time.
    let refuse = true;
    const deliver = async (mail: { to: string; subject: string }) => {
      if (mail.to === admin.user.email && refuse) throw new Error("421 try again later");
      delivered.push(`${mail.to}|${mail.subject}`);
    };
    const first = await drainOutbox({ now, deliver, enabled: true });
    expect(first).toMatchObject({ sent: 0, retrying: 1 });
    const waiting = await db().outboxMessage.findFirstOrThrow({ where: { teamId: fixture.team.id } });
    expect(waiting).toMatchObject({ attempts: 1, lastError: "421 try again later", sentAt: null });
    expect(waiting.nextAttemptAt.getTime()).toBeGreaterThan(now.getTime());
    // Not due yet: nothing happens.
    expect(await drainOutbox({ now, deliver, enabled: true })).toMatchObject({ sent: 0, retrying: 0 });
    refuse = false;
    expect(await drainOutbox({ now: new Date(waiting.nextAttemptAt.getTime() + 1), deliver, enabled: true })).toMatchObject({ sent: 1 });
    expect(await drainOutbox({ now: new Date(waiting.nextAttemptAt.getTime() + 60_000), deliver, enabled: true })).toMatchObject({ sent: 0 });
    const subject = `[${fixture.team.name}] Project ${fixture.team.slug.replace("team-", "")} is at 80 % of its budget`;
    expect(delivered.sort()).toEqual([`${admin.user.email}|${subject}`, `${fixture.people.owner.email}|${subject}`].sort());
  });

  it("8 · an instance that stalls past its claim stops sending once another has taken the message over", async () => {
    await drainOutbox({ enabled: false, limit: 1_000 });
    await addGrant(admin, { amount: 10_000, source: "Top-up", note: "" });
    await setProjectBudget(admin, { projectId: fixture.projectId, credits: 1_000, period: "month", weekStartsOn: 1, alertPercent: 80, hardCap: true });
    await admitted(member, qwen(fixture.projectId, 40)); // one alert, for the owner and the admin
    const delivered: string[] = [];
    let unstall!: () => void;
    const stalled = new Promise<void>((resolve) => (unstall = resolve));
    let first = true;
    // Instance A hangs on its first send.
    const a = drainOutbox({
      enabled: true,
      deliver: async (mail) => {
        if (first) {
          first = false;
          await stalled;
        }
        delivered.push(`A ${mail.to}`);
      },
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    // Six minutes on, instance B finds the claim lapsed and sends the message itself.
    const b = await drainOutbox({ enabled: true, now: new Date(Date.now() + 6 * 60_000), deliver: async (mail) => void delivered.push(`B ${mail.to}`) });
    expect(b).toMatchObject({ sent: 1 });
    unstall();
    expect(await a).toMatchObject({ sent: 0 });
    // A's stalled send could not be taken back; after it, A sent nothing more.
    expect(delivered.filter((line) => line.startsWith("A"))).toHaveLength(1);
    expect(delivered.filter((line) => line.startsWith("B"))).toHaveLength(2);
    expect(await db().outboxMessage.findFirstOrThrow({ where: { teamId: fixture.team.id } })).toMatchObject({ attempts: 2 });
  });
});
