// Inputs of app forms (and, later, the API): an app's name and purpose, and its definition — steps and inputs.
import { z } from "zod";
import { storableText } from "@/lib/api/input";
import { jsonField } from "@/lib/json-field";
import { PURPOSES } from "@/lib/recommendations/types";
import { wholeNumber } from "@/lib/whole-number";

export const MAX_APP_STEPS = 6;
export const MAX_APP_INPUTS = 8;

const UNSTORABLE = "This text has a character that cannot be stored (a NUL, or half of an emoji); remove it.";

const key = z
  .string({ error: "Give the input a key." })
  .regex(/^[a-z][a-z0-9_]{0,39}$/, "Use a short key of lowercase letters, digits and _, starting with a letter.");
const label = z.string({ error: "Give the input a label." }).trim().min(1, "Give the input a label.").max(60, "Use at most 60 characters.").refine(storableText, UNSTORABLE);

/** A whole number the editor sends from a field people type in. */
const whole = (min: number, max: number) =>
  z.number({ error: "Enter a whole number." }).int("Enter a whole number.").min(min, `Use at least ${min}.`).max(max, `Use at most ${max}.`);

export const appStepSchema = z.strictObject({
  modelId: z.string({ error: "Choose a model." }).min(1, "Choose a model.").max(100),
  settings: z.record(z.string().max(40), z.string().max(100)).default({}),
});

export const appInputSchema = z.discriminatedUnion(
  "kind",
  [
    z.strictObject({ kind: z.literal("prompt"), key, label, default: z.string().max(4000, "Use at most 4000 characters.").refine(storableText, UNSTORABLE), maxLength: whole(1, 4000) }),
    z.strictObject({
      kind: z.literal("setting"),
      key,
      label,
      step: z.number({ error: "Choose a step." }).int().min(0, "There is no such step.").max(MAX_APP_STEPS - 1, "There is no such step."),
      setting: z.string({ error: "Choose a setting." }).min(1, "Choose a setting.").max(40),
      options: z.array(z.string().min(1).max(100)).min(1, "Allow at least one option.").max(20),
      default: z.string().max(100),
    }),
    z.strictObject({ kind: z.literal("outputs"), key, label, min: whole(1, 100), max: whole(1, 100), default: whole(1, 100) }),
  ],
  { error: "Choose what kind of input this is: prompt, setting or outputs." },
);

export const appDefinitionSchema = z
  .strictObject({
    steps: z.array(appStepSchema).min(1, "An app needs at least one step.").max(MAX_APP_STEPS, `Use at most ${MAX_APP_STEPS} steps.`),
    inputs: z.array(appInputSchema).max(MAX_APP_INPUTS, `Expose at most ${MAX_APP_INPUTS} inputs.`).default([]),
  })
  .superRefine((definition, ctx) => {
    const keys = new Set<string>();
    definition.inputs.forEach((input, index) => {
      if (keys.has(input.key)) ctx.addIssue({ code: "custom", path: ["inputs", index, "key"], message: "Another input has this key." });
      keys.add(input.key);
      if (input.kind === "setting") {
        if (input.step >= definition.steps.length) ctx.addIssue({ code: "custom", path: ["inputs", index, "step"], message: "There is no such step." });
        if (!input.options.includes(input.default)) ctx.addIssue({ code: "custom", path: ["inputs", index, "default"], message: "The default must be one of the options." });
      }
      if (input.kind === "outputs") {
        if (input.min > input.max) ctx.addIssue({ code: "custom", path: ["inputs", index, "max"], message: "The most may not be below the fewest." });
        if (input.default < input.min || input.default > input.max) ctx.addIssue({ code: "custom", path: ["inputs", index, "default"], message: "The default must lie between the fewest and the most." });
      }
    });
    if (definition.inputs.filter((input) => input.kind === "outputs").length > 1) ctx.addIssue({ code: "custom", path: ["inputs"], message: "Expose the number of outputs once." });
    const chosen = new Set<string>();
    definition.inputs.forEach((input, index) => {
      if (input.kind !== "setting") return;
      const target = `${input.step}:${input.setting}`;
      if (chosen.has(target)) ctx.addIssue({ code: "custom", path: ["inputs", index, "setting"], message: "Another input already lets people choose this setting of this step." });
      chosen.add(target);
    });
    if (definition.inputs.filter((input) => input.kind === "prompt").length > 1) ctx.addIssue({ code: "custom", path: ["inputs"], message: "Expose the prompt once." });
  });

