"use client";
// Create a team; the address follows the name until the person edits it.
import { useState } from "react";
import { useActionForm } from "@/components/forms/use-action-form";
import { FormError, Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { SubmitButton } from "@/components/ui/submit-button";
import { createTeamAction } from "@/lib/teams/actions";
import { suggestSlug } from "@/lib/teams/slug";

function browserTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
  } catch {
    return "UTC";
  }
}

export function CreateTeamForm({ timeZones }: { timeZones: string[] }) {
  const form = useActionForm(createTeamAction);
  const [slug, setSlug] = useState(form.value("slug"));
  const [slugEdited, setSlugEdited] = useState(false);
  const [timeZone] = useState(() => form.value("timeZone") || browserTimeZone());
  return (
    <form action={form.formAction} className="flex flex-col gap-4" noValidate>
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
        hint="Budget months and weeks start at midnight in this time zone."
        defaultValue={timeZones.includes(timeZone) ? timeZone : "UTC"}
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
