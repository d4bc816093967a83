"use client";
// Makes or changes an app: its name and what it is for, its ordered steps (the first makes the outputs, the others are
// tools applied to each), and the inputs people may fill in — priced and checked while typing with the team's price
// list, with the recommendations' findings. The definition travels in one hidden `definition` field as JSON.
import { useRouter } from "next/navigation";
import { useMemo, useState } from "react";
import { AppCostTable } from "@/components/apps/app-cost";
import { AppFindings } from "@/components/apps/app-findings";
import { useActionForm } from "@/components/forms/use-action-form";
import { useKeepOnSubmit } from "@/components/forms/use-keep-on-submit";
import { StepModelFields } from "@/components/pricing/step-model-fields";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Checkbox, FormError, Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { SubmitButton } from "@/components/ui/submit-button";
import { Textarea } from "@/components/ui/textarea";
import { createAppAction, saveDraftAction } from "@/lib/apps/actions";
import { appCostRange, appFindings, appRunCost, defaultValues, definitionProblem, type AppCost, type AppDefinition, type AppInput, type AppStep } from "@/lib/apps/rules";
import { APP_OUTPUT_TYPES, appDefinitionSchema, MAX_APP_INPUTS, MAX_APP_STEPS } from "@/lib/apps/schema";
import { PURPOSE_LABELS } from "@/lib/ledger/schema";
import { defaultSettings, findEntry } from "@/lib/pricing/estimate";
import type { CatalogEntry, PriceList } from "@/lib/pricing/types";
import { PURPOSES, type Purpose } from "@/lib/recommendations/types";
import { readWholeNumber } from "@/lib/whole-number";

/** Inputs as typed: numbers stay text until they are read, so an empty field is never 0. */
type InputDraft =
  | { kind: "prompt"; key: string; label: string; default: string; maxLength: string }
  | { kind: "setting"; key: string; label: string; step: number; setting: string; options: string[]; default: string }
  | { kind: "outputs"; key: string; label: string; min: string; max: string; default: string };

/** A number as typed, or the text itself when it is not a whole number: the server names it at its field. */
function readNumber(text: string): number | string {
  const value = readWholeNumber(text);
  return Number.isNaN(value) ? text : value;
}

function toInput(draft: InputDraft): AppInput {
  if (draft.kind === "prompt") return { ...draft, maxLength: readNumber(draft.maxLength) as number };
  if (draft.kind === "outputs") return { ...draft, min: readNumber(draft.min) as number, max: readNumber(draft.max) as number, default: readNumber(draft.default) as number };
  return draft;
}

function toDraft(input: AppInput): InputDraft {
  if (input.kind === "prompt") return { ...input, maxLength: String(input.maxLength) };
  if (input.kind === "outputs") return { ...input, min: String(input.min), max: String(input.max), default: String(input.default) };
  return { ...input, options: [...input.options] };
}

const FIELD_WORDS: Record<string, string> = { min: "fewest", max: "most", default: "default", maxLength: "longest prompt", options: "options", key: "key", label: "label", setting: "setting", step: "step" };

/** Where a problem of the definition is, in the editor's words: "Step 2", "Outputs, fewest". */
function fieldWords(path: PropertyKey[], inputs: InputDraft[]): string {
  const [list, index, field] = path;
  if (list === "steps" && typeof index === "number") return `Step ${index + 1}`;
  if (list === "inputs" && typeof index === "number") {
    const name = inputs[index]?.label.trim() || `Input ${index + 1}`;
    return typeof field === "string" ? `${name}, ${FIELD_WORDS[field] ?? field}` : name;
  }
  return "The app";
}

const OUTPUT_TYPE_WORDS: Record<(typeof APP_OUTPUT_TYPES)[number], string> = { image: "Images", video: "Videos", audio: "Audio" };

export type AppEditorProps = {
  teamSlug: string;
  priceList: PriceList;
  priceListVersion: number;
  /** null to make a new app; otherwise the app whose next draft this saves (its output type and purpose stay). */
  appId: string | null;
  initial: { name: string; description: string; outputType: (typeof APP_OUTPUT_TYPES)[number]; purpose: Purpose; definition: AppDefinition };
  /** Words above the save button: what saving does to this app's versions. */
  saveNote: string;
};

