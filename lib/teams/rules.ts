// Pure rules of invitations: the state of a link and what a person is told when it cannot be used.

export type InvitationState = "pending" | "expired" | "revoked" | "accepted";

export function invitationState(invitation: { expiresAt: Date; acceptedAt: Date | null; revokedAt: Date | null }, now = new Date()): InvitationState {
  if (invitation.acceptedAt) return "accepted";
  if (invitation.revokedAt) return "revoked";
  if (invitation.expiresAt <= now) return "expired";
  return "pending";
}

/** What someone following a link that cannot be used is told, on the page and when accepting. */
export const INVITATION_PROBLEMS: Record<Exclude<InvitationState, "pending">, string> = {
  accepted: "This invitation has already been used.",
  revoked: "This invitation was withdrawn. Ask the team's admin for a new one.",
  expired: "This invitation has expired. Ask the team's admin for a new one.",
};
