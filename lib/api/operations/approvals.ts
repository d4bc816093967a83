// The API's approval requests: ask for a run the team's policy holds back (with the four answers), then read its state.
import { z } from "zod";
import { REQUEST_STATES } from "@/lib/approvals/requests";
import { FINAL_QUESTION_LABELS, FINAL_QUESTIONS, type FinalQuestion } from "@/lib/batches/schema";
import { OUTPUT_TYPES, TIERS } from "@/lib/pricing/types";
import { defineOperation } from "../operation";
import { finding } from "./batches";
import { credits, idParam, purpose, stage, timestamp } from "./common";
import { admitRunBody } from "./runs";

const MAX_ANSWER_NOTE = 500;

const answer = (question: FinalQuestion) =>
  z
    .strictObject(
      {
        answer: z.enum(["yes", "no"], { error: `Answer “${FINAL_QUESTION_LABELS[question]}” with yes or no.` }),
        note: z.string().max(MAX_ANSWER_NOTE).optional().meta({ description: "Why, in a few words; may be left out." }),
      },
      { error: (issue) => (issue.code === "invalid_type" ? `Answer “${FINAL_QUESTION_LABELS[question]}”: { "answer": "yes" or "no", "note": "…" }.` : undefined) },
    )
    .meta({ description: FINAL_QUESTION_LABELS[question] });

export const requestAnswers = z
  .strictObject(Object.fromEntries(FINAL_QUESTIONS.map((question) => [question, answer(question)])) as Record<FinalQuestion, ReturnType<typeof answer>>, {
    error: (issue) => (issue.code === "invalid_type" ? "Answer the four questions before generating: qualityNeeded, videoNecessary, editInstead, isFinalVersion." : undefined),
  })
  .meta({ id: "ApprovalAnswers", description: "The four questions the app asks before a premium final, each answered yes or no with an optional note." });

export const requestApprovalBody = admitRunBody
  .omit({ externalId: true, approvalId: true })
  .extend({
    prompt: admitRunBody.shape.prompt.meta({
      description: "Accepted but not kept: a request stores no prompt. Send it with POST /runs when you run.",
    }),
    answers: requestAnswers,
    batchItemId: z.string().min(1).max(64).optional().meta({ description: "The batch item this run is for; it must be in a batch of the same project." }),
  })
  .meta({ id: "ApprovalRequestInput" });

const rule = z.object({ id: z.string(), name: z.string() }).meta({ description: "The team's approval rule the run falls under." });

export const approvalRequestedAnswer = z
  .object({
    decision: z.literal("requested"),
    id: z.string().meta({ description: "The request's id: read its state with GET /approvals/{approvalId}, run it with POST /runs and `approvalId`." }),
    state: z.literal("pending"),
    estimate: credits("What the run costs by the price list in force; an approval holds this much."),
    rule,
    lapsesAt: timestamp.meta({ description: "If nobody decides it by then, the request lapses." }),
    links: z.object({
      self: z.string().meta({ description: "GET it here for its state." }),
      page: z.string().meta({ description: "The request's page in the app, for a person (approvers decide there)." }),
    }),
  })
  .meta({ id: "ApprovalRequested", description: "The request was made; the approvers it needs were told." });

export const approvalNotNeededAnswer = z
  .object({
    decision: z.literal("not_needed"),
    detail: z.string().meta({ description: "Why, for a person." }),
    links: z.object({ admit: z.string().meta({ description: "POST the run here (without `approvalId`): the policy lets it through." }) }),
  })
  .meta({ id: "ApprovalNotNeeded", description: "The team's policy lets this run through without an approval: nothing was requested." });

export const requestApproval = defineOperation({
  operationId: "requestApproval",
  resendSafe: true,
  method: "post",
  path: "/teams/{teamSlug}/approvals",
  tag: "Approvals",
  summary: "Request an approval",
  description:
    "Asks the team's approvers to approve a run that POST /runs answered **needs_approval**: the same run, plus the four answers the app asks before a premium final. The run is priced with the price list in force, the rule and the recommendation findings are kept with it, and the approvers are told. Once approved, the credits are held for the person who asked until the approval expires; run it with POST /runs and `approvalId`. A run the policy does not hold back is answered **not_needed**, and nothing is requested. Send an `Idempotency-Key`: a retry makes no second request.",
  role: "member",
  scope: "approvals:write",
  body: requestApprovalBody,
  responses: {
    201: { description: "Requested.", schema: approvalRequestedAnswer },
    200: { description: "No approval needed: nothing was requested.", schema: approvalNotNeededAnswer },
  },
});

