// Edges of approvals found in review: a request key chosen to block an approval, a resend after the policy changed,
// a requester demoted to viewer, a project archived after the approval, and corruptions verify must name.
import { beforeEach, expect, it } from "vitest";
import type { TeamContext } from "@/lib/authz/team";
import { db } from "@/lib/db/client";
import { addGrant, admitRun, releaseRun, settleRun } from "@/lib/ledger/commands";
import { verifyLedger } from "@/lib/ledger/verify";
import { setProjectArchived } from "@/lib/projects/commands";
import { describeEachDatabase } from "@/test/db";
import { makeTeam, withoutApprovals, type TeamFixture } from "@/test/fixtures";
import { contextOf, refused } from "@/test/results";
import { signInAs } from "@/test/session";
import { savePolicy } from "./commands";
import { DEFAULT_POLICY } from "./policy";
import { MAX_WAITING_PER_PERSON, createRequest, decideRequest, runApproved } from "./request-commands";
import { PREMIUM_FINAL, cheapTest, premiumRequest, premiumRun } from "@/test/approvals";


async function held(teamId: string) {
  return (await db().teamCredits.findUnique({ where: { teamId } }))?.held ?? 0;
}

describeEachDatabase("edges of approvals", (kind) => {
  let fixture: TeamFixture;
  let member: TeamContext;
  let approver: TeamContext;
  let admin: TeamContext;
  let owner: TeamContext;

  beforeEach(async () => {
    signInAs(null);
    fixture = await makeTeam();
    member = contextOf(fixture, "member");
    approver = contextOf(fixture, "approver");
    admin = contextOf(fixture, "admin");
    owner = contextOf(fixture, "owner");
    await addGrant(admin, { amount: 100_000, source: "Top-up", note: "" }, new Date(Date.now() - 60_000));
  });

  it("an approval cannot be blocked by someone who used the key `approval:<requestId>` for a run of their own", async () => {
    const { requestId } = await createRequest(member, premiumRequest(fixture.projectId));
    // Any member of the team (here the owner) admits a cheap run with the key the approval's hold will use.
    const squat = await admitRun(owner, { ...cheapTest(fixture.projectId), idempotencyKey: `approval:${requestId}` });
    expect(squat.status).toBe("admitted");
    // The approver approves: today this throws "This idempotency key was already used for a different request.",
    // and every later approval of this request does too.
    const decided = await decideRequest(approver, { requestId, decision: "approve", comment: "" });
    expect(decided.state).toBe("approved");
  });

  it("a retried admission (same key) is answered as the first time even if the policy changed in between", async () => {
    await withoutApprovals(fixture.team.id);
    const first = await admitRun(member, { ...premiumRun(fixture.projectId), idempotencyKey: "retry-key-0001" });
    expect(first.status).toBe("admitted");
    expect(await held(fixture.team.id)).toBe(PREMIUM_FINAL);
    await savePolicy(admin, DEFAULT_POLICY);
    // The retry: today "needs approval … nothing is held" while 240 credits are held for the first attempt.
    const retry = await admitRun(member, { ...premiumRun(fixture.projectId), idempotencyKey: "retry-key-0001" });
    expect(retry).toMatchObject({ status: "admitted", replayed: true, runId: first.status === "admitted" ? first.runId : "" });
  });

  it("an approval places no hold for a requester who is no longer a member (demoted to viewer): they could never run it", async () => {
    const { requestId } = await createRequest(member, premiumRequest(fixture.projectId));
    await db().membership.update({ where: { teamId_userId: { teamId: fixture.team.id, userId: member.user.id } }, data: { role: "viewer" } });
    // Today: approved, 240 credits held for 48 hours for a viewer who cannot run, settle or release it.
    await refused(decideRequest(approver, { requestId, decision: "approve", comment: "" }));
    expect(await held(fixture.team.id)).toBe(0);
  });

  it("an approved run is not started on a project archived since (admission refuses archived projects)", async () => {
    const { requestId } = await createRequest(member, premiumRequest(fixture.projectId));
    await decideRequest(approver, { requestId, decision: "approve", comment: "" });
    await setProjectArchived(admin, fixture.projectId, true);
    // A plain admission on the archived project is refused by the ledger…
    await refused(admitRun(member, cheapTest(fixture.projectId)));
    // …but "Run it" is admitted today.
    await refused(runApproved(member, { requestId }));
  });

  it("verify reports an approved request that can never expire (expiresAt lost) or whose hold is not the requester's run", async () => {
    const { requestId } = await createRequest(member, premiumRequest(fixture.projectId));
    const decided = await decideRequest(approver, { requestId, decision: "approve", comment: "" });
    expect(await verifyLedger(db(), fixture.team.id)).toEqual([]);
    // Corruption 1: no expiry — cw_expire_approvals never picks it and runWithApproval treats it as valid forever.
    await db().approvalRequest.update({ where: { id: requestId }, data: { expiresAt: null } });
    expect(await verifyLedger(db(), fixture.team.id)).not.toEqual([]);
    await db().approvalRequest.update({ where: { id: requestId }, data: { expiresAt: new Date(Date.now() + 3_600_000) } });
    // Corruption 2: the request points at another person's (cheaper) held run.
    const other = await admitRun(owner, cheapTest(fixture.projectId));
    if (other.status !== "admitted") throw new Error("expected admitted");
    await db().approvalRequest.update({ where: { id: requestId }, data: { holdRunId: other.runId } });
    expect(decided.holdRunId).not.toBe(other.runId);
    expect(await verifyLedger(db(), fixture.team.id)).not.toEqual([]);
  });

  it("an approval's hold is not settled from Active holds before it is run; settling it after is an audited step, once", async () => {
    const { requestId } = await createRequest(member, premiumRequest(fixture.projectId));
    const { holdRunId } = await decideRequest(approver, { requestId, decision: "approve", comment: "" });
    const runId = holdRunId!;
    expect((await refused(settleRun(member, { runId, actual: 200, outcome: "accepted" }))).message).toMatch(/nobody has run yet/);
    expect(await db().run.findUniqueOrThrow({ where: { id: runId } })).toMatchObject({ state: "held" });
    expect(await db().approvalRequest.findUniqueOrThrow({ where: { id: requestId } })).toMatchObject({ state: "approved" });

    await runApproved(member, { requestId });
    const settled = { runId, actual: 200, outcome: "accepted", idempotencyKey: "settle-approved-1" };
    await settleRun(member, settled);
    await settleRun(member, settled);
    const steps = await db().auditLog.findMany({ where: { targetId: requestId, action: { in: ["approval.settled", "approval.released"] } } });
    expect(steps).toHaveLength(1);
    expect(steps[0]).toMatchObject({ action: "approval.settled", actorId: member.user.id, details: { runId, actual: 200, estimate: PREMIUM_FINAL } });
    expect(await verifyLedger(db(), fixture.team.id)).toEqual([]);
  });

  it("an admin frees the credits of an approval its requester can no longer run: the hold is released, the approval ends", async () => {
    const { requestId } = await createRequest(member, premiumRequest(fixture.projectId));
    const { holdRunId } = await decideRequest(approver, { requestId, decision: "approve", comment: "" });
    await db().membership.update({ where: { teamId_userId: { teamId: fixture.team.id, userId: member.user.id } }, data: { role: "viewer" } });
    expect(await held(fixture.team.id)).toBe(PREMIUM_FINAL);
    await releaseRun(admin, { runId: holdRunId!, failed: false, reason: "The requester left the project" });
    expect(await held(fixture.team.id)).toBe(0);
    expect(await db().approvalRequest.findUniqueOrThrow({ where: { id: requestId } })).toMatchObject({ state: "expired" });
    expect(await db().auditLog.count({ where: { targetId: requestId, action: "approval.released", actorId: admin.user.id } })).toBe(1);
    await db().membership.update({ where: { teamId_userId: { teamId: fixture.team.id, userId: member.user.id } }, data: { role: "member" } });
    expect((await refused(runApproved(member, { requestId }))).message).toMatch(/expired/);
    expect(await verifyLedger(db(), fixture.team.id)).toEqual([]);
  });

  it("a resend is answered from the ledger's kept answer without admitting anything; once that answer is pruned, the policy is asked", async () => {
    await withoutApprovals(fixture.team.id);
    const key = "resend-after-policy-1";
    const first = await admitRun(member, { ...premiumRun(fixture.projectId), idempotencyKey: key });
    if (first.status !== "admitted") throw new Error("expected an admission");
    await releaseRun(member, { runId: first.runId, failed: false, reason: "" });
    await savePolicy(admin, DEFAULT_POLICY);
    expect(await admitRun(member, { ...premiumRun(fixture.projectId), idempotencyKey: key })).toMatchObject({ status: "admitted", runId: first.runId, replayed: true });
    expect(await held(fixture.team.id)).toBe(0);
    // The same key for another run is refused, not replayed.
    expect((await refused(admitRun(member, { ...premiumRun(fixture.projectId, 3), idempotencyKey: key }))).message).toMatch(/different request/);
    // Seven days on, the kept answer is pruned: the resend is a new request, and the policy holds it back.
    await db().idempotencyRecord.deleteMany({ where: { teamId: fixture.team.id, key } });
    expect(await admitRun(member, { ...premiumRun(fixture.projectId), idempotencyKey: key })).toMatchObject({ status: "needs_approval" });
    expect(await held(fixture.team.id)).toBe(0);
  });

  it.skipIf(kind === "pglite")(`one person keeps at most ${MAX_WAITING_PER_PERSON} requests waiting, even sending at once`, async () => {
    const { requestId } = await createRequest(member, premiumRequest(fixture.projectId));
    const template = await db().approvalRequest.findUniqueOrThrow({ where: { id: requestId } });
    await db().approvalRequest.createMany({
      data: Array.from({ length: MAX_WAITING_PER_PERSON - 2 }, (_, i) => ({
        ...template,
        id: `${requestId}x${i}`,
        rule: template.rule as object,
        settings: template.settings as object,
        findings: template.findings as object,
        answers: template.answers as object,
      })),
    });
    // 99 waiting: one more is allowed, the rest are refused.
    const sent = await Promise.allSettled(Array.from({ length: 6 }, () => createRequest(member, premiumRequest(fixture.projectId))));
    expect(sent.filter((outcome) => outcome.status === "fulfilled")).toHaveLength(1);
    expect(await db().approvalRequest.count({ where: { teamId: fixture.team.id, requesterId: member.user.id, state: "pending" } })).toBe(MAX_WAITING_PER_PERSON);
  });
});
