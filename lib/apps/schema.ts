// Inputs of app forms (and, later, the API): an app's name and purpose, and its definition — steps and inputs.
import { z } from "zod";
import { PURPOSES } from "@/lib/recommendations/types";

export const MAX_APP_STEPS = 6;
export const MAX_APP_INPUTS = 8;

const key = z
  .string({ error: "Give the input a key." })
  .regex(/^[a-z][a-z0-9_]{0,39}$/, "Use a short key of lowercase letters, digits and _, starting with a letter.");
const label = z.string({ error: "Give the input a label." }).trim().min(1, "Give the input a label.").max(60, "Use at most 60 characters.");

export const appStepSchema = z.strictObject({
  modelId: z.string({ error: "Choose a model." }).min(1, "Choose a model.").max(100),
  settings: z.record(z.string().max(40), z.string().max(100)).default({}),
});

export const appInputSchema = z.discriminatedUnion(
  "kind",
  [
    z.strictObject({ kind: z.literal("prompt"), key, label, default: z.string().max(4000), maxLength: z.number().int().min(1).max(4000) }),
    z.strictObject({
      kind: z.literal("setting"),
      key,
      label,
      step: z.number().int().min(0).max(MAX_APP_STEPS - 1),
      setting: z.string().min(1).max(40),
      options: z.array(z.string().min(1).max(100)).min(1, "Allow at least one option.").max(20),
      default: z.string().max(100),
    }),
    z.strictObject({ kind: z.literal("outputs"), key, label, min: z.number().int().min(1).max(100), max: z.number().int().min(1).max(100), default: z.number().int().min(1).max(100) }),
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
    if (definition.inputs.filter((input) => input.kind === "prompt").length > 1) ctx.addIssue({ code: "custom", path: ["inputs"], message: "Expose the prompt once." });
  });

export const APP_OUTPUT_TYPES = ["image", "video", "audio"] as const;

export const createAppSchema = z.object({
  name: z.string({ error: "Name the app." }).trim().min(1, "Name the app.").max(80, "Use at most 80 characters."),
  description: z.string().trim().max(1000, "Use at most 1000 characters.").optional().default(""),
  outputType: z.enum(APP_OUTPUT_TYPES, { error: "Choose what the app makes: image, video or audio." }),
  purpose: z.enum(PURPOSES, { error: "Choose what its outputs are for." }),
  definition: appDefinitionSchema,
});
export type CreateAppInput = z.output<typeof createAppSchema>;
