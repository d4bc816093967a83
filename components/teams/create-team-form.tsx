"use client";
// Create a team; the address follows the name until the person edits it, and the time zone starts at the browser's.
import { useState, useSyncExternalStore } from "react";
import { useActionForm } from "@/components/forms/use-action-form";
import { FormError, Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { SubmitButton } from "@/components/ui/submit-button";
import { createTeamAction } from "@/lib/teams/actions";
import { suggestSlug } from "@/lib/teams/slug";
import { browserTimeZone, preferredTimeZone, UTC, type TimeZoneOption } from "@/lib/teams/time-zones";

const noSubscription = () => () => {};

export function CreateTeamForm({ timeZones }: { timeZones: TimeZoneOption[] }) {
  const form = useActionForm(createTeamAction);
  const [slug, setSlug] = useState(form.value("slug"));
  const [slugEdited, setSlugEdited] = useState(false);
  // The server cannot know the browser's zone: it renders UTC, and the browser's zone replaces it right
  // after hydration (React's server snapshot), so the two renders never disagree.
  const detected = useSyncExternalStore(noSubscription, () => preferredTimeZone(browserTimeZone(), timeZones), () => UTC);
  const [chosen, setChosen] = useState<string | null>(form.value("timeZone") || null);
  return (
    <form id={form.formId} action={form.formAction} className="flex flex-col gap-4" noValidate>
      <Input
        label="Team name"
        name="name"
        required
        defaultValue={form.value("name")}
        error={form.fieldError("name")}
        onChange={(event) => {
          if (!slugEdited) setSlug(suggestSlug(event.target.value));
        }}
      />
      <Input
        label="Address"
        name="slug"
        required
        hint="Lowercase letters, digits and hyphens. Your team's pages live at /t/your-address."
        value={slug}
        onChange={(event) => {
          setSlugEdited(true);
          setSlug(event.target.value);
        }}
        error={form.fieldError("slug")}
      />
      <Select
        label="Time zone"
        name="timeZone"
        required
        hint="Budget months and weeks start at midnight in this time zone. It starts at your browser's."
        defaultValue={form.value("timeZone", chosen ?? detected)}
        onChange={(event) => setChosen(event.target.value)}
        options={timeZones}
        error={form.fieldError("timeZone")}
      />
      <FormError message={form.formError} />
      <div>
        <SubmitButton pending={form.pending}>Create team</SubmitButton>
      </div>
    </form>
  );
}
