// Apps' pure rules: what an app run is made of (the plan its steps and the person's inputs make), and what it costs —
// per step and in total for the default inputs, and as a range over everything its inputs allow. Imports no database.
import { estimateItem, type StepEstimate } from "@/lib/recommendations/estimate";
import { itemFindings } from "@/lib/recommendations/findings";
import { NO_FLAGS, type Finding, type ItemPlan, type PlanStep, type Purpose } from "@/lib/recommendations/types";
import { findEntry } from "@/lib/pricing/estimate";
import type { OutputType, PriceList } from "@/lib/pricing/types";
import { readWholeNumber } from "@/lib/whole-number";

/** One step of an app: a fixed model with fixed settings, applied to every output the run makes. */
export type AppStep = { modelId: string; settings: Record<string, string> };

/**
 * What a person may choose when running an app; everything else is fixed by its author.
 * - `prompt`: the text sent to the first step.
 * - `setting`: one setting of one step, limited to the options the author allows (e.g. the aspect of the image).
 * - `outputs`: how many outputs (variants) the run makes, within bounds.
 */
export type AppInput =
  | { kind: "prompt"; key: string; label: string; default: string; maxLength: number }
  | { kind: "setting"; key: string; label: string; step: number; setting: string; options: string[]; default: string }
  | { kind: "outputs"; key: string; label: string; min: number; max: number; default: number };

/** An app version: its ordered steps (the first makes the outputs, the others are tools applied to them) and inputs. */
export type AppDefinition = { steps: AppStep[]; inputs: AppInput[] };

export type InputValues = Record<string, string | number>;

/** The most combinations of setting inputs a cost range looks at; an app exposing more is priced at its bounds only. */
export const MAX_COMBINATIONS = 256;

/** The value given for an input, else its default: only the values' own keys count (never `constructor` or the like). */
export function valueOf(values: InputValues, input: AppInput): string | number {
  return Object.hasOwn(values, input.key) ? values[input.key] : input.default;
}

/** The default value of every input. */
export function defaultValues(app: AppDefinition): InputValues {
  return Object.fromEntries(app.inputs.map((input) => [input.key, input.default]));
}

export type ValuesProblem = { field: string; message: string };

/**
 * Why these values cannot run the app (at the input's key), or null. Values for keys the app does not expose are
 * refused. A run needs its prompt written; pricing does not (`promptRequired: false`), since the prompt never changes
 * the price — an author may leave the default prompt empty for each person to write their own.
 */
export function valuesProblem(app: AppDefinition, values: InputValues, { promptRequired = true } = {}): ValuesProblem | null {
  const known = new Set(app.inputs.map((input) => input.key));
  for (const key of Object.keys(values)) if (!known.has(key)) return { field: key, message: "This app does not take this input." };
  for (const input of app.inputs) {
    const value = valueOf(values, input);
    switch (input.kind) {
      case "prompt":
        if (typeof value !== "string" || (promptRequired && value.trim() === "")) return { field: input.key, message: `Write the ${input.label.toLowerCase()}.` };
        if (value.length > input.maxLength) return { field: input.key, message: `Use at most ${input.maxLength} characters.` };
        break;
      case "setting":
        if (typeof value !== "string" || !input.options.includes(value)) return { field: input.key, message: `Choose one of ${input.options.join(", ")}.` };
        break;
      case "outputs":
        if (typeof value !== "number" || !Number.isInteger(value) || value < input.min || value > input.max) {
          return { field: input.key, message: `Choose a whole number from ${input.min} to ${input.max}.` };
        }
        break;
    }
  }
  return null;
}

/**
 * Values as a form or a script sent them, read by each input's kind: the number of outputs may arrive as text
 * ("3", as typed) and is read as a whole number — empty or "3.5" stay unreadable (NaN) so `valuesProblem` names them.
 */
export function readValues(app: AppDefinition, raw: Record<string, string | number>): InputValues {
  const values: InputValues = { ...raw };
  for (const input of app.inputs) {
    const value = Object.hasOwn(raw, input.key) ? raw[input.key] : undefined;
    if (input.kind === "outputs" && typeof value === "string") values[input.key] = readWholeNumber(value);
  }
  return values;
}

