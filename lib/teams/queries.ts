// Reads for teams: my teams, members, invitations, an invitation by its link.
import "server-only";
import { db } from "@/lib/db/client";
import { hashToken } from "./commands";
import { invitationState } from "./rules";

export async function listMyTeams(userId: string) {
  const memberships = await db().membership.findMany({
    where: { userId },
    orderBy: { team: { name: "asc" } },
    select: { role: true, team: { select: { id: true, slug: true, name: true, timeZone: true } } },
  });
  return memberships.map(({ role, team }) => ({ ...team, role }));
}

export async function listMembers(teamId: string) {
  return db().membership.findMany({
    where: { teamId },
    orderBy: [{ createdAt: "asc" }],
    select: { id: true, role: true, createdAt: true, user: { select: { id: true, name: true, email: true } } },
  });
}

export async function listInvitations(teamId: string) {
  const invitations = await db().invitation.findMany({
    where: { teamId },
    orderBy: { createdAt: "desc" },
    take: 100,
    select: {
      id: true,
      email: true,
      role: true,
      expiresAt: true,
      acceptedAt: true,
      revokedAt: true,
      createdAt: true,
      invitedBy: { select: { name: true } },
    },
  });
  return invitations.map((invitation) => ({ ...invitation, state: invitationState(invitation) }));
}

/** What the invitation page may show about a link: the team's name and the role, nothing more. */
export async function findInvitationByToken(token: string) {
  const invitation = await db().invitation.findUnique({
    where: { tokenHash: hashToken(token) },
    select: {
      email: true,
      role: true,
      expiresAt: true,
      acceptedAt: true,
      revokedAt: true,
      team: { select: { name: true, slug: true } },
      invitedBy: { select: { name: true } },
    },
  });
  return invitation ? { ...invitation, state: invitationState(invitation) } : null;
}
