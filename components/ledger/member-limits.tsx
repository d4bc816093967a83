"use client";
// Per-member credit limits (admins): set one for the whole team or one project, and remove it.
import { useActionForm } from "@/components/forms/use-action-form";
import { ConfirmDialog } from "@/components/ui/dialog";
import { FormError, Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { SubmitButton } from "@/components/ui/submit-button";
import { removeMemberLimitAction, setMemberLimitAction } from "@/lib/ledger/actions";
import { PeriodFields } from "./period-fields";

type Choice = { id: string; name: string };

export function MemberLimitForm({ teamSlug, members, projects }: { teamSlug: string; members: Choice[]; projects: Choice[] }) {
  const form = useActionForm(setMemberLimitAction);
  return (
    <form id={form.formId} action={form.formAction} className="flex flex-col gap-4" noValidate data-testid="member-limit-form">
      <input type="hidden" name="teamSlug" value={teamSlug} />
      <div className="grid gap-4 sm:grid-cols-3">
        <Select
          label="Member"
          name="userId"
          required
          placeholder="Choose a member…"
          defaultValue={form.value("userId")}
          options={members.map((member) => ({ value: member.id, label: member.name }))}
          error={form.fieldError("userId")}
        />
        <Select
          label="Applies to"
          name="scope"
          required
          defaultValue={form.value("scope", "team")}
          options={[{ value: "team", label: "Whole team" }, ...projects.map((project) => ({ value: project.id, label: project.name }))]}
          error={form.fieldError("scope")}
        />
        <Input
          label="Limit in credits"
          name="credits"
          type="number"
          inputMode="numeric"
          min={1}
          step={1}
          required
          defaultValue={form.value("credits")}
          error={form.fieldError("credits")}
        />
      </div>
      <PeriodFields
        period={form.value("period", "month")}
        weekStartsOn={form.value("weekStartsOn", "1")}
        periodError={form.fieldError("period")}
        weekStartsOnError={form.fieldError("weekStartsOn")}
        periodLabel="Period"
      />
      <FormError message={form.formError} />
      <div>
        <SubmitButton pending={form.pending}>Save limit</SubmitButton>
      </div>
    </form>
  );
}

export function RemoveMemberLimitButton({ teamSlug, limitId, description }: { teamSlug: string; limitId: string; description: string }) {
  return (
    <ConfirmDialog
      title="Remove this limit?"
      body={description}
      triggerLabel="Remove"
      triggerSize="sm"
      triggerVariant="ghost"
      confirmLabel="Remove limit"
      tone="danger"
      action={removeMemberLimitAction}
      hiddenFields={{ teamSlug, limitId }}
    />
  );
}
