// Teams, members and invitations through their server actions, checked against the database after each step.
import { createHash } from "node:crypto";
import { beforeEach, expect, it } from "vitest";
import { getURLFromRedirectError } from "next/dist/client/components/redirect";
import { isRedirectError } from "next/dist/client/components/redirect-error";
import type { ActionResult } from "@/lib/authz/result";
import type { SessionUser } from "@/lib/authz/session";
import { db } from "@/lib/db/client";
import { archiveProjectAction, renameProjectAction, restoreProjectAction } from "@/lib/projects/actions";
import { describeEachDatabase } from "@/test/db";
import { makeTeam, makeUser, type TeamFixture } from "@/test/fixtures";
import { signInAs } from "@/test/session";
import {
  acceptInvitationAction,
  changeRoleAction,
  createTeamAction,
  inviteMemberAction,
  leaveTeamAction,
  removeMemberAction,
  revokeInvitationAction,
  updateTeamAction,
} from "./actions";
import { listMyTeams } from "./queries";

/** The URL the action redirected to; fails the test when it answered instead. */
async function redirectOf(call: Promise<unknown>): Promise<string> {
  try {
    const result = await call;
    throw new Error(`expected a redirect, got ${JSON.stringify(result)}`);
  } catch (error) {
    if (!isRedirectError(error)) throw error;
    return getURLFromRedirectError(error);
  }
}

function expectFailure<T>(result: ActionResult<T>, code: string) {
  expect(result, JSON.stringify(result)).toMatchObject({ ok: false, code });
  if (result.ok) throw new Error("unreachable");
  return result;
}

/** Row counts of everything a team action could touch. */
async function counts() {
  const [teams, memberships, invitations, audit, projects] = await Promise.all([
    db().team.count(),
    db().membership.count(),
    db().invitation.count(),
    db().auditLog.count(),
    db().project.count(),
  ]);
  return { teams, memberships, invitations, audit, projects };
}

/** Everything stored about one team, to show that a refused action changed none of it. */
async function teamState(teamId: string) {
  const [team, memberships, invitations, projects, audit] = await Promise.all([
    db().team.findUniqueOrThrow({ where: { id: teamId } }),
    db().membership.findMany({ where: { teamId }, orderBy: { id: "asc" } }),
    db().invitation.findMany({ where: { teamId }, orderBy: { id: "asc" } }),
    db().project.findMany({ where: { teamId }, orderBy: { id: "asc" } }),
    db().auditLog.count({ where: { teamId } }),
  ]);
  return { team, memberships, invitations, projects, audit };
}

async function membershipOf(fixture: TeamFixture, user: SessionUser) {
  return db().membership.findUnique({ where: { teamId_userId: { teamId: fixture.team.id, userId: user.id } } });
}

async function membershipId(fixture: TeamFixture, user: SessionUser): Promise<string> {
  return (await membershipOf(fixture, user))!.id;
}

async function ownerCount(teamId: string) {
  return db().membership.count({ where: { teamId, role: "owner" } });
}

async function auditOf(teamId: string, action: string) {
  return db().auditLog.findMany({ where: { teamId, action }, orderBy: { createdAt: "asc" } });
}

/** Invites as `by` and answers the raw token from the link. */
async function invite(fixture: TeamFixture, by: SessionUser, email: string, role = "member"): Promise<string> {
  signInAs(by);
  const result = await inviteMemberAction({ teamSlug: fixture.team.slug, email, role });
  if (!result.ok) throw new Error(`invitation failed: ${JSON.stringify(result)}`);
  return result.data.link.split("/invite/")[1];
}

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

