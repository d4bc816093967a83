// Inputs of batch forms and actions: batches, items and their stage plans, paste, findings, runs against items. Pure.
import { z } from "zod";
import { OUTPUT_TYPES } from "@/lib/pricing/types";
import { ITEM_STATUSES, NO_FLAGS, PURPOSES, type ItemFlags, type ItemPlan } from "@/lib/recommendations/types";
import { jsonField } from "@/lib/json-field";
import { calendarDay } from "@/lib/url-query";
import { wholeNumber } from "@/lib/whole-number";

export const MAX_ITEMS_PER_BATCH = 1_000;
export const MAX_PASTE_LINES = 1_000;
export const MAX_TOOL_STEPS = 10;
/** Counts of one step; the same bound as a run's quantity (lib/pricing MAX_QUANTITY). */
export const MAX_STEP_COUNT = 10_000;
/** Versions are PostgreSQL integers. */
const MAX_VERSION = 2_147_483_647;

const id = (what: string) => z.string({ error: `Choose ${what}.` }).trim().min(1, `Choose ${what}.`).max(64);
const optionalText = (max: number) => z.string().trim().max(max, `Use at most ${max} characters.`).optional().default("");

export const batchNameSchema = z
  .string({ error: "Enter a name for the batch." })
  .trim()
  .min(1, "Enter a name for the batch.")
  .max(120, "Use at most 120 characters.");

/** A calendar day, or nothing: empty clears the due date. */
const dueDate = z
  .string()
  .trim()
  .optional()
  .transform((value) => (value ? value : undefined))
  .pipe(calendarDay.optional());

const notes = optionalText(2000);

export const versionField = wholeNumber({
  label: "the version",
  min: 1,
  max: MAX_VERSION,
  unit: "",
  example: "3",
  missing: "This form is missing the version it was opened at; reload the page.",
});

export const createBatchSchema = z.object({ projectId: id("a project"), name: batchNameSchema, dueDate, notes });
export const updateBatchSchema = z.object({ batchId: id("a batch"), version: versionField, name: batchNameSchema, dueDate, notes });
export const duplicateBatchSchema = z.object({
  batchId: id("a batch"),
  name: z.preprocess((value) => (typeof value === "string" && value.trim() === "" ? undefined : value), batchNameSchema.optional()),
});
export const batchIdSchema = z.object({ batchId: id("a batch") });

// --- the stage plan --------------------------------------------------------------------------------------------

export const planStepSchema = z.object({
  modelId: z.string({ error: "Choose a model." }).trim().min(1, "Choose a model.").max(100, "A model id has at most 100 characters."),
  settings: z.record(z.string().max(100), z.string().max(100)).default({}),
  count: wholeNumber({ label: "the count", min: 1, max: MAX_STEP_COUNT, unit: "runs", example: "4", missing: "Enter how many runs this step makes." }),
});

export const itemPlanSchema: z.ZodType<ItemPlan, unknown> = z.object({
  tests: planStepSchema.nullable().default(null),
  finals: planStepSchema.nullable().default(null),
  tools: z.array(planStepSchema).max(MAX_TOOL_STEPS, `Use at most ${MAX_TOOL_STEPS} tool steps.`).default([]),
});

/** The plan arrives as the plan editor's hidden JSON field, or as an object (tests, the API). */
export const planField = jsonField(itemPlanSchema, "The plan could not be read; reload the page and try again.");

// --- flags -----------------------------------------------------------------------------------------------------

const FLAG_KEYS = Object.keys(NO_FLAGS) as (keyof ItemFlags)[];
const checked = (value: unknown) => value === true || value === "on" || value === "true";

/** Flags arrive as checkbox fields `flag.webOnly=on`…, or as a `flags` object; a box not sent is unticked. */
export function collectFlags(raw: unknown): unknown {
  if (!raw || typeof raw !== "object") return raw;
  const input = { ...(raw as Record<string, unknown>) };
  const given = typeof input.flags === "object" && input.flags !== null ? (input.flags as Record<string, unknown>) : {};
  const flags = Object.fromEntries(FLAG_KEYS.map((key) => [key, checked(given[key]) || checked(input[`flag.${key}`])])) as ItemFlags;
  for (const key of FLAG_KEYS) delete input[`flag.${key}`];
  return { ...input, flags };
}

const flagsSchema = z.object(Object.fromEntries(FLAG_KEYS.map((key) => [key, z.boolean()])) as Record<keyof ItemFlags, z.ZodBoolean>);

// --- items -----------------------------------------------------------------------------------------------------

export const itemTitleSchema = z.string({ error: "Enter a title." }).trim().min(1, "Enter a title.").max(200, "Use at most 200 characters.");
export const promptSchema = optionalText(4000);
export const outputTypeSchema = z.enum(OUTPUT_TYPES, { error: "Choose the output type." });
export const purposeSchema = z.enum(PURPOSES, { error: "Choose the purpose." });

