"use client";
// Edits the team's approval policy: the ordered rules (move, add, remove), each rule's condition and requirement, the
// days a request may wait, and each rule in words as it will read. The policy travels in one hidden `policy` field as JSON.
import { useId, useState, useTransition, type FormEvent, type ReactNode } from "react";
import { useActionForm } from "@/components/forms/use-action-form";
import { Button } from "@/components/ui/button";
import { Checkbox, FormError, Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { SubmitButton } from "@/components/ui/submit-button";
import { savePolicyAction } from "@/lib/approvals/actions";
import {
  DEFAULT_VALID_HOURS,
  describeCondition,
  describeRequirement,
  type ApprovalPolicy,
  type PolicyRule,
  type RunStage,
} from "@/lib/approvals/policy";
import { MAX_RULES } from "@/lib/approvals/schema";
import { ROLES, ROLE_LABELS, type Role } from "@/lib/authz/roles";
import { RUN_STAGES } from "@/lib/ledger/schema";
import { OUTPUT_TYPES, TIERS, type OutputType, type Tier } from "@/lib/pricing/types";
import { readWholeNumber } from "@/lib/whole-number";

type RuleDraft = {
  id: string;
  name: string;
  tiers: Tier[];
  stages: RunStage[];
  outputTypes: OutputType[];
  minEstimate: string;
  projectIds: string[];
  requesterRoles: Role[];
  // The approval fields are kept while "no approval" is chosen, so switching back does not lose them.
  needsApproval: boolean;
  approvals: 1 | 2;
  approversKind: "role" | "people";
  userIds: string[];
  validHours: string;
};

export type PolicyEditorProps = {
  teamSlug: string;
  initial: ApprovalPolicy;
  projects: { id: string; name: string; archived: boolean }[];
  members: { id: string; name: string; role: Role }[];
};

const TIER_LABELS: Record<Tier, string> = { budget: "Budget", mid: "Mid-tier", premium: "Premium" };
const STAGE_LABELS: Record<RunStage, string> = { test: "Test", draft: "Draft", final: "Final" };
const OUTPUT_LABELS: Record<OutputType, string> = { image: "Image", video: "Video", audio: "Audio", tool: "Tool" };

export function toDraft(rule: PolicyRule): RuleDraft {
  const { when, require } = rule;
  const approval = require.kind === "approval" ? require : null;
  return {
    id: rule.id,
    name: rule.name,
    tiers: when.tiers ?? [],
    stages: when.stages ?? [],
    outputTypes: when.outputTypes ?? [],
    minEstimate: when.minEstimate === undefined ? "" : String(when.minEstimate),
    projectIds: when.projectIds ?? [],
    requesterRoles: when.requesterRoles ?? [],
    needsApproval: approval !== null,
    approvals: approval?.approvals ?? 1,
    approversKind: approval?.approvers.kind ?? "role",
    userIds: approval?.approvers.kind === "people" ? approval.approvers.userIds : [],
    validHours: String(approval?.validHours ?? DEFAULT_VALID_HOURS),
  };
}

/** What is posted: lists as ticked (none ticked is no condition), figures as typed, for the server to read. */
export function postedRule(draft: RuleDraft) {
  return {
    id: draft.id,
    name: draft.name,
    when: {
      tiers: draft.tiers,
      stages: draft.stages,
      outputTypes: draft.outputTypes,
      minEstimate: draft.minEstimate,
      projectIds: draft.projectIds,
      requesterRoles: draft.requesterRoles,
    },
    require: draft.needsApproval
      ? {
          kind: "approval",
          approvals: draft.approvals,
          approvers: draft.approversKind === "role" ? { kind: "role" } : { kind: "people", userIds: draft.userIds },
          validHours: draft.validHours,
        }
      : { kind: "none" },
  };
}

/** The rule as the policy will read it, for the preview; a figure not yet valid reads as absent. */
function previewRule(draft: RuleDraft): PolicyRule {
  const some = <T,>(list: T[]) => (list.length > 0 ? list : undefined);
  const minEstimate = readWholeNumber(draft.minEstimate);
  const validHours = readWholeNumber(draft.validHours);
  return {
    id: draft.id,
    name: draft.name,
    when: {
      tiers: some(draft.tiers),
      stages: some(draft.stages),
      outputTypes: some(draft.outputTypes),
      minEstimate: Number.isInteger(minEstimate) && minEstimate > 0 ? minEstimate : undefined,
      projectIds: some(draft.projectIds),
      requesterRoles: some(draft.requesterRoles),
    },
    require: draft.needsApproval
      ? {
          kind: "approval",
          approvals: draft.approvals,
          approvers: draft.approversKind === "role" ? { kind: "role" } : { kind: "people", userIds: draft.userIds },
          validHours: Number.isInteger(validHours) ? validHours : 0,
        }
      : { kind: "none" },
  };
}

// Ids only need to be unique within the policy; crypto.randomUUID is missing on plain-HTTP hosts other than localhost.
function newRuleId(): string {
  return `rule-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}

function newRule(): RuleDraft {
  return toDraft({ id: newRuleId(), name: "", when: {}, require: { kind: "approval", approvals: 1, approvers: { kind: "role" }, validHours: DEFAULT_VALID_HOURS } });
}

export function PolicyEditor({ teamSlug, initial, projects, members }: PolicyEditorProps) {
  const [rules, setRules] = useState(() => initial.rules.map(toDraft));
  const [pendingDays, setPendingDays] = useState(String(initial.pendingDays));
  const form = useActionForm(savePolicyAction);
  const [, startTransition] = useTransition();
  // Submitted by hand so React does not reset the form, and the rules being edited with it, after each answer.
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    startTransition(() => form.formAction(data));
  };

  const projectNames = new Map(projects.map((project) => [project.id, project.name]));
  const peopleNames = new Map(members.map((member) => [member.id, member.name]));
  /** The first server message for a field or anything under it ("rules.0.when.tiers.1" belongs to the tiers group). */
  const errors = form.result && !form.result.ok ? (form.result.fieldErrors ?? {}) : {};
  const errorAt = (key: string) => errors[key] ?? Object.entries(errors).find(([field]) => field.startsWith(`${key}.`))?.[1];

  const update = (index: number, change: Partial<RuleDraft>) => setRules(rules.map((rule, i) => (i === index ? { ...rule, ...change } : rule)));
  const move = (index: number, by: -1 | 1) => {
    const next = [...rules];
    [next[index], next[index + by]] = [next[index + by], next[index]];
    setRules(next);
  };

  return (
    <form id={form.formId} onSubmit={submit} className="flex flex-col gap-4" noValidate data-testid="policy-editor">
      <input type="hidden" name="teamSlug" value={teamSlug} />
      <input type="hidden" name="policy" value={JSON.stringify({ rules: rules.map(postedRule), pendingDays })} />
      <p className="text-sm text-zinc-700">
        Rules are read from the top; the first whose condition a run meets decides. A run no rule matches needs no approval. Place an
        exemption (“no approval”) above the broader rule it makes an exception to.
      </p>
      {rules.length === 0 && <p className="text-sm text-zinc-600">No rules: no run needs an approval.</p>}
      <ol className="flex flex-col gap-4">
        {rules.map((rule, index) => {
          const prefix = `rules.${index}`;
          const preview = previewRule(rule);
          return (
            <li key={rule.id}>
              <fieldset className="flex flex-col gap-3 rounded-md border border-zinc-200 p-3" data-testid="policy-rule">
                <legend className="px-1 text-sm font-medium text-zinc-900">Rule {index + 1}</legend>
                <Input
                  label="Name"
                  name={`${prefix}.name`}
                  value={rule.name}
                  maxLength={100}
                  onChange={(event) => update(index, { name: event.target.value })}
                  error={errorAt(`${prefix}.name`) ?? errorAt(`${prefix}.id`)}
                />
                <div className="grid gap-3 sm:grid-cols-2">
                  <CheckboxGroup
                    legend="Model tier"
                    name={`${prefix}.when.tiers`}
                    options={TIERS.map((tier) => ({ value: tier, label: TIER_LABELS[tier] }))}
                    chosen={rule.tiers}
                    onChange={(tiers) => update(index, { tiers })}
                    error={errorAt(`${prefix}.when.tiers`)}
                  />
                  <CheckboxGroup
                    legend="Stage"
                    name={`${prefix}.when.stages`}
                    options={RUN_STAGES.map((stage) => ({ value: stage, label: STAGE_LABELS[stage] }))}
                    chosen={rule.stages}
                    onChange={(stages) => update(index, { stages })}
                    error={errorAt(`${prefix}.when.stages`)}
                  />
                  <CheckboxGroup
                    legend="Output type"
                    name={`${prefix}.when.outputTypes`}
                    options={OUTPUT_TYPES.map((type) => ({ value: type, label: OUTPUT_LABELS[type] }))}
                    chosen={rule.outputTypes}
                    onChange={(outputTypes) => update(index, { outputTypes })}
                    error={errorAt(`${prefix}.when.outputTypes`)}
                  />
                  <CheckboxGroup
                    legend="Requested by"
                    name={`${prefix}.when.requesterRoles`}
                    options={ROLES.map((role) => ({ value: role, label: ROLE_LABELS[role] }))}
                    chosen={rule.requesterRoles}
                    onChange={(requesterRoles) => update(index, { requesterRoles })}
                    error={errorAt(`${prefix}.when.requesterRoles`)}
                  />
                  <CheckboxGroup
                    legend="Projects"
                    name={`${prefix}.when.projectIds`}
                    options={projects
                      .filter((project) => !project.archived || rule.projectIds.includes(project.id))
                      .map((project) => ({ value: project.id, label: project.archived ? `${project.name} (archived)` : project.name }))}
                    chosen={rule.projectIds}
                    onChange={(projectIds) => update(index, { projectIds })}
                    error={errorAt(`${prefix}.when.projectIds`)}
                    scroll
                  />
                  <Input
                    label="Estimate at or above (credits)"
                    hint="Empty: any estimate."
                    name={`${prefix}.when.minEstimate`}
                    inputMode="numeric"
                    value={rule.minEstimate}
                    onChange={(event) => update(index, { minEstimate: event.target.value })}
                    error={errorAt(`${prefix}.when.minEstimate`)}
                  />
                </div>
                <div className="grid gap-3 sm:grid-cols-3">
                  <Select
                    label="Requires"
                    name={`${prefix}.require.approvals`}
                    value={rule.needsApproval ? String(rule.approvals) : "0"}
                    onChange={(event) => {
                      const count = Number(event.target.value);
                      update(index, count === 0 ? { needsApproval: false } : { needsApproval: true, approvals: count === 2 ? 2 : 1 });
                    }}
                    error={errorAt(`${prefix}.require.approvals`) ?? errorAt(`${prefix}.require.kind`)}
                    options={[
                      { value: "0", label: "No approval" },
                      { value: "1", label: "1 approval" },
                      { value: "2", label: "2 approvals by different people" },
                    ]}
                  />
                  {rule.needsApproval && (
                    <>
                      <Select
                        label="Who may approve"
                        name={`${prefix}.require.approvers.kind`}
                        value={rule.approversKind}
                        onChange={(event) => update(index, { approversKind: event.target.value === "people" ? "people" : "role" })}
                        error={errorAt(`${prefix}.require.approvers.kind`)}
                        options={[
                          { value: "role", label: "Anyone with the approver role or above" },
                          { value: "people", label: "Only the people named" },
                        ]}
                      />
                      <Input
                        label="Approval valid for (hours)"
                        name={`${prefix}.require.validHours`}
                        inputMode="numeric"
                        value={rule.validHours}
                        onChange={(event) => update(index, { validHours: event.target.value })}
                        error={errorAt(`${prefix}.require.validHours`)}
                      />
                    </>
                  )}
                </div>
                {rule.needsApproval && rule.approversKind === "people" && (
                  <CheckboxGroup
                    legend="People who may approve"
                    name={`${prefix}.require.approvers.userIds`}
                    options={members.map((member) => ({ value: member.id, label: `${member.name} (${ROLE_LABELS[member.role]})` }))}
                    chosen={rule.userIds}
                    onChange={(userIds) => update(index, { userIds })}
                    error={errorAt(`${prefix}.require.approvers.userIds`) ?? errorAt(`${prefix}.require.approvers`)}
                    scroll
                  />
                )}
                <p className="text-sm text-zinc-700" aria-live="polite" data-testid="policy-rule-preview">
                  <span className="font-medium">In words:</span> {describeCondition(preview.when, projectNames)} →{" "}
                  {describeRequirement(preview.require, peopleNames)}
                </p>
                <div className="flex flex-wrap gap-2">
                  <Button type="button" size="sm" variant="secondary" disabled={index === 0} onClick={() => move(index, -1)} aria-label={`Move rule ${index + 1} up`}>
                    Move up
                  </Button>
                  <Button
                    type="button"
                    size="sm"
                    variant="secondary"
                    disabled={index === rules.length - 1}
                    onClick={() => move(index, 1)}
                    aria-label={`Move rule ${index + 1} down`}
                  >
                    Move down
                  </Button>
                  <Button type="button" size="sm" variant="ghost" onClick={() => setRules(rules.filter((_, i) => i !== index))} aria-label={`Remove rule ${index + 1}`}>
                    Remove
                  </Button>
                </div>
              </fieldset>
            </li>
          );
        })}
      </ol>
      {/* About the list as a whole: too many rules. */}
      <FormError message={errors.rules} />
      <div>
        <Button type="button" size="sm" variant="secondary" disabled={rules.length >= MAX_RULES} onClick={() => setRules([...rules, newRule()])}>
          Add a rule
        </Button>
      </div>
      <Input
        label="A request nobody decides lapses after (days)"
        name="pendingDays"
        inputMode="numeric"
        value={pendingDays}
        onChange={(event) => setPendingDays(event.target.value)}
        error={errorAt("pendingDays")}
        fieldClassName="max-w-xs"
      />
      <FormError message={form.formError ?? errors.form} />
      <div>
        <SubmitButton pending={form.pending} pendingLabel="Saving…">
          Save policy
        </SubmitButton>
      </div>
    </form>
  );
}

function CheckboxGroup<T extends string>({
  legend,
  name,
  options,
  chosen,
  onChange,
  error,
  scroll = false,
}: {
  legend: ReactNode;
  name: string;
  options: { value: T; label: string }[];
  chosen: T[];
  onChange: (chosen: T[]) => void;
  error?: string;
  scroll?: boolean;
}) {
  const errorId = useId();
  return (
    // A group in error takes focus after a refused save, as a single field in error does (see useActionForm).
    <fieldset
      className="flex flex-col gap-1.5"
      data-testid={`group-${name}`}
      aria-invalid={error ? true : undefined}
      aria-describedby={error ? errorId : undefined}
      tabIndex={error ? -1 : undefined}
    >
      <legend className="text-sm font-medium text-zinc-900">{legend}</legend>
      <p className="text-sm text-zinc-600">{chosen.length === 0 ? "Any (none ticked)" : `${chosen.length} chosen`}</p>
      {options.length === 0 ? (
        <p className="text-sm text-zinc-600">None to choose from.</p>
      ) : (
        <div className={scroll ? "flex max-h-40 flex-col gap-1.5 overflow-y-auto" : "flex flex-col gap-1.5"}>
          {options.map((option) => (
            <Checkbox
              key={option.value}
              label={option.label}
              name={`${name}.${option.value}`}
              checked={chosen.includes(option.value)}
              onChange={(event) =>
                onChange(event.target.checked ? [...chosen, option.value] : chosen.filter((value) => value !== option.value))
              }
            />
          ))}
        </div>
      )}
      {error && (
        <p id={errorId} role="status" data-testid={`error-${name}`} className="flex items-start gap-1 text-sm text-red-700">
          <span aria-hidden="true">⚠</span>
          <span>{error}</span>
        </p>
      )}
    </fieldset>
  );
}
