"use client";
// The needs-approval answer of an admission, and the dialog that asks for an approval of the same run: the run's
// inputs carried over as hidden fields, the four questions before generating (each required) and a note.
import Link from "next/link";
import { useState } from "react";
import { useActionForm } from "@/components/forms/use-action-form";
import { Dialog, DialogClose, DialogFooter } from "@/components/ui/dialog";
import { FormError, Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { SubmitButton } from "@/components/ui/submit-button";
import { Textarea } from "@/components/ui/textarea";
import { createRequestAction } from "@/lib/approvals/request-actions";
import { FINAL_QUESTIONS, FINAL_QUESTION_LABELS, type FinalAnswers } from "@/lib/batches/schema";
import { formatNumber } from "@/lib/format";

/** The run the admission held back, as the request form posts it (the same fields the admission took). */
export type RunToRequest = {
  projectId: string;
  batchItemId?: string;
  modelId: string;
  settings: Record<string, string>;
  quantity: string;
  stage: string;
  purpose: string;
  notes: string;
};

export function NeedsApproval({
  teamSlug,
  rule,
  estimate,
  run,
  confirmationId,
  answers,
}: {
  teamSlug: string;
  rule: { name: string };
  estimate: number;
  run: RunToRequest;
  confirmationId?: string;
  /** Answers already given to the four questions (a batch item's), offered as the dialog's first values. */
  answers?: FinalAnswers;
}) {
  return (
    <div id={confirmationId} tabIndex={-1} data-testid="admission-needs-approval" className="flex flex-col gap-2 rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900">
      <p className="font-medium">
        Needs approval: {rule.name}. Nothing was held.
      </p>
      <p>This run would hold {formatNumber(estimate)} credits. Ask an approver; once approved, the credits are held for you.</p>
      <div>
        <RequestApprovalDialog teamSlug={teamSlug} run={run} answers={answers} />
      </div>
    </div>
  );
}

export function RequestApprovalDialog({ teamSlug, run, answers }: { teamSlug: string; run: RunToRequest; answers?: FinalAnswers }) {
  const [open, setOpen] = useState(false);
  const [requested, setRequested] = useState<string | null>(null);
  const form = useActionForm(createRequestAction, {
    onSuccess: (created) => {
      setRequested(created.requestId);
      setOpen(false);
    },
  });
  if (requested) {
    return (
      <p className="font-medium" data-testid="approval-requested">
        Approval requested. You can run it from{" "}
        <Link href={`/t/${teamSlug}/approvals/${requested}`}>the request&apos;s page</Link> once it is approved.
      </p>
    );
  }
  return (
    <Dialog
      title="Request approval"
      description="Answer the four questions before generating; the approver reads them with the run and its cheaper alternatives."
      triggerLabel="Request approval"
      triggerSize="sm"
      open={open}
      onOpenChange={setOpen}
      size="lg"
    >
      <form id={form.formId} action={form.formAction} className="flex flex-col gap-4" noValidate data-testid="request-approval-form">
        <input type="hidden" name="teamSlug" value={teamSlug} />
        <input type="hidden" name="projectId" value={run.projectId} />
        {run.batchItemId && <input type="hidden" name="batchItemId" value={run.batchItemId} />}
        <input type="hidden" name="modelId" value={run.modelId} />
        {Object.entries(run.settings).map(([key, value]) => (
          <input key={key} type="hidden" name={`setting.${key}`} value={value} />
        ))}
        <input type="hidden" name="quantity" value={run.quantity} />
        <input type="hidden" name="stage" value={run.stage} />
        <input type="hidden" name="purpose" value={run.purpose} />
        <FinalQuestionFields fieldError={form.fieldError} value={(name, fallback) => form.value(name, savedAnswer(answers, name) ?? fallback)} />
        <Textarea label="Notes" name="notes" rows={2} defaultValue={form.value("notes", run.notes)} error={form.fieldError("notes")} hint="Optional: anything the approver should know." />
        <FormError message={form.formError} />
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

/** A saved answer as the form field `name` (`qualityNeeded`, `qualityNeededNote`, …) would hold it, if there is one. */
function savedAnswer(answers: FinalAnswers | undefined, name: string): string | undefined {
  if (!answers) return undefined;
  const question = FINAL_QUESTIONS.find((q) => name === q || name === `${q}Note`);
  if (!question) return undefined;
  const saved = answers[question];
  return name === question ? (saved.answer ?? undefined) : saved.note || undefined;
}

/** The four questions before generating, each a required yes or no with an optional note (`<question>Note`). */
export function FinalQuestionFields({ fieldError, value }: { fieldError: (name: string) => string | undefined; value: (name: string, fallback?: string) => string }) {
  return (
    <fieldset className="flex flex-col gap-3">
      <legend className="mb-1 text-sm font-semibold text-zinc-900">Before generating</legend>
      {FINAL_QUESTIONS.map((key) => (
        <div key={key} className="grid gap-3 sm:grid-cols-[minmax(0,1fr)_minmax(0,1.5fr)]">
          <Select
            label={FINAL_QUESTION_LABELS[key]}
            name={key}
            required
            defaultValue={value(key, "")}
            error={fieldError(key)}
            options={[
              { value: "", label: "Choose yes or no" },
              { value: "yes", label: "Yes" },
              { value: "no", label: "No" },
            ]}
          />
          <Input label="Why" name={`${key}Note`} defaultValue={value(`${key}Note`)} error={fieldError(`${key}Note`)} hint="Optional." />
        </div>
      ))}
    </fieldset>
  );
}
