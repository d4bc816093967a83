// The API's apps: the team's catalog with each app's cost per run and what it takes, one app with its steps, versions
// and batches, and running an app — a batch in a project with one item per output.
import { z } from "zod";
import { APP_OUTPUT_TYPES, MAX_APP_INPUTS } from "@/lib/apps/schema";
import { OUTPUT_TYPES, TIERS } from "@/lib/pricing/types";
import { defineOperation } from "../operation";
import { credits, idParam, projectId, purpose, timestamp } from "./common";

const versionRef = z.object({ id: z.string(), version: z.number().int() });

const inputBase = {
  key: z.string().meta({ description: "What to name the value in `values` when running the app." }),
  label: z.string().meta({ description: "What the app's form calls it." }),
};

export const appInput = z
  .discriminatedUnion("kind", [
    z
      .object({
        kind: z.literal("prompt"),
        ...inputBase,
        default: z.string(),
        maxLength: z.number().int().meta({ description: "The most characters the prompt may have." }),
      })
      .meta({ description: "The text sent to the first step." }),
    z
      .object({
        kind: z.literal("setting"),
        ...inputBase,
        step: z.number().int().meta({ description: "The step (from 0) whose setting it is." }),
        setting: z.string().meta({ description: "The setting of that step's model, as the price list names it." }),
        options: z.array(z.string()).meta({ description: "The values the app's author allows; send one of them." }),
        default: z.string(),
      })
      .meta({ description: "One setting of one step, limited to the options the author allows." }),
    z
      .object({
        kind: z.literal("outputs"),
        ...inputBase,
        min: z.number().int(),
        max: z.number().int(),
        default: z.number().int(),
      })
      .meta({ description: "How many outputs (variants) a run makes, a whole number from `min` to `max`: one batch item each." }),
  ])
  .meta({ id: "AppInput", description: "What a person chooses when running the app; a value left out takes the default." });

const appUse = z
  .object({
    runs: z.number().int().meta({ description: "Runs of the app started (each made a batch; tests not counted)." }),
    outputs: z.number().int().meta({ description: "The outputs those runs asked for (the items of their batches)." }),
    settled: z.number().int().meta({ description: "Generations recorded against those outputs and settled." }),
    accepted: z.number().int().meta({ description: "Of those, the ones accepted (accepted share = accepted ÷ settled)." }),
    credits: credits("What its settled runs were charged, after refunds."),
    perAccepted: z.number().int().nullable().meta({ description: "credits ÷ accepted, rounded up; null before any output is accepted." }),
    lastUsedAt: timestamp.nullable(),
    lastUsedBy: z.string().nullable().meta({ description: "The name of who started its newest run." }),
  })
  .meta({ id: "AppUse", description: "How the app's runs have done (a key limited to one project counts that project's runs only)." });

const appFields = {
  id: z.string(),
  name: z.string(),
  description: z.string(),
  outputType: z.enum(APP_OUTPUT_TYPES),
  purpose,
  retired: z.boolean().meta({ description: "Retired apps can no longer be run." }),
  published: versionRef.nullable().meta({ description: "The version a run uses; null until one is published." }),
  draft: versionRef.nullable().meta({ description: "The newest draft, which a test run (`test: true`) uses; null when there is none." }),
  inputs: z.array(appInput).meta({ description: "What a run takes, of the published version (else the draft)." }),
  use: appUse,
};

const appLinks = z.object({
  self: z.string().meta({ description: "The app, with its steps, versions and batches (`GET`)." }),
  run: z.string().meta({ description: "`POST` here to run it." }),
});

export const appSummaryAnswer = z
  .object({
    ...appFields,
    cost: z
      .object({
        priceListVersion: z.number().int().meta({ description: "The version of the team's price list in force the figures come from." }),
        perRun: credits("One run with the default inputs."),
        min: credits("The least one run can cost, over everything the inputs allow."),
        max: credits("The most one run can cost."),
      })
      .nullable()
      .meta({ description: "Of the published version (else the draft); null when the price list in force cannot price it." }),
    links: appLinks,
  })
  .meta({ id: "AppSummary" });

export const listApps = defineOperation({
  operationId: "listApps",
  method: "get",
  path: "/teams/{teamSlug}/apps",
  tag: "Apps",
  summary: "List apps",
  description:
    "The team's apps — tested workflows of fixed models and settings: published ones first, then drafts, then retired ones, each group by name. Each with its cost per run and range by the price list in force, the inputs a run takes, and how its runs have done.",
  role: "viewer",
  scope: "batches:read",
  responses: { 200: { description: "The apps.", schema: z.object({ apps: z.array(appSummaryAnswer) }) } },
});

const appStep = z.object({
  modelId: z.string(),
  settings: z.record(z.string(), z.string()).meta({ description: "The model's settings the app fixes; an input of kind `setting` may choose one of them." }),
});

const stepCost = z.object({
  step: z.number().int().meta({ description: "The step (from 0): the first makes the outputs, the others are tools applied to each." }),
  modelId: z.string(),
  modelName: z.string(),
  outputType: z.enum(OUTPUT_TYPES),
  tier: z.enum(TIERS).nullable(),
  count: z.number().int().meta({ description: "Outputs the step makes or works on." }),
  perUnit: credits("What one of them costs."),
  credits: credits("What the step costs."),
});

