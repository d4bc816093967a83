"use client";
// The team's name and time zone (admins).
import { useSyncExternalStore } from "react";
import { useActionForm } from "@/components/forms/use-action-form";
import { FormError, Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { SubmitButton } from "@/components/ui/submit-button";
import { updateTeamAction } from "@/lib/teams/actions";
import { browserTimeZone, preferredTimeZone, type TimeZoneOption } from "@/lib/teams/time-zones";

const noSubscription = () => () => {};

type Props = { team: { slug: string; name: string; timeZone: string }; timeZones: TimeZoneOption[] };

export function TeamSettingsForm({ team, timeZones }: Props) {
  const form = useActionForm(updateTeamAction);
  // Null on the server and during hydration; the browser's zone only adds a hint, it never changes the saved one.
  const browserZone = useSyncExternalStore(noSubscription, () => preferredTimeZone(browserTimeZone(), timeZones), () => null);
  const differs = browserZone !== null && browserZone !== team.timeZone;
  return (
    <form id={form.formId} action={form.formAction} className="flex max-w-xl flex-col gap-4" noValidate>
      <input type="hidden" name="teamSlug" value={team.slug} />
      <Input label="Team name" name="name" required defaultValue={form.value("name", team.name)} error={form.fieldError("name")} />
      <Select
        label="Time zone"
        name="timeZone"
        required
        hint={`Budget months and weeks start at midnight in this time zone.${differs ? ` Your browser is set to ${browserZone}.` : ""}`}
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
