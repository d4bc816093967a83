"use client";
// The team's name and time zone (admins).
import { useActionForm } from "@/components/forms/use-action-form";
import { FormError, Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { SubmitButton } from "@/components/ui/submit-button";
import { updateTeamAction } from "@/lib/teams/actions";

export function TeamSettingsForm({ team, timeZones }: { team: { slug: string; name: string; timeZone: string }; timeZones: string[] }) {
  const form = useActionForm(updateTeamAction);
  return (
    <form action={form.formAction} className="flex max-w-xl flex-col gap-4" noValidate>
      <input type="hidden" name="teamSlug" value={team.slug} />
      <Input label="Team name" name="name" required defaultValue={form.value("name", team.name)} error={form.fieldError("name")} />
      <Select
        label="Time zone"
        name="timeZone"
        required
        hint="Budget months and weeks start at midnight in this time zone."
        defaultValue={form.value("timeZone", team.timeZone)}
        options={timeZones}
        error={form.fieldError("timeZone")}
      />
      <FormError message={form.formError} />
      <div>
        <SubmitButton pending={form.pending}>Save settings</SubmitButton>
      </div>
    </form>
  );
}