describeEachDatabase("teams", () => {
  beforeEach(() => signInAs(null));

  it("creates a team with its creator as owner and an audit entry", async () => {
    const creator = await makeUser();
    signInAs(creator);
    const before = await counts();
    const slug = `northwind-${Date.now()}`;
    expect(await redirectOf(createTeamAction({ name: " Northwind Studio ", slug: slug.toUpperCase(), timeZone: "Europe/Berlin" }))).toBe(`/t/${slug}`);

    const team = await db().team.findUniqueOrThrow({ where: { slug } });
    expect(team).toMatchObject({ name: "Northwind Studio", timeZone: "Europe/Berlin" });
    const memberships = await db().membership.findMany({ where: { teamId: team.id } });
    expect(memberships.map((m) => [m.userId, m.role])).toEqual([[creator.id, "owner"]]);
    const audit = await auditOf(team.id, "team.created");
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actorId: creator.id, details: { name: "Northwind Studio", slug, timeZone: "Europe/Berlin" } });
    expect(await counts()).toEqual({ ...before, teams: before.teams + 1, memberships: before.memberships + 1, audit: before.audit + 1 });
  });

  it("refuses a bad or taken address and an unknown time zone, creating nothing", async () => {
    const existing = await makeTeam();
    signInAs(await makeUser());
    const before = await counts();
    const cases: [Record<string, string>, string, string][] = [
      [{ name: "Northwind", slug: "north wind!", timeZone: "UTC" }, "slug", "invalid"],
      [{ name: "Northwind", slug: "-northwind", timeZone: "UTC" }, "slug", "invalid"],
      [{ name: "Northwind", slug: "nw", timeZone: "UTC" }, "slug", "invalid"],
      [{ name: "Northwind", slug: "settings", timeZone: "UTC" }, "slug", "invalid"],
      [{ name: "Northwind", slug: existing.team.slug.toUpperCase(), timeZone: "UTC" }, "slug", "conflict"],
      [{ name: "Northwind", slug: "refused-tz", timeZone: "Mars/Olympus_Mons" }, "timeZone", "invalid"],
      [{ name: "Northwind", slug: "refused-tz", timeZone: "+02:00" }, "timeZone", "invalid"],
      [{ name: "N", slug: "refused-name", timeZone: "UTC" }, "name", "invalid"],
    ];
    for (const [input, field, code] of cases) {
      const result = expectFailure(await createTeamAction(input), code);
      expect(Object.keys(result.fieldErrors ?? {}), JSON.stringify(input)).toEqual([field]);
    }
    expect(await counts()).toEqual(before);
    expect(await db().team.count({ where: { slug: { startsWith: "refused" } } })).toBe(0);
  });

  it("lets an admin change the team's name and time zone, with the before and after in the audit log", async () => {
    const fixture = await makeTeam();
    signInAs(fixture.people.member);
    expectFailure(await updateTeamAction({ teamSlug: fixture.team.slug, name: "Renamed", timeZone: "UTC" }), "forbidden");
    signInAs(fixture.people.admin);
    expect(
      expectFailure(await updateTeamAction({ teamSlug: fixture.team.slug, name: "Renamed", timeZone: "Nowhere/Land" }), "invalid").fieldErrors,
    ).toHaveProperty("timeZone");
    expect(await db().team.findUniqueOrThrow({ where: { id: fixture.team.id } })).toMatchObject({ name: fixture.team.name, timeZone: "Europe/Berlin" });

    expect(await updateTeamAction({ teamSlug: fixture.team.slug, name: "Renamed", timeZone: "America/New_York" })).toMatchObject({ ok: true });
    expect(await db().team.findUniqueOrThrow({ where: { id: fixture.team.id } })).toMatchObject({ name: "Renamed", timeZone: "America/New_York" });
    const [entry] = await auditOf(fixture.team.id, "team.updated");
    expect(entry.details).toEqual({
      before: { name: fixture.team.name, timeZone: "Europe/Berlin" },
      after: { name: "Renamed", timeZone: "America/New_York" },
    });
  });

  it("invites with a link whose token is stored only as its sha256 hash", async () => {
    const fixture = await makeTeam();
    signInAs(fixture.people.admin);
    const before = await counts();
    const result = await inviteMemberAction({ teamSlug: fixture.team.slug, email: " New.Person@Example.TEST ", role: "approver" });
    expect(result).toMatchObject({ ok: true, data: { email: "new.person@example.test", emailed: false } });
    if (!result.ok) return;
    const match = /^http:\/\/localhost:3000\/invite\/([A-Za-z0-9_-]+)$/.exec(result.data.link);
    expect(match, result.data.link).not.toBeNull();
    const token = match![1];
    expect(token.length).toBeGreaterThanOrEqual(40);

    const invitations = await db().invitation.findMany({ where: { teamId: fixture.team.id } });
    expect(invitations).toHaveLength(1);
    const [invitation] = invitations;
    expect(invitation).toMatchObject({
      email: "new.person@example.test",
      role: "approver",
      invitedById: fixture.people.admin.id,
      tokenHash: sha256(token),
      acceptedAt: null,
      revokedAt: null,
    });
    expect(JSON.stringify(invitation)).not.toContain(token);
    expect(invitation.expiresAt.getTime()).toBeGreaterThan(Date.now() + 6 * 24 * 3600_000);

    const audit = await auditOf(fixture.team.id, "invitation.created");
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actorId: fixture.people.admin.id, targetType: "invitation", targetId: invitation.id });
    expect(audit[0].details).toEqual({ email: "new.person@example.test", role: "approver" });
    expect(JSON.stringify(audit[0])).not.toContain(token);
    expect(await counts()).toEqual({ ...before, invitations: before.invitations + 1, audit: before.audit + 1 });
  });

  it("refuses to invite someone who is already a member", async () => {
    const fixture = await makeTeam();
    signInAs(fixture.people.admin);
    const before = await counts();
    const result = expectFailure(
      await inviteMemberAction({ teamSlug: fixture.team.slug, email: fixture.people.viewer.email.toUpperCase(), role: "member" }),
      "conflict",
    );
    expect(result.fieldErrors?.email).toMatch(/already a member/);
    expect(await counts()).toEqual(before);
  });

  it("lets only an owner invite an owner", async () => {
    const fixture = await makeTeam();
    signInAs(fixture.people.admin);
    const before = await counts();
    const refused = expectFailure(await inviteMemberAction({ teamSlug: fixture.team.slug, email: "boss@example.test", role: "owner" }), "forbidden");
    expect(Object.keys(refused.fieldErrors ?? {})).toEqual(["role"]);
    expect(await counts()).toEqual(before);

    await invite(fixture, fixture.people.owner, "boss@example.test", "owner");
    expect(await db().invitation.findMany({ where: { teamId: fixture.team.id }, select: { email: true, role: true } })).toEqual([
      { email: "boss@example.test", role: "owner" },
    ]);
  });

  it("asks for the invitee's address in words meant for the person inviting", async () => {
    const fixture = await makeTeam();
    signInAs(fixture.people.admin);
    const before = await counts();
    for (const email of ["", "   "]) {
      const refused = expectFailure(await inviteMemberAction({ teamSlug: fixture.team.slug, email, role: "member" }), "invalid");
      expect(refused.fieldErrors?.email).toBe("Enter the email address of the person to invite.");
    }
    const missing = expectFailure(await inviteMemberAction({ teamSlug: fixture.team.slug, role: "member" }), "invalid");
    expect(missing.fieldErrors?.email).toBe("Enter the email address of the person to invite.");
    const bad = expectFailure(await inviteMemberAction({ teamSlug: fixture.team.slug, email: "not-an-email", role: "member" }), "invalid");
    expect(bad.fieldErrors?.email).toMatch(/valid email address/);
    expect(await counts()).toEqual(before);
  });

  it("replaces a pending invitation when the same address is invited again, says so, and audits it", async () => {
    const fixture = await makeTeam();
    const firstToken = await invite(fixture, fixture.people.admin, "again@example.test", "viewer");
    signInAs(fixture.people.admin);
    const again = await inviteMemberAction({ teamSlug: fixture.team.slug, email: "AGAIN@example.test", role: "member" });
    expect(again).toMatchObject({ ok: true, data: { email: "again@example.test", replaced: true } });
    if (!again.ok) return;
    expect(again.message).toBe("Invitation created for again@example.test. The earlier link sent to this address no longer works.");
    const secondToken = again.data.link.split("/invite/")[1];
    expect(secondToken).not.toBe(firstToken);

    const first = await db().invitation.findUniqueOrThrow({ where: { tokenHash: sha256(firstToken) } });
    const second = await db().invitation.findUniqueOrThrow({ where: { tokenHash: sha256(secondToken) } });
    expect(first.revokedAt).not.toBeNull();
    expect(second).toMatchObject({ revokedAt: null, acceptedAt: null, role: "member" });
    const replaced = await auditOf(fixture.team.id, "invitation.replaced");
    expect(replaced).toHaveLength(1);
    expect(replaced[0]).toMatchObject({
      actorId: fixture.people.admin.id,
      targetType: "invitation",
      targetId: first.id,
      details: { email: "again@example.test", role: "viewer", replacedBy: second.id },
    });

    // A first invitation, or one after the earlier link expired, replaces nothing that worked.
    const fresh = await inviteMemberAction({ teamSlug: fixture.team.slug, email: "fresh@example.test", role: "member" });
    expect(fresh).toMatchObject({ ok: true, data: { replaced: false }, message: "Invitation created for fresh@example.test." });
    await db().invitation.updateMany({ where: { teamId: fixture.team.id, email: "fresh@example.test" }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const afterExpiry = await inviteMemberAction({ teamSlug: fixture.team.slug, email: "fresh@example.test", role: "member" });
    expect(afterExpiry).toMatchObject({ ok: true, data: { replaced: false } });
    expect(await auditOf(fixture.team.id, "invitation.replaced")).toHaveLength(1);

    const invitee = await makeUser({ email: "again@example.test" });
    signInAs(invitee);
    const stale = expectFailure(await acceptInvitationAction({ token: firstToken }), "conflict");
    expect(stale.message).toMatch(/withdrawn/);
    expect(await membershipOf(fixture, invitee)).toBeNull();
    await redirectOf(acceptInvitationAction({ token: secondToken }));
    expect((await membershipOf(fixture, invitee))?.role).toBe("member");
  });

  it("accepts an invitation only for the invited address, and only once", async () => {
    const fixture = await makeTeam();
    const token = await invite(fixture, fixture.people.admin, "invitee@example.test", "approver");
    const invitee = await makeUser({ email: "invitee@example.test" });
    const stranger = await makeUser();

    signInAs(stranger);
    const before = await counts();
    const wrong = expectFailure(await acceptInvitationAction({ token }), "forbidden");
    expect(wrong.message).toContain("invitee@example.test");
    expect(await counts()).toEqual(before);
    expect(await membershipOf(fixture, stranger)).toBeNull();
    expect(await db().invitation.findUniqueOrThrow({ where: { tokenHash: sha256(token) } })).toMatchObject({ acceptedAt: null, acceptedBy: null });

    expectFailure(await acceptInvitationAction({ token: token.slice(0, -4) + "AAAA" }), "not_found");
    expect(await counts()).toEqual(before);

    signInAs(invitee);
    expect(await redirectOf(acceptInvitationAction({ token }))).toBe(`/t/${fixture.team.slug}`);
    expect((await membershipOf(fixture, invitee))?.role).toBe("approver");
    const accepted = await db().invitation.findUniqueOrThrow({ where: { tokenHash: sha256(token) } });
    expect(accepted.acceptedAt).not.toBeNull();
    expect(accepted.acceptedBy).toBe(invitee.id);
    const audit = await auditOf(fixture.team.id, "invitation.accepted");
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actorId: invitee.id, targetId: accepted.id, details: { email: "invitee@example.test", role: "approver" } });

    const afterAccept = await counts();
    const again = expectFailure(await acceptInvitationAction({ token }), "conflict");
    expect(again.message).toMatch(/already been used/);
    expect(await counts()).toEqual(afterAccept);

    // Accepted is final: it can no longer be withdrawn either.
    signInAs(fixture.people.admin);
    expectFailure(await revokeInvitationAction({ teamSlug: fixture.team.slug, invitationId: accepted.id }), "conflict");
  });

  it("refuses an expired or withdrawn invitation with a message that says so", async () => {
    const fixture = await makeTeam();
    const expiredToken = await invite(fixture, fixture.people.admin, "late@example.test");
    await db().invitation.update({ where: { tokenHash: sha256(expiredToken) }, data: { expiresAt: new Date(Date.now() - 60_000) } });
    const revokedToken = await invite(fixture, fixture.people.admin, "withdrawn@example.test");
    const revoked = await db().invitation.findUniqueOrThrow({ where: { tokenHash: sha256(revokedToken) } });

    signInAs(fixture.people.member);
    expectFailure(await revokeInvitationAction({ teamSlug: fixture.team.slug, invitationId: revoked.id }), "forbidden");
    signInAs(fixture.people.admin);
    expect(await revokeInvitationAction({ teamSlug: fixture.team.slug, invitationId: revoked.id })).toMatchObject({ ok: true });
    expect((await db().invitation.findUniqueOrThrow({ where: { id: revoked.id } })).revokedAt).not.toBeNull();
    expect(await auditOf(fixture.team.id, "invitation.revoked")).toMatchObject([{ targetId: revoked.id, details: { email: "withdrawn@example.test" } }]);
    expectFailure(await revokeInvitationAction({ teamSlug: fixture.team.slug, invitationId: revoked.id }), "conflict");

    const before = await counts();
    signInAs(await makeUser({ email: "late@example.test" }));
    expect(expectFailure(await acceptInvitationAction({ token: expiredToken }), "conflict").message).toMatch(/expired/);
    signInAs(await makeUser({ email: "withdrawn@example.test" }));
    expect(expectFailure(await acceptInvitationAction({ token: revokedToken }), "conflict").message).toMatch(/withdrawn/);
    expect(await counts()).toEqual({ ...before });
    expect(await db().membership.count({ where: { teamId: fixture.team.id } })).toBe(5);
  });

  it("lets an admin change a member's role, recording from and to", async () => {
    const fixture = await makeTeam();
    const id = await membershipId(fixture, fixture.people.member);
    signInAs(fixture.people.approver);
    expectFailure(await changeRoleAction({ teamSlug: fixture.team.slug, membershipId: id, role: "approver" }), "forbidden");
    expect((await membershipOf(fixture, fixture.people.member))?.role).toBe("member");

    signInAs(fixture.people.admin);
    expect(await changeRoleAction({ teamSlug: fixture.team.slug, membershipId: id, role: "approver" })).toMatchObject({ ok: true });
    expect((await membershipOf(fixture, fixture.people.member))?.role).toBe("approver");
    const audit = await auditOf(fixture.team.id, "member.role_changed");
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      actorId: fixture.people.admin.id,
      targetType: "membership",
      targetId: id,
      details: { email: fixture.people.member.email, from: "member", to: "approver" },
    });

    const bogus = expectFailure(await changeRoleAction({ teamSlug: fixture.team.slug, membershipId: id, role: "superuser" }), "invalid");
    expect(Object.keys(bogus.fieldErrors ?? {})).toEqual(["role"]);
    expect((await membershipOf(fixture, fixture.people.member))?.role).toBe("approver");
  });

  it("keeps owners out of an admin's reach: no changing an owner, no making one", async () => {
    const fixture = await makeTeam();
    signInAs(fixture.people.admin);
    const before = await teamState(fixture.team.id);
    const ownerId = await membershipId(fixture, fixture.people.owner);
    const demote = expectFailure(await changeRoleAction({ teamSlug: fixture.team.slug, membershipId: ownerId, role: "viewer" }), "forbidden");
    expect(demote.fieldErrors?.role).toMatch(/Only an owner/);
    const promote = expectFailure(
      await changeRoleAction({ teamSlug: fixture.team.slug, membershipId: await membershipId(fixture, fixture.people.member), role: "owner" }),
      "forbidden",
    );
    expect(promote.fieldErrors?.role).toMatch(/Only an owner/);
    expect(expectFailure(await removeMemberAction({ teamSlug: fixture.team.slug, membershipId: ownerId }), "forbidden").message).toMatch(/Only an owner/);
    expect(await teamState(fixture.team.id)).toEqual(before);
  });

  it("never lets the last owner go, but lets one of two owners be demoted", async () => {
    const fixture = await makeTeam();
    const { owner, admin } = fixture.people;
    const ownerId = await membershipId(fixture, owner);
    signInAs(owner);
    const before = await teamState(fixture.team.id);

    const demote = expectFailure(await changeRoleAction({ teamSlug: fixture.team.slug, membershipId: ownerId, role: "admin" }), "conflict");
    expect(demote.fieldErrors?.role).toMatch(/at least one owner/);
    expect(expectFailure(await removeMemberAction({ teamSlug: fixture.team.slug, membershipId: ownerId }), "invalid").message).toMatch(/Leave team/);
    expect(expectFailure(await leaveTeamAction({ teamSlug: fixture.team.slug }), "conflict").message).toMatch(/only owner/);
    expect(await teamState(fixture.team.id)).toEqual(before);

    // With a second owner, either may step down.
    const adminId = await membershipId(fixture, admin);
    expect(await changeRoleAction({ teamSlug: fixture.team.slug, membershipId: adminId, role: "owner" })).toMatchObject({ ok: true });
    expect(await ownerCount(fixture.team.id)).toBe(2);
    signInAs(admin);
    expect(await changeRoleAction({ teamSlug: fixture.team.slug, membershipId: ownerId, role: "member" })).toMatchObject({ ok: true });
    expect((await membershipOf(fixture, owner))?.role).toBe("member");
    expect(await ownerCount(fixture.team.id)).toBe(1);

    // And now the former admin is the last owner in turn.
    const last = expectFailure(await changeRoleAction({ teamSlug: fixture.team.slug, membershipId: adminId, role: "viewer" }), "conflict");
    expect(last.fieldErrors?.role).toMatch(/at least one owner/);
    expect(await ownerCount(fixture.team.id)).toBe(1);
  });

  it("leaves exactly one owner when two owners demote each other at the same time", async () => {
    for (let round = 0; round < 5; round++) {
      const fixture = await makeTeam();
      const { owner, admin } = fixture.people;
      signInAs(owner);
      await changeRoleAction({ teamSlug: fixture.team.slug, membershipId: await membershipId(fixture, admin), role: "owner" });
      expect(await ownerCount(fixture.team.id)).toBe(2);
      const [ownerId, adminId] = [await membershipId(fixture, owner), await membershipId(fixture, admin)];
      const auditBefore = (await auditOf(fixture.team.id, "member.role_changed")).length;

      // Each call reads who is signed in before its first await, so the two run as different people.
      const calls: Promise<ActionResult<null>>[] = [];
      signInAs(owner);
      calls.push(changeRoleAction({ teamSlug: fixture.team.slug, membershipId: adminId, role: "member" }));
      signInAs(admin);
      calls.push(changeRoleAction({ teamSlug: fixture.team.slug, membershipId: ownerId, role: "member" }));
      const results = await Promise.all(calls);

      // The loser is refused as the last owner, or (had the winner committed before it looked) as no longer an owner.
      const outcomes = results.map((result) => (result.ok ? "ok" : result.code)).sort();
      expect([["conflict", "ok"], ["forbidden", "ok"]], JSON.stringify(results)).toContainEqual(outcomes);
      expect(await ownerCount(fixture.team.id)).toBe(1);
      expect((await auditOf(fixture.team.id, "member.role_changed")).length).toBe(auditBefore + 1);
    }
  });

  it("removes a member with an audit entry, but never the caller", async () => {
    const fixture = await makeTeam();
    signInAs(fixture.people.admin);
    const viewerId = await membershipId(fixture, fixture.people.viewer);
    expect(await removeMemberAction({ teamSlug: fixture.team.slug, membershipId: viewerId })).toMatchObject({ ok: true });
    expect(await membershipOf(fixture, fixture.people.viewer)).toBeNull();
    expect(await db().user.findUnique({ where: { id: fixture.people.viewer.id } })).not.toBeNull();
    expect(await auditOf(fixture.team.id, "member.removed")).toMatchObject([
      { actorId: fixture.people.admin.id, targetId: viewerId, details: { email: fixture.people.viewer.email, role: "viewer" } },
    ]);

    // The removed person is now a stranger to the team.
    signInAs(fixture.people.viewer);
    expectFailure(await leaveTeamAction({ teamSlug: fixture.team.slug }), "not_found");

    signInAs(fixture.people.admin);
    const before = await teamState(fixture.team.id);
    const self = expectFailure(await removeMemberAction({ teamSlug: fixture.team.slug, membershipId: await membershipId(fixture, fixture.people.admin) }), "invalid");
    expect(self.message).toMatch(/Leave team/);
    expectFailure(await removeMemberAction({ teamSlug: fixture.team.slug, membershipId: viewerId }), "not_found");
    expect(await teamState(fixture.team.id)).toEqual(before);
  });

  it("lets a member leave", async () => {
    const fixture = await makeTeam();
    signInAs(fixture.people.member);
    expect(await redirectOf(leaveTeamAction({ teamSlug: fixture.team.slug }))).toBe("/teams");
    expect(await membershipOf(fixture, fixture.people.member)).toBeNull();
    expect(await db().membership.count({ where: { teamId: fixture.team.id } })).toBe(4);
    expect(await auditOf(fixture.team.id, "member.left")).toMatchObject([
      { actorId: fixture.people.member.id, details: { email: fixture.people.member.email, role: "member" } },
    ]);
  });

  it("answers a non-member of the team exactly as for a team that does not exist, and changes nothing", async () => {
    const fixture = await makeTeam();
    const token = await invite(fixture, fixture.people.admin, "pending@example.test");
    const invitation = await db().invitation.findUniqueOrThrow({ where: { tokenHash: sha256(token) } });
    const memberId = await membershipId(fixture, fixture.people.member);
    const before = await teamState(fixture.team.id);
    const allCounts = await counts();

    // Thunks, so each call runs on its own and as whoever is signed in at that moment.
    const calls = (teamSlug: string): (() => Promise<ActionResult<unknown>>)[] => [
      () => updateTeamAction({ teamSlug, name: "Taken over", timeZone: "UTC" }),
      () => inviteMemberAction({ teamSlug, email: "intruder@example.test", role: "owner" }),
      () => revokeInvitationAction({ teamSlug, invitationId: invitation.id }),
      () => changeRoleAction({ teamSlug, membershipId: memberId, role: "viewer" }),
      () => removeMemberAction({ teamSlug, membershipId: memberId }),
      () => leaveTeamAction({ teamSlug }),
      () => renameProjectAction({ teamSlug, projectId: fixture.projectId, name: "Taken over" }),
      () => archiveProjectAction({ teamSlug, projectId: fixture.projectId }),
      () => restoreProjectAction({ teamSlug, projectId: fixture.projectId }),
    ];

    signInAs(fixture.outsider);
    const asOutsider = [];
    for (const call of calls(fixture.team.slug)) asOutsider.push(await call());
    const noSuchTeam = [];
    for (const call of calls("no-such-team")) noSuchTeam.push(await call());
    for (const result of asOutsider) expectFailure(result, "not_found");
    expect(asOutsider).toEqual(noSuchTeam);
    expect(JSON.stringify(asOutsider)).not.toContain(fixture.team.name);
    expect((await listMyTeams(fixture.outsider.id)).map((team) => team.slug)).not.toContain(fixture.team.slug);

    signInAs(null);
    for (const call of calls(fixture.team.slug)) expectFailure(await call(), "unauthenticated");

    expect(await teamState(fixture.team.id)).toEqual(before);
    expect(await counts()).toEqual(allCounts);
  });

  it("keeps team B's invitations, members and projects out of reach of team A's owner using A's address", async () => {
    const a = await makeTeam();
    const b = await makeTeam();
    const bToken = await invite(b, b.people.admin, "b-invitee@example.test");
    const bInvitation = await db().invitation.findUniqueOrThrow({ where: { tokenHash: sha256(bToken) } });
    // One archived project (to restore) and one active (to rename and archive).
    await db().project.update({ where: { id: b.projectId }, data: { archivedAt: new Date() } });
    const bActive = await db().project.create({ data: { teamId: b.team.id, name: "B active" }, select: { id: true } });
    const bOwnerId = await membershipId(b, b.people.owner);
    const bMemberId = await membershipId(b, b.people.member);
    const stateA = await teamState(a.team.id);
    const stateB = await teamState(b.team.id);

    const { slug } = a.team;
    for (const actor of [a.people.owner, a.people.admin]) {
      signInAs(actor);
      const results = [
        await revokeInvitationAction({ teamSlug: slug, invitationId: bInvitation.id }),
        await changeRoleAction({ teamSlug: slug, membershipId: bMemberId, role: "viewer" }),
        await changeRoleAction({ teamSlug: slug, membershipId: bOwnerId, role: "viewer" }),
        await changeRoleAction({ teamSlug: slug, membershipId: bMemberId, role: "owner" }),
        await removeMemberAction({ teamSlug: slug, membershipId: bMemberId }),
        await removeMemberAction({ teamSlug: slug, membershipId: bOwnerId }),
        await renameProjectAction({ teamSlug: slug, projectId: bActive.id, name: "Hijacked" }),
        await archiveProjectAction({ teamSlug: slug, projectId: bActive.id }),
        await restoreProjectAction({ teamSlug: slug, projectId: b.projectId }),
      ];
      results.forEach((result, i) => expect(result, `call ${i}`).toMatchObject({ ok: false, code: "not_found" }));
      // And with B's own address they are strangers there.
      expectFailure(await changeRoleAction({ teamSlug: b.team.slug, membershipId: bMemberId, role: "viewer" }), "not_found");
      expectFailure(await revokeInvitationAction({ teamSlug: b.team.slug, invitationId: bInvitation.id }), "not_found");
    }

    expect(await teamState(b.team.id)).toEqual(stateB);
    expect(await teamState(a.team.id)).toEqual(stateA);

    // The link to B's invitation still works for the invited person.
    signInAs(await makeUser({ email: "b-invitee@example.test" }));
    expect(await redirectOf(acceptInvitationAction({ token: bToken }))).toBe(`/t/${b.team.slug}`);
  });
});
