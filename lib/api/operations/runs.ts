// The API's admission: may this run happen (admitted with its hold, needs approval, or denied with the figures),
// then settle what it cost or release the hold.
import { z } from "zod";
import { MAX_CREDITS } from "@/lib/ledger/schema";
import { defineOperation } from "../operation";
import { credits, idParam, modelId, outcome, projectId, purpose, quantity, settings, stage } from "./common";

export const admitRunBody = z
  .strictObject({
    projectId: projectId("The project the run is for (its budget is checked)."),
    modelId,
    settings: settings.optional(),
    quantity,
    stage,
    purpose,
    prompt: z.string().max(4000).optional().meta({ description: "What is asked of the model; kept for the usage history.", example: "Product shot of a red kite, studio light" }),
    notes: z.string().max(1000).optional().meta({ description: "Anything a person reading the history should know." }),
    externalId: z
      .string()
      .min(1)
      .max(200)
      .regex(/^\S(?:[\s\S]*\S)?$/, "An external id may not start or end with a space.")
      .optional()
      .meta({
        description:
          "Your own id for the run (a job id), shown in the history. One job is one run: a usage event (`POST /usage`) with this id as its `eventId` is answered as already recorded, and an admission naming an id another run has is refused (409).",
      }),
    approvalId: z.string().min(1).max(64).optional().meta({ description: "An approved request: its hold becomes this run's." }),
  })
  .meta({ id: "AdmitRunRequest" });

const decisionBase = {
  estimate: credits("What the run costs by the price list in force."),
  priceListVersion: z.number().int(),
};

export const admittedAnswer = z
  .object({
    decision: z.literal("admitted"),
    ...decisionBase,
    run: z.object({
      id: z.string(),
      state: z.literal("held"),
      held: credits("Credits held for the run until it is settled or released."),
    }),
    links: z.object({ settle: z.string(), release: z.string() }),
  })
  .meta({ id: "RunAdmitted" });

export const needsApprovalAnswer = z
  .object({
    decision: z.literal("needs_approval"),
    ...decisionBase,
    rule: z.object({ id: z.string(), name: z.string() }).meta({ description: "The team's approval rule that holds this run back." }),
    links: z.object({ requestApproval: z.string().meta({ description: "POST the same run here to ask for approval." }) }),
  })
  .meta({ id: "RunNeedsApproval", description: "The team's policy needs an approval first; nothing was held." });

export const deniedAnswer = z
  .object({
    decision: z.literal("denied"),
    ...decisionBase,
    reason: z.string().meta({ description: "Why, in the words the app shows." }),
    denial: z.object({
      code: z.enum(["team_balance", "project_budget", "member_limit"]),
      needed: credits("What the run needs."),
      shortfall: credits("How many credits are missing."),
      available: z.number().int().optional().meta({ description: "team_balance: credits available to the team." }),
      budget: z.number().int().optional().meta({ description: "project_budget / member_limit: the amount of the budget or limit." }),
      used: z.number().int().optional().meta({ description: "What the budget or limit has used (or holds) this period." }),
      remaining: z.number().int().optional(),
      period: z.string().optional().meta({ description: "The budget's or limit's period, e.g. 2026-12." }),
    }),
  })
  .meta({ id: "RunDenied", description: "A limit would be passed; nothing was held." });

export const admitRun = defineOperation({
  operationId: "admitRun",
  resendSafe: true,
  method: "post",
  path: "/teams/{teamSlug}/runs",
  tag: "Runs",
  summary: "Ask to run (admission)",
  description:
    "Prices the run and asks the team's approval policy and the ledger, in one step: **admitted** holds the credits (settle or release the run afterwards); **needs_approval** names the rule (request an approval, then send `approvalId`); **denied** gives the reason and the figures. Send an `Idempotency-Key`: a retry is answered as the first request was and never holds twice.",
  role: "member",
  scope: "runs:write",
  body: admitRunBody,
  responses: {
    201: { description: "Admitted: the run exists and its credits are held.", schema: admittedAnswer },
    200: { description: "Not admitted: needs an approval, or denied. Nothing was held.", schema: z.discriminatedUnion("decision", [needsApprovalAnswer, deniedAnswer]) },
  },
});

const runId = z.object({ runId: idParam("run") });

export const settleRunBody = z
  .strictObject({
    actual: z.number().int().min(0).max(MAX_CREDITS).meta({ description: "What the run really cost, in credits." }),
    outcome,
  })
  .meta({ id: "SettleRunRequest" });

export const settledAnswer = z
  .object({
    runId: z.string(),
    state: z.literal("settled"),
    actual: credits("Credits charged."),
    overrun: z.boolean().meta({ description: "True when it cost more than was held." }),
  })
  .meta({ id: "RunSettled" });

export const settleRun = defineOperation({
  operationId: "settleRun",
  resendSafe: true,
  method: "post",
  path: "/teams/{teamSlug}/runs/{runId}/settle",
  tag: "Runs",
  summary: "Settle a run",
  description: "Charges what a held run really cost and records how it turned out; the rest of the hold comes back.",
  role: "member",
  scope: "runs:write",
  params: runId,
  body: settleRunBody,
  responses: { 200: { description: "Settled.", schema: settledAnswer } },
});

export const releaseRunBody = z
  .strictObject({
    failed: z.boolean().optional().meta({ description: "True when the run was tried and failed (no charge); false or left out when it was not run." }),
    reason: z.string().max(500).optional().meta({ description: "Why, for the history (e.g. the job timed out)." }),
  })
  .meta({ id: "ReleaseRunRequest" });

export const releasedAnswer = z
  .object({ runId: z.string(), state: z.enum(["released", "failed"]) })
  .meta({ id: "RunReleased" });

export const releaseRun = defineOperation({
  operationId: "releaseRun",
  resendSafe: true,
  method: "post",
  path: "/teams/{teamSlug}/runs/{runId}/release",
  tag: "Runs",
  summary: "Release a run's hold",
  description: "Gives a held run's credits back without charging anything: the run did not happen, or failed.",
  role: "member",
  scope: "runs:write",
  params: runId,
  body: releaseRunBody,
  responses: { 200: { description: "Released.", schema: releasedAnswer } },
});
