// The Approvals page's reads against a database: what waits for whom (never one's own, named people only, not twice),
// "all" for admins only, another team's request not found, the filters and paging, and one request's timeline.
import { beforeEach, expect, it } from "vitest";
import { DomainError } from "@/lib/authz/result";
import type { TeamContext } from "@/lib/authz/team";
import { db } from "@/lib/db/client";
import { readPageRequest } from "@/lib/db/keyset";
import { addGrant, admitRun, settleRun } from "@/lib/ledger/commands";
import { describeEachDatabase } from "@/test/db";
import { makeTeam, type TeamFixture } from "@/test/fixtures";
import { contextOf } from "@/test/results";
import { savePolicy } from "./commands";
import { cannotDecide, type ApprovalPolicy, type PolicyRequirement } from "./policy";
import { createRequest, decideRequest, withdrawRequest } from "./request-commands";
import { readRequestFilter } from "./request-filters";
import { countWaitingFor, listRequests, parseRequestId, requestDetail, REQUEST_PAGE_SIZE } from "./request-queries";
import { premiumRequest } from "@/test/approvals";

// 10:00 UTC is 11:00 in Berlin, the fixture team's zone.
const NOW = new Date("2026-03-02T10:00:00.000Z");
const HOUR = 60 * 60 * 1000;
const at = (hours: number) => new Date(NOW.getTime() + hours * HOUR);



function directory(fixture: TeamFixture, projectIds: string[], extraPeople: string[] = []) {
  return { projects: new Set(projectIds), people: new Set([...Object.values(fixture.people).map((person) => person.id), ...extraPeople]) };
}

