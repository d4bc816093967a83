"use client";
// Starting a previewed import (admins): defaults for what the file does not say, and who or what each name of the file is.
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useActionForm } from "@/components/forms/use-action-form";
import { FormError } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { SubmitButton } from "@/components/ui/submit-button";
import { Button } from "@/components/ui/button";
import { discardImportAction, startImportAction } from "@/lib/imports/actions";
import { OUTCOME_LABELS, PURPOSE_LABELS, RUN_OUTCOMES, RUN_STAGES, PURPOSES, STAGE_LABELS } from "@/lib/ledger/schema";
import type { FoundName, MissingCells } from "@/lib/imports/schema";

type Option = { id: string; name: string };

type Props = {
  teamSlug: string;
  jobId: string;
  layout: "platform" | "runs";
  projects: Option[];
  members: (Option & { email: string })[];
  models: Option[];
  people: FoundName[];
  /** The file's model names, each labelled as the catalog spells it when it is a model of the catalog. */
  modelNames: (FoundName & { label: string })[];
  /** Rows that leave each default's cell empty. */
  missing: MissingCells;
};

const SKIP_LABEL = "Skip these rows";

export function StartImportForm({ teamSlug, jobId, layout, projects, members, models, people, modelNames, missing }: Props) {
  const router = useRouter();
  const form = useActionForm(startImportAction, { onSuccess: () => router.refresh() });
  const [discardError, setDiscardError] = useState<string | undefined>();
  const memberOptions = [...members.map((member) => ({ value: member.id, label: `${member.name} (${member.email})` })), { value: "skip", label: SKIP_LABEL }];
  const modelOptions = [...models.map((model) => ({ value: model.id, label: model.name })), { value: "skip", label: SKIP_LABEL }];
  const rowsWord = (rows: number) => `${rows.toLocaleString("en-US")} ${rows === 1 ? "row" : "rows"}`;
  return (
    <form id={form.formId} action={form.formAction} className="flex flex-col gap-6" noValidate data-testid="import-start-form">
      <input type="hidden" name="teamSlug" value={teamSlug} />
      <input type="hidden" name="jobId" value={jobId} />
      <fieldset className="grid gap-4 sm:grid-cols-2">
        <legend className="mb-2 text-sm font-semibold text-zinc-900">Where the file says nothing</legend>
        <Select
          label="Project"
          name="projectId"
          required={missing.project > 0}
          placeholder="Choose a project…"
          hint={
            missing.project === 0
              ? "Every row names its project; this is not used."
              : layout === "runs"
                ? `For the ${rowsWord(missing.project)} whose project cell is empty.`
                : "The platform's export names no project: its runs go to this one."
          }
          defaultValue={form.value("projectId", "")}
          options={projects.map((project) => ({ value: project.id, label: project.name }))}
          error={form.fieldError("projectId")}
        />
        <Select
          label="Purpose"
          name="purpose"
          required
          defaultValue={form.value("purpose", "internal_review")}
          options={PURPOSES.map((purpose) => ({ value: purpose, label: PURPOSE_LABELS[purpose] }))}
          error={form.fieldError("purpose")}
        />
        {missing.stage > 0 && (
          <Select
            label="Stage"
            name="stage"
            required
            placeholder="Choose a stage…"
            hint={
              layout === "runs"
                ? `For the ${rowsWord(missing.stage)} whose stage cell is empty.`
                : "The platform's export does not say whether a run was a test or a final; choose what these were. It counts in the tests vs finals figures."
            }
            defaultValue={form.value("stage", "")}
            options={RUN_STAGES.map((stage) => ({ value: stage, label: STAGE_LABELS[stage] }))}
            error={form.fieldError("stage")}
          />
        )}
        {missing.outcome > 0 && (
          <Select
            label="Outcome"
            name="outcome"
            required
            placeholder="Choose an outcome…"
            hint={
              layout === "runs"
                ? `For the ${rowsWord(missing.outcome)} whose outcome cell is empty.`
                : "The platform's export does not say whether a result was used; choose what these were. It counts in the accepted share and the insights."
            }
            defaultValue={form.value("outcome", "")}
            options={RUN_OUTCOMES.map((outcome) => ({ value: outcome, label: OUTCOME_LABELS[outcome] }))}
            error={form.fieldError("outcome")}
          />
        )}
      </fieldset>
      {people.length > 0 && (
        <fieldset className="grid gap-4 sm:grid-cols-2" data-testid="import-people">
          <legend className="mb-2 text-sm font-semibold text-zinc-900">People in the file</legend>
          {people.map((person, i) => (
            <Select
              key={person.name}
              label={person.name}
              name={`person.${i}`}
              hint={`${rowsWord(person.rows)}${person.userId === "skip" ? " · skipped last time" : person.userId ? "" : " · not matched to a member: choose one, or skip"}`}
              placeholder="Not mapped: its rows are refused"
              defaultValue={form.value(`person.${i}`, person.userId ?? "")}
              options={memberOptions}
              error={form.fieldError(`person.${i}`)}
            />
          ))}
        </fieldset>
      )}
      {modelNames.length > 0 && (
        <fieldset className="grid gap-4 sm:grid-cols-2" data-testid="import-models">
          <legend className="mb-2 text-sm font-semibold text-zinc-900">Models in the file</legend>
          {modelNames.map((model, i) => (
            <Select
              key={model.name}
              label={model.label}
              name={`model.${i}`}
              hint={`${rowsWord(model.rows)}${model.modelId === "skip" ? " · skipped last time" : model.modelId ? "" : " · not in the price list: choose a model, or skip"}`}
              placeholder="Not mapped: its rows are refused"
              defaultValue={form.value(`model.${i}`, model.modelId ?? "")}
              options={modelOptions}
              error={form.fieldError(`model.${i}`)}
            />
          ))}
        </fieldset>
      )}
      <FormError message={form.formError ?? discardError} />
      <div className="flex flex-wrap gap-3">
        <SubmitButton pending={form.pending}>Import</SubmitButton>
        <Button
          type="submit"
          variant="secondary"
          formAction={async () => {
            setDiscardError(undefined);
            const result = await discardImportAction({ teamSlug, jobId });
            if (result.ok) router.push(`/t/${teamSlug}/usage/import`);
            // Most often another admin started it a moment ago: the message says so (reloading shows its progress).
            else setDiscardError(result.message);
          }}
          formNoValidate
        >
          Discard this upload
        </Button>
      </div>
    </form>
  );
}
