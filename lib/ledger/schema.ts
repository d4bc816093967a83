// Inputs of credit, budget and run forms (and, later, the API).
import { z } from "zod";
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

const MAX_CREDITS = 1_000_000_000;

const wholeCredits = (label: string, min: number) =>
  z.coerce
    .number({ error: `Enter ${label} as a whole number of credits.` })
    .int(`Enter ${label} as a whole number of credits.`)
    .min(min, min === 0 ? `${label[0].toUpperCase()}${label.slice(1)} cannot be negative.` : `Enter at least ${min} credit${min === 1 ? "" : "s"}.`)
    .max(MAX_CREDITS, "That is more credits than Creditwise counts in one entry.");

const idempotencyKey = z.string().trim().min(8, "The request key is too short.").max(200).optional();
const optionalText = (max: number) => z.string().trim().max(max, `Use at most ${max} characters.`).optional().default("");
const id = (what: string) => z.string({ error: `Choose ${what}.` }).min(1, `Choose ${what}.`).max(64);

/** Settings arrive as `setting.<key>` form fields or as a `settings` object. */
function collectSettings(raw: unknown): unknown {
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
  quantity: z.coerce.number({ error: "Enter how many." }).int("Enter a whole number.").min(1, "Enter at least 1.").max(10_000, "At most 10,000 in one run."),
  stage: z.enum(RUN_STAGES, { error: "Choose the stage." }),
  purpose: z.enum(PURPOSES, { error: "Choose the purpose." }),
  notes: optionalText(1000),
  externalId: z.string().trim().max(200).optional(),
  idempotencyKey,
};

export const runRequestSchema = z.preprocess(collectSettings, z.object(runFields));
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
  .pipe(z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "Enter a date like 2026-12-31.").optional());

export const GRANT_SOURCES = ["Monthly pool", "Top-up", "Promotion", "Other"] as const;

export const addGrantSchema = z.object({
  amount: wholeCredits("the amount", 1),
  source: z.enum(GRANT_SOURCES, { error: "Choose where the credits come from." }),
  note: optionalText(200),
  /** The last day the credits can be used, in the team's time zone. */
  expiresOn: optionalDate,
  idempotencyKey,
});

export const adjustCreditsSchema = z.object({
  amount: z.coerce
    .number({ error: "Enter the correction in credits, e.g. -250 or 400." })
    .int("Enter a whole number of credits.")
    .min(-MAX_CREDITS)
    .max(MAX_CREDITS)
    .refine((amount) => amount !== 0, "A correction of 0 changes nothing."),
  reason: z.string({ error: "Every adjustment needs a reason." }).trim().min(3, "Every adjustment needs a reason.").max(500),
  idempotencyKey,
});

const checkbox = z.preprocess((value) => value === "on" || value === "true" || value === true, z.boolean());

export const setBudgetSchema = z.object({
  projectId: id("a project"),
  credits: wholeCredits("the budget", 1),
  period: z.enum(BUDGET_PERIODS, { error: "Choose the budget period." }),
  weekStartsOn: z.coerce.number().int().min(0).max(6).default(1),
  alertPercent: z.coerce.number({ error: "Enter a percentage." }).int("Enter a whole percentage.").min(1, "Use 1–99 %.").max(99, "Use 1–99 %.").default(80),
  hardCap: checkbox.default(false),
});

export const removeBudgetSchema = z.object({ projectId: id("a project") });

export const setMemberLimitSchema = z.object({
  userId: id("a member"),
  scope: z.string({ error: "Choose where the limit applies." }).min(1).max(64),
  credits: wholeCredits("the limit", 1),
  period: z.enum(BUDGET_PERIODS, { error: "Choose the period." }),
  weekStartsOn: z.coerce.number().int().min(0).max(6).default(1),
});

export const removeMemberLimitSchema = z.object({ limitId: id("a limit") });

export const lowBalanceSchema = z.object({
  threshold: z.preprocess(
    (value) => (typeof value === "string" && value.trim() === "" ? undefined : value),
    z.coerce
      .number({ error: "Enter a whole number of credits." })
      .int("Enter a whole number of credits.")
      .min(1, "Enter at least 1, or leave it empty.")
      .max(MAX_CREDITS)
      .optional(),
  ),
});