export const APP_OUTPUT_TYPES = ["image", "video", "audio"] as const;

export const createAppSchema = z.object({
  name: z.string({ error: "Name the app." }).trim().min(1, "Name the app.").max(80, "Use at most 80 characters.").refine(storableText, UNSTORABLE),
  description: z.string().trim().max(1000, "Use at most 1000 characters.").refine(storableText, UNSTORABLE).optional().default(""),
  outputType: z.enum(APP_OUTPUT_TYPES, { error: "Choose what the app makes: image, video or audio." }),
  purpose: z.enum(PURPOSES, { error: "Choose what its outputs are for." }),
  definition: appDefinitionSchema,
});
export type CreateAppInput = z.output<typeof createAppSchema>;

// --- actions -----------------------------------------------------------------------------------------------------

const id = (what: string) => z.string({ error: `Choose ${what}.` }).trim().min(1, `Choose ${what}.`).max(64);

/** The definition arrives as the app editor's hidden JSON field, or as an object (tests, the API). */
const definitionField = jsonField(appDefinitionSchema, "The app's steps could not be read; reload the page and try again.");

export const createAppFormSchema = createAppSchema.extend({ definition: definitionField });

export const saveDraftSchema = z.object({
  appId: id("an app"),
  name: createAppSchema.shape.name,
  description: createAppSchema.shape.description,
  definition: definitionField,
});

export const publishVersionSchema = z.object({ versionId: id("a version") });
export const appIdSchema = z.object({ appId: id("an app") });

/** What a person fills in to run an app: each input's value (text, or a whole number for outputs), by its key. */
export const inputValuesSchema = z.record(
  z.string().max(40),
  z.union([z.string().max(4000, "Use at most 4000 characters.").refine(storableText, UNSTORABLE), z.number()], { error: "Fill this in with text or a number." }),
  { error: "Fill in the app's inputs." },
);

/** A run form sends its inputs as `values.<key>` fields; an API or a test sends a `values` object. */
function collectValues(raw: unknown): unknown {
  if (!raw || typeof raw !== "object") return raw;
  const input = { ...(raw as Record<string, unknown>) };
  const fields = Object.keys(input).filter((key) => key.startsWith("values."));
  if (fields.length === 0) return input;
  const values: Record<string, unknown> = typeof input.values === "object" && input.values !== null ? { ...(input.values as Record<string, unknown>) } : {};
  for (const field of fields) {
    values[field.slice("values.".length)] = input[field];
    delete input[field];
  }
  return { ...input, values };
}

const checkbox = z.preprocess((value) => value === true || value === "on" || value === "true", z.boolean());

export const runAppSchema = z.preprocess(
  collectValues,
  z.object({
    appId: id("an app"),
    projectId: id("a project"),
    values: inputValuesSchema.default({}),
    test: checkbox.default(false),
    /** The version the person saw priced; a run of another one (published or changed meanwhile) is refused. */
    versionId: id("a version").optional(),
  }),
);

export const MAX_APP_TEST_RUNS = 20;

export const appTestRunsSchema = z.object({
  appTestRuns: wholeNumber({
    label: "the number of accepted test runs",
    min: 0,
    max: MAX_APP_TEST_RUNS,
    unit: "runs",
    example: "3",
    missing: "Enter how many accepted test runs an app needs before it is published.",
  }),
});