export function AppEditor({ teamSlug, priceList, priceListVersion, appId, initial, saveNote }: AppEditorProps) {
  const router = useRouter();
  const form = useActionForm<{ appId: string }>(appId ? saveDraftAction : createAppAction, {
    onSuccess: (data) => router.push(`/t/${teamSlug}/apps/${data.appId}`),
  });
  // Submitted by hand: React would reset the form after a refusal, showing other choices than the ones kept.
  const submit = useKeepOnSubmit(form.formAction);
  const [name, setName] = useState(initial.name);
  const [outputType, setOutputType] = useState(initial.outputType);
  const [purpose, setPurpose] = useState<Purpose>(initial.purpose);
  const [steps, setSteps] = useState<AppStep[]>(() => initial.definition.steps.map((step) => ({ modelId: step.modelId, settings: { ...step.settings } })));
  const [inputs, setInputs] = useState<InputDraft[]>(() => initial.definition.inputs.map(toDraft));

  const enabled = useMemo(() => priceList.entries.filter((entry) => entry.enabled), [priceList]);
  const makers = enabled.filter((entry) => entry.outputType === outputType);
  const tools = enabled.filter((entry) => entry.outputType === "tool");
  const definition: AppDefinition = { steps, inputs: inputs.map(toInput) };
  // The definition's own shape first (numbers typed, bounds in order): its first problem, named by where it is.
  const shape = appDefinitionSchema.safeParse(definition);
  const shapeProblem = shape.success ? null : shape.error.issues[0];
  const problem = shapeProblem ? null : definitionProblem(priceList, outputType, definition);
  const cost: AppCost = shapeProblem
    ? { ok: false, error: { field: "definition", message: `${fieldWords(shapeProblem.path, inputs)}: ${shapeProblem.message}` } }
    : appRunCost(priceList, definition, defaultValues(definition));
  const range = cost.ok ? appCostRange(priceList, definition) : undefined;
  const findings = cost.ok ? appFindings(priceList, { name: name || "This app", outputType, purpose }, definition) : [];
  const error = (field: string) => form.fieldError(field);

  const setStep = (index: number, step: AppStep) => setSteps(steps.map((current, i) => (i === index ? step : current)));
  const removeStep = (index: number) => {
    setSteps(steps.filter((_, i) => i !== index));
    // Inputs of a removed step go with it; those of later steps follow their step.
    setInputs(
      inputs.flatMap((input): InputDraft[] => (input.kind !== "setting" ? [input] : input.step === index ? [] : [{ ...input, step: input.step > index ? input.step - 1 : input.step }])),
    );
  };
  const setInput = (index: number, input: InputDraft) => setInputs(inputs.map((current, i) => (i === index ? input : current)));
  const chooseOutputType = (next: (typeof APP_OUTPUT_TYPES)[number]) => {
    setOutputType(next);
    const first = enabled.find((entry) => entry.outputType === next);
    if (steps[0] && findEntry(priceList, steps[0].modelId)?.outputType !== next && first) {
      setStep(0, { modelId: first.id, settings: defaultSettings(first) });
      setInputs(inputs.filter((input) => input.kind !== "setting" || input.step !== 0));
    }
  };
  const settable = steps.flatMap((step, index) => {
    const entry = findEntry(priceList, step.modelId);
    return entry && entry.settings.length > 0 ? [{ index, entry }] : [];
  });
  const hasKind = (kind: InputDraft["kind"]) => inputs.some((input) => input.kind === kind);
  const addInput = (input: InputDraft) => setInputs([...inputs, input]);

  return (
    <form id={form.formId} onSubmit={submit} className="flex flex-col gap-6" noValidate data-testid="app-editor">
      <input type="hidden" name="teamSlug" value={teamSlug} />
      {appId && <input type="hidden" name="appId" value={appId} />}
      <input type="hidden" name="definition" value={JSON.stringify(definition)} />
      <Card title="What it is">
        <div className="grid gap-4 sm:grid-cols-2">
          <Input label="Name" name="name" required value={name} onChange={(event) => setName(event.target.value)} error={error("name")} hint="For example: Product shot for print." />
          {appId ? (
            <p className="text-sm text-zinc-700">
              Makes {OUTPUT_TYPE_WORDS[outputType].toLowerCase()} for {PURPOSE_LABELS[purpose].toLowerCase()}. These stay as the app was made; make another app for other outputs.
            </p>
          ) : (
            <div className="grid gap-4 sm:grid-cols-2">
              <Select
                label="Makes"
                name="outputType"
                value={outputType}
                onChange={(event) => chooseOutputType(event.target.value as (typeof APP_OUTPUT_TYPES)[number])}
                error={error("outputType")}
                options={APP_OUTPUT_TYPES.map((type) => ({ value: type, label: OUTPUT_TYPE_WORDS[type] }))}
              />
              <Select
                label="For"
                name="purpose"
                value={purpose}
                onChange={(event) => setPurpose(event.target.value as Purpose)}
                error={error("purpose")}
                hint="The recommendations judge the steps by it."
                options={PURPOSES.map((value) => ({ value, label: PURPOSE_LABELS[value] }))}
              />
            </div>
          )}
          <Textarea
            label="What it is for"
            name="description"
            rows={2}
            defaultValue={form.value("description", initial.description)}
            error={error("description")}
            hint="Optional: when to use it, and what it gives."
            fieldClassName="sm:col-span-2"
          />
        </div>
      </Card>

      <Card title="Steps" description="The first step makes each output; every later step is a tool applied to each output, in order.">
        <ol className="flex flex-col gap-4" data-testid="app-steps">
          {steps.map((step, index) => (
            <li key={index} className="flex flex-col gap-3 rounded-md border border-zinc-200 p-3" data-testid="app-step">
              <p className="text-sm font-medium text-zinc-900">
                Step {index + 1}: {index === 0 ? "makes the outputs" : "a tool on each output"}
              </p>
              <div className="grid gap-3 sm:grid-cols-2">
                <StepModelFields
                  priceList={priceList}
                  entries={index === 0 ? makers : tools}
                  step={step}
                  prefix={`definition.steps.${index}`}
                  error={error}
                  onChange={(next) => {
                    setStep(index, next);
                    if (next.modelId !== step.modelId) setInputs(followModel(inputs, index, findEntry(priceList, next.modelId)));
                  }}
                />
              </div>
              {index > 0 && (
                <div>
                  <Button type="button" size="sm" variant="secondary" onClick={() => removeStep(index)}>
                    Remove step {index + 1}
                  </Button>
                </div>
              )}
            </li>
          ))}
        </ol>
        <p className="mt-1 text-sm text-red-700">{error("definition.steps")}</p>
        <div className="mt-3 flex flex-wrap gap-2">
          {steps.length === 0 && makers[0] && (
            <Button type="button" size="sm" variant="secondary" onClick={() => setSteps([{ modelId: makers[0].id, settings: defaultSettings(makers[0]) }])}>
              Add the first step
            </Button>
          )}
          {steps.length > 0 && steps.length < MAX_APP_STEPS && tools[0] && (
            <Button type="button" size="sm" variant="secondary" onClick={() => setSteps([...steps, { modelId: tools[0].id, settings: defaultSettings(tools[0]) }])}>
              Add a tool step
            </Button>
          )}
        </div>
      </Card>

      <Card title="Inputs people fill in" description="Everything else is fixed. Each input has a default, used to price the app.">
        <ol className="flex flex-col gap-4" data-testid="app-inputs">
          {inputs.map((input, index) => (
            <li key={index} className="flex flex-col gap-3 rounded-md border border-zinc-200 p-3" data-testid="app-input" data-kind={input.kind}>
              <InputFields
                input={input}
                index={index}
                steps={steps}
                priceList={priceList}
                settable={settable}
                error={error}
                onChange={(next) => setInput(index, next)}
              />
              <div>
                <Button type="button" size="sm" variant="secondary" onClick={() => setInputs(inputs.filter((_, i) => i !== index))}>
                  Remove this input
                </Button>
              </div>
            </li>
          ))}
        </ol>
        <p className="mt-1 text-sm text-red-700">{error("definition.inputs")}</p>
        {inputs.length < MAX_APP_INPUTS && (
          <div className="mt-3 flex flex-wrap gap-2">
            {!hasKind("prompt") && (
              <Button type="button" size="sm" variant="secondary" onClick={() => addInput({ kind: "prompt", key: "prompt", label: "Prompt", default: "", maxLength: "2000" })}>
                Add the prompt
              </Button>
            )}
            {!hasKind("outputs") && (
              <Button type="button" size="sm" variant="secondary" onClick={() => addInput({ kind: "outputs", key: "outputs", label: "Outputs", min: "1", max: "4", default: "1" })}>
                Add the number of outputs
              </Button>
            )}
            {settable[0] && (
              <Button
                type="button"
                size="sm"
                variant="secondary"
                onClick={() => {
                  const { index, entry } = settable[0];
                  addInput(settingInput(entry, index, entry.settings[0].key, inputs, steps[index].settings));
                }}
              >
                Add a setting to choose
              </Button>
            )}
          </div>
        )}
      </Card>

      <Card
        title="Cost per run"
        description={`With the default inputs, by the team's ${priceListVersion === 0 ? "default price list" : `price list v${priceListVersion}`}.`}
      >
        <AppCostTable cost={cost} range={range} />
        {problem && cost.ok && (
          <p className="mt-2 text-sm text-amber-800" data-testid="app-problem">
            {problem.message}
          </p>
        )}
      </Card>

      <Card title="Findings" description="What the recommendations find in these steps for what the app is for.">
        <AppFindings findings={findings} />
      </Card>

      <div className="flex flex-col gap-2">
        <p className="text-sm text-zinc-700">{saveNote}</p>
        <FormError message={form.formError} />
        <div>
          <SubmitButton pending={form.pending}>{appId ? "Save draft" : "Save as a draft"}</SubmitButton>
        </div>
      </div>
    </form>
  );
}

