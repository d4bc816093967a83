"use client";
// Rename, archive or restore one project (admins).
import { useState } from "react";
import { useActionForm } from "@/components/forms/use-action-form";
import { ConfirmDialog, Dialog, DialogClose, DialogFooter } from "@/components/ui/dialog";
import { FormError, Input } from "@/components/ui/input";
import { SubmitButton } from "@/components/ui/submit-button";
import { Textarea } from "@/components/ui/textarea";
import { archiveProjectAction, renameProjectAction, restoreProjectAction } from "@/lib/projects/actions";

type Project = { id: string; name: string; description: string; archived: boolean };

export function ProjectRowActions({ teamSlug, project, align = "end" }: { teamSlug: string; project: Project; align?: "start" | "end" }) {
  const [open, setOpen] = useState(false);
  const form = useActionForm(renameProjectAction, { onSuccess: () => setOpen(false) });
  return (
    <div className={align === "end" ? "flex justify-end gap-2" : "-ml-3 flex gap-2"}>
      <Dialog title={`Edit ${project.name}`} triggerLabel="Edit" triggerSize="sm" triggerVariant="ghost" open={open} onOpenChange={setOpen}>
        <form id={form.formId} action={form.formAction} className="flex flex-col gap-4" noValidate>
          <input type="hidden" name="teamSlug" value={teamSlug} />
          <input type="hidden" name="projectId" value={project.id} />
          <Input label="Project name" name="name" required defaultValue={form.value("name", project.name)} error={form.fieldError("name")} />
          <Textarea
            label="Description"
            name="description"
            rows={2}
            defaultValue={form.value("description", project.description)}
            error={form.fieldError("description")}
          />
          <FormError message={form.formError} />
          <DialogFooter>
            <DialogClose />
            <SubmitButton pending={form.pending}>Save</SubmitButton>
          </DialogFooter>
        </form>
      </Dialog>
      {project.archived ? (
        <ConfirmDialog
          title={`Restore ${project.name}?`}
          body="It will show among the active projects again."
          triggerLabel="Restore"
          triggerSize="sm"
          triggerVariant="ghost"
          confirmLabel="Restore"
          action={restoreProjectAction}
          hiddenFields={{ teamSlug, projectId: project.id }}
        />
      ) : (
        <ConfirmDialog
          title={`Archive ${project.name}?`}
          body="It leaves the active list; its history stays, and you can restore it later."
          triggerLabel="Archive"
          triggerSize="sm"
          triggerVariant="ghost"
          confirmLabel="Archive"
          tone="danger"
          action={archiveProjectAction}
          hiddenFields={{ teamSlug, projectId: project.id }}
        />
      )}
    </div>
  );
}
