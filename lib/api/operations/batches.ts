// The API's batches: the team's plans with their totals, and one batch as its page shows it — items, estimates, findings.
import { z } from "zod";
import { FINAL_QUESTIONS } from "@/lib/batches/schema";
import { OUTPUT_TYPES, TIERS } from "@/lib/pricing/types";
import { ITEM_STATUSES, RULE_IDS } from "@/lib/recommendations/types";
import { defineOperation } from "../operation";
import { credits, idParam, outcome, purpose, signedCredits, stage, timestamp } from "./common";

export const finding = z
  .object({
    key: z.string().meta({ description: "Stable while the plan is unchanged (what a dismissal remembers)." }),
    rule: z.enum(RULE_IDS),
    kind: z.enum(["saving", "quality", "advice"]).meta({ description: "saving: it costs less; quality: the plan is too cheap for its purpose; advice." }),
    itemId: z.string().nullable().meta({ description: "The item it is about; null when it is about the whole batch." }),
    title: z.string(),
    changeText: z.string().meta({ description: "What to change, in words." }),
    explanation: z.string(),
    before: credits("Credits as planned."),
    after: credits("Credits after the change."),
    saved: signedCredits("before − after: what the change saves (negative for a quality warning, which costs more)."),
  })
  .meta({ id: "Finding", description: "A recommendation: what to change and how many credits it saves." });

const planStep = z.object({ modelId: z.string(), settings: z.record(z.string(), z.string()), count: z.number().int() });

const stepEstimate = z.object({
  stage: z.enum(["tests", "finals", "tools"]),
  index: z.number().int(),
  modelId: z.string(),
  modelName: z.string(),
  outputType: z.enum(OUTPUT_TYPES),
  tier: z.enum(TIERS).nullable(),
  count: z.number().int(),
  perUnit: credits("What one output of the step costs."),
  credits: credits("What the step costs."),
});

const itemEstimate = z
  .discriminatedUnion("ok", [
    z.object({
      ok: z.literal(true),
      credits: credits("The item's whole plan."),
      tests: credits("Its test iterations."),
      finals: credits("Its finals."),
      tools: credits("Its tool steps."),
      steps: z.array(stepEstimate),
    }),
    z.object({
      ok: z.literal(false),
      error: z.object({ message: z.string(), field: z.string().meta({ description: "The part of the plan at fault, e.g. `finals.modelId`." }) }),
    }),
  ])
  .meta({ description: "The item's plan priced with the team's price list in force, or why it cannot be priced (it then counts nothing)." });

const itemRun = z.object({
  id: z.string(),
  stage,
  state: z.enum(["held", "settled", "released", "failed"]),
  estimate: credits("What was held for it."),
  actual: z.number().int().nullable(),
  quantity: z.number().int(),
  modelName: z.string(),
  outcome: outcome.nullable(),
  spent: credits("What it counts in the item's spent: held while on hold, charged less refunds once settled."),
  createdAt: timestamp,
  approvalId: z.string().nullable().meta({ description: "The approval request this run is the hold of, if any." }),
});

const batchItem = z.object({
  id: z.string(),
  position: z.number().int(),
  title: z.string(),
  outputType: z.enum(OUTPUT_TYPES),
  purpose,
  prompt: z.string(),
  status: z.enum(ITEM_STATUSES),
  plan: z
    .object({ tests: planStep.nullable(), finals: planStep.nullable(), tools: z.array(planStep) })
    .meta({ description: "Test iterations, finals and tool steps, each a model with its settings and a count." }),
  flags: z.object({
    webOnly: z.boolean(),
    willBeEdited: z.boolean(),
    stillWouldDo: z.boolean(),
    backgroundMusic: z.boolean(),
    editExisting: z.boolean(),
  }),
  answers: z.record(z.enum(FINAL_QUESTIONS), z.object({ answer: z.enum(["yes", "no"]).nullable(), note: z.string() })),
  estimate: itemEstimate,
  spent: credits("Credits its runs spent or hold."),
  findings: z.array(finding).meta({ description: "Open findings about this item (none once it is done or dropped)." }),
  runs: z.array(itemRun),
});

