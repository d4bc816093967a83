// Inputs of approval requests: a new request with its four answers, a decision, a withdrawal. Pure.
import { z } from "zod";
import { FINAL_QUESTIONS, FINAL_QUESTION_LABELS, type FinalQuestion } from "@/lib/batches/schema";
import { collectSettings, PURPOSES, RUN_STAGES } from "@/lib/ledger/schema";
import { wholeNumber } from "@/lib/whole-number";

export const MAX_COMMENT = 1_000;
const MAX_ANSWER_NOTE = 500;

const id = (what: string) => z.string({ error: `Choose ${what}.` }).trim().min(1, `Choose ${what}.`).max(64);
const optionalText = (max: number) => z.string().trim().max(max, `Use at most ${max} characters.`).optional().default("");

/** A request's answer to one of the four questions: both the yes/no and a note, which may be empty. */
export type RequestAnswer = { answer: "yes" | "no"; note: string };
export type RequestAnswers = Record<FinalQuestion, RequestAnswer>;

// Unlike a batch item's questions, which may stay open while planning, a request is not made until all four are answered.
const answerField = (question: FinalQuestion) =>
  z.enum(["yes", "no"], { error: `Answer “${FINAL_QUESTION_LABELS[question]}” with yes or no.` });

/**
 * Fields as the request form posts them: the run (`setting.<key>` or a `settings` object, as on the project page) and
 * `qualityNeeded=yes|no` with `qualityNeededNote`, one pair per question.
 */
export const createRequestSchema = z.preprocess(
  collectSettings,
  z
    .object({
      projectId: id("a project"),
      batchItemId: z.preprocess((value) => (value === "" || value === null ? undefined : value), id("an item").optional()),
      modelId: z.string({ error: "Choose a model." }).trim().min(1, "Choose a model.").max(100),
      settings: z.record(z.string(), z.string().max(100)).default({}),
      quantity: wholeNumber({ label: "the quantity", min: 1, max: 10_000, unit: "outputs", example: "4", missing: "Enter how many outputs this run makes." }),
      stage: z.enum(RUN_STAGES, { error: "Choose the stage." }),
      purpose: z.enum(PURPOSES, { error: "Choose the purpose." }),
      notes: optionalText(1000),
      ...(Object.fromEntries(FINAL_QUESTIONS.flatMap((q) => [[q, answerField(q)], [`${q}Note`, optionalText(MAX_ANSWER_NOTE)]])) as Record<
        FinalQuestion | `${FinalQuestion}Note`,
        z.ZodType<string, unknown>
      >),
    })
    .transform((input): CreateRequestInput => {
      const raw = input as unknown as Record<string, string>;
      const answers = Object.fromEntries(
        FINAL_QUESTIONS.map((q) => [q, { answer: raw[q] as RequestAnswer["answer"], note: raw[`${q}Note`] ?? "" }]),
      ) as RequestAnswers;
      return {
        projectId: input.projectId,
        batchItemId: input.batchItemId,
        modelId: input.modelId,
        settings: input.settings,
        quantity: input.quantity,
        stage: input.stage,
        purpose: input.purpose,
        notes: input.notes,
        answers,
      };
    }),
);

/** A new request as the command takes it. */
export type CreateRequestInput = {
  projectId: string;
  batchItemId?: string;
  modelId: string;
  settings: Record<string, string>;
  quantity: number;
  stage: (typeof RUN_STAGES)[number];
  purpose: (typeof PURPOSES)[number];
  notes: string;
  answers: RequestAnswers;
};

export const DECISIONS = ["approve", "reject"] as const;

export const decideRequestSchema = z
  .object({
    requestId: id("a request"),
    decision: z.enum(DECISIONS, { error: "Choose approve or reject." }),
    comment: optionalText(MAX_COMMENT),
  })
  .superRefine((input, ctx) => {
    // The requester reads why; a rejection without a reason leaves them guessing.
    if (input.decision === "reject" && input.comment === "") {
      ctx.addIssue({ code: "custom", path: ["comment"], message: "Say why you reject it: the requester reads this." });
    }
  });
export type DecideRequestInput = z.output<typeof decideRequestSchema>;

export const withdrawRequestSchema = z.object({ requestId: id("a request") });

const idempotencyKey = z.string().trim().min(8, "The request key is too short.").max(200).optional();

/** Running an approved request as it was approved: the request names the run; the key makes a resend harmless. */
export const runApprovedSchema = z.object({ requestId: id("a request"), idempotencyKey });
export type RunApprovedInput = z.output<typeof runApprovedSchema>;
