// Inputs of credit, budget and run forms (and, later, the API).
import { z } from "zod";
import { formatNumber } from "@/lib/format";
import { calendarDay } from "@/lib/url-query";
import { wholeNumber } from "@/lib/whole-number";

export { wholeNumber };
import { BUDGET_PERIODS } from "./periods";

export const RUN_STAGES = ["test", "draft", "final"] as const;
export const RUN_OUTCOMES = ["accepted", "rejected", "needs_edit", "failed"] as const;
export const PURPOSES = ["internal_review", "client_draft", "final_delivery", "social_media", "print", "web"] as const;

export const STAGE_LABELS: Record<(typeof RUN_STAGES)[number], string> = {
  test: "Test (prompt check)",
  draft: "Draft (shown to someone)",
  final: "Final (delivered)",
};
export const OUTCOME_LABELS: Record<(typeof RUN_OUTCOMES)[number], string> = {
  accepted: "Accepted",
  rejected: "Rejected",
  needs_edit: "Needs edit",
  failed: "Failed",
};
export const PURPOSE_LABELS: Record<(typeof PURPOSES)[number], string> = {
  internal_review: "Internal review",
  client_draft: "Client draft",
  final_delivery: "Final delivery",
  social_media: "Social media",
  print: "Print",
  web: "Web",
};

/**
 * The most credits one entry, estimate, budget or limit may carry, and the bound of a team's balance
 * either way (the ledger's SQL, cw_max_credits, holds the same figure): with it no total can overflow.
 */
export const MAX_CREDITS = 1_000_000_000;

/** Why a run this dear is refused, in the words every form and the API use. */
export function runTooDear(credits: number): string {
  return `This run would cost ${formatNumber(credits)} credits; one run can cost at most ${formatNumber(MAX_CREDITS)}. Use a smaller quantity or settings.`;
}

const wholeCredits = (label: string, min: number) => wholeNumber({ label, min, max: MAX_CREDITS });

/** For fields where leaving them empty has a meaning of its own (switching something off). */
const emptyToUndefined = (value: unknown) => (typeof value === "string" && value.trim() === "" ? undefined : value);

const idempotencyKey = z.string().trim().min(8, "The request key is too short.").max(200).optional();
const optionalText = (max: number) => z.string().trim().max(max, `Use at most ${max} characters.`).optional().default("");
const id = (what: string) => z.string({ error: `Choose ${what}.` }).min(1, `Choose ${what}.`).max(64);

/** Settings arrive as `setting.<key>` form fields or as a `settings` object. */
export function collectSettings(raw: unknown): unknown {
  if (!raw || typeof raw !== "object") return raw;
  const input = { ...(raw as Record<string, unknown>) };
  const settings: Record<string, unknown> = typeof input.settings === "object" && input.settings ? { ...(input.settings as object) } : {};
  for (const [key, value] of Object.entries(input)) {
    if (key.startsWith("setting.")) {
      settings[key.slice("setting.".length)] = value;
      delete input[key];
    }
  }
  return { ...input, settings };
}

const runFields = {
  projectId: id("a project"),
  modelId: z.string({ error: "Choose a model." }).min(1, "Choose a model.").max(100),
  settings: z.record(z.string(), z.string().max(100)).default({}),
  quantity: wholeNumber({ label: "the quantity", min: 1, max: 10_000, unit: "outputs", example: "4", missing: "Enter how many outputs this run makes." }),
  stage: z.enum(RUN_STAGES, { error: "Choose the stage." }),
  purpose: z.enum(PURPOSES, { error: "Choose the purpose." }),
  /** What was asked of the model; kept on the run for the usage history. */
  prompt: z.string().trim().max(4000, "Use at most 4000 characters.").optional(),
  notes: optionalText(1000),
  externalId: z.string().trim().max(200).optional(),
  idempotencyKey,
};

export const runRequestSchema = z.preprocess(
  collectSettings,
  z.object({
    ...runFields,
    /** The approved request this run uses: its hold becomes the run, with no second hold and no second policy check. */
    approvalId: z.preprocess((value) => (value === "" ? undefined : value), id("an approval").optional()),
  }),
);
export type RunRequest = z.output<typeof runRequestSchema>;

/** A run that already happened: what it was, what it cost, how it turned out. */
export const recordRunSchema = z.preprocess(
  collectSettings,
  z.object({
    ...runFields,
    actual: wholeCredits("the actual cost", 0),
    outcome: z.enum(RUN_OUTCOMES, { error: "Choose the outcome." }),
  }),
);
export type RecordRunRequest = z.output<typeof recordRunSchema>;

