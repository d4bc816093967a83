// Approval requests against a database: asking with the four answers, who may decide, the approval's hold placed in the
// decision's transaction (or refused whole), two-approver rules, withdrawal, lapse, expiry; and races on PostgreSQL.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { TeamContext } from "@/lib/authz/team";
import { closeDatabase, db, useDatabase } from "@/lib/db/client";
import { setProjectBudget } from "@/lib/ledger/budgets";
import { addGrant } from "@/lib/ledger/commands";
import { verifyLedger } from "@/lib/ledger/verify";
import { describeEachDatabase, openFreshDatabase } from "@/test/db";
import { makeTeam, makeUser, type TeamFixture } from "@/test/fixtures";
import { signInAs } from "@/test/session";
import { savePolicy } from "./commands";
import type { ApprovalPolicy } from "./policy";
import { createRequestAction } from "./request-actions";
import { MAX_WAITING_PER_PERSON, createRequest, decideRequest, expireApprovals, withdrawRequest } from "./request-commands";
import { expectOk, refused, contextOf } from "@/test/results";
import { PREMIUM_FINAL, premiumRequest } from "@/test/approvals";

const NOW = new Date("2026-03-02T10:00:00.000Z");
const HOUR = 60 * 60 * 1000;
const at = (hours: number) => new Date(NOW.getTime() + hours * HOUR);


// Two Flux 2 Pro finals: a premium model, 240 credits at the default price list.

const TWO_APPROVALS: ApprovalPolicy = {
  rules: [
    { id: "premium-two", name: "Premium runs need two", when: { tiers: ["premium"] }, require: { kind: "approval", approvals: 2, approvers: { kind: "role" }, validHours: 48 } },
  ],
  pendingDays: 7,
};

async function heldCredits(teamId: string) {
  return (await db().teamCredits.findUnique({ where: { teamId } }))?.held ?? 0;
}

