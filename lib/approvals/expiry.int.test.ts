// Approvals nobody used expire inside the ledger — lazily at the team's next credit operation, or by the sweep — and
// their holds are released exactly once; requests nobody decided lapse; who hears about a request, its decision and its
// expiry, and the admins about a premium final recorded without approval; and on PostgreSQL, 200 approvals expiring
// while two sweepers and live admissions run at once.
import { afterAll, beforeAll, beforeEach, describe, expect, it, onTestFinished } from "vitest";
import { DomainError } from "@/lib/authz/result";
import type { TeamContext } from "@/lib/authz/team";
import { closeDatabase, db, useDatabase } from "@/lib/db/client";
import { addGrant, admitRun, recordRun, releaseRun } from "@/lib/ledger/commands";
import { listNotifications } from "@/lib/ledger/queries";
import { verifyLedger } from "@/lib/ledger/verify";
import { sweepApprovals } from "@/lib/jobs/background";
import { drainOutbox } from "@/lib/mail/outbox";
import type { Mail } from "@/lib/mail/send";
import { describeEachDatabase, openFreshDatabase } from "@/test/db";
import { makeTeam, makeUser, type TeamFixture } from "@/test/fixtures";
import { savePolicy } from "./commands";
import { notifyDecision, notifyDeciders } from "./notifications";
import { createRequest, decideRequest, expireApprovals, lapseRequests } from "./request-commands";
import { contextOf, refused } from "@/test/results";
import { PREMIUM_FINAL, cheapTest, premiumRequest, premiumRun } from "@/test/approvals";

const NOW = new Date("2026-03-02T10:00:00.000Z");
const HOUR = 60 * 60 * 1000;
const at = (hours: number) => new Date(NOW.getTime() + hours * HOUR);


// Two Flux 2 Pro finals: a premium model, 240 credits at the default price list; approvals are valid 48 hours.
// Five Qwen Image tests: 100 credits, which no rule of the default policy holds back.



async function totals(teamId: string) {
  const credits = await db().teamCredits.findUniqueOrThrow({ where: { teamId } });
  return { balance: credits.balance, held: credits.held, available: credits.balance - credits.held };
}

const audits = (requestId: string, action: string) => db().auditLog.count({ where: { targetId: requestId, action } });
const releases = (runId: string) => db().ledgerEntry.count({ where: { runId, kind: "release" } });
const notified = (teamId: string, kind: string) => db().notification.findMany({ where: { teamId, kind }, orderBy: { createdAt: "asc" } });

