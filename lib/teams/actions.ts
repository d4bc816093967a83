"use server";
// Server actions for teams, members and invitations.
import { revalidatePath } from "next/cache";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { z } from "zod";
import { teamAction, userAction } from "@/lib/authz/action";
import { ok } from "@/lib/authz/result";
import {
  acceptInvitation,
  changeRole,
  createTeam,
  inviteMember,
  leaveTeam,
  removeMember,
  revokeInvitation,
  updateTeam,
} from "./commands";
import {
  acceptInvitationSchema,
  changeRoleSchema,
  createTeamSchema,
  invitationIdSchema,
  inviteSchema,
  membershipIdSchema,
  updateTeamSchema,
} from "./schema";

async function requestOrigin(): Promise<string> {
  if (process.env.APP_URL) return process.env.APP_URL.replace(/\/+$/, "");
  const h = await headers();
  const host = h.get("x-forwarded-host") ?? h.get("host") ?? "localhost:3000";
  const proto = h.get("x-forwarded-proto") ?? (host.startsWith("localhost") || host.startsWith("127.") ? "http" : "https");
  return `${proto}://${host}`;
}

export const createTeamAction = userAction(createTeamSchema, async (user, input) => {
  const team = await createTeam(user, input);
  redirect(`/t/${team.slug}`);
});

export const updateTeamAction = teamAction("admin", updateTeamSchema, async (ctx, input) => {
  await updateTeam(ctx, input);
  revalidatePath(`/t/${ctx.team.slug}`, "layout");
  return ok(null, "Team settings saved.");
});

export const inviteMemberAction = teamAction("admin", inviteSchema, async (ctx, input) => {
  const invitation = await inviteMember(ctx, input, await requestOrigin());
  revalidatePath(`/t/${ctx.team.slug}/settings`);
  const created = invitation.emailed ? `Invitation created; it is being emailed to ${invitation.email}.` : `Invitation created for ${invitation.email}.`;
  return ok(
    {
      link: invitation.link,
      email: invitation.email,
      emailed: invitation.emailed,
      expiresAt: invitation.expiresAt.toISOString(),
      replaced: invitation.replaced,
    },
    invitation.replaced ? `${created} The earlier link sent to this address no longer works.` : created,
  );
});

export const revokeInvitationAction = teamAction("admin", invitationIdSchema, async (ctx, input) => {
  await revokeInvitation(ctx, input.invitationId);
  revalidatePath(`/t/${ctx.team.slug}/settings`);
  return ok(null, "Invitation withdrawn.");
});

export const acceptInvitationAction = userAction(acceptInvitationSchema, async (user, input) => {
  const { teamSlug } = await acceptInvitation(user, input.token);
  redirect(`/t/${teamSlug}`);
});

export const changeRoleAction = teamAction("admin", changeRoleSchema, async (ctx, input) => {
  await changeRole(ctx, input.membershipId, input.role);
  revalidatePath(`/t/${ctx.team.slug}/settings`);
  return ok(null, "Role changed.");
});

export const removeMemberAction = teamAction("admin", membershipIdSchema, async (ctx, input) => {
  await removeMember(ctx, input.membershipId);
  revalidatePath(`/t/${ctx.team.slug}/settings`);
  return ok(null, "Member removed.");
});

export const leaveTeamAction = teamAction("viewer", z.object({}), async (ctx) => {
  await leaveTeam(ctx);
  revalidatePath("/teams");
  redirect("/teams");
});
