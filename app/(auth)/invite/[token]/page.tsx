// An invitation link: who invited you to which team, and a button to accept.
import type { Metadata } from "next";
import Link from "next/link";
import { ButtonLink } from "@/components/ui/button";
import { AcceptInvitationForm } from "@/components/teams/accept-invitation-form";
import { pageUser } from "@/lib/authz/page";
import { ROLE_LABELS } from "@/lib/authz/roles";
import { findInvitationByToken } from "@/lib/teams/queries";
import { INVITATION_PROBLEMS } from "@/lib/teams/rules";

export const metadata: Metadata = { title: "Invitation" };

type Props = { params: Promise<{ token: string }> };

export default async function InvitationPage({ params }: Props) {
  const { token } = await params;
  const invitation = token.length <= 200 ? await findInvitationByToken(token) : null;
  if (!invitation) {
    return (
      <div className="flex flex-col gap-3">
        <h1 className="text-2xl font-semibold">Invitation not found</h1>
        <p className="text-zinc-700">This link is not valid. Check that you copied all of it, or ask for a new one.</p>
      </div>
    );
  }
  if (invitation.state !== "pending") {
    return (
      <div className="flex flex-col gap-3">
        <h1 className="text-2xl font-semibold">Invitation to {invitation.team.name}</h1>
        <p className="text-zinc-700">{INVITATION_PROBLEMS[invitation.state]}</p>
      </div>
    );
  }
  const user = await pageUser();
  const here = `/invite/${token}`;
  return (
    <div className="flex flex-col gap-4">
      <h1 className="text-2xl font-semibold">Join {invitation.team.name}</h1>
      <p className="text-zinc-700">
        {invitation.invitedBy.name} invited <strong>{invitation.email}</strong> to join as{" "}
        <strong>{ROLE_LABELS[invitation.role].toLowerCase()}</strong>.
      </p>
      {user ? (
        <AcceptInvitationForm token={token} signedInAs={user.email} invitedEmail={invitation.email} />
      ) : (
        <div className="flex flex-wrap gap-3">
          <ButtonLink href={`/sign-up?next=${encodeURIComponent(here)}`}>Create an account</ButtonLink>
          <ButtonLink variant="secondary" href={`/sign-in?next=${encodeURIComponent(here)}`}>
            Sign in
          </ButtonLink>
        </div>
      )}
      <p className="text-sm text-zinc-600">
        <Link href="/">Back to Creditwise</Link>
      </p>
    </div>
  );
}
