"use client";
// A member's role picker and the remove button, in the members table (admins).
import { useActionForm } from "@/components/forms/use-action-form";
import { ConfirmDialog } from "@/components/ui/dialog";
import { Select } from "@/components/ui/select";
import { SubmitButton } from "@/components/ui/submit-button";
import { ROLE_LABELS, type Role } from "@/lib/authz/roles";
import { changeRoleAction, removeMemberAction } from "@/lib/teams/actions";

type Member = { membershipId: string; name: string; email: string; role: Role; isSelf: boolean };

export function MemberRoleForm({ teamSlug, member, roles }: { teamSlug: string; member: Member; roles: Role[] }) {
  const form = useActionForm(changeRoleAction);
  return (
    <form id={form.formId} action={form.formAction} className="flex items-start gap-2" data-testid={`role-form-${member.email}`}>
      <input type="hidden" name="teamSlug" value={teamSlug} />
      <input type="hidden" name="membershipId" value={member.membershipId} />
      <Select
        label={`Role of ${member.name}`}
        hideLabel
        name="role"
        defaultValue={form.value("role", member.role)}
        options={roles.map((role) => ({ value: role, label: ROLE_LABELS[role] }))}
        error={form.fieldError("role") ?? form.formError}
      />
      <SubmitButton size="sm" variant="secondary" pending={form.pending}>
        Save
      </SubmitButton>
    </form>
  );
}

export function RemoveMemberButton({ teamSlug, member }: { teamSlug: string; member: Member }) {
  return (
    <ConfirmDialog
      title={`Remove ${member.name}?`}
      body={`${member.email} will lose access to the team at once. Their past runs and ledger entries stay.`}
      triggerLabel="Remove"
      triggerSize="sm"
      triggerVariant="ghost"
      confirmLabel="Remove member"
      tone="danger"
      action={removeMemberAction}
      hiddenFields={{ teamSlug, membershipId: member.membershipId }}
    />
  );
}