export const settleRunSchema = z.object({
  runId: id("a run"),
  actual: wholeCredits("the actual cost", 0),
  outcome: z.enum(RUN_OUTCOMES, { error: "Choose the outcome." }),
  idempotencyKey,
});

export const releaseRunSchema = z.object({
  runId: id("a run"),
  failed: z.preprocess((value) => value === "on" || value === "true" || value === true, z.boolean()).default(false),
  reason: optionalText(500),
  idempotencyKey,
});

export const refundRunSchema = z.object({
  runId: id("a run"),
  credits: wholeCredits("the refund", 1),
  reason: z.string({ error: "Say why the credits came back." }).trim().min(3, "Say why the credits came back.").max(500),
  idempotencyKey,
});

const optionalDate = z
  .string()
  .trim()
  .optional()
  .transform((value) => (value ? value : undefined))
  .pipe(calendarDay.optional());

export const GRANT_SOURCES = ["Monthly pool", "Top-up", "Promotion", "Other"] as const;

export const addGrantSchema = z.object({
  amount: wholeCredits("the amount", 1),
  source: z.enum(GRANT_SOURCES, { error: "Choose where the credits come from." }),
  note: optionalText(200),
  /** The last day the credits can be used, in the team's time zone. */
  expiresOn: optionalDate,
  idempotencyKey,
});

/** Why an adjustment was made, in words someone reading the ledger later will understand. */
const adjustmentReason = z
  .string({ error: "Every adjustment needs a reason." })
  .trim()
  .superRefine((reason, ctx) => {
    if (reason === "") ctx.addIssue({ code: "custom", message: "Every adjustment needs a reason." });
    else if (reason.length < 3 || !/\p{L}{2}/u.test(reason)) {
      ctx.addIssue({ code: "custom", message: "Say in a few words why, e.g. “Refund of a double top-up”: it is shown beside the entry." });
    } else if (reason.length > 500) {
      ctx.addIssue({ code: "custom", message: `Keep the reason to 500 characters; this one has ${formatNumber(reason.length)}.` });
    }
  });

export const adjustCreditsSchema = z.object({
  amount: wholeNumber({ label: "the correction", min: -MAX_CREDITS, max: MAX_CREDITS, example: "-250 or 400" }).refine(
    (amount) => amount !== 0,
    "A correction of 0 changes nothing.",
  ),
  reason: adjustmentReason,
  /** The available credits the person agreed to end with, when the correction takes them below zero. */
  confirmAvailable: z.preprocess(emptyToUndefined, wholeNumber({ label: "the confirmed figure", min: -2 * MAX_CREDITS, max: MAX_CREDITS }).optional()),
  idempotencyKey,
});

/** The day weeks start on, 0 = Sunday … 6 = Saturday; absent means Monday, empty is a choice not made. */
const weekStart = z.preprocess(
  (value) => (value === undefined ? "1" : typeof value === "number" ? String(value) : value),
  z.enum(["0", "1", "2", "3", "4", "5", "6"], { error: "Choose the day weeks start on." }).transform(Number),
);

const checkbox = z.preprocess((value) => value === "on" || value === "true" || value === true, z.boolean());

export const setBudgetSchema = z.object({
  projectId: id("a project"),
  credits: wholeCredits("the budget", 1),
  period: z.enum(BUDGET_PERIODS, { error: "Choose the budget period." }),
  weekStartsOn: weekStart,
  // Absent (an API call that leaves it out) means the usual 80 %; empty in the form is missing.
  alertPercent: z.preprocess((value) => value ?? 80, wholeNumber({ label: "the alert percentage", min: 1, max: 99, unit: "percent", example: "80", missing: "Enter the alert percentage, e.g. 80." })),
  hardCap: checkbox.default(false),
});

export const removeBudgetSchema = z.object({ projectId: id("a project") });

export const setMemberLimitSchema = z.object({
  userId: id("a member"),
  scope: z.string({ error: "Choose where the limit applies." }).min(1).max(64),
  credits: wholeCredits("the limit", 1),
  period: z.enum(BUDGET_PERIODS, { error: "Choose the period." }),
  weekStartsOn: weekStart,
});

export const removeMemberLimitSchema = z.object({ limitId: id("a limit") });

export const lowBalanceSchema = z.object({
  // Empty switches the alert off, as the field's hint says.
  threshold: z.preprocess(emptyToUndefined, wholeCredits("the threshold", 1).optional()),
});