const person = z.object({ id: z.string(), name: z.string() });

export const approvalAnswer = z
  .object({
    id: z.string(),
    state: z.enum(REQUEST_STATES).meta({
      description:
        "pending: waiting for decisions; approved: the credits are held, run it; rejected; withdrawn by the person who asked; lapsed: nobody decided in time; expired: approved but not run in time (the hold was released); used: run with the approval.",
    }),
    createdAt: timestamp,
    requester: person,
    project: z.object({ id: z.string(), name: z.string(), archived: z.boolean() }),
    batchItem: z.object({ id: z.string(), title: z.string(), batchId: z.string(), batchName: z.string() }).nullable(),
    run: z
      .object({
        modelId: z.string(),
        modelName: z.string(),
        tier: z.enum(TIERS).nullable(),
        outputType: z.enum(OUTPUT_TYPES),
        settings: z.record(z.string(), z.string()).meta({ description: "Every setting the price used, defaults filled in." }),
        quantity: z.number().int(),
        stage,
        purpose,
        notes: z.string(),
      })
      .meta({ description: "The run asked for; an approval covers this run (or a cheaper one of the same model, settings and stage)." }),
    estimate: credits("What the run costs by the price list of the request; an approval holds this much."),
    breakdown: z.string(),
    priceListVersion: z.number().int(),
    policyVersion: z.number().int(),
    rule: z.object({
      name: z.string(),
      approvals: z.number().int().meta({ description: "How many different approvers must approve." }),
      validHours: z.number().int().meta({ description: "How long an approval holds the credits before it expires." }),
      condition: z.string().meta({ description: "What the rule covers, in words." }),
      requirement: z.string().meta({ description: "Who must approve, in words." }),
    }),
    findings: z.array(finding).meta({ description: "Cheaper ways to the same result, found when the request was made." }),
    answers: z.array(
      z.object({
        question: z.enum(FINAL_QUESTIONS),
        label: z.string(),
        answer: z.enum(["yes", "no"]).nullable(),
        note: z.string(),
      }),
    ),
    decisions: z.array(
      z.object({
        userId: z.string(),
        userName: z.string(),
        decision: z.enum(["approve", "reject"]),
        comment: z.string(),
        at: timestamp,
      }),
    ),
    approvedAt: timestamp.nullable(),
    expiresAt: timestamp.nullable().meta({ description: "Approved: the approval expires unused then, and its hold is released." }),
    lapsesAt: timestamp.meta({ description: "Pending: the request lapses then if nobody decided it." }),
    hold: z
      .object({
        runId: z.string(),
        state: z.enum(["held", "settled", "released", "failed"]),
        held: credits("Credits the approval holds (or held) for the run."),
        actual: z.number().int().nullable().meta({ description: "What the run cost, once settled." }),
      })
      .nullable()
      .meta({ description: "The run the approval holds credits for; its id becomes the run's id when it is run." }),
    howToRun: z
      .object({
        method: z.literal("POST"),
        href: z.string(),
        body: admitRunBody,
        note: z.string(),
      })
      .nullable()
      .meta({ description: "While approved: the request that runs it. Only the person who asked (or a key they made) can." }),
    links: z.object({ self: z.string(), page: z.string().meta({ description: "The request's page in the app, for a person." }) }),
  })
  .meta({ id: "ApprovalRequest" });

export const getApproval = defineOperation({
  operationId: "getApproval",
  method: "get",
  path: "/teams/{teamSlug}/approvals/{approvalId}",
  tag: "Approvals",
  summary: "Read an approval request",
  description:
    "The request's state as of now (an approval past its expiry reads `expired` before any sweep writes it down), the run asked for, its estimate and rule, the decisions with their comments and, once approved, the held run and how to run it. Every member of the team can read every request, as in the app. A key limited to one project reads that project's requests only.",
  role: "member",
  scope: "approvals:write",
  params: z.object({ approvalId: idParam("approval request") }),
  responses: { 200: { description: "The request.", schema: approvalAnswer } },
});