/**
 * The inputs once step `index` runs another model: a setting input keeps what the new model also offers (its options
 * narrowed to the new model's), and goes only when nothing of it is left.
 */
function followModel(inputs: InputDraft[], index: number, entry: CatalogEntry | undefined): InputDraft[] {
  return inputs.flatMap((input): InputDraft[] => {
    if (input.kind !== "setting" || input.step !== index) return [input];
    const setting = entry?.settings.find((candidate) => candidate.key === input.setting);
    const options = setting ? input.options.filter((option) => setting.options.some((known) => known.value === option)) : [];
    if (!setting || options.length === 0) return [];
    return [{ ...input, options, default: options.includes(input.default) ? input.default : options[0] }];
  });
}

/** A new setting input for one setting of one step, offering all its options, its default the step's own value. */
function settingInput(entry: CatalogEntry, step: number, key: string, inputs: InputDraft[], fixed: Record<string, string> = {}): InputDraft {
  const setting = entry.settings.find((candidate) => candidate.key === key) ?? entry.settings[0];
  const taken = new Set(inputs.map((input) => input.key));
  const base = setting.key.toLowerCase().replace(/[^a-z0-9_]/g, "_").replace(/^[^a-z]+/, "") || "setting";
  let inputKey = base;
  for (let n = 2; taken.has(inputKey); n++) inputKey = `${base}_${n}`;
  return { kind: "setting", key: inputKey, label: setting.label, step, setting: setting.key, options: setting.options.map((option) => option.value), default: fixed[setting.key] ?? setting.default };
}

