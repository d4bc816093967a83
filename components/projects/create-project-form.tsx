"use client";
// Create a project in the team.
import { useActionForm } from "@/components/forms/use-action-form";
import { FormError, Input } from "@/components/ui/input";
import { SubmitButton } from "@/components/ui/submit-button";
import { Textarea } from "@/components/ui/textarea";
import { createProjectAction } from "@/lib/projects/actions";

export function CreateProjectForm({ teamSlug }: { teamSlug: string }) {
  const form = useActionForm(createProjectAction);
  return (
    <form id={form.formId} action={form.formAction} className="flex flex-col gap-4" noValidate data-testid="create-project-form">
      <input type="hidden" name="teamSlug" value={teamSlug} />
      <Input label="Project name" name="name" required defaultValue={form.value("name")} error={form.fieldError("name")} />
      <Textarea
        label="Description"
        name="description"
        rows={2}
        hint="Optional: the client, campaign or deliverable."
        defaultValue={form.value("description")}
        error={form.fieldError("description")}
      />
      <FormError message={form.formError} />
      <div>
        <SubmitButton pending={form.pending}>Create project</SubmitButton>
      </div>
    </form>
  );
}
