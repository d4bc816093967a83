"use client";
// A new approval request from the Approvals page: the project, the run (model, settings, quantity, stage, purpose),
// the four questions before generating and a note; once sent, the request's own page opens.
import { useRouter } from "next/navigation";
import { useState, useTransition, type FormEvent } from "react";
import { useActionForm } from "@/components/forms/use-action-form";
import { RunFields, StageAndPurposeFields } from "@/components/pricing/run-fields";
import { Dialog, DialogClose, DialogFooter } from "@/components/ui/dialog";
import { FormError } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { SubmitButton } from "@/components/ui/submit-button";
import { Textarea } from "@/components/ui/textarea";
import { createRequestAction } from "@/lib/approvals/request-actions";
import type { PriceList } from "@/lib/pricing/types";
import { FinalQuestionFields } from "./request-approval";

type Props = { teamSlug: string; projects: { id: string; name: string }[]; priceList: PriceList };

export function NewRequestDialog({ teamSlug, projects, priceList }: Props) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [, startTransition] = useTransition();
  const form = useActionForm(createRequestAction, {
    onSuccess: (created) => {
      setOpen(false);
      router.push(`/t/${teamSlug}/approvals/${created.requestId}`);
    },
  });
  // Submitted by hand rather than through `action`, so React does not reset the run's controlled fields after a refusal.
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    startTransition(() => form.formAction(data));
  };
  return (
    <Dialog
      title="New approval request"
      description="For a run the team's policy holds back, such as a premium model or a large run. The approver reads the run, its estimate, its cheaper alternatives and your answers."
      triggerLabel="New request"
      triggerVariant="primary"
      open={open}
      onOpenChange={setOpen}
      size="lg"
    >
      <form id={form.formId} onSubmit={submit} className="flex flex-col gap-4" noValidate data-testid="new-request-form">
        <input type="hidden" name="teamSlug" value={teamSlug} />
        <Select
          label="Project"
          name="projectId"
          required
          defaultValue={form.value("projectId", projects[0]?.id ?? "")}
          error={form.fieldError("projectId")}
          options={projects.map((project) => ({ value: project.id, label: project.name }))}
        />
        <RunFields priceList={priceList} fieldError={form.fieldError} />
        <StageAndPurposeFields form={form} stage="final" purpose="final_delivery" />
        <FinalQuestionFields fieldError={form.fieldError} value={form.value} />
        <Textarea label="Notes" name="notes" rows={2} defaultValue={form.value("notes")} error={form.fieldError("notes")} hint="Optional: the prompt, the brief, or anything the approver should know." />
        <FormError message={form.formError ?? form.fieldError("settings")} />
        <DialogFooter>
          <DialogClose />
          <SubmitButton pending={form.pending} pendingLabel="Sending…">
            Send request
          </SubmitButton>
        </DialogFooter>
      </form>
    </Dialog>
  );
}