export const batchAnswer = z
  .object({
    id: z.string(),
    name: z.string(),
    dueDate: z.string().nullable().meta({ description: "A day, YYYY-MM-DD." }),
    notes: z.string(),
    createdAt: timestamp,
    updatedAt: timestamp,
    project: z.object({ id: z.string(), name: z.string(), archived: z.boolean() }),
    priceListVersion: z.number().int().meta({ description: "The version of the team's price list the estimates come from (the one in force)." }),
    totals: z.object({
      planned: credits("The plan of every item not dropped that can be priced."),
      stillToDo: credits("What the items still to do have left to spend."),
      spent: credits("What the items' runs spent or hold."),
      done: z.number().int(),
      items: z.number().int().meta({ description: "Items that count towards progress: all but the dropped ones." }),
      couldSave: credits("What applying every open saving, one after another, would save."),
      overBy: z.number().int().nullable().meta({ description: "By how much what is still to do exceeds what the project's budget has left; null when it fits or there is no budget." }),
    }),
    budget: z
      .object({ credits: z.number().int(), remaining: z.number().int(), period: z.string().meta({ description: "The budget's current period, in words." }) })
      .nullable()
      .meta({ description: "The project's budget; null when it has none (or is archived)." }),
    byModel: z.array(
      z.object({
        modelId: z.string(),
        modelName: z.string(),
        outputType: z.enum(OUTPUT_TYPES),
        tier: z.enum(TIERS).nullable(),
        itemIds: z.array(z.string()),
        runs: z.number().int(),
        credits: credits("What the plan spends on this model."),
      }),
    ),
    unpricedItemIds: z.array(z.string()).meta({ description: "Items the price list in force cannot price (a model removed or disabled); not in the totals." }),
    findings: z.array(finding).meta({ description: "Open findings about the batch as a whole; each item lists its own." }),
    dismissedFindings: z.array(finding).meta({ description: "Findings people dismissed that still apply to the plans as they are." }),
    items: z.array(batchItem),
    links: z.object({ page: z.string(), export: z.string().meta({ description: "The batch as CSV (for a signed-in person)." }) }),
  })
  .meta({ id: "Batch" });

export const getBatch = defineOperation({
  operationId: "getBatch",
  method: "get",
  path: "/teams/{teamSlug}/batches/{batchId}",
  tag: "Batches",
  summary: "Read a batch",
  description:
    "A batch as its page shows it: each item with its plan, progress, estimate, findings and runs; the estimate by model; the totals against the project's budget. Estimates use the price list in force. A key limited to one project reads that project's batches only.",
  role: "viewer",
  scope: "batches:read",
  params: z.object({ batchId: idParam("batch") }),
  responses: { 200: { description: "The batch.", schema: batchAnswer } },
});

export const MAX_BATCHES_LISTED = 500;

export const batchSummaryAnswer = z
  .object({
    id: z.string(),
    name: z.string(),
    project: z.object({ id: z.string(), name: z.string() }),
    dueDate: z.string().nullable().meta({ description: "A day, YYYY-MM-DD." }),
    items: z.number().int().meta({ description: "Items that count towards progress: all but the dropped ones." }),
    done: z.number().int(),
    planned: credits("The plan of every item not dropped that can be priced now."),
    spent: credits("What the items' runs spent or hold."),
    couldSave: credits("What applying the open saving findings, one after another, would save."),
    links: z.object({ self: z.string() }),
  })
  .meta({ id: "BatchSummary" });

export const listBatches = defineOperation({
  operationId: "listBatches",
  method: "get",
  path: "/teams/{teamSlug}/batches",
  tag: "Batches",
  summary: "List batches",
  description:
    "The team's batches with their totals, soonest due first (those without a due date last, newest first), as the Batches page lists them. A key limited to one project lists that project's batches only.",
  role: "viewer",
  scope: "batches:read",
  query: z.object({
    project: z.string().min(1).max(64).optional().meta({ description: "Only this project's batches." }),
    limit: z
      .string()
      .regex(/^\d{1,4}$/, `Give a number from 1 to ${MAX_BATCHES_LISTED}.`)
      .transform(Number)
      .pipe(z.number().int().min(1, `Give a number from 1 to ${MAX_BATCHES_LISTED}.`).max(MAX_BATCHES_LISTED, `Give a number from 1 to ${MAX_BATCHES_LISTED}.`))
      .optional()
      .meta({ description: `How many batches at most (default 100, at most ${MAX_BATCHES_LISTED}).` }),
  }),
  responses: {
    200: {
      description: "The batches.",
      schema: z.object({
        batches: z.array(batchSummaryAnswer),
        more: z.boolean().meta({ description: "True when there are more than `limit`: narrow by project or raise the limit." }),
      }),
    },
  },
});