/** How many outputs a run makes: the `outputs` input, or 1 when the app exposes none. */
export function outputsOf(app: AppDefinition, values: InputValues): number {
  const input = app.inputs.find((candidate) => candidate.kind === "outputs");
  return input ? Number(valueOf(values, input)) : 1;
}

/** The plan one output of a run follows: the first step makes it (as a final), the others are tools applied to it. */
export function planFor(app: AppDefinition, values: InputValues, count = 1): ItemPlan {
  const steps: PlanStep[] = app.steps.map((step) => ({ modelId: step.modelId, settings: { ...step.settings }, count }));
  for (const input of app.inputs) {
    if (input.kind !== "setting" || !steps[input.step]) continue;
    steps[input.step].settings[input.setting] = String(valueOf(values, input));
  }
  const [first, ...tools] = steps;
  return { tests: null, finals: first ?? null, tools };
}

export type AppCost =
  | { ok: true; credits: number; perOutput: number; outputs: number; steps: StepEstimate[] }
  | { ok: false; error: { field: string; message: string } };

/** What one run costs with these values, per step and in total, by this price list. */
export function appRunCost(priceList: PriceList, app: AppDefinition, values: InputValues): AppCost {
  if (app.steps.length === 0) return { ok: false, error: { field: "steps", message: "An app needs at least one step." } };
  const problem = valuesProblem(app, values, { promptRequired: false });
  if (problem) return { ok: false, error: problem };
  const outputs = outputsOf(app, values);
  const perOutput = estimateItem(priceList, planFor(app, values, 1));
  if (!perOutput.ok) return { ok: false, error: perOutput.error };
  const whole = estimateItem(priceList, planFor(app, values, outputs));
  if (!whole.ok) return { ok: false, error: whole.error };
  return { ok: true, credits: whole.credits, perOutput: perOutput.credits, outputs, steps: whole.steps };
}

export type AppCostRange = { ok: true; min: number; max: number; combinations: number } | { ok: false; error: { field: string; message: string } };

/**
 * The least and the most one run can cost over everything the inputs allow: every combination of the setting inputs'
 * options (at most MAX_COMBINATIONS; past that, every input at its own cheapest option, and every one at its dearest),
 * at the fewest and the most outputs — a run's cost grows with its outputs, so the bounds are enough.
 */
export function appCostRange(priceList: PriceList, app: AppDefinition): AppCostRange {
  const settingInputs = app.inputs.filter((input): input is Extract<AppInput, { kind: "setting" }> => input.kind === "setting");
  const outputs = app.inputs.find((input): input is Extract<AppInput, { kind: "outputs" }> => input.kind === "outputs");
  const counts = outputs ? [outputs.min, outputs.max] : [1];
  const base = defaultValues(app);
  const total = settingInputs.reduce((product, input) => product * Math.max(1, input.options.length), 1);
  let combinations: InputValues[];
  if (total <= MAX_COMBINATIONS) {
    combinations = settingInputs.reduce<InputValues[]>((partial, input) => partial.flatMap((values) => input.options.map((option) => ({ ...values, [input.key]: option }))), [{}]);
  } else {
    // Each setting scales its own step by a factor, so the cheapest run takes every input at its own cheapest option
    // and the dearest at its dearest: found one input at a time, then priced together.
    const cheapest: InputValues = {};
    const dearest: InputValues = {};
    for (const input of settingInputs) {
      const priced = input.options.map((option) => ({ option, cost: appRunCost(priceList, app, { ...base, [input.key]: option }) }));
      const failed = priced.find((item) => !item.cost.ok);
      if (failed && !failed.cost.ok) return failed.cost;
      const credits = (item: (typeof priced)[number]) => (item.cost.ok ? item.cost.credits : 0);
      cheapest[input.key] = priced.reduce((best, item) => (credits(item) < credits(best) ? item : best)).option;
      dearest[input.key] = priced.reduce((best, item) => (credits(item) > credits(best) ? item : best)).option;
    }
    combinations = [cheapest, dearest];
  }
  let min = Number.POSITIVE_INFINITY;
  let max = 0;
  for (const combination of combinations) {
    for (const count of counts) {
      const values = { ...base, ...combination, ...(outputs ? { [outputs.key]: count } : {}) };
      const cost = appRunCost(priceList, app, values);
      if (!cost.ok) return cost;
      min = Math.min(min, cost.credits);
      max = Math.max(max, cost.credits);
    }
  }
  return { ok: true, min, max, combinations: combinations.length };
}