describeEachDatabase("approval request reads", () => {
  let fixture: TeamFixture;
  let member: TeamContext;
  let creator: TeamContext;
  let approver: TeamContext;
  let admin: TeamContext;
  let owner: TeamContext;
  let viewer: TeamContext;

  beforeEach(async () => {
    fixture = await makeTeam();
    member = contextOf(fixture, "member");
    approver = contextOf(fixture, "approver");
    admin = contextOf(fixture, "admin");
    owner = contextOf(fixture, "owner");
    viewer = contextOf(fixture, "viewer");
    // A second member who asks, so a member can be shown someone else's request.
    const other = await db().user.create({ data: { name: `Creator ${fixture.team.slug}`, email: `creator-${fixture.team.slug}@example.test` } });
    await db().membership.create({ data: { teamId: fixture.team.id, userId: other.id, role: "member" } });
    creator = { user: { id: other.id, name: other.name, email: other.email }, team: fixture.team, role: "member" };
    await addGrant(admin, { amount: 100_000, source: "Top-up", note: "" }, at(-1));
  });

  it("the nav's count, made in SQL alone, is what cannotDecide says of every request, for every person", async () => {
    const role2: PolicyRequirement = { kind: "approval", approvals: 2, approvers: { kind: "role" }, validHours: 48 };
    const namesMember: PolicyRequirement = { kind: "approval", approvals: 1, approvers: { kind: "people", userIds: [member.user.id, admin.user.id] }, validHours: 48 };
    const policies: PolicyRequirement[] = [role2, namesMember];
    for (const [index, require] of policies.entries()) {
      await savePolicy(admin, { rules: [{ id: `r${index}`, name: `Rule ${index}`, when: { tiers: ["premium"] }, require }], pendingDays: 7 });
      for (const asker of [member, creator, approver, owner]) await createRequest(asker, premiumRequest(fixture.projectId), at(index));
    }
    // Someone has approved some of them once already.
    for (const request of await db().approvalRequest.findMany({ where: { teamId: fixture.team.id, requesterId: { not: approver.user.id } }, take: 3 })) {
      await decideRequest(approver, { requestId: request.id, decision: "approve", comment: "" }, at(3));
    }
    const pending = await db().approvalRequest.findMany({
      where: { teamId: fixture.team.id, state: "pending" },
      select: { rule: true, requesterId: true, decisions: { select: { userId: true, decision: true } } },
    });
    for (const person of [owner, admin, approver, member, creator, viewer]) {
      const expected = pending.filter((request) => {
        const require = (request.rule as { require: PolicyRequirement }).require as Extract<PolicyRequirement, { kind: "approval" }>;
        const approvedBy = request.decisions.filter((decision) => decision.decision === "approve").map((decision) => decision.userId);
        return cannotDecide(require, { userId: person.user.id, role: person.role }, { requesterId: request.requesterId, approvedBy }) === null;
      }).length;
      expect(await countWaitingFor(person, at(4)), person.role).toBe(expected);
      expect((await listRequests(person, "waiting", {}, null, at(4))).rows, person.role).toHaveLength(expected);
    }
  });

  it("waiting for me: not my own, not one I approved already, not one whose rule names other people", async () => {
    const members = await createRequest(member, premiumRequest(fixture.projectId), NOW);
    const approvers = await createRequest(approver, premiumRequest(fixture.projectId), at(0.1));

    // The approver waits on the member's request, never their own.
    const waiting = await listRequests(approver, "waiting", {}, null, at(1));
    expect(waiting.rows.map((row) => row.id)).toEqual([members.requestId]);
    expect(waiting.rows[0]).toMatchObject({ state: "pending", estimate: 240, ruleName: "Runs on a premium model", deadline: { kind: "lapses" } });
    expect(await countWaitingFor(approver, at(1))).toBe(1);
    // The owner may decide both; the member has the role for neither (only their own, which never counts).
    expect(await countWaitingFor(owner, at(1))).toBe(2);
    expect(await countWaitingFor(member, at(1))).toBe(0);
    expect(await countWaitingFor(viewer, at(1))).toBe(0);

    // A rule that names the admin and the owner: the approver no longer waits on requests made under it.
    await savePolicy(admin, {
      rules: [
        {
          id: "named",
          name: "Premium runs: the leads decide",
          when: { tiers: ["premium"] },
          require: { kind: "approval", approvals: 2, approvers: { kind: "people", userIds: [admin.user.id, owner.user.id] }, validHours: 24 },
        },
      ],
      pendingDays: 7,
    } satisfies ApprovalPolicy);
    const named = await createRequest(creator, premiumRequest(fixture.projectId), at(0.2));
    expect((await listRequests(approver, "waiting", {}, null, at(1))).rows.map((row) => row.id)).toEqual([members.requestId]);
    expect((await listRequests(admin, "waiting", {}, null, at(1))).rows.map((row) => row.id)).toEqual([named.requestId, approvers.requestId, members.requestId]);

    // Once the admin approved it, the second approval has to come from someone else.
    expect(await decideRequest(admin, { requestId: named.requestId, decision: "approve", comment: "" }, at(1))).toMatchObject({ state: "pending" });
    expect((await listRequests(admin, "waiting", {}, null, at(2))).rows.map((row) => row.id)).not.toContain(named.requestId);
    expect((await listRequests(owner, "waiting", {}, null, at(2))).rows.map((row) => row.id)).toContain(named.requestId);

    // Decided or withdrawn requests leave everyone's list; a lapsed one too.
    await decideRequest(approver, { requestId: members.requestId, decision: "approve", comment: "Go" }, at(2));
    await withdrawRequest(approver, { requestId: approvers.requestId }, at(2));
    expect(await countWaitingFor(owner, at(3))).toBe(1);
    expect(await countWaitingFor(owner, at(7 * 24 + 1))).toBe(0);
  });

  it("my requests are mine; all is for admins and owners, refused for a member", async () => {
    const mine = await createRequest(member, premiumRequest(fixture.projectId), NOW);
    await createRequest(creator, premiumRequest(fixture.projectId), at(0.1));
    expect((await listRequests(member, "mine", {}, null, at(1))).rows.map((row) => row.id)).toEqual([mine.requestId]);
    expect((await listRequests(admin, "all", {}, null, at(1))).rows).toHaveLength(2);
    expect((await listRequests(owner, "all", {}, null, at(1))).rows).toHaveLength(2);
    for (const ctx of [member, approver, viewer]) {
      const error = await listRequests(ctx, "all", {}, null, at(1)).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(DomainError);
      expect((error as DomainError).code).toBe("forbidden");
    }
  });

  it("another team's request is not found", async () => {
    const { requestId } = await createRequest(member, premiumRequest(fixture.projectId), NOW);
    const other = await makeTeam();
    expect(await requestDetail({ user: other.people.owner, team: other.team, role: "owner" }, requestId, at(1))).toBeNull();
    expect(await requestDetail(approver, "no-such-request", at(1))).toBeNull();
    expect(await requestDetail(approver, requestId, at(1))).toMatchObject({ id: requestId, viewer: { whyNotDecide: null, canWithdraw: false } });
    expect((await listRequests({ user: other.people.owner, team: other.team, role: "owner" }, "all", {}, null, at(1))).rows).toEqual([]);
  });

  it("filters by state, project, requester and days in the team's zone; a bad date is refused at its field", async () => {
    const second = await db().project.create({ data: { teamId: fixture.team.id, name: "Second" }, select: { id: true } });
    // Berlin: 2026-03-02 23:30 local is 22:30 UTC; 2026-03-03 00:30 local is 23:30 UTC.
    const lateOn2nd = await createRequest(member, premiumRequest(fixture.projectId), new Date("2026-03-02T22:30:00.000Z"));
    const earlyOn3rd = await createRequest(creator, premiumRequest(second.id), new Date("2026-03-02T23:30:00.000Z"));
    const decided = await createRequest(creator, premiumRequest(fixture.projectId), new Date("2026-03-04T09:00:00.000Z"));
    await decideRequest(approver, { requestId: decided.requestId, decision: "reject", comment: "Use the draft" }, new Date("2026-03-04T10:00:00.000Z"));
    const later = new Date("2026-03-05T10:00:00.000Z");
    const ids = async (query: Record<string, string>) => {
      const { filter, errors } = readRequestFilter(query, directory(fixture, [fixture.projectId, second.id], [creator.user.id]));
      expect(errors).toEqual({});
      return (await listRequests(admin, "all", filter, null, later)).rows.map((row) => row.id);
    };
    expect(await ids({ state: "rejected" })).toEqual([decided.requestId]);
    expect(await ids({ state: "pending" })).toEqual([earlyOn3rd.requestId, lateOn2nd.requestId]);
    expect(await ids({ projectId: second.id })).toEqual([earlyOn3rd.requestId]);
    expect(await ids({ requesterId: creator.user.id })).toEqual([decided.requestId, earlyOn3rd.requestId]);
    expect(await ids({ to: "2026-03-02" })).toEqual([lateOn2nd.requestId]);
    expect(await ids({ from: "2026-03-03", to: "2026-03-03" })).toEqual([earlyOn3rd.requestId]);

    // A pending request past its lapse time reads as lapsed, in the filter and in the row.
    const muchLater = at(8 * 24);
    const lapsed = await listRequests(admin, "all", { state: "lapsed" }, null, muchLater);
    expect(lapsed.rows.map((row) => row.id).sort()).toEqual([earlyOn3rd.requestId, lateOn2nd.requestId].sort());
    expect(lapsed.rows[0]).toMatchObject({ state: "lapsed", deadline: null });

    // Bad values: a message at the field, the rest of the filter still applied.
    const bad = readRequestFilter({ from: "2026-02-31", state: "rejected", projectId: "elsewhere", to: "yesterday" }, directory(fixture, [fixture.projectId]));
    expect(bad.errors).toMatchObject({ from: expect.stringMatching(/not a day/), projectId: expect.stringMatching(/not in this team/), to: expect.stringMatching(/like 2026-12-31/) });
    expect(bad.filter).toEqual({ state: "rejected" });
    const reversed = readRequestFilter({ from: "2026-03-04", to: "2026-03-01" }, directory(fixture, []));
    expect(reversed.errors.to).toMatch(/before the start/);
    expect(readRequestFilter({ state: "maybe" }, directory(fixture, [])).errors.state).toMatch(/not a state/);
  });

  it("pages newest first, with links both ways", async () => {
    const made: string[] = [];
    for (let i = 0; i < REQUEST_PAGE_SIZE + 3; i++) made.push((await createRequest(member, premiumRequest(fixture.projectId), at(i * 0.01))).requestId);
    const newestFirst = [...made].reverse();
    const first = await listRequests(member, "mine", {}, null, at(1));
    expect(first.rows.map((row) => row.id)).toEqual(newestFirst.slice(0, REQUEST_PAGE_SIZE));
    expect(first.matching).toEqual({ count: REQUEST_PAGE_SIZE + 3, more: false });
    expect(first.newer).toBeNull();
    const older = readPageRequest({ older: first.older! }, parseRequestId).page;
    const second = await listRequests(member, "mine", {}, older, at(1));
    expect(second.rows.map((row) => row.id)).toEqual(newestFirst.slice(REQUEST_PAGE_SIZE));
    expect(second.older).toBeNull();
    const back = await listRequests(member, "mine", {}, readPageRequest({ newer: second.newer! }, parseRequestId).page, at(1));
    expect(back.rows.map((row) => row.id)).toEqual(first.rows.map((row) => row.id));
  });

  it("a request's page: decisions with names, the rule in words, the hold run's state and the timeline in order", async () => {
    const { requestId } = await createRequest(member, premiumRequest(fixture.projectId), NOW);
    const pending = await requestDetail(member, requestId, at(0.5));
    expect(pending).toMatchObject({
      state: "pending",
      estimate: 240,
      policyVersion: 0,
      rule: { name: "Runs on a premium model", approvals: 1, validHours: 48, requirement: "1 approval by an approver or above, valid 48 hours" },
      holdRun: null,
      viewer: { isRequester: true, canWithdraw: true, canRun: false, whyNotDecide: expect.stringMatching(/own request/) },
    });
    expect(pending!.answers.map((answer) => answer.question)).toEqual(["qualityNeeded", "videoNecessary", "editInstead", "isFinalVersion"]);
    expect(pending!.answers[1]).toMatchObject({ answer: "no", note: "A still will do" });
    expect((await requestDetail(viewer, requestId, at(0.5)))!.viewer.whyNotDecide).toMatch(/Viewers/);

    const { holdRunId } = await decideRequest(approver, { requestId, decision: "approve", comment: "Go ahead" }, at(1));
    const approved = await requestDetail(member, requestId, at(2));
    expect(approved).toMatchObject({ state: "approved", expiresAt: at(49), holdRun: { id: holdRunId, state: "held", estimate: 240 }, viewer: { canRun: true, canWithdraw: false } });
    expect(approved!.decisions).toEqual([expect.objectContaining({ userName: fixture.people.approver.name, decision: "approve", comment: "Go ahead" })]);
    expect((await requestDetail(approver, requestId, at(2)))!.viewer.whyNotDecide).toMatch(/pending/);
    // Past its expiry it reads as expired before any sweep wrote it down.
    expect((await requestDetail(member, requestId, at(50)))!).toMatchObject({ state: "expired", viewer: { canRun: false } });

    const admitted = await admitRun(
      member,
      { projectId: fixture.projectId, modelId: "flux-2-pro", settings: {}, quantity: 2, stage: "final", purpose: "final_delivery", notes: "Hero image", approvalId: requestId },
      at(3),
    );
    expect(admitted).toMatchObject({ status: "admitted", runId: holdRunId });
    await settleRun(member, { runId: holdRunId!, actual: 200, outcome: "accepted" }, at(4));
    const used = await requestDetail(member, requestId, at(5));
    expect(used).toMatchObject({ state: "used", holdRun: { state: "settled", actual: 200 } });
    const steps = used!.timeline.map((entry) => (entry.source === "audit" ? entry.action : `ledger.${entry.kind}`));
    expect(steps).toEqual(["approval.requested", "approval.decided", "approval.approved", "approval.held", "ledger.hold", "approval.used", ...steps.slice(6)]);
    expect(steps.slice(6)).toEqual(expect.arrayContaining(["ledger.charge"]));
    const times = used!.timeline.map((entry) => entry.at.getTime());
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });
});