describeEachDatabase("approval requests", () => {
  let fixture: TeamFixture;
  let member: TeamContext;
  let approver: TeamContext;
  let admin: TeamContext;
  let owner: TeamContext;

  beforeEach(async () => {
    fixture = await makeTeam();
    member = contextOf(fixture, "member");
    approver = contextOf(fixture, "approver");
    admin = contextOf(fixture, "admin");
    owner = contextOf(fixture, "owner");
    await addGrant(admin, { amount: 100_000, source: "Top-up", note: "" }, at(-1));
  });

  it("asks all four questions: a request missing one is refused at its field; a full one keeps the rule, estimate, findings and answers", async () => {
    signInAs(fixture.people.member);
    const form = {
      teamSlug: fixture.team.slug,
      projectId: fixture.projectId,
      modelId: "flux-2-pro",
      quantity: "2",
      stage: "final",
      purpose: "final_delivery",
      qualityNeeded: "yes",
      videoNecessary: "no",
      isFinalVersion: "yes",
    };
    const missing = await createRequestAction(form);
    expect(missing).toMatchObject({ ok: false, code: "invalid" });
    expect(!missing.ok && missing.fieldErrors).toHaveProperty("editInstead");
    expect(await db().approvalRequest.count({ where: { teamId: fixture.team.id } })).toBe(0);

    const created = expectOk(await createRequestAction({ ...form, editInstead: "no", editInsteadNote: "Nothing close exists" }));
    signInAs(null);
    expect(created).toMatchObject({ estimate: PREMIUM_FINAL, rule: { id: "premium" } });
    const stored = await db().approvalRequest.findUniqueOrThrow({ where: { id: created.requestId } });
    expect(stored).toMatchObject({
      state: "pending",
      requesterId: member.user.id,
      policyVersion: 0,
      modelName: "Flux 2 Pro",
      tier: "premium",
      estimate: PREMIUM_FINAL,
      priceListVersion: 0,
      holdRunId: null,
    });
    expect(stored.rule).toMatchObject({ id: "premium", require: { kind: "approval", approvals: 1 } });
    expect(stored.answers).toMatchObject({ editInstead: { answer: "no", note: "Nothing close exists" }, qualityNeeded: { answer: "yes" } });
    expect(Array.isArray(stored.findings)).toBe(true);
    expect(stored.lapsesAt.getTime() - stored.createdAt.getTime()).toBe(7 * 24 * HOUR);
    expect(await db().auditLog.count({ where: { teamId: fixture.team.id, action: "approval.requested", targetId: created.requestId } })).toBe(1);
  });

  it("refuses a request for a run the policy lets through", async () => {
    const error = await refused(createRequest(member, { ...premiumRequest(fixture.projectId), modelId: "qwen-image", stage: "test" }, NOW));
    expect(error.message).toMatch(/needs no approval/);
  });

  it("keeps the findings of a run that could be cheaper", async () => {
    const { requestId } = await createRequest(member, { ...premiumRequest(fixture.projectId), purpose: "internal_review" }, NOW);
    const stored = await db().approvalRequest.findUniqueOrThrow({ where: { id: requestId } });
    expect((stored.findings as { saved: number }[]).length).toBeGreaterThan(0);
    expect((stored.findings as { saved: number }[])[0].saved).toBeGreaterThan(0);
  });

  it("lets nobody decide their own request, owners included, and no member without the role", async () => {
    const asked = await createRequest(member, premiumRequest(fixture.projectId), NOW);
    expect((await refused(decideRequest(member, { requestId: asked.requestId, decision: "approve", comment: "" }, NOW))).code).toBe("forbidden");
    const ownersOwn = await createRequest(owner, premiumRequest(fixture.projectId), NOW);
    const error = await refused(decideRequest(owner, { requestId: ownersOwn.requestId, decision: "approve", comment: "" }, NOW));
    expect(error).toMatchObject({ code: "forbidden", message: expect.stringMatching(/own request/) });
    const approversOwn = await createRequest(approver, premiumRequest(fixture.projectId), NOW);
    expect((await refused(decideRequest(approver, { requestId: approversOwn.requestId, decision: "approve", comment: "" }, NOW))).code).toBe("forbidden");
    expect(await db().approvalDecision.count({ where: { teamId: fixture.team.id } })).toBe(0);
    expect(await db().run.count({ where: { teamId: fixture.team.id } })).toBe(0);
  });

  it("approving places exactly one hold for the estimate, as the requester's run", async () => {
    const { requestId } = await createRequest(member, premiumRequest(fixture.projectId), NOW);
    const decided = await decideRequest(approver, { requestId, decision: "approve", comment: "Go ahead" }, at(1));
    expect(decided).toMatchObject({ state: "approved", expiresAt: at(49) });
    const runs = await db().run.findMany({ where: { teamId: fixture.team.id } });
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ id: decided.holdRunId, userId: member.user.id, state: "held", estimate: PREMIUM_FINAL, stage: "final", modelId: "flux-2-pro" });
    expect(await heldCredits(fixture.team.id)).toBe(PREMIUM_FINAL);
    const stored = await db().approvalRequest.findUniqueOrThrow({ where: { id: requestId } });
    expect(stored).toMatchObject({ state: "approved", holdRunId: runs[0].id, approvedAt: at(1), expiresAt: at(49) });
    const actions = (await db().auditLog.findMany({ where: { targetId: requestId }, orderBy: { createdAt: "asc" } })).map((entry) => entry.action);
    expect(actions).toEqual(expect.arrayContaining(["approval.requested", "approval.decided", "approval.approved", "approval.held"]));
    expect(await verifyLedger(db(), fixture.team.id)).toEqual([]);

    // Decided is decided.
    const again = await refused(decideRequest(admin, { requestId, decision: "reject", comment: "Too late" }, at(2)));
    expect(again).toMatchObject({ code: "conflict", message: expect.stringMatching(/already approved/) });
  });

  it("refuses an approval the project budget cannot hold, with the reason, and leaves the request as it was", async () => {
    await setProjectBudget(admin, { projectId: fixture.projectId, credits: 100, period: "month", weekStartsOn: 1, alertPercent: 80, hardCap: true }, NOW);
    const { requestId } = await createRequest(member, premiumRequest(fixture.projectId), NOW);
    const error = await refused(decideRequest(approver, { requestId, decision: "approve", comment: "" }, at(1)));
    expect(error.code).toBe("conflict");
    expect(error.message).toMatch(/stays pending/);
    expect(error.message).toMatch(/budget/i);
    expect(await db().approvalRequest.findUniqueOrThrow({ where: { id: requestId } })).toMatchObject({ state: "pending", holdRunId: null, version: 1 });
    expect(await db().approvalDecision.count({ where: { requestId } })).toBe(0);
    expect(await db().run.count({ where: { teamId: fixture.team.id } })).toBe(0);
    expect(await heldCredits(fixture.team.id)).toBe(0);
    expect(await verifyLedger(db(), fixture.team.id)).toEqual([]);
  });

  it("with two approvals required, the same person counts once, and it holds on the second approver", async () => {
    await savePolicy(admin, TWO_APPROVALS);
    const { requestId } = await createRequest(member, premiumRequest(fixture.projectId), NOW);
    expect(await decideRequest(approver, { requestId, decision: "approve", comment: "" }, at(1))).toMatchObject({ state: "pending", holdRunId: null });
    const twice = await refused(decideRequest(approver, { requestId, decision: "approve", comment: "" }, at(2)));
    expect(twice).toMatchObject({ code: "forbidden", message: expect.stringMatching(/already/) });
    expect(await db().run.count({ where: { teamId: fixture.team.id } })).toBe(0);
    expect(await decideRequest(admin, { requestId, decision: "approve", comment: "" }, at(3))).toMatchObject({ state: "approved" });
    expect(await db().run.count({ where: { teamId: fixture.team.id } })).toBe(1);
    expect(await db().approvalDecision.count({ where: { requestId } })).toBe(2);
  });

  it("ends a request at any rejection, even after an approval", async () => {
    await savePolicy(admin, TWO_APPROVALS);
    const { requestId } = await createRequest(member, premiumRequest(fixture.projectId), NOW);
    await decideRequest(approver, { requestId, decision: "approve", comment: "" }, at(1));
    expect(await decideRequest(admin, { requestId, decision: "reject", comment: "Use the draft we have" }, at(2))).toMatchObject({ state: "rejected" });
    expect((await refused(decideRequest(owner, { requestId, decision: "approve", comment: "" }, at(3)))).code).toBe("conflict");
    expect(await db().run.count({ where: { teamId: fixture.team.id } })).toBe(0);
  });

  it("a request made under one policy keeps its rule when the policy changes", async () => {
    const { requestId } = await createRequest(member, premiumRequest(fixture.projectId), NOW);
    await savePolicy(admin, TWO_APPROVALS);
    expect(await decideRequest(approver, { requestId, decision: "approve", comment: "" }, at(1))).toMatchObject({ state: "approved" });
  });

  it("lets only the requester withdraw, and only while pending", async () => {
    const { requestId } = await createRequest(member, premiumRequest(fixture.projectId), NOW);
    expect((await refused(withdrawRequest(admin, { requestId }, at(1)))).code).toBe("forbidden");
    await withdrawRequest(member, { requestId }, at(1));
    expect(await db().approvalRequest.findUniqueOrThrow({ where: { id: requestId } })).toMatchObject({ state: "withdrawn" });
    expect((await refused(withdrawRequest(member, { requestId }, at(2)))).code).toBe("conflict");
    expect((await refused(decideRequest(approver, { requestId, decision: "approve", comment: "" }, at(2)))).code).toBe("conflict");
  });

  it("a request decided after it lapsed is refused and stays lapsed", async () => {
    const { requestId } = await createRequest(member, premiumRequest(fixture.projectId), NOW);
    const error = await refused(decideRequest(approver, { requestId, decision: "approve", comment: "" }, at(7 * 24)));
    expect(error.message).toMatch(/lapsed/);
    expect(await db().approvalRequest.findUniqueOrThrow({ where: { id: requestId } })).toMatchObject({ state: "lapsed" });
    expect(await db().approvalDecision.count({ where: { requestId } })).toBe(0);
    // Nor can it be withdrawn once it has lapsed.
    const late = await createRequest(member, premiumRequest(fixture.projectId), NOW);
    expect((await refused(withdrawRequest(member, { requestId: late.requestId }, at(7 * 24 + 1)))).message).toMatch(/lapsed/);
    expect(await db().approvalRequest.findUniqueOrThrow({ where: { id: late.requestId } })).toMatchObject({ state: "pending" });
  });

  it(`keeps at most ${MAX_WAITING_PER_PERSON} requests of one person waiting`, async () => {
    const template = await createRequest(member, premiumRequest(fixture.projectId), NOW);
    const stored = await db().approvalRequest.findUniqueOrThrow({ where: { id: template.requestId } });
    const copy: Partial<typeof stored> = { ...stored };
    delete copy.id;
    delete copy.createdAt;
    delete copy.updatedAt;
    await db().approvalRequest.createMany({
      data: Array.from({ length: MAX_WAITING_PER_PERSON - 1 }, () => ({ ...stored, ...copy, id: undefined, settings: {}, findings: [], answers: stored.answers ?? {}, rule: stored.rule ?? {} })),
    });
    const error = await refused(createRequest(member, premiumRequest(fixture.projectId), at(1)));
    expect(error.message).toMatch(/100 requests waiting already/);
    expect(await db().approvalRequest.count({ where: { requesterId: member.user.id } })).toBe(MAX_WAITING_PER_PERSON);
    // Another person is not held back by it.
    expect(await createRequest(admin, premiumRequest(fixture.projectId), at(1))).toMatchObject({ estimate: expect.any(Number) });
  });

  it("another team's request is not found", async () => {
    const { requestId } = await createRequest(member, premiumRequest(fixture.projectId), NOW);
    const other = await makeTeam();
    const outsider: TeamContext = { user: other.people.approver, team: other.team, role: "approver" };
    expect((await refused(decideRequest(outsider, { requestId, decision: "approve", comment: "" }, at(1)))).code).toBe("not_found");
  });

  it("an approval nobody used expires and its hold is released once", async () => {
    const { requestId } = await createRequest(member, premiumRequest(fixture.projectId), NOW);
    const { holdRunId } = await decideRequest(approver, { requestId, decision: "approve", comment: "" }, at(1));
    expect(await expireApprovals(fixture.team.id, at(48))).toEqual({ expired: 0 });
    expect(await expireApprovals(fixture.team.id, at(49))).toEqual({ expired: 1 });
    expect(await expireApprovals(fixture.team.id, at(50))).toEqual({ expired: 0 });
    expect(await db().approvalRequest.findUniqueOrThrow({ where: { id: requestId } })).toMatchObject({ state: "expired" });
    expect(await db().run.findUniqueOrThrow({ where: { id: holdRunId! } })).toMatchObject({ state: "released" });
    expect(await db().ledgerEntry.count({ where: { runId: holdRunId, kind: "release" } })).toBe(1);
    expect(await heldCredits(fixture.team.id)).toBe(0);
    expect(await verifyLedger(db(), fixture.team.id)).toEqual([]);
  });
});