const itemFields = {
  title: itemTitleSchema,
  outputType: outputTypeSchema,
  purpose: purposeSchema,
  prompt: promptSchema,
  plan: planField,
  flags: flagsSchema,
};

export const addItemSchema = z.preprocess(collectFlags, z.object({ batchId: id("a batch"), ...itemFields }));
export const updateItemSchema = z.preprocess(collectFlags, z.object({ itemId: id("an item"), version: versionField, ...itemFields }));
export type ItemFields = { title: string; outputType: (typeof OUTPUT_TYPES)[number]; purpose: (typeof PURPOSES)[number]; prompt: string; plan: ItemPlan; flags: ItemFlags };

export const itemIdSchema = z.object({ itemId: id("an item") });

export const setItemStatusSchema = z.object({
  itemId: id("an item"),
  version: versionField,
  status: z.enum(ITEM_STATUSES, { error: "Choose a status." }),
});

// --- the four questions before a final --------------------------------------------------------------------------

export const FINAL_QUESTIONS = ["qualityNeeded", "videoNecessary", "editInstead", "isFinalVersion"] as const;
export type FinalQuestion = (typeof FINAL_QUESTIONS)[number];
export type FinalAnswer = { answer: "yes" | "no" | null; note: string };
export type FinalAnswers = Record<FinalQuestion, FinalAnswer>;

export const FINAL_QUESTION_LABELS: Record<FinalQuestion, string> = {
  qualityNeeded: "Is this quality needed?",
  videoNecessary: "Is video necessary?",
  editInstead: "Can an existing output be edited instead?",
  isFinalVersion: "Is this the final version?",
};

export const NO_ANSWERS: FinalAnswers = Object.fromEntries(FINAL_QUESTIONS.map((q) => [q, { answer: null, note: "" }])) as FinalAnswers;

/** Stored answers as the app reads them; anything missing or malformed is unanswered. */
export function readAnswers(stored: unknown): FinalAnswers {
  const source = stored && typeof stored === "object" ? (stored as Record<string, unknown>) : {};
  const answers = { ...NO_ANSWERS };
  for (const question of FINAL_QUESTIONS) {
    const value = source[question] as Partial<FinalAnswer> | undefined;
    answers[question] = {
      answer: value?.answer === "yes" || value?.answer === "no" ? value.answer : null,
      note: typeof value?.note === "string" ? value.note : "",
    };
  }
  return answers;
}

const answerField = z.preprocess(
  (value) => (value === "" || value === undefined ? null : value),
  z.enum(["yes", "no"], { error: "Answer yes or no, or leave it open." }).nullable(),
);

/** Fields `qualityNeeded=yes|no|""` and `qualityNeededNote`, one pair per question. */
export const answerFinalQuestionsSchema = z
  .object({
    itemId: id("an item"),
    version: versionField,
    ...Object.fromEntries(FINAL_QUESTIONS.flatMap((q) => [[q, answerField], [`${q}Note`, optionalText(500)]])),
  })
  .transform((input) => {
    const raw = input as Record<string, unknown>;
    const answers = Object.fromEntries(
      FINAL_QUESTIONS.map((q) => [q, { answer: (raw[q] as FinalAnswer["answer"]) ?? null, note: (raw[`${q}Note`] as string) ?? "" }]),
    ) as FinalAnswers;
    return { itemId: input.itemId as string, version: input.version as number, answers };
  });

// --- paste -----------------------------------------------------------------------------------------------------

export const PASTE_FORMATS = ["lines", "csv"] as const;

/** Below what a server action accepts in one request (1 MB), so a paste that is too long gets this message, not a failure. */
export const MAX_PASTE_CHARACTERS = 500_000;

/**
 * A server action takes at most 1 MB, counted in bytes as the browser sends it: UTF-8 (up to 3 bytes a character, so
 * 500,000 characters of Japanese are 1.5 MB) with line breaks as CR LF. The form checks this before sending (a larger
 * request fails before any check on the server runs); the schema checks it again.
 */
export const MAX_PASTE_BYTES = 900_000;

function sentBytes(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 10) bytes += 2;
    else if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

/** Why a paste is too large to send in one request, or null. */
export function pasteSizeProblem(text: string): string | null {
  const bytes = sentBytes(text);
  if (bytes <= MAX_PASTE_BYTES) return null;
  const kb = (value: number) => `${Math.ceil(value / 1000).toLocaleString("en-US")} KB`;
  return `This paste is too large to send at once (${kb(bytes)}; at most ${kb(MAX_PASTE_BYTES)}); split it into several pastes.`;
}

/** Lines with something on them; a CSV's header row is not an item, nor is a line break inside a quoted field. */
function pastedItemCount(text: string, format: string): number {
  if (format !== "csv") return text.split(/\r\n|\r|\n/).filter((line) => line.trim() !== "").length;
  let records = 0;
  let filled = false;
  let quoted = false;
  for (const char of text) {
    if (char === '"') quoted = !quoted;
    if (!quoted && (char === "\n" || char === "\r")) {
      if (filled) records++;
      filled = false;
    } else if (char.trim() !== "") filled = true;
  }
  if (filled) records++;
  return Math.max(0, records - 1);
}

