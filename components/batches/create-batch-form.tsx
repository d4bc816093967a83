"use client";
// Start a batch in one of the team's projects: a name, an optional due date and notes. Opens the new batch.
import { useRouter } from "next/navigation";
import { useActionForm } from "@/components/forms/use-action-form";
import { FormError, Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { SubmitButton } from "@/components/ui/submit-button";
import { Textarea } from "@/components/ui/textarea";
import { createBatchAction } from "@/lib/batches/actions";

export function CreateBatchForm({ teamSlug, projects, projectId }: { teamSlug: string; projects: { id: string; name: string }[]; projectId?: string }) {
  const router = useRouter();
  const form = useActionForm(createBatchAction, {
    onSuccess: (data) => router.push(`/t/${teamSlug}/batches/${data.batchId}`),
  });
  return (
    <form id={form.formId} action={form.formAction} className="grid gap-4 sm:grid-cols-2" noValidate data-testid="create-batch-form">
      <input type="hidden" name="teamSlug" value={teamSlug} />
      <Select
        label="Project"
        name="projectId"
        defaultValue={form.value("projectId", projectId ?? projects[0]?.id ?? "")}
        error={form.fieldError("projectId")}
        options={projects.map((project) => ({ value: project.id, label: project.name }))}
      />
      <Input label="Batch name" name="name" required defaultValue={form.value("name")} error={form.fieldError("name")} hint="For example: Spring campaign, week 12." />
      <Input label="Due date" name="dueDate" type="date" defaultValue={form.value("dueDate")} error={form.fieldError("dueDate")} hint="Optional." />
      <Textarea label="Notes" name="notes" rows={2} defaultValue={form.value("notes")} error={form.fieldError("notes")} hint="Optional: the brief, the client, the channels." />
      <FormError message={form.formError} className="sm:col-span-2" />
      <div className="sm:col-span-2">
        <SubmitButton pending={form.pending}>Create batch</SubmitButton>
      </div>
    </form>
  );
}