const appVersionAnswer = z.object({
  id: z.string(),
  version: z.number().int(),
  state: z.enum(["draft", "published", "superseded"]),
  author: z.object({ id: z.string(), name: z.string() }),
  createdAt: timestamp,
  publishedAt: timestamp.nullable(),
  publishedBy: z.string().nullable(),
  acceptedTestRuns: z.number().int().meta({ description: "Settled, accepted runs of its test batches: what publishing counts." }),
  steps: z.array(appStep),
  inputs: z.array(appInput),
});

const appBatchAnswer = z.object({
  id: z.string(),
  name: z.string(),
  version: z.number().int().meta({ description: "The app version it ran." }),
  test: z.boolean().meta({ description: "A test run of a draft." }),
  project: z.object({ id: z.string(), name: z.string() }),
  createdAt: timestamp,
  createdBy: z.string().nullable(),
  items: z.number().int(),
  runs: z.number().int(),
  accepted: z.number().int(),
  spent: credits("Its settled runs' charges after refunds, plus what its runs hold."),
  links: z.object({ self: z.string(), page: z.string() }),
});

export const APP_BATCHES_LISTED = 50;

export const appAnswer = z
  .object({
    ...appFields,
    createdAt: timestamp,
    createdBy: z.string(),
    retiredAt: timestamp.nullable(),
    requiredTestRuns: z.number().int().meta({ description: "Accepted test runs the team asks of a draft before it is published." }),
    steps: z.array(appStep).meta({ description: "Of the published version (else the draft), in order." }),
    cost: z
      .object({
        priceListVersion: z.number().int(),
        perRun: credits("One run with the default inputs."),
        perOutput: credits("One output with the default inputs, through every step."),
        outputs: z.number().int().meta({ description: "Outputs a run with the default inputs makes." }),
        min: credits("The least one run can cost, over everything the inputs allow."),
        max: credits("The most one run can cost."),
        steps: z.array(stepCost).meta({ description: "A run with the default inputs, step by step." }),
      })
      .nullable()
      .meta({ description: "Of the published version (else the draft), by the price list in force; null when it cannot price it." }),
    versions: z.array(appVersionAnswer).meta({ description: "Every version, newest first." }),
    batches: z.array(appBatchAnswer).meta({ description: `The batches that ran it (tests too), newest first, at most ${APP_BATCHES_LISTED}; a key limited to one project sees that project's.` }),
    links: appLinks,
  })
  .meta({ id: "App" });

const appIdParams = z.object({ appId: idParam("app") });

export const getApp = defineOperation({
  operationId: "getApp",
  method: "get",
  path: "/teams/{teamSlug}/apps/{appId}",
  tag: "Apps",
  summary: "Read an app",
  description:
    "One app: the steps and inputs of the version in use, what a run with the default inputs costs step by step by the price list in force, every version with its accepted test runs, the batches that ran it and how its runs have done.",
  role: "viewer",
  scope: "batches:read",
  params: appIdParams,
  responses: { 200: { description: "The app.", schema: appAnswer } },
});

export const runAppBody = z
  .strictObject({
    projectId: projectId("The project the batch is made in (its budget is what the batch's runs count against)."),
    values: z
      .record(z.string().max(40), z.union([z.string().max(4000, "Use at most 4000 characters."), z.number()], { error: "Send text or a number." }))
      .refine((values) => Object.keys(values).length <= MAX_APP_INPUTS, `An app takes at most ${MAX_APP_INPUTS} inputs.`)
      .optional()
      .meta({
        description: `A value for each input you choose, by its key (\`GET /apps\` lists an app's inputs; an app has at most ${MAX_APP_INPUTS}): text for a prompt or a setting, a whole number for outputs. What is left out takes the input's default; a key the app does not take is refused.`,
        example: { prompt: "A red kite on white", variants: 3 },
      }),
    test: z
      .boolean()
      .optional()
      .meta({ description: "Run the newest draft as a test instead of the published version: its author and the team's admins only (a key acts as its maker, a member at most)." }),
    versionId: z
      .string()
      .min(1)
      .max(64)
      .optional()
      .meta({
        description: "The version you priced (`published.id` or `draft.id` from `GET /apps`): if another one is to run by the time the request arrives (published or changed meanwhile), the run is refused with 409 and nothing is made.",
      }),
  })
  .meta({ id: "RunAppRequest" });

export const appRunAnswer = z
  .object({
    batchId: z.string(),
    versionId: z.string().meta({ description: "The app version the batch runs." }),
    test: z.boolean(),
    items: z.number().int().meta({ description: "The batch's items: one per output, each planned with the app's steps." }),
    links: z.object({
      batch: z.string().meta({ description: "The batch with its items and estimates (`GET`)." }),
      page: z.string().meta({ description: "The batch's page in the app." }),
    }),
  })
  .meta({ id: "AppRun" });

export const runApp = defineOperation({
  operationId: "runApp",
  resendSafe: true,
  method: "post",
  path: "/teams/{teamSlug}/apps/{appId}/runs",
  tag: "Apps",
  summary: "Run an app",
  description:
    "Starts an app: a batch in the project with one item per output, each planned with the app's steps and the inputs filled in, to run item by item like any batch (admission, approvals and budgets as usual; nothing is held yet). A retired app, or one with no published version, is refused (409). Send an `Idempotency-Key`: a retry gets the same batch, never a second one.",
  role: "member",
  scope: "runs:write",
  params: appIdParams,
  body: runAppBody,
  responses: { 201: { description: "The batch was made.", schema: appRunAnswer } },
});
