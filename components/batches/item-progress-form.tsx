"use client";
// Move an item along planned → testing → ready for final → final approved → done (or drop it), and answer the
// four questions before its final. Both carry the item's version, so a stale page cannot overwrite a newer change.
import { useActionForm } from "@/components/forms/use-action-form";
import { FormError, Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { SubmitButton } from "@/components/ui/submit-button";
import { answerFinalQuestionsAction, setItemStatusAction } from "@/lib/batches/actions";
import { FINAL_QUESTIONS, FINAL_QUESTION_LABELS, ITEM_STATUS_LABELS, type FinalAnswers } from "@/lib/batches/schema";
import { ITEM_STATUSES, type ItemStatus } from "@/lib/recommendations/types";

export function ItemStatusForm({ teamSlug, itemId, version, status }: { teamSlug: string; itemId: string; version: number; status: ItemStatus }) {
  const form = useActionForm(setItemStatusAction);
  return (
    <form id={form.formId} action={form.formAction} className="flex flex-wrap items-end gap-3" noValidate data-testid="item-status-form">
      <input type="hidden" name="teamSlug" value={teamSlug} />
      <input type="hidden" name="itemId" value={itemId} />
      <input type="hidden" name="version" value={version} />
      <Select
        label="Status"
        name="status"
        defaultValue={status}
        fieldClassName="w-48"
        error={form.fieldError("status")}
        options={ITEM_STATUSES.map((value) => ({ value, label: ITEM_STATUS_LABELS[value] }))}
      />
      <SubmitButton size="sm" variant="secondary" pending={form.pending}>
        Set status
      </SubmitButton>
      <FormError message={form.formError} className="basis-full" />
    </form>
  );
}

export function FinalQuestionsForm({ teamSlug, itemId, version, answers }: { teamSlug: string; itemId: string; version: number; answers: FinalAnswers }) {
  const form = useActionForm(answerFinalQuestionsAction);
  return (
    <form id={form.formId} action={form.formAction} className="flex flex-col gap-4" noValidate data-testid="final-questions-form">
      <input type="hidden" name="teamSlug" value={teamSlug} />
      <input type="hidden" name="itemId" value={itemId} />
      <input type="hidden" name="version" value={version} />
      {FINAL_QUESTIONS.map((key) => (
        <div key={key} className="grid gap-3 sm:grid-cols-[minmax(0,1fr)_minmax(0,1.5fr)]">
          <Select
            label={FINAL_QUESTION_LABELS[key]}
            name={key}
            defaultValue={form.value(key, answers[key].answer ?? "")}
            error={form.fieldError(key)}
            options={[
              { value: "", label: "Not answered yet" },
              { value: "yes", label: "Yes" },
              { value: "no", label: "No" },
            ]}
          />
          <Input label="Why" name={`${key}Note`} defaultValue={form.value(`${key}Note`, answers[key].note)} error={form.fieldError(`${key}Note`)} hint="Optional, for whoever approves the final." />
        </div>
      ))}
      <FormError message={form.formError} />
      <div>
        <SubmitButton size="sm" variant="secondary" pending={form.pending}>
          Save answers
        </SubmitButton>
      </div>
    </form>
  );
}

/** The four answers for people who may not change them (viewers, or an archived project): read, not edited. */
export function FinalAnswersList({ answers }: { answers: FinalAnswers }) {
  return (
    <dl className="grid gap-3 text-sm sm:grid-cols-2" data-testid="final-answers">
      {FINAL_QUESTIONS.map((key) => (
        <div key={key}>
          <dt className="text-zinc-600">{FINAL_QUESTION_LABELS[key]}</dt>
          <dd className="font-medium text-zinc-900">
            {answers[key].answer === "yes" ? "Yes" : answers[key].answer === "no" ? "No" : "Not answered yet"}
            {answers[key].note && <span className="block font-normal text-zinc-700">{answers[key].note}</span>}
          </dd>
        </div>
      ))}
    </dl>
  );
}