function InputFields({
  input,
  index,
  steps,
  priceList,
  settable,
  error,
  onChange,
}: {
  input: InputDraft;
  index: number;
  steps: AppStep[];
  priceList: PriceList;
  settable: { index: number; entry: CatalogEntry }[];
  error: (field: string) => string | undefined;
  onChange: (input: InputDraft) => void;
}) {
  const prefix = `definition.inputs.${index}`;
  const common = (
    <>
      <Input label="Label" name={`${prefix}.label`} value={input.label} onChange={(event) => onChange({ ...input, label: event.target.value })} error={error(`${prefix}.label`)} />
      <Input
        label="Key"
        name={`${prefix}.key`}
        value={input.key}
        onChange={(event) => onChange({ ...input, key: event.target.value })}
        error={error(`${prefix}.key`)}
        hint="What scripts send it as through the API."
      />
    </>
  );
  if (input.kind === "prompt") {
    return (
      <div className="grid gap-3 sm:grid-cols-2">
        <p className="text-sm font-medium text-zinc-900 sm:col-span-2">The prompt sent to step 1</p>
        {common}
        <Textarea
          label="Default prompt"
          name={`${prefix}.default`}
          rows={2}
          value={input.default}
          onChange={(event) => onChange({ ...input, default: event.target.value })}
          error={error(`${prefix}.default`)}
          fieldClassName="sm:col-span-2"
        />
        <Input label="Longest prompt (characters)" name={`${prefix}.maxLength`} inputMode="numeric" value={input.maxLength} onChange={(event) => onChange({ ...input, maxLength: event.target.value })} error={error(`${prefix}.maxLength`)} />
      </div>
    );
  }
  if (input.kind === "outputs") {
    return (
      <div className="grid gap-3 sm:grid-cols-3">
        <p className="text-sm font-medium text-zinc-900 sm:col-span-3">How many outputs a run makes (one batch item each)</p>
        <div className="grid gap-3 sm:col-span-3 sm:grid-cols-2">{common}</div>
        <Input label="Fewest" name={`${prefix}.min`} inputMode="numeric" value={input.min} onChange={(event) => onChange({ ...input, min: event.target.value })} error={error(`${prefix}.min`)} />
        <Input label="Most" name={`${prefix}.max`} inputMode="numeric" value={input.max} onChange={(event) => onChange({ ...input, max: event.target.value })} error={error(`${prefix}.max`)} />
        <Input label="Default" name={`${prefix}.default`} inputMode="numeric" value={input.default} onChange={(event) => onChange({ ...input, default: event.target.value })} error={error(`${prefix}.default`)} />
      </div>
    );
  }
  const entry = findEntry(priceList, steps[input.step]?.modelId ?? "");
  const setting = entry?.settings.find((candidate) => candidate.key === input.setting);
  return (
    <div className="grid gap-3 sm:grid-cols-2">
      <p className="text-sm font-medium text-zinc-900 sm:col-span-2">A setting people choose</p>
      {common}
      <Select
        label="Step and setting"
        name={`${prefix}.setting`}
        value={`${input.step}:${input.setting}`}
        onChange={(event) => {
          const [step, key] = event.target.value.split(":");
          const chosen = settable.find((candidate) => candidate.index === Number(step));
          if (chosen) onChange({ ...settingInput(chosen.entry, chosen.index, key, [], steps[chosen.index].settings), key: input.key, label: chosen.entry.settings.find((s) => s.key === key)?.label ?? input.label });
        }}
        error={error(`${prefix}.setting`) ?? error(`${prefix}.step`)}
        fieldClassName="sm:col-span-2"
      >
        {!setting && <option value={`${input.step}:${input.setting}`}>Step {input.step + 1}: {input.setting} (no longer offered)</option>}
        {settable.flatMap(({ index: stepIndex, entry: stepEntry }) =>
          stepEntry.settings.map((candidate) => (
            <option key={`${stepIndex}:${candidate.key}`} value={`${stepIndex}:${candidate.key}`}>
              Step {stepIndex + 1} ({stepEntry.name}): {candidate.label}
            </option>
          )),
        )}
      </Select>
      {setting && (
        <fieldset className="flex flex-col gap-1 sm:col-span-2">
          <legend className="text-sm font-medium text-zinc-900">Options people may choose</legend>
          <div className="flex flex-wrap gap-x-4 gap-y-1">
            {setting.options.map((option) => (
              <Checkbox
                key={option.value}
                label={option.label}
                name={`${prefix}.options.${option.value}`}
                checked={input.options.includes(option.value)}
                onChange={(event) => {
                  const options = event.target.checked ? setting.options.map((o) => o.value).filter((value) => value === option.value || input.options.includes(value)) : input.options.filter((value) => value !== option.value);
                  onChange({ ...input, options, default: options.includes(input.default) ? input.default : (options[0] ?? "") });
                }}
              />
            ))}
          </div>
          {error(`${prefix}.options`) && <p className="text-sm text-red-700">{error(`${prefix}.options`)}</p>}
        </fieldset>
      )}
      {setting && (
        <Select
          label="Default"
          name={`${prefix}.default`}
          value={input.default}
          onChange={(event) => onChange({ ...input, default: event.target.value })}
          error={error(`${prefix}.default`)}
          options={setting.options.filter((option) => input.options.includes(option.value)).map((option) => ({ value: option.value, label: option.label }))}
        />
      )}
    </div>
  );
}
