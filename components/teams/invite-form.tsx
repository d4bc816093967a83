"use client";
// Invite someone by email; the link appears here to copy, and is emailed when SMTP is set up.
import { useState } from "react";
import { useActionForm } from "@/components/forms/use-action-form";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/dialog";
import { FormError, Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { SubmitButton } from "@/components/ui/submit-button";
import { ROLE_LABELS, type Role } from "@/lib/authz/roles";
import { inviteMemberAction, revokeInvitationAction } from "@/lib/teams/actions";

type Created = { link: string; email: string; emailed: boolean; replaced: boolean };

export function InviteForm({ teamSlug, roles }: { teamSlug: string; roles: Role[] }) {
  // The confirmation below says everything a toast would, and a toast would sit over the form's button.
  const form = useActionForm(inviteMemberAction, { toastOnSuccess: false });
  const created = form.result?.ok ? form.result.data : null;
  return (
    <div className="flex flex-col gap-4">
      <form id={form.formId} action={form.formAction} className="grid gap-4 sm:grid-cols-[1fr_12rem_auto] sm:items-start" noValidate>
        <input type="hidden" name="teamSlug" value={teamSlug} />
        <Input
          label="Email"
          name="email"
          type="email"
          required
          hint="The address of the person you invite."
          defaultValue={form.value("email")}
          error={form.fieldError("email")}
        />
        <Select
          label="Role"
          name="role"
          defaultValue={form.value("role", "member")}
          options={roles.map((role) => ({ value: role, label: ROLE_LABELS[role] }))}
          error={form.fieldError("role")}
        />
        <SubmitButton className="sm:mt-7" pending={form.pending}>
          Invite
        </SubmitButton>
        <FormError className="sm:col-span-3" message={form.formError} />
      </form>
      {created && <InvitationCreated key={created.link} id={form.confirmationId} created={created} />}
    </div>
  );
}

/** The link to pass on, and whether it replaced an earlier one; focused when it appears. */
function InvitationCreated({ id, created }: { id: string; created: Created }) {
  const [copied, setCopied] = useState(false);
  return (
    <div
      id={id}
      tabIndex={-1}
      className="flex flex-col gap-2 rounded-md border border-brand-200 bg-brand-50 p-3 text-sm"
      data-testid="invitation-created"
    >
      <p className="wrap-anywhere">
        {created.emailed ? `We are emailing the link to ${created.email}. ` : ""}
        Send this link to {created.email}; it works once and expires in 7 days.
      </p>
      {created.replaced && (
        <p className="wrap-anywhere font-medium" data-testid="invitation-replaced">
          {created.email} already had a pending invitation: the earlier link no longer works, only this one does.
        </p>
      )}
      <div className="flex flex-wrap items-center gap-2">
        <input
          readOnly
          aria-label="Invitation link"
          value={created.link}
          data-testid="invitation-link"
          className="min-w-0 flex-1 rounded-md border border-zinc-300 bg-white px-2 py-1 font-mono text-xs"
          onFocus={(event) => event.currentTarget.select()}
        />
        <Button
          size="sm"
          variant="secondary"
          onClick={async () => {
            await navigator.clipboard?.writeText(created.link);
            setCopied(true);
          }}
        >
          {copied ? "Copied" : "Copy link"}
        </Button>
      </div>
    </div>
  );
}

export function RevokeInvitationButton({ teamSlug, invitationId, email }: { teamSlug: string; invitationId: string; email: string }) {
  return (
    <ConfirmDialog
      title="Withdraw this invitation?"
      body={`The link sent to ${email} will stop working.`}
      triggerLabel="Withdraw"
      triggerSize="sm"
      triggerVariant="ghost"
      confirmLabel="Withdraw"
      tone="danger"
      action={revokeInvitationAction}
      hiddenFields={{ teamSlug, invitationId }}
    />
  );
}
