// Admission asks the approval policy: a run the policy holds back is answered "needs approval" with nothing held, on
// every path (the project page's action, a batch item's run, the command itself); a run with an approval uses the
// approval's hold once, and only for the person who asked, for the run approved or a cheaper one.
import { beforeEach, expect, it } from "vitest";
import { DomainError } from "@/lib/authz/result";
import type { TeamContext } from "@/lib/authz/team";
import { recordItemRunAction, addItemAction, createBatchAction } from "@/lib/batches/actions";
import { db } from "@/lib/db/client";
import { admitRunAction } from "@/lib/ledger/actions";
import { addGrant, admitRun, recordRun } from "@/lib/ledger/commands";
import { verifyLedger } from "@/lib/ledger/verify";
import { describeEachDatabase } from "@/test/db";
import { makeTeam, type TeamFixture } from "@/test/fixtures";
import { signInAs } from "@/test/session";
import { runApprovedAction } from "./request-actions";
import { createRequest, decideRequest } from "./request-commands";
import { expectOk, refused, contextOf } from "@/test/results";
import { PREMIUM_FINAL, premiumRequest, premiumRun } from "@/test/approvals";


// Two Flux 2 Pro finals: a premium model, 240 credits at the default price list.

async function ledgerOf(teamId: string) {
  const credits = await db().teamCredits.findUnique({ where: { teamId } });
  return { held: credits?.held ?? 0, runs: await db().run.count({ where: { teamId } }) };
}

