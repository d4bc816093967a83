// Inputs of the price list forms and of the estimate and export calls; form text in, typed values out.
import { z } from "zod";
import { readWholeNumber } from "@/lib/whole-number";
import { formatNumber } from "@/lib/format";
import { MAX_ENTRY_CREDITS } from "@/lib/pricing/schema";
import { OUTPUT_TYPES, TIERS, type Factor, type Tier } from "@/lib/pricing/types";
import { suggestSlug } from "@/lib/teams/slug";
import { parseFactorText, readFactorFieldName } from "./rules";

/**
 * The largest price list file accepted for import. The default list exports to about
 * 10 KB; this stays under the 1 MB Next allows a server action's request body.
 */
export const MAX_IMPORT_CHARACTERS = 500_000;

// Forms send text; tests and scripts may send numbers. "1,000" is read as 1000 because people type it so;
// "1e3" or "0x78" are not whole numbers as typed, whatever JavaScript's Number() makes of them.
function wholeNumber(message: string, max: number) {
  return z.preprocess(
    (value) => (typeof value === "string" ? (value.trim() === "" ? undefined : readWholeNumber(value)) : value),
    z
      .number({ error: message })
      .int({ error: message })
      .min(1, { error: message })
      .max(max, { error: `Use at most ${formatNumber(max)}.` }),
  );
}

const creditsField = wholeNumber("Enter a whole number of credits, at least 1.", MAX_ENTRY_CREDITS);

/** Empty removes the minimum charge; absent keeps it. */
const minimumChargeField = z.preprocess(
  (value) => (value === "" || value === null ? null : value),
  z.union([z.null(), wholeNumber("Enter a whole number of credits, or leave it empty for no minimum.", MAX_ENTRY_CREDITS)]),
);

const TIER_CHOICES = [...TIERS, "none"] as const;
const tierField = z
  .enum(TIER_CHOICES, { error: "Choose budget, mid or premium (or no tier, for tools)." })
  .transform((tier): Tier | null => (tier === "none" ? null : tier));

const enabledField = z
  .union([z.boolean(), z.enum(["true", "false", "on", "off"])], { error: "Choose whether the team may use it." })
  .transform((value) => value === true || value === "true" || value === "on");

const textField = (what: string, max: number) =>
  z
    .string({ error: `Enter ${what}.` })
    .trim()
    .min(1, `Enter ${what}.`)
    .max(max, `Use at most ${max} characters.`);

const optionalText = (max: number) => z.string().trim().max(max, `Use at most ${max} characters.`);

/** When the new version takes effect, and why it was made; shared by every form that saves a version. */
const versionFields = {
  effective: z.enum(["now", "later"], { error: "Choose when the new prices start." }).optional().default("now"),
  effectiveAt: z.string().max(40).optional(),
  versionNote: optionalText(500).optional().default(""),
};

function factorTexts(input: Record<string, unknown>): [string, string][] {
  return Object.entries(input)
    .filter(([key]) => readFactorFieldName(key) !== null)
    .map(([key, value]) => [key, typeof value === "string" ? value : String(value ?? "")]);
}

export const updatePriceEntrySchema = z
  .object({
    modelId: z.string({ error: "Choose a model." }).min(1, "Choose a model.").max(64),
    credits: creditsField.optional(),
    tier: tierField.optional(),
    enabled: enabledField.optional(),
    unit: textField("a unit, such as image or clip", 40).optional(),
    useFor: optionalText(500).optional(),
    note: optionalText(500).optional(),
    minimumCharge: minimumChargeField.optional(),
    ...versionFields,
  })
  // Factor fields are named after the model's settings ("factor.duration.6"), so their names are not known here.
  .catchall(z.unknown())
  .superRefine(
    (input, ctx) => {
      for (const [key, text] of factorTexts(input)) {
        const parsed = parseFactorText(text);
        if (!parsed.ok) ctx.addIssue({ code: "custom", message: parsed.message, path: [key] });
      }
    },
    // Also when other fields failed, so one submit shows every problem of the form.
    { when: () => true },
  )
  .transform((input) => {
    const factors: Record<string, Factor> = {};
    for (const [key, text] of factorTexts(input)) {
      const parsed = parseFactorText(text);
      if (parsed.ok) factors[key] = parsed.value;
    }
    const { modelId, credits, tier, enabled, unit, useFor, note, minimumCharge, effective, effectiveAt, versionNote } =
      input;
    return { modelId, credits, tier, enabled, unit, useFor, note, minimumCharge, effective, effectiveAt, versionNote, factors };
  });

export const addPriceEntrySchema = z
  .object({
    name: textField("a name", 100),
    // Optional: most people are happy with an id made from the name.
    id: z.string().trim().max(64, "Use at most 64 characters.").optional().default(""),
    outputType: z.enum(OUTPUT_TYPES, { error: "Choose image, video, audio or tool." }),
    tier: tierField,
    credits: creditsField,
    unit: textField("a unit, such as image or clip", 40),
    useFor: optionalText(500).optional().default(""),
    note: optionalText(500).optional().default(""),
    minimumCharge: minimumChargeField.optional(),
    ...versionFields,
  })
  .transform((input) => ({ ...input, id: input.id === "" ? suggestSlug(input.name).slice(0, 64).replace(/-+$/, "") : input.id }))
  .superRefine((input, ctx) => {
    if (!/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(input.id)) {
      ctx.addIssue({
        code: "custom",
        path: ["id"],
        message: "Use lowercase letters, digits and single hyphens, such as my-upscaler.",
      });
    }
    if (input.tier === null && input.outputType !== "tool") {
      ctx.addIssue({ code: "custom", path: ["tier"], message: "Only tools may have no tier; choose budget, mid or premium." });
    }
  });

export const importPriceListSchema = z.object({
  json: z
    .string({ error: "Paste a price list file, or choose one." })
    .min(1, "Paste a price list file, or choose one.")
    .max(MAX_IMPORT_CHARACTERS, `The file is too large: at most ${formatNumber(MAX_IMPORT_CHARACTERS)} characters.`)
    .refine((text) => text.trim() !== "", "Paste a price list file, or choose one."),
  ...versionFields,
});

export const estimateRunSchema = z.object({
  modelId: z.string({ error: "Choose a model." }).max(64, "Choose a model from the list."),
  // The pricing library checks the quantity, so the browser and the server word it the same way.
  quantity: z.union([z.number(), z.string().max(20)], { error: "Enter a quantity." }).transform((value) =>
    typeof value === "number" ? value : readWholeNumber(value),
  ),
  settings: z.record(z.string().max(40), z.string().max(40)).optional().default({}),
});

export const exportPriceListSchema = z.object({
  version: z
    .string()
    .regex(/^\d{1,9}$/, "Give a version number, such as 3.")
    .transform(Number)
    .optional(),
});