export const pasteItemsSchema = z
  .object({
    batchId: id("a batch"),
    text: z
      .string({ error: "Paste at least one line." })
      .refine((text) => text.trim() !== "", "Paste at least one line.")
      .refine(
        (text) => text.length <= MAX_PASTE_CHARACTERS,
        `Paste at most ${MAX_PASTE_CHARACTERS.toLocaleString("en-US")} characters at a time; split a longer list into several pastes.`,
      )
      .superRefine((text, ctx) => {
        const problem = text.length <= MAX_PASTE_CHARACTERS ? pasteSizeProblem(text) : null;
        if (problem) ctx.addIssue({ code: "custom", message: problem });
      }),
    format: z.enum(PASTE_FORMATS, { error: "Choose lines or CSV." }),
    outputType: outputTypeSchema,
    purpose: purposeSchema,
    plan: planField,
  })
  .superRefine((input, ctx) => {
    if (pastedItemCount(input.text, input.format) > MAX_PASTE_LINES) {
      ctx.addIssue({ code: "custom", path: ["text"], message: `Paste at most ${MAX_PASTE_LINES.toLocaleString("en-US")} items at a time.` });
    }
  });

/** The CSV columns paste reads, in the order the export and the help text list them. */
export const PASTE_COLUMNS = [
  "title",
  "prompt",
  "output_type",
  "purpose",
  "test_model",
  "test_count",
  "final_model",
  "final_count",
  "tools",
  "flags",
] as const;

/** The CSV words of the flags, separated by "+" in the flags column. */
export const FLAG_WORDS: Record<string, keyof ItemFlags> = {
  web_only: "webOnly",
  will_be_edited: "willBeEdited",
  still_would_do: "stillWouldDo",
  background_music: "backgroundMusic",
  edit_existing: "editExisting",
};

// --- findings --------------------------------------------------------------------------------------------------

/** A figure a page showed; plans may total more than one run may cost, so only a whole number is asked for. */
const shownCredits = wholeNumber({ label: "the credits shown", min: 0, max: Number.MAX_SAFE_INTEGER, example: "220" });

const findingKey = z.string({ error: "Choose a finding." }).trim().min(1, "Choose a finding.").max(300);

export const applyFindingSchema = z.object({
  batchId: id("a batch"),
  key: findingKey,
  /** The version of the finding's item the page showed; optional, since the key already names the plan it was computed from. */
  version: z.preprocess((value) => (value === "" ? undefined : value), versionField.optional()),
  /**
   * The credits before and after that the page showed. The key names the plan, not the prices or the purpose the
   * change was worked out with: a finding whose figures moved since is shown again rather than applied unseen.
   */
  before: z.preprocess((value) => (value === "" ? undefined : value), shownCredits.optional()),
  after: z.preprocess((value) => (value === "" ? undefined : value), shownCredits.optional()),
});

export const dismissFindingSchema = z.object({
  batchId: id("a batch"),
  key: findingKey,
  reason: z
    .string({ error: "Say why this finding does not apply." })
    .trim()
    .min(1, "Say why this finding does not apply.")
    .max(500, "Keep the reason to 500 characters."),
});

export const restoreFindingSchema = z.object({ batchId: id("a batch"), dismissalId: id("a dismissed finding") });

// --- runs against items ----------------------------------------------------------------------------------------

/** A test, the final, or a tool step of the plan applied to the final (`tool:0` is the first tool step). */
export const ITEM_RUN_STAGES = ["test", "final"] as const;
export type ItemRunStage = (typeof ITEM_RUN_STAGES)[number] | `tool:${number}`;
const itemRunStage = z.union([z.enum(ITEM_RUN_STAGES), z.string().regex(/^tool:\d{1,2}$/).transform((value) => value as `tool:${number}`)], {
  error: "Choose the test, the final or one of its tool steps.",
});

export const recordItemRunSchema = z.object({
  itemId: id("an item"),
  stage: itemRunStage,
  quantity: wholeNumber({ label: "the quantity", min: 1, max: MAX_STEP_COUNT, unit: "outputs", example: "4", missing: "Enter how many outputs this run makes." }),
  idempotencyKey: z.string().trim().min(8, "The request key is too short.").max(200).optional(),
  purpose: z.preprocess((value) => (value === "" ? undefined : value), purposeSchema.optional()),
  notes: optionalText(1000),
  /** The approved request this final uses (its hold becomes the run). */
  approvalId: z.preprocess((value) => (value === "" ? undefined : value), id("an approval").optional()),
});

export const listBatchesSchema = z.object({ projectId: id("a project").optional() });

export const ITEM_STATUS_LABELS: Record<(typeof ITEM_STATUSES)[number], string> = {
  planned: "Planned",
  testing: "Testing",
  ready_for_final: "Ready for final",
  final_approved: "Final approved",
  done: "Done",
  dropped: "Dropped",
};
