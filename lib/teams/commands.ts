// Writes for teams, memberships and invitations; each runs in one transaction with its audit entry.
import "server-only";
import { createHash, randomBytes } from "node:crypto";
import { db } from "@/lib/db/client";
import { isUniqueViolation } from "@/lib/db/errors";
import type { TransactionClient } from "@/lib/db/transaction";
import { lockTeamCredits, recountTeamUsage } from "@/lib/ledger/budgets";
import { recordAudit } from "@/lib/audit/commands";
import { DomainError, fieldError } from "@/lib/authz/result";
import { ROLE_LABELS, assignableRoles, type Role } from "@/lib/authz/roles";
import type { SessionUser } from "@/lib/authz/session";
import type { TeamContext } from "@/lib/authz/team";
import { queueEmail } from "@/lib/mail/outbox";
import { mailEnabled } from "@/lib/mail/send";
import { INVITATION_PROBLEMS, invitationState } from "./rules";

export const INVITATION_DAYS = 7;

export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

export async function createTeam(user: SessionUser, input: { name: string; slug: string; timeZone: string }) {
  try {
    return await db().$transaction(async (tx) => {
      const team = await tx.team.create({ data: input, select: { id: true, slug: true } });
      await tx.membership.create({ data: { teamId: team.id, userId: user.id, role: "owner" } });
      await recordAudit(tx, { teamId: team.id, actorId: user.id, action: "team.created", details: { ...input } });
      return team;
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw fieldError("slug", "Another team already uses this address.", "conflict");
    throw error;
  }
}

export async function updateTeam(ctx: TeamContext, input: { name: string; timeZone: string }) {
  await db().$transaction(async (tx) => {
    // Under the team's credit lock, so two changes of zone, or a change and a budget saved at once,
    // cannot leave counters counted in a zone the team no longer has.
    await lockTeamCredits(tx, ctx.team.id);
    const before = await tx.team.findUniqueOrThrow({ where: { id: ctx.team.id }, select: { name: true, timeZone: true } });
    await tx.team.update({ where: { id: ctx.team.id }, data: input });
    if (before.timeZone !== input.timeZone) await recountTeamUsage(tx, { id: ctx.team.id, timeZone: input.timeZone });
    await recordAudit(tx, {
      teamId: ctx.team.id,
      actorId: ctx.user.id,
      action: "team.updated",
      details: { before, after: input },
    });
  });
}

/** Locks the team's owner rows so two concurrent demotions cannot leave a team without owners. */
async function lockOwners(tx: TransactionClient, teamId: string): Promise<number> {
  const rows = await tx.$queryRaw<{ id: string }[]>`
    SELECT "id" FROM "Membership" WHERE "teamId" = ${teamId} AND "role" = 'owner' FOR UPDATE`;
  return rows.length;
}

function checkMayAssign(actor: Role, role: Role) {
  if (!assignableRoles(actor).includes(role)) {
    throw fieldError("role", "Only an owner can make someone an owner.", "forbidden");
  }
}

export async function inviteMember(ctx: TeamContext, input: { email: string; role: Role }, origin: string) {
  checkMayAssign(ctx.role, input.role);
  const token = randomBytes(32).toString("base64url");
  const expiresAt = new Date(Date.now() + INVITATION_DAYS * 24 * 3600_000);
  const link = `${origin}/invite/${token}`;
  const emailed = mailEnabled();
  const invitation = await db().$transaction(async (tx) => {
    const member = await tx.membership.findFirst({
      where: { teamId: ctx.team.id, user: { email: input.email } },
      select: { id: true },
    });
    if (member) throw fieldError("email", "This person is already a member of the team.", "conflict");
    // A new invitation replaces any pending one for the same address: its link stops working, which the
    // admin is told and the audit log records. An expired one is left as it is; its link already failed.
    const now = new Date();
    const replaced = await tx.invitation.findMany({
      where: { teamId: ctx.team.id, email: input.email, acceptedAt: null, revokedAt: null, expiresAt: { gt: now } },
      select: { id: true, role: true },
    });
    if (replaced.length > 0) {
      await tx.invitation.updateMany({ where: { id: { in: replaced.map(({ id }) => id) }, revokedAt: null }, data: { revokedAt: now } });
    }
    const created = await tx.invitation.create({
      data: {
        teamId: ctx.team.id,
        email: input.email,
        role: input.role,
        tokenHash: hashToken(token),
        invitedById: ctx.user.id,
        expiresAt,
      },
      select: { id: true, email: true, role: true, expiresAt: true },
    });
    for (const earlier of replaced) {
      await recordAudit(tx, {
        teamId: ctx.team.id,
        actorId: ctx.user.id,
        action: "invitation.replaced",
        targetType: "invitation",
        targetId: earlier.id,
        details: { email: input.email, role: earlier.role, replacedBy: created.id },
      });
    }
    await recordAudit(tx, {
      teamId: ctx.team.id,
      actorId: ctx.user.id,
      action: "invitation.created",
      targetType: "invitation",
      targetId: created.id,
      details: { email: input.email, role: input.role },
    });
    // Sent by the outbox once this commits; the link to copy is shown either way.
    if (emailed) {
      await queueEmail(tx, ctx.team.id, {
        to: input.email,
        subject: `${ctx.user.name} invited you to ${ctx.team.name} on Creditwise`,
        text:
          `${ctx.user.name} invited you to join ${ctx.team.name} as ${ROLE_LABELS[input.role].toLowerCase()}.\n\n` +
          `Accept the invitation: ${link}\n\nThe link works until ${expiresAt.toUTCString()}.`,
      });
    }
    return { ...created, replaced: replaced.length > 0 };
  });
  return { ...invitation, link, emailed };
}

export async function revokeInvitation(ctx: TeamContext, invitationId: string) {
  await db().$transaction(async (tx) => {
    const invitation = await tx.invitation.findFirst({
      where: { id: invitationId, teamId: ctx.team.id },
      select: { id: true, email: true, acceptedAt: true, revokedAt: true },
    });
    if (!invitation) throw new DomainError("not_found", "That invitation does not exist in this team.");
    if (invitation.acceptedAt) throw new DomainError("conflict", "That invitation has already been accepted.");
    if (invitation.revokedAt) throw new DomainError("conflict", "That invitation has already been revoked.");
    await tx.invitation.update({ where: { id: invitation.id }, data: { revokedAt: new Date() } });
    await recordAudit(tx, {
      teamId: ctx.team.id,
      actorId: ctx.user.id,
      action: "invitation.revoked",
      targetType: "invitation",
      targetId: invitation.id,
      details: { email: invitation.email },
    });
  });
}

export async function acceptInvitation(user: SessionUser, token: string) {
  return db().$transaction(async (tx) => {
    const invitation = await tx.invitation.findUnique({
      where: { tokenHash: hashToken(token) },
      select: { id: true, teamId: true, email: true, role: true, expiresAt: true, acceptedAt: true, revokedAt: true, team: { select: { slug: true } } },
    });
    if (!invitation) throw new DomainError("not_found", "This invitation link is not valid.");
    const state = invitationState(invitation);
    if (state !== "pending") throw new DomainError("conflict", INVITATION_PROBLEMS[state]);
    if (invitation.email !== user.email.toLowerCase()) {
      throw new DomainError(
        "forbidden",
        `This invitation is for ${invitation.email}, but you are signed in as ${user.email}. Sign in with the invited address.`,
      );
    }
    // Claim the invitation first: of two concurrent accepts only one updates the row.
    const claimed = await tx.invitation.updateMany({
      where: { id: invitation.id, acceptedAt: null, revokedAt: null },
      data: { acceptedAt: new Date(), acceptedBy: user.id },
    });
    if (claimed.count !== 1) throw new DomainError("conflict", INVITATION_PROBLEMS.accepted);
    const existing = await tx.membership.findUnique({
      where: { teamId_userId: { teamId: invitation.teamId, userId: user.id } },
      select: { id: true },
    });
    if (!existing) {
      await tx.membership.create({ data: { teamId: invitation.teamId, userId: user.id, role: invitation.role } });
    }
    await recordAudit(tx, {
      teamId: invitation.teamId,
      actorId: user.id,
      action: "invitation.accepted",
      targetType: "invitation",
      targetId: invitation.id,
      details: { email: invitation.email, role: invitation.role },
    });
    return { teamSlug: invitation.team.slug };
  });
}

async function findMember(tx: TransactionClient, ctx: TeamContext, membershipId: string) {
  const member = await tx.membership.findFirst({
    where: { id: membershipId, teamId: ctx.team.id },
    select: { id: true, role: true, userId: true, user: { select: { email: true } } },
  });
  if (!member) throw new DomainError("not_found", "That person is not a member of this team.");
  return member;
}

export async function changeRole(ctx: TeamContext, membershipId: string, role: Role) {
  await db().$transaction(async (tx) => {
    const owners = await lockOwners(tx, ctx.team.id);
    const member = await findMember(tx, ctx, membershipId);
    if (member.role === role) return;
    if (member.role === "owner" && ctx.role !== "owner") {
      throw fieldError("role", "Only an owner can change another owner's role.", "forbidden");
    }
    checkMayAssign(ctx.role, role);
    if (member.role === "owner" && owners <= 1) {
      throw fieldError("role", "A team needs at least one owner. Make someone else an owner first.", "conflict");
    }
    await tx.membership.update({ where: { id: member.id }, data: { role } });
    await recordAudit(tx, {
      teamId: ctx.team.id,
      actorId: ctx.user.id,
      action: "member.role_changed",
      targetType: "membership",
      targetId: member.id,
      details: { email: member.user.email, from: member.role, to: role },
    });
  });
}

export async function removeMember(ctx: TeamContext, membershipId: string) {
  await db().$transaction(async (tx) => {
    const owners = await lockOwners(tx, ctx.team.id);
    const member = await findMember(tx, ctx, membershipId);
    if (member.userId === ctx.user.id) {
      throw new DomainError("invalid", "To remove yourself, use “Leave team” instead.");
    }
    if (member.role === "owner" && ctx.role !== "owner") {
      throw new DomainError("forbidden", "Only an owner can remove another owner.");
    }
    if (member.role === "owner" && owners <= 1) {
      throw new DomainError("conflict", "A team needs at least one owner.");
    }
    await tx.membership.delete({ where: { id: member.id } });
    // The removed person's open sessions end too: whatever page of the team they have open stops at once.
    await tx.user.update({ where: { id: member.userId }, data: { sessionVersion: { increment: 1 } } });
    await recordAudit(tx, {
      teamId: ctx.team.id,
      actorId: ctx.user.id,
      action: "member.removed",
      targetType: "membership",
      targetId: member.id,
      details: { email: member.user.email, role: member.role },
    });
  });
}

export async function leaveTeam(ctx: TeamContext) {
  await db().$transaction(async (tx) => {
    const owners = await lockOwners(tx, ctx.team.id);
    const mine = await tx.membership.findUnique({
      where: { teamId_userId: { teamId: ctx.team.id, userId: ctx.user.id } },
      select: { role: true },
    });
    if (!mine) throw new DomainError("not_found", "You are no longer a member of this team.");
    if (mine.role === "owner" && owners <= 1) {
      throw new DomainError("conflict", "You are the team's only owner. Make someone else an owner before you leave.");
    }
    await tx.membership.delete({ where: { teamId_userId: { teamId: ctx.team.id, userId: ctx.user.id } } });
    await recordAudit(tx, {
      teamId: ctx.team.id,
      actorId: ctx.user.id,
      action: "member.left",
      details: { email: ctx.user.email, role: mine.role },
    });
  });
}