describeEachDatabase("admission and approvals", () => {
  let fixture: TeamFixture;
  let member: TeamContext;
  let approver: TeamContext;
  let admin: TeamContext;

  beforeEach(async () => {
    signInAs(null);
    fixture = await makeTeam();
    member = contextOf(fixture, "member");
    approver = contextOf(fixture, "approver");
    admin = contextOf(fixture, "admin");
    await addGrant(admin, { amount: 100_000, source: "Top-up", note: "" }, new Date(Date.now() - 60_000));
  });

  async function premiumItem(): Promise<string> {
    signInAs(fixture.people.member);
    const { batchId } = expectOk(await createBatchAction({ teamSlug: fixture.team.slug, projectId: fixture.projectId, name: "Launch" }));
    const plan = { tests: null, finals: { modelId: "flux-2-pro", settings: {}, count: 2 }, tools: [] };
    const { itemId } = expectOk(
      await addItemAction({ teamSlug: fixture.team.slug, batchId, title: "Hero", outputType: "image", purpose: "final_delivery", prompt: "A kite", plan: JSON.stringify(plan) }),
    );
    signInAs(null);
    return itemId;
  }

  /** A request by the member, approved by the approver: its hold is placed. */
  async function approved(batchItemId?: string) {
    const { requestId } = await createRequest(member, premiumRequest(fixture.projectId, { batchItemId }));
    const decided = await decideRequest(approver, { requestId, decision: "approve", comment: "Go ahead" });
    expect(decided.state).toBe("approved");
    return { requestId, holdRunId: decided.holdRunId! };
  }

  it("answers needs approval on every admitting path under the default policy, and holds nothing", async () => {
    const itemId = await premiumItem();
    const before = await ledgerOf(fixture.team.id);
    expect(before).toEqual({ held: 0, runs: 0 });

    signInAs(fixture.people.member);
    const fromPage = expectOk(
      await admitRunAction({ teamSlug: fixture.team.slug, projectId: fixture.projectId, modelId: "flux-2-pro", quantity: "2", stage: "final", purpose: "final_delivery" }),
    );
    expect(fromPage).toEqual({ status: "needs_approval", rule: { id: "premium", name: "Runs on a premium model" }, estimate: PREMIUM_FINAL, priceListVersion: 0, replayed: false });

    const fromItem = expectOk(await recordItemRunAction({ teamSlug: fixture.team.slug, itemId, stage: "final", quantity: "2" }));
    expect(fromItem).toMatchObject({ status: "needs_approval", rule: { id: "premium" }, estimate: PREMIUM_FINAL });
    signInAs(null);

    expect(await admitRun(member, premiumRun(fixture.projectId))).toMatchObject({ status: "needs_approval", rule: { id: "premium" } });
    // Not only premium models: 1,000 credits or more of anything (50 Qwen Image tests at 20 credits).
    expect(await admitRun(member, { ...premiumRun(fixture.projectId, 50), modelId: "qwen-image", stage: "test" })).toMatchObject({
      status: "needs_approval",
      rule: { id: "large" },
      estimate: 1_000,
    });
    // Owners too: the policy asks about the run, not who may override it.
    expect(await admitRun(contextOf(fixture, "owner"), premiumRun(fixture.projectId))).toMatchObject({ status: "needs_approval" });

    expect(await ledgerOf(fixture.team.id)).toEqual({ held: 0, runs: 0 });
    // Below the thresholds nothing changes: a cheap test is admitted at once.
    expect(await admitRun(member, { ...premiumRun(fixture.projectId, 2), modelId: "qwen-image", stage: "test" })).toMatchObject({ status: "admitted", estimate: 40 });
    // Usage that already happened is recorded, never blocked by the policy.
    expect(await recordRun(member, { ...premiumRun(fixture.projectId), actual: PREMIUM_FINAL, outcome: "accepted" })).toMatchObject({ runId: expect.any(String) });
    expect(await verifyLedger(db(), fixture.team.id)).toEqual([]);
  });

  it("runs with an approval on its hold: the same run id, held credits unchanged, the request used, a second use refused", async () => {
    const { requestId, holdRunId } = await approved();
    const held = await ledgerOf(fixture.team.id);
    expect(held).toEqual({ held: PREMIUM_FINAL, runs: 1 });

    signInAs(fixture.people.member);
    const form = {
      teamSlug: fixture.team.slug,
      projectId: fixture.projectId,
      modelId: "flux-2-pro",
      quantity: "2",
      stage: "final",
      purpose: "final_delivery",
      approvalId: requestId,
      idempotencyKey: "run-with-approval-1",
    };
    const ran = expectOk(await admitRunAction(form));
    expect(ran).toEqual({ status: "admitted", runId: holdRunId, estimate: PREMIUM_FINAL, priceListVersion: 0, replayed: false });
    // The same request sent again (a lost answer, a double click) gets the same answer, not a refusal.
    expect(expectOk(await admitRunAction(form))).toEqual({ ...ran, replayed: true });
    expect(await ledgerOf(fixture.team.id)).toEqual(held);
    expect(await db().approvalRequest.findUniqueOrThrow({ where: { id: requestId } })).toMatchObject({ state: "used" });
    expect(await db().auditLog.count({ where: { teamId: fixture.team.id, action: "approval.used", targetId: requestId } })).toBe(1);

    const again = await admitRunAction({ ...form, idempotencyKey: "run-with-approval-2" });
    expect(again).toMatchObject({ ok: false, code: "conflict" });
    expect(!again.ok && again.message).toMatch(/used already/);
    signInAs(null);
    expect(await ledgerOf(fixture.team.id)).toEqual(held);
    expect(await verifyLedger(db(), fixture.team.id)).toEqual([]);
  });

  it("uses one approval once when ten runs race for it: one admitted on its hold, the others refused", async () => {
    const { requestId, holdRunId } = await approved();
    const settled = await Promise.allSettled(Array.from({ length: 10 }, () => admitRun(member, { ...premiumRun(fixture.projectId), approvalId: requestId })));
    const admitted = settled.filter((result) => result.status === "fulfilled");
    expect(admitted).toHaveLength(1);
    expect(admitted[0]).toMatchObject({ value: { status: "admitted", runId: holdRunId } });
    for (const result of settled.filter((candidate) => candidate.status === "rejected")) {
      expect(result.reason).toBeInstanceOf(DomainError);
      expect((result.reason as DomainError).message).toMatch(/used already/);
    }
    expect(await ledgerOf(fixture.team.id)).toEqual({ held: PREMIUM_FINAL, runs: 1 });
    expect(await db().auditLog.count({ where: { teamId: fixture.team.id, action: "approval.used" } })).toBe(1);
    expect(await verifyLedger(db(), fixture.team.id)).toEqual([]);
  });

  it("runs a batch item's final with its approval through the item's action", async () => {
    const itemId = await premiumItem();
    const { requestId, holdRunId } = await approved(itemId);
    signInAs(fixture.people.member);
    const ran = expectOk(await recordItemRunAction({ teamSlug: fixture.team.slug, itemId, stage: "final", quantity: "2", approvalId: requestId }));
    signInAs(null);
    expect(ran).toMatchObject({ status: "admitted", runId: holdRunId, estimate: PREMIUM_FINAL });
    expect(await ledgerOf(fixture.team.id)).toEqual({ held: PREMIUM_FINAL, runs: 1 });
    expect(await db().run.findUniqueOrThrow({ where: { id: holdRunId } })).toMatchObject({ batchItemId: itemId, state: "held" });
  });

  it("refuses a dearer or different run, and another person's run, and leaves the approval unused", async () => {
    const { requestId } = await approved();
    const held = await ledgerOf(fixture.team.id);

    const dearer = await refused(admitRun(member, { ...premiumRun(fixture.projectId, 3), approvalId: requestId }));
    expect(dearer.message).toMatch(/costs more than was approved/);
    const otherModel = await refused(admitRun(member, { ...premiumRun(fixture.projectId), modelId: "flux-2-dev", approvalId: requestId }));
    expect(otherModel.message).toMatch(/another model/);
    const otherStage = await refused(admitRun(member, { ...premiumRun(fixture.projectId), stage: "draft", approvalId: requestId }));
    expect(otherStage.message).toMatch(/another stage/);
    const otherPerson = await refused(admitRun(admin, { ...premiumRun(fixture.projectId), approvalId: requestId }));
    expect(otherPerson.message).toMatch(/person who asked/);

    // Another team's approval id is not found in this one.
    const elsewhere = await makeTeam();
    const stranger = contextOf(elsewhere, "member");
    expect((await refused(admitRun(stranger, { ...premiumRun(elsewhere.projectId), approvalId: requestId }))).code).toBe("not_found");

    expect(await db().approvalRequest.findUniqueOrThrow({ where: { id: requestId } })).toMatchObject({ state: "approved" });
    expect(await ledgerOf(fixture.team.id)).toEqual(held);

    // A cheaper run of the same configuration uses it.
    expect(await admitRun(member, { ...premiumRun(fixture.projectId, 1), approvalId: requestId })).toMatchObject({ status: "admitted", estimate: PREMIUM_FINAL });
    expect(await ledgerOf(fixture.team.id)).toEqual(held);
  });

  it("refuses an approval that is still pending or has expired", async () => {
    const { requestId } = await createRequest(member, premiumRequest(fixture.projectId));
    expect((await refused(admitRun(member, { ...premiumRun(fixture.projectId), approvalId: requestId }))).message).toMatch(/not been approved/);
    await decideRequest(approver, { requestId, decision: "approve", comment: "" });
    const late = new Date(Date.now() + 49 * 60 * 60 * 1000);
    expect((await refused(admitRun(member, { ...premiumRun(fixture.projectId), approvalId: requestId }, late))).message).toMatch(/expired/);
    expect(await db().approvalRequest.findUniqueOrThrow({ where: { id: requestId } })).toMatchObject({ state: "approved" });
  });

  it("runs an approved request as it was approved, a batch item's on its item, and answers a resend again", async () => {
    const itemId = await premiumItem();
    const { requestId, holdRunId } = await approved(itemId);
    signInAs(fixture.people.admin);
    // Only the person who asked runs it.
    expect(await runApprovedAction({ teamSlug: fixture.team.slug, requestId, idempotencyKey: "run-approved-1" })).toMatchObject({ ok: false, code: "conflict" });
    signInAs(fixture.people.member);
    const ran = expectOk(await runApprovedAction({ teamSlug: fixture.team.slug, requestId, idempotencyKey: "run-approved-1" }));
    expect(ran).toMatchObject({ status: "admitted", runId: holdRunId, estimate: PREMIUM_FINAL, replayed: false, batchItemId: itemId });
    expect(expectOk(await runApprovedAction({ teamSlug: fixture.team.slug, requestId, idempotencyKey: "run-approved-1" }))).toMatchObject({ runId: holdRunId, replayed: true });
    expect(await runApprovedAction({ teamSlug: fixture.team.slug, requestId, idempotencyKey: "run-approved-2" })).toMatchObject({ ok: false, code: "conflict" });
    // Another team's member cannot reach it by its id.
    const elsewhere = await makeTeam();
    signInAs(elsewhere.people.member);
    expect(await runApprovedAction({ teamSlug: elsewhere.team.slug, requestId })).toMatchObject({ ok: false, code: "not_found" });
    signInAs(null);
    expect(await ledgerOf(fixture.team.id)).toEqual({ held: PREMIUM_FINAL, runs: 1 });
    expect(await db().run.findUniqueOrThrow({ where: { id: holdRunId } })).toMatchObject({ batchItemId: itemId, state: "held" });
    expect(await verifyLedger(db(), fixture.team.id)).toEqual([]);
  });
});
