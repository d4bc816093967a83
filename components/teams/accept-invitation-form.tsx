"use client";
// Accept an invitation as the signed-in person.
import { useActionForm } from "@/components/forms/use-action-form";
import { FormError } from "@/components/ui/input";
import { SubmitButton } from "@/components/ui/submit-button";
import { acceptInvitationAction } from "@/lib/teams/actions";

export function AcceptInvitationForm({ token, signedInAs, invitedEmail }: { token: string; signedInAs: string; invitedEmail: string }) {
  const form = useActionForm(acceptInvitationAction);
  const mismatch = signedInAs.toLowerCase() !== invitedEmail.toLowerCase();
  return (
    <form id={form.formId} action={form.formAction} className="flex flex-col gap-3">
      <input type="hidden" name="token" value={token} />
      <p className="text-sm text-zinc-600">You are signed in as {signedInAs}.</p>
      {mismatch && (
        <p role="status" className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900">
          This invitation is for {invitedEmail}. Sign out and sign in with that address to accept it.
        </p>
      )}
      <FormError message={form.formError} />
      <div>
        <SubmitButton pending={form.pending} disabled={mismatch}>
          Accept invitation
        </SubmitButton>
      </div>
    </form>
  );
}