describeEachDatabase("approval expiry, lapse and notifications", () => {
  let fixture: TeamFixture;
  let member: TeamContext;
  let approver: TeamContext;
  let admin: TeamContext;

  beforeEach(async () => {
    fixture = await makeTeam();
    member = contextOf(fixture, "member");
    approver = contextOf(fixture, "approver");
    admin = contextOf(fixture, "admin");
    await addGrant(admin, { amount: 10_000, source: "Top-up", note: "" }, at(-1));
  });

  async function approved() {
    const { requestId } = await createRequest(member, premiumRequest(fixture.projectId), NOW);
    const { holdRunId } = await decideRequest(approver, { requestId, decision: "approve", comment: "Go" }, at(1));
    return { requestId, runId: holdRunId! };
  }

  it("the team's next admission releases an approval past its expiry, once; a run with that approval is then refused", async () => {
    const { requestId, runId } = await approved();
    expect(await totals(fixture.team.id)).toEqual({ balance: 10_000, held: PREMIUM_FINAL, available: 10_000 - PREMIUM_FINAL });

    // Just before the expiry an admission leaves the approval alone.
    expect(await admitRun(member, cheapTest(fixture.projectId), at(48))).toMatchObject({ status: "admitted" });
    expect(await db().approvalRequest.findUniqueOrThrow({ where: { id: requestId } })).toMatchObject({ state: "approved" });

    const next = await admitRun(member, cheapTest(fixture.projectId), at(49));
    expect(next).toMatchObject({ status: "admitted" });
    expect(await db().approvalRequest.findUniqueOrThrow({ where: { id: requestId } })).toMatchObject({ state: "expired", version: 3 });
    expect(await db().run.findUniqueOrThrow({ where: { id: runId } })).toMatchObject({ state: "released", actual: 0 });
    expect(await totals(fixture.team.id)).toEqual({ balance: 10_000, held: 200, available: 9_800 });
    expect(await releases(runId)).toBe(1);
    const [expiry] = await db().auditLog.findMany({ where: { targetId: requestId, action: "approval.expired" } });
    expect(expiry).toMatchObject({ actorId: null, targetType: "approval_request", createdAt: at(49), details: { runId, estimate: PREMIUM_FINAL, released: true } });

    // Later operations, and the sweep, find nothing left to do.
    await admitRun(member, cheapTest(fixture.projectId), at(50));
    expect(await expireApprovals(undefined, at(50))).toEqual({ expired: 0 });
    expect(await releases(runId)).toBe(1);
    expect(await audits(requestId, "approval.expired")).toBe(1);

    const run = await refused(admitRun(member, { ...premiumRun(fixture.projectId), approvalId: requestId }, at(50)));
    expect(run).toMatchObject({ code: "conflict", message: expect.stringMatching(/expired/) });
    expect(await verifyLedger(db(), fixture.team.id, at(50))).toEqual([]);
  });

  it("a release of another run, or a grant, expires the team's due approvals first, too", async () => {
    const first = await approved();
    const admitted = await admitRun(member, cheapTest(fixture.projectId), at(2));
    if (admitted.status !== "admitted") throw new Error("expected an admission");
    // Releasing another run after the expiry: the approval's hold goes back in the same operation.
    await releaseRun(member, { runId: admitted.runId, failed: false, reason: "" }, at(60));
    expect(await db().approvalRequest.findUniqueOrThrow({ where: { id: first.requestId } })).toMatchObject({ state: "expired" });
    expect(await totals(fixture.team.id)).toMatchObject({ held: 0, balance: 10_000 });
    expect(await verifyLedger(db(), fixture.team.id, at(60))).toEqual([]);

    // A grant, outside cw_batch, does it as well.
    const second = await approved();
    await addGrant(admin, { amount: 1_000, source: "Top-up", note: "" }, at(100));
    expect(await db().approvalRequest.findUniqueOrThrow({ where: { id: second.requestId } })).toMatchObject({ state: "expired" });
    expect(await releases(second.runId)).toBe(1);
    expect(await totals(fixture.team.id)).toMatchObject({ held: 0, balance: 11_000 });
    expect(await verifyLedger(db(), fixture.team.id, at(100))).toEqual([]);
  });

  it("the sweep and the lazy path never release one hold twice, whichever comes first", async () => {
    const a = await approved();
    const b = await approved();
    // The sweep first, for a: the admission after it finds nothing of a to release; b goes with it.
    expect(await expireApprovals(fixture.team.id, at(49))).toEqual({ expired: 2 });
    await admitRun(member, cheapTest(fixture.projectId), at(49));
    expect(await expireApprovals(undefined, at(49))).toEqual({ expired: 0 });
    for (const { requestId, runId } of [a, b]) {
      expect(await releases(runId)).toBe(1);
      expect(await audits(requestId, "approval.expired")).toBe(1);
    }
    // The lazy path first, for c: the sweep after it finds nothing.
    const c = await approved();
    await admitRun(member, cheapTest(fixture.projectId), at(60));
    expect(await expireApprovals(fixture.team.id, at(60))).toEqual({ expired: 0 });
    expect(await releases(c.runId)).toBe(1);
    expect(await audits(c.requestId, "approval.expired")).toBe(1);
    expect(await totals(fixture.team.id)).toMatchObject({ held: 200 });
    expect(await verifyLedger(db(), fixture.team.id, at(60))).toEqual([]);
  });

  it("an approval whose hold already ended expires without a second release", async () => {
    const { requestId, runId } = await approved();
    // The app refuses to end an unused approval's hold (edges.int.test.ts); ended behind its back, through the ledger's SQL.
    await db().$queryRaw`SELECT cw_release_run(${fixture.team.id}, ${runId}, 'released', 'Not needed', NULL, true, NULL, NULL, ${at(2).toISOString()}::timestamp)::text`;
    expect(await expireApprovals(fixture.team.id, at(49))).toEqual({ expired: 1 });
    expect(await db().approvalRequest.findUniqueOrThrow({ where: { id: requestId } })).toMatchObject({ state: "expired" });
    expect(await releases(runId)).toBe(1);
    const [note] = await notified(fixture.team.id, "approval_expired");
    expect(note.data).toMatchObject({ released: false });
    const [words] = await listNotifications(fixture.team, member.user.id, "member");
    expect(words.body).toMatch(/already ended/);
    expect(await verifyLedger(db(), fixture.team.id, at(49))).toEqual([]);
  });

  it("a request nobody decided lapses once, audited; the background sweep does it and the expiry in one round", async () => {
    const pending = await createRequest(member, premiumRequest(fixture.projectId), NOW);
    const toExpire = await approved();
    expect(await lapseRequests(fixture.team.id, at(7 * 24 - 1))).toEqual({ lapsed: 0 });
    expect(await sweepApprovals(at(7 * 24))).toMatchObject({ expired: expect.any(Number), lapsed: expect.any(Number) });
    expect(await lapseRequests(fixture.team.id, at(7 * 24 + 1))).toEqual({ lapsed: 0 });
    expect(await db().approvalRequest.findUniqueOrThrow({ where: { id: pending.requestId } })).toMatchObject({ state: "lapsed", version: 2 });
    expect(await db().approvalRequest.findUniqueOrThrow({ where: { id: toExpire.requestId } })).toMatchObject({ state: "expired" });
    const [lapse] = await db().auditLog.findMany({ where: { targetId: pending.requestId, action: "approval.lapsed" } });
    expect(lapse).toMatchObject({ actorId: null, details: { lapsesAt: pending.lapsesAt.toISOString() } });
    // The requester is told, once, with a link to the request.
    const told = await notified(fixture.team.id, "approval_lapsed");
    expect(told.map((row) => row.userId)).toEqual([member.user.id]);
    const [words] = (await listNotifications(fixture.team, member.user.id, "member")).filter((row) => row.kind === "approval_lapsed");
    expect(words).toMatchObject({ title: "Your request for 2 × Flux 2 Pro in " + (await db().project.findUniqueOrThrow({ where: { id: fixture.projectId } })).name + " lapsed", href: `/t/${fixture.team.slug}/approvals/${pending.requestId}` });
    const decided = await refused(decideRequest(approver, { requestId: pending.requestId, decision: "approve", comment: "" }, at(7 * 24 + 2)));
    expect(decided.code).toBe("conflict");
    expect(await verifyLedger(db(), fixture.team.id, at(7 * 24))).toEqual([]);
  });

  it("a new request notifies each person who may decide it, never the requester nor a member without the role; once", async () => {
    const { requestId } = await createRequest(member, premiumRequest(fixture.projectId), NOW);
    const rows = await notified(fixture.team.id, "approval_requested");
    expect(rows.map((row) => row.userId).sort()).toEqual([fixture.people.approver.id, fixture.people.admin.id, fixture.people.owner.id].sort());
    expect(await db().outboxMessage.count({ where: { notificationId: { in: rows.map((row) => row.id) } } })).toBe(3);

    // A retry writes nothing new.
    const request = await db().approvalRequest.findUniqueOrThrow({ where: { id: requestId } });
    await db().$transaction((tx) => notifyDeciders(tx, request, { kind: "approval", approvals: 1, approvers: { kind: "role" }, validHours: 48 }, NOW));
    expect(await db().notification.count({ where: { teamId: fixture.team.id, kind: "approval_requested" } })).toBe(3);
    expect(await db().outboxMessage.count({ where: { teamId: fixture.team.id, notificationId: { not: null } } })).toBe(3);

    const [seen] = await listNotifications(fixture.team, approver.user.id, "approver");
    const project = await db().project.findUniqueOrThrow({ where: { id: fixture.projectId } });
    expect(seen).toMatchObject({
      kind: "approval_requested",
      title: `${fixture.people.member.name} asks to run 2 × Flux 2 Pro in ${project.name}`,
      body: "A final of 240 credits waits for your decision.",
      href: `/t/${fixture.team.slug}/approvals/${requestId}`,
    });
    expect(await listNotifications(fixture.team, member.user.id, "member")).toEqual([]);
    expect(await listNotifications(fixture.team, fixture.people.viewer.id, "viewer")).toEqual([]);
  });

  it("a rule naming people notifies only them, and not a named requester", async () => {
    const named = await makeUser();
    await db().membership.create({ data: { teamId: fixture.team.id, userId: named.id, role: "member" } });
    await savePolicy(admin, {
      rules: [
        {
          id: "named",
          name: "Premium runs: Named or the member",
          when: { tiers: ["premium"] },
          require: { kind: "approval", approvals: 1, approvers: { kind: "people", userIds: [named.id, member.user.id] }, validHours: 48 },
        },
      ],
      pendingDays: 7,
    });
    await createRequest(member, premiumRequest(fixture.projectId), NOW);
    expect((await notified(fixture.team.id, "approval_requested")).map((row) => row.userId)).toEqual([named.id]);
  });

  it("the final decision tells the requester, with the comment, once; nobody else", async () => {
    const { requestId } = await approved();
    const rejected = await createRequest(member, premiumRequest(fixture.projectId), NOW);
    await decideRequest(admin, { requestId: rejected.requestId, decision: "reject", comment: "Use the draft we have" }, at(2));
    const rows = await notified(fixture.team.id, "approval_decided");
    expect(rows.map((row) => row.userId)).toEqual([member.user.id, member.user.id]);

    const request = await db().approvalRequest.findUniqueOrThrow({ where: { id: requestId } });
    await db().$transaction((tx) => notifyDecision(tx, request, { state: "approved", deciderId: approver.user.id, comment: "Go", expiresAt: at(49) }, at(1)));
    expect(await db().notification.count({ where: { teamId: fixture.team.id, kind: "approval_decided" } })).toBe(2);

    const words = await listNotifications(fixture.team, member.user.id, "member");
    const no = words.find((note) => note.href?.endsWith(rejected.requestId));
    const yes = words.find((note) => note.href?.endsWith(requestId));
    expect(no).toMatchObject({ title: expect.stringMatching(/was rejected$/), body: `${fixture.people.admin.name} rejected it: “Use the draft we have”.` });
    expect(yes).toMatchObject({ title: expect.stringMatching(/^Your request for 2 × Flux 2 Pro in .* was approved$/), body: expect.stringContaining(`${fixture.people.approver.name} approved it: “Go”. 240 credits are held`) });
    expect((await listNotifications(fixture.team, approver.user.id, "approver")).filter((note) => note.kind === "approval_decided")).toEqual([]);
  });

  it("an expiry tells the requester once, linking to the request, and its email carries the full address", async () => {
    process.env.APP_URL = "https://credits.studio.test/";
    onTestFinished(() => {
      delete process.env.APP_URL;
    });
    const { requestId } = await approved();
    await admitRun(member, cheapTest(fixture.projectId), at(49));
    await expireApprovals(undefined, at(49));
    const rows = await notified(fixture.team.id, "approval_expired");
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ userId: member.user.id, dedupeKey: `approval-expired:${requestId}` });
    const [words] = (await listNotifications(fixture.team, member.user.id, "member")).filter((note) => note.kind === "approval_expired");
    expect(words).toMatchObject({ title: expect.stringMatching(/expired unused$/), body: "The 240 credits held for it were released. Ask again to run it.", href: `/t/${fixture.team.slug}/approvals/${requestId}` });

    const mails: Mail[] = [];
    await drainOutbox({ now: at(50), limit: 1_000, enabled: true, deliver: async (mail) => void mails.push(mail) });
    const toMember = mails.filter((mail) => mail.to === fixture.people.member.email);
    const expired = toMember.find((mail) => mail.subject.endsWith("expired unused"));
    expect(expired?.text).toContain(`https://credits.studio.test/t/${fixture.team.slug}/approvals/${requestId}`);
    const toApprover = mails.filter((mail) => mail.to === fixture.people.approver.email);
    expect(toApprover.some((mail) => mail.subject.includes("asks to run") && mail.text.includes(`/approvals/${requestId}`))).toBe(true);
  });

  it("recording a premium final is not blocked and flags it for the admins, once; other recordings are not flagged", async () => {
    const recorded = await recordRun(member, { ...premiumRun(fixture.projectId), actual: PREMIUM_FINAL, outcome: "accepted", idempotencyKey: "import-1" }, at(1));
    expect(await db().run.findUniqueOrThrow({ where: { id: recorded.runId } })).toMatchObject({ state: "settled", actual: PREMIUM_FINAL });
    const again = await recordRun(member, { ...premiumRun(fixture.projectId), actual: PREMIUM_FINAL, outcome: "accepted", idempotencyKey: "import-1" }, at(1));
    expect(again).toMatchObject({ runId: recorded.runId, replayed: true });
    await recordRun(member, { ...premiumRun(fixture.projectId), stage: "test", actual: PREMIUM_FINAL, outcome: "accepted" }, at(1));
    await recordRun(member, { ...cheapTest(fixture.projectId), stage: "final", actual: 100, outcome: "accepted" }, at(1));

    const rows = await notified(fixture.team.id, "unapproved_premium_final");
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ userId: null, data: { runId: recorded.runId, projectId: fixture.projectId, userId: member.user.id, modelName: "Flux 2 Pro", actual: PREMIUM_FINAL } });
    expect(await db().outboxMessage.count({ where: { notificationId: rows[0].id } })).toBe(1);
    const [seen] = (await listNotifications(fixture.team, admin.user.id, "admin")).filter((note) => note.kind === "unapproved_premium_final");
    const project = await db().project.findUniqueOrThrow({ where: { id: fixture.projectId } });
    expect(seen).toMatchObject({
      title: `A premium final in ${project.name} was recorded without approval`,
      body: expect.stringMatching(new RegExp(`^${fixture.people.member.name} recorded 2 × Flux 2 Pro for 240 credits\\.`)),
      href: `/t/${fixture.team.slug}/projects/${fixture.projectId}`,
    });
    expect((await listNotifications(fixture.team, member.user.id, "member")).some((note) => note.kind === "unapproved_premium_final")).toBe(false);
    expect(await verifyLedger(db(), fixture.team.id, at(1))).toEqual([]);
  });

  it("verification finds an expired approval still holding, and an approval without a hold", async () => {
    const stuck = await approved();
    const bare = await approved();
    expect(await verifyLedger(db(), fixture.team.id, at(2))).toEqual([]);
    await db().$executeRaw`UPDATE "ApprovalRequest" SET "state" = 'expired' WHERE "id" = ${stuck.requestId}`;
    await db().$executeRaw`UPDATE "ApprovalRequest" SET "holdRunId" = NULL WHERE "id" = ${bare.requestId}`;
    const found = await verifyLedger(db(), fixture.team.id, at(2));
    expect(found).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ what: `approval request ${stuck.requestId} is expired`, found: "held" }),
        expect.objectContaining({ what: `approval request ${bare.requestId} is approved`, found: "no hold" }),
      ]),
    );
  });
});

