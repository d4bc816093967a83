"use client";
// Runs an app (or tests its draft): the project, the app's inputs, and before anything starts, what the run costs
// against the project's remaining budget and what the approval policy says about its runs. Opens the batch it makes.
import { useRouter } from "next/navigation";
import { useState } from "react";
import { AppCostTable } from "@/components/apps/app-cost";
import { useActionForm } from "@/components/forms/use-action-form";
import { useKeepOnSubmit } from "@/components/forms/use-keep-on-submit";
import { FormError, Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { SubmitButton } from "@/components/ui/submit-button";
import { Textarea } from "@/components/ui/textarea";
import { runAppAction } from "@/lib/apps/actions";
import { appRunCost, defaultValues, readValues, type AppDefinition } from "@/lib/apps/rules";
import { askPolicy, type ApprovalPolicy } from "@/lib/approvals/policy";
import type { Role } from "@/lib/authz/roles";
import { formatCredits, formatNumber } from "@/lib/format";
import { findEntry } from "@/lib/pricing/estimate";
import type { OutputType, PriceList } from "@/lib/pricing/types";

export type RunProject = { id: string; name: string; budget: { remaining: number; periodLabel: string } | null };

type Props = {
  teamSlug: string;
  appId: string;
  versionId: string;
  version: number;
  definition: AppDefinition;
  outputType: OutputType;
  priceList: PriceList;
  projects: RunProject[];
  policy: ApprovalPolicy;
  role: Role;
  /** A test of the draft: its outputs' accepted runs count toward publishing. */
  test: boolean;
};

export function RunAppForm({ teamSlug, appId, versionId, version, definition, outputType, priceList, projects, policy, role, test }: Props) {
  const router = useRouter();
  const form = useActionForm(runAppAction, { onSuccess: (data) => router.push(`/t/${teamSlug}/batches/${data.batchId}`) });
  // Submitted by hand: React would reset the form after a refusal, showing other choices than the ones kept.
  const submit = useKeepOnSubmit(form.formAction);
  const defaults = defaultValues(definition);
  const [values, setValues] = useState<Record<string, string>>(() => Object.fromEntries(Object.entries(defaults).map(([key, value]) => [key, String(value)])));
  const [projectId, setProjectId] = useState(projects[0]?.id ?? "");
  const project = projects.find((candidate) => candidate.id === projectId) ?? null;
  const cost = appRunCost(priceList, definition, readValues(definition, values));
  const first = definition.steps[0] ? findEntry(priceList, definition.steps[0].modelId) : undefined;
  const prefix = test ? "run-test" : "run";
  const answer =
    cost.ok && first && project
      ? askPolicy(policy, { tier: first.tier, stage: "final", outputType, estimate: cost.steps[0]?.perUnit ?? 0, projectId: project.id, requesterRole: role })
      : null;

  if (projects.length === 0) {
    return <p className="text-sm text-zinc-700">The team has no active project to run it in: make one on the Projects page first.</p>;
  }
  return (
    <form id={form.formId} onSubmit={submit} className="flex flex-col gap-4" noValidate data-testid={`${prefix}-form`}>
      <input type="hidden" name="teamSlug" value={teamSlug} />
      <input type="hidden" name="appId" value={appId} />
      <input type="hidden" name="versionId" value={versionId} />
      {test && <input type="hidden" name="test" value="true" />}
      <Select
        label="Project"
        name="projectId"
        value={projectId}
        onChange={(event) => setProjectId(event.target.value)}
        error={form.fieldError("projectId")}
        options={projects.map((candidate) => ({ value: candidate.id, label: candidate.name }))}
      />
      {definition.inputs.map((input) => {
        const name = `values.${input.key}`;
        const set = (value: string) => setValues({ ...values, [input.key]: value });
        if (input.kind === "prompt") {
          return <Textarea key={input.key} label={input.label} name={name} rows={3} value={values[input.key] ?? ""} onChange={(event) => set(event.target.value)} error={form.fieldError(name)} hint={`At most ${formatNumber(input.maxLength)} characters.`} />;
        }
        if (input.kind === "outputs") {
          return (
            <Input
              key={input.key}
              label={input.label}
              name={name}
              inputMode="numeric"
              value={values[input.key] ?? ""}
              onChange={(event) => set(event.target.value)}
              error={form.fieldError(name)}
              hint={`From ${input.min} to ${input.max}; each output is one item of the batch.`}
            />
          );
        }
        const setting = definition.steps[input.step] ? findEntry(priceList, definition.steps[input.step].modelId)?.settings.find((candidate) => candidate.key === input.setting) : undefined;
        return (
          <Select
            key={input.key}
            label={input.label}
            name={name}
            value={values[input.key] ?? ""}
            onChange={(event) => set(event.target.value)}
            error={form.fieldError(name)}
            options={input.options.map((option) => ({ value: option, label: setting?.options.find((known) => known.value === option)?.label ?? option }))}
          />
        );
      })}
      <div className="rounded-md border border-zinc-200 bg-zinc-50 p-3" aria-live="polite">
        <AppCostTable cost={cost} testId={`${prefix}-cost`} />
        {cost.ok && project && (
          <p className="mt-2 text-sm text-zinc-800" data-testid={`${prefix}-budget`}>
            {project.budget
              ? cost.credits <= project.budget.remaining
                ? `${project.name} has ${formatCredits(project.budget.remaining)} left of its budget (${project.budget.periodLabel}): this run fits.`
                : `${project.name} has ${formatCredits(project.budget.remaining)} left of its budget (${project.budget.periodLabel}): this run would need ${formatCredits(cost.credits - project.budget.remaining)} more than that. Starting it only plans the batch; each generation is checked against the budget when it runs.`
              : `${project.name} has no budget: runs are limited by the team's credits and member limits.`}
          </p>
        )}
        {answer && (
          <p className="mt-1 text-sm text-zinc-800" data-testid={`${prefix}-policy`}>
            {answer.needsApproval
              ? `Each output's final run (${first?.name}, ${formatCredits(cost.ok ? (cost.steps[0]?.perUnit ?? 0) : 0)}) needs an approval under the rule “${answer.rule.name}”: ask for it from the batch's items.`
              : "The approval policy lets each output's final run start without an approval."}
          </p>
        )}
      </div>
      <FormError message={form.formError} />
      <div>
        <SubmitButton pending={form.pending}>{test ? `Test version ${version}` : `Run version ${version}`}</SubmitButton>
      </div>
    </form>
  );
}