describe.skipIf(!process.env.TEST_DATABASE_URL)("approval races on PostgreSQL (needs TEST_DATABASE_URL)", () => {
  const DECIDERS = 20;
  let fixture: TeamFixture;
  let admin: TeamContext;
  let member: TeamContext;

  beforeAll(async () => {
    const database = await openFreshDatabase("postgres");
    useDatabase(database.client, database.close);
  });
  afterAll(() => closeDatabase());

  beforeEach(async () => {
    fixture = await makeTeam();
    admin = contextOf(fixture, "admin");
    member = contextOf(fixture, "member");
    await addGrant(admin, { amount: 1_000_000, source: "Top-up", note: "" }, at(-1));
  });

  it(`${DECIDERS} approvers approving and rejecting one request at once: one outcome, at most one hold`, async () => {
    const approvers: TeamContext[] = [];
    for (let i = 0; i < DECIDERS; i++) {
      const user = await makeUser();
      await db().membership.create({ data: { teamId: fixture.team.id, userId: user.id, role: "approver" } });
      approvers.push({ user, team: fixture.team, role: "approver" });
    }
    const { requestId } = await createRequest(member, premiumRequest(fixture.projectId), NOW);
    const answers = await Promise.allSettled(
      approvers.map((ctx, i) => decideRequest(ctx, { requestId, decision: i % 2 === 0 ? "approve" : "reject", comment: `Decider ${i}` }, at(1))),
    );
    const succeeded = answers.filter((answer) => answer.status === "fulfilled");
    expect(succeeded).toHaveLength(1);
    for (const answer of answers) if (answer.status === "rejected") expect(answer.reason).toMatchObject({ code: "conflict" });
    const stored = await db().approvalRequest.findUniqueOrThrow({ where: { id: requestId } });
    const decisions = await db().approvalDecision.findMany({ where: { requestId } });
    expect(decisions).toHaveLength(1);
    const runs = await db().run.count({ where: { teamId: fixture.team.id } });
    if (decisions[0].decision === "approve") {
      expect(stored.state).toBe("approved");
      expect(runs).toBe(1);
      expect(await heldCredits(fixture.team.id)).toBe(PREMIUM_FINAL);
    } else {
      expect(stored.state).toBe("rejected");
      expect(runs).toBe(0);
      expect(await heldCredits(fixture.team.id)).toBe(0);
    }
    expect(await verifyLedger(db(), fixture.team.id)).toEqual([]);
  });

  it(`two sweepers at once over ${DECIDERS} expired approvals release each hold exactly once`, async () => {
    const approver = contextOf(fixture, "approver");
    const runIds: string[] = [];
    for (let i = 0; i < DECIDERS; i++) {
      const { requestId } = await createRequest(member, premiumRequest(fixture.projectId), NOW);
      runIds.push((await decideRequest(approver, { requestId, decision: "approve", comment: "" }, at(1))).holdRunId!);
    }
    expect(await heldCredits(fixture.team.id)).toBe(DECIDERS * PREMIUM_FINAL);
    // One sweeper takes every team, as a background job would; the other team's approvals due by then count too.
    const othersDue = await db().approvalRequest.count({ where: { state: "approved", expiresAt: { lte: at(50) }, teamId: { not: fixture.team.id } } });
    const [first, second] = await Promise.all([expireApprovals(undefined, at(50)), expireApprovals(fixture.team.id, at(50))]);
    expect(first.expired + second.expired).toBe(DECIDERS + othersDue);
    expect(await db().approvalRequest.count({ where: { teamId: fixture.team.id, state: "expired" } })).toBe(DECIDERS);
    expect(await db().run.count({ where: { id: { in: runIds }, state: "released" } })).toBe(DECIDERS);
    expect(await db().ledgerEntry.count({ where: { teamId: fixture.team.id, kind: "release" } })).toBe(DECIDERS);
    expect(await db().auditLog.count({ where: { teamId: fixture.team.id, action: "approval.expired" } })).toBe(DECIDERS);
    expect(await heldCredits(fixture.team.id)).toBe(0);
    expect(await verifyLedger(db(), fixture.team.id)).toEqual([]);
  });
});