describe.skipIf(!process.env.TEST_DATABASE_URL)("approvals expiring under load on PostgreSQL (needs TEST_DATABASE_URL)", () => {
  const APPROVALS = 200;
  const ADMISSIONS = 40;
  let fixture: TeamFixture;

  beforeAll(async () => {
    const database = await openFreshDatabase("postgres");
    useDatabase(database.client, database.close);
  });
  afterAll(() => closeDatabase());

  beforeEach(async () => {
    fixture = await makeTeam();
  });

  it(`${APPROVALS} approvals expiring while two sweepers and live admissions run: every hold released exactly once`, { timeout: 60_000 }, async () => {
    const member = contextOf(fixture, "member");
    const approver = contextOf(fixture, "approver");
    await addGrant(contextOf(fixture, "admin"), { amount: 1_000_000, source: "Top-up", note: "" }, at(-1));
    const approvals: { requestId: string; runId: string }[] = [];
    for (let i = 0; i < APPROVALS; i += 20) {
      approvals.push(
        ...(await Promise.all(
          Array.from({ length: Math.min(20, APPROVALS - i) }, async () => {
            const { requestId } = await createRequest(member, premiumRequest(fixture.projectId), NOW);
            const { holdRunId } = await decideRequest(approver, { requestId, decision: "approve", comment: "" }, at(1));
            return { requestId, runId: holdRunId! };
          }),
        )),
      );
    }
    expect(await totals(fixture.team.id)).toMatchObject({ held: APPROVALS * PREMIUM_FINAL });

    const started = Date.now();
    const later = at(50);
    // Sweepers in small steps, many times over, so their transactions interleave with the admissions' lazy expiry.
    const sweeper = async (teamId?: string) => {
      let expired = 0;
      for (let step = 0; step < 30; step++) expired += (await expireApprovals(teamId, later, 5)).expired;
      return { expired };
    };
    // Admissions in waves, the first only after the sweepers have begun.
    const wave = (n: number) =>
      new Promise((resolve) => setTimeout(resolve, n * 5)).then(() =>
        Promise.all(Array.from({ length: ADMISSIONS / 4 }, () => admitRun(member, cheapTest(fixture.projectId), later))),
      );
    const [sweeperA, sweeperB, ...admissions] = await Promise.all([
      sweeper(),
      sweeper(fixture.team.id),
      ...[1, 2, 3, 4].map(wave),
      // Runs with approvals past their expiry, racing the expiry: each refused, none admitted.
      ...approvals.slice(0, 10).map(({ requestId }) =>
        admitRun(member, { ...premiumRun(fixture.projectId), approvalId: requestId }, later).then(
          () => ({ status: "ran" }),
          (error: unknown) => ({ status: error instanceof DomainError ? error.code : "error" }),
        ),
      ),
    ]);
    const elapsed = Date.now() - started;
    console.log(`${APPROVALS} approvals expired beside ${ADMISSIONS} admissions and two sweepers in ${elapsed} ms (sweepers: ${JSON.stringify([sweeperA, sweeperB])})`);
    const runs = admissions.slice(0, 4).flat() as { status: string }[];
    expect(runs).toHaveLength(ADMISSIONS);
    expect(runs.every((outcome) => outcome.status === "admitted")).toBe(true);
    expect(admissions.slice(4).map((outcome) => (outcome as { status: string }).status)).toEqual(Array(10).fill("conflict"));
    expect((sweeperA as { expired: number }).expired + (sweeperB as { expired: number }).expired).toBeLessThanOrEqual(APPROVALS);

    const teamId = fixture.team.id;
    expect(await db().approvalRequest.count({ where: { teamId, state: "expired" } })).toBe(APPROVALS);
    const perRun = await db().ledgerEntry.groupBy({ by: ["runId"], where: { teamId, kind: "release", runId: { in: approvals.map((a) => a.runId) } }, _count: { _all: true } });
    expect(perRun).toHaveLength(APPROVALS);
    expect(perRun.every((row) => row._count._all === 1)).toBe(true);
    expect(await db().run.count({ where: { id: { in: approvals.map((a) => a.runId) }, state: "released" } })).toBe(APPROVALS);
    const audited = await db().auditLog.groupBy({ by: ["targetId"], where: { teamId, action: "approval.expired" }, _count: { _all: true } });
    expect(audited).toHaveLength(APPROVALS);
    expect(audited.every((row) => row._count._all === 1)).toBe(true);
    expect(await db().notification.count({ where: { teamId, kind: "approval_expired" } })).toBe(APPROVALS);
    expect(await totals(teamId)).toEqual({ balance: 1_000_000, held: ADMISSIONS * 100, available: 1_000_000 - ADMISSIONS * 100 });
    expect(await verifyLedger(db(), teamId, later)).toEqual([]);
    expect(elapsed).toBeLessThan(30_000);
  });
});