/** The item id findings of an app carry: an app is judged as one planned item made with its default inputs. */
export const APP_ITEM_ID = "app";

/**
 * What the recommendations engine finds in an app as its author set it up: one planned item following the app's
 * steps with its default inputs (every output), judged by the app's output type and purpose — so an app that
 * upscales for the web, or makes internal reviews on a premium model, says so before anyone publishes it.
 */
export function appFindings(priceList: PriceList, app: { name: string; outputType: OutputType; purpose: Purpose }, definition: AppDefinition): Finding[] {
  if (definition.steps.length === 0) return [];
  const values = defaultValues(definition);
  const promptInput = definition.inputs.find((input) => input.kind === "prompt");
  return itemFindings(priceList, {
    id: APP_ITEM_ID,
    title: app.name,
    outputType: app.outputType,
    purpose: app.purpose,
    prompt: promptInput ? String(valueOf(values, promptInput)) : "",
    status: "planned",
    plan: planFor(definition, values, outputsOf(definition, values)),
    flags: NO_FLAGS,
  });
}

/** A plan field of lib/recommendations ("finals.modelId", "tools.1.settings.scale") as the definition's ("steps.2.settings.scale"). */
function stepField(field: string): string {
  const finals = /^finals(\.|$)/;
  if (finals.test(field)) return `definition.steps.0${field.slice("finals".length)}`;
  const tool = /^tools\.(\d+)(.*)$/.exec(field);
  if (tool) return `definition.steps.${Number(tool[1]) + 1}${tool[2]}`;
  return "definition.steps";
}

/**
 * Why a definition cannot be an app of this output type by this price list, at its field: the first step makes the
 * outputs (a model of the app's type), the others are tools applied to them, and the default inputs must price.
 */
export function definitionProblem(priceList: PriceList, outputType: string, definition: AppDefinition): { field: string; message: string } | null {
  for (const [index, step] of definition.steps.entries()) {
    const entry = findEntry(priceList, step.modelId);
    if (!entry) return { field: `definition.steps.${index}.modelId`, message: "The team's price list has no such model." };
    if (index === 0 && entry.outputType !== outputType) {
      return { field: "definition.steps.0.modelId", message: `The first step makes the app's outputs: choose a${outputType === "image" ? "n" : ""} ${outputType} model.` };
    }
    if (index > 0 && entry.outputType !== "tool") {
      return { field: `definition.steps.${index}.modelId`, message: "Steps after the first are tools applied to its outputs (a background remover, an upscaler…)." };
    }
  }
  for (const [index, input] of definition.inputs.entries()) {
    if (input.kind !== "setting") continue;
    const entry = findEntry(priceList, definition.steps[input.step]?.modelId ?? "");
    if (!entry) return { field: `definition.inputs.${index}.step`, message: "There is no such step." };
    const setting = entry.settings.find((candidate) => candidate.key === input.setting);
    if (!setting) return { field: `definition.inputs.${index}.setting`, message: `${entry.name} has no such setting to let people choose.` };
    const unknown = input.options.find((option) => !setting.options.some((known) => known.value === option));
    if (unknown !== undefined) return { field: `definition.inputs.${index}.options`, message: `“${unknown}” is not an option of ${entry.name}'s ${setting.label.toLowerCase()}.` };
  }
  const problem = valuesProblem(definition, defaultValues(definition), { promptRequired: false });
  if (problem) return { field: `definition.inputs.${definition.inputs.findIndex((input) => input.key === problem.field)}.default`, message: problem.message };
  const cost = appRunCost(priceList, definition, defaultValues(definition));
  if (!cost.ok) return { field: stepField(cost.error.field), message: cost.error.message };
  return null;
}
