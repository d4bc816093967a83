"use client";
// Rename a batch, change its due date or notes (refused if someone saved it since the page was drawn), and duplicate it.
import { useRouter } from "next/navigation";
import { useActionForm } from "@/components/forms/use-action-form";
import { Dialog, DialogClose, DialogFooter } from "@/components/ui/dialog";
import { FormError, Input } from "@/components/ui/input";
import { SubmitButton } from "@/components/ui/submit-button";
import { Textarea } from "@/components/ui/textarea";
import { duplicateBatchAction, updateBatchAction } from "@/lib/batches/actions";

type Batch = { id: string; version: number; name: string; dueDate: string; notes: string };

export function BatchDetailsDialog({ teamSlug, batch }: { teamSlug: string; batch: Batch }) {
  const form = useActionForm(updateBatchAction);
  return (
    <Dialog title="Batch details" triggerLabel="Edit details" triggerSize="sm">
      <form id={form.formId} action={form.formAction} className="flex flex-col gap-4" noValidate data-testid="batch-details-form">
        <input type="hidden" name="teamSlug" value={teamSlug} />
        <input type="hidden" name="batchId" value={batch.id} />
        <input type="hidden" name="version" value={batch.version} />
        <Input label="Batch name" name="name" defaultValue={form.value("name", batch.name)} error={form.fieldError("name")} />
        <Input label="Due date" name="dueDate" type="date" defaultValue={form.value("dueDate", batch.dueDate)} error={form.fieldError("dueDate")} hint="Optional." />
        <Textarea label="Notes" name="notes" rows={3} defaultValue={form.value("notes", batch.notes)} error={form.fieldError("notes")} />
        <FormError message={form.formError} />
        <DialogFooter>
          <DialogClose />
          <SubmitButton pending={form.pending}>Save</SubmitButton>
        </DialogFooter>
      </form>
    </Dialog>
  );
}

export function DuplicateBatchDialog({ teamSlug, batch }: { teamSlug: string; batch: Batch }) {
  const router = useRouter();
  const form = useActionForm(duplicateBatchAction, { onSuccess: (data) => router.push(`/t/${teamSlug}/batches/${data.batchId}`) });
  return (
    <Dialog title="Duplicate this batch" description="Every item is copied with its plan, set back to planned, without runs." triggerLabel="Duplicate" triggerSize="sm">
      <form id={form.formId} action={form.formAction} className="flex flex-col gap-4" noValidate data-testid="duplicate-batch-form">
        <input type="hidden" name="teamSlug" value={teamSlug} />
        <input type="hidden" name="batchId" value={batch.id} />
        <Input label="Name of the copy" name="name" defaultValue={form.value("name", `${batch.name} (copy)`)} error={form.fieldError("name")} />
        <FormError message={form.formError} />
        <DialogFooter>
          <DialogClose />
          <SubmitButton pending={form.pending}>Duplicate</SubmitButton>
        </DialogFooter>
      </form>
    </Dialog>
  );
}
