// The API's usage: record runs that already happened (events with the caller's ids, so a resend changes nothing), and
// read the Usage page's runs, ledger entries and totals with its filters.
import { z } from "zod";
import { MAX_EVENTS } from "@/lib/imports/schema";
import { RUN_SORTS, usageChoiceFields } from "@/lib/usage/filters";
import { defineOperation } from "../operation";
import { credits, modelId, nextCursor, outcome, projectId, purpose, quantity, settings, signedCredits, stage, timestamp } from "./common";

// --- recording usage -----------------------------------------------------------------------------------------------

/** One event as the caller sends it; each event of a request is checked on its own (see recordUsage). */
export const usageEvent = z.strictObject({
  eventId: z
    .string()
    .min(1)
    .max(200)
    .regex(/^\S(?:[\s\S]*\S)?$/, "An event id may not start or end with a space.")
    .meta({
      description:
        "Your id for this event (the platform's job or event id). Sent again, the event is answered as already recorded and nothing changes; the same id with other content is refused. It is the run's external id, the same one a usage import reads (a file with this external id does not record it twice) and the one an admission (`POST /runs`) may carry: an event whose id a held or settled run has as its external id is that run — already recorded, never charged twice (settle the admitted run with what it cost).",
      example: "render-7f3a-0042",
    }),
  projectId: projectId("The project the run was for."),
  modelId,
  settings: settings.optional(),
  quantity,
  stage,
  purpose,
  outcome,
  actual: credits("What the run cost on the platform, in credits: what is charged."),
  occurredAt: z.iso.datetime({ offset: true }).meta({
    description:
      "When the run happened, as an ISO 8601 date and time with its offset (`Z` for UTC). The run is priced by the price list in force then. Not in the future (a minute's difference between clocks is allowed), nor before 2000.",
    example: "2026-12-06T17:00:00Z",
  }),
  prompt: z.string().max(4000).optional().meta({ description: "What was asked of the model; kept for the usage history." }),
  notes: z.string().max(1000).optional(),
});

export type UsageEventInput = z.output<typeof usageEvent>;

// Each event is read on its own by the handler (usageEvent.safeParse), so one bad event is refused in its place while
// the others are recorded; the document still shows the event's schema, rendered from the same zod schema.
const eventSlot = z.unknown().meta({
  override: ({ jsonSchema }) => {
    const { $schema: _dialect, ...rendered } = z.toJSONSchema(usageEvent, { io: "input" }) as Record<string, unknown>;
    void _dialect;
    Object.assign(jsonSchema, rendered, { title: "UsageEvent" });
  },
});

export const recordUsageBody = z
  .strictObject({
    events: z
      .array(eventSlot)
      .min(1, "Send at least one event.")
      .max(MAX_EVENTS, `Send at most ${MAX_EVENTS.toLocaleString("en-US")} events per request.`)
      .meta({ description: `1 to ${MAX_EVENTS.toLocaleString("en-US")} runs that happened, each answered in its place.` }),
  })
  .meta({ id: "RecordUsageRequest" });

const index = z.number().int().min(0).meta({ description: "The event's place in the request's `events`, from 0." });

export const eventRecorded = z
  .object({
    index,
    eventId: z.string(),
    status: z.literal("recorded"),
    runId: z.string(),
    charged: credits("Credits charged: the event's `actual`."),
    overBudget: z.boolean().meta({ description: "True when it went past a budget, a limit or the balance: recorded anyway, and flagged to the team's admins." }),
  })
  .meta({ id: "UsageEventRecorded" });

export const eventAlreadyRecorded = z
  .object({ index, eventId: z.string(), status: z.literal("already_recorded"), runId: z.string().meta({ description: "The run recorded for this event id before." }) })
  .meta({ id: "UsageEventAlreadyRecorded", description: "This event id was recorded before with the same content; nothing changed." });

export const eventRefused = z
  .object({
    index,
    eventId: z.string().nullable().meta({ description: "Null when the event has no readable id." }),
    status: z.literal("refused"),
    reason: z.string().meta({ description: "Why, for a person." }),
    field: z.string().nullable().meta({ description: "The event's field at fault (e.g. `occurredAt`, `settings.resolution`), if one is." }),
  })
  .meta({ id: "UsageEventRefused", description: "Not recorded; nothing of it was written. Fix it and send it again with the same id." });

export const recordUsageAnswer = z
  .object({
    totals: z.object({
      events: z.number().int(),
      recorded: z.number().int(),
      alreadyRecorded: z.number().int(),
      refused: z.number().int(),
      charged: z.number().int().meta({ description: "Credits charged for the events recorded by this request." }),
    }),
    events: z.array(z.discriminatedUnion("status", [eventRecorded, eventAlreadyRecorded, eventRefused])).meta({ description: "One answer per event, in the order sent." }),
  })
  .meta({ id: "UsageRecorded" });

export const recordUsage = defineOperation({
  operationId: "recordUsage",
  resendSafe: true,
  method: "post",
  path: "/teams/{teamSlug}/usage",
  tag: "Usage",
  summary: "Record usage",
  description:
    "Records runs that already happened on the platform, 1 to 1,000 per request, each as the person the key belongs to (or who is signed in), priced by the price list in force when it happened and charged its `actual` credits. " +
    "**Each event is answered on its own**: `recorded` (with its run and what was charged), `already_recorded` (its event id was recorded before with the same content: nothing changes, in any request, with or without an `Idempotency-Key`), or `refused` (with the reason and the field) — an invalid event is refused in its place while the valid ones are recorded. " +
    "Only the request as a whole is refused (400) when it is not `{ events: [...] }` with 1 to 1,000 items. " +
    "Usage past a budget, a member's limit or the balance is recorded anyway and flagged to the team's admins (`overBudget`). A key limited to one project may only record usage of that project: an event of another is refused in its place.",
  role: "member",
  scope: "usage:write",
  body: recordUsageBody,
  // 1,000 events, each with its longest prompt and notes written as JSON escapes (6 bytes a character), fit.
  maxBodyBytes: 32 * 1024 * 1024,
  responses: { 200: { description: "Each event's answer, in the order sent, and the totals.", schema: recordUsageAnswer } },
});

// --- reading usage ---------------------------------------------------------------------------------------------------

const id = (what: string) => z.string().max(200).optional().meta({ description: what });

/** The Usage page's filter, as its URL carries it. */
const usageFilterQuery = {
  project: id("A project's id. A key limited to one project reads that project only (another is refused with 403)."),
  member: id("A person's id: their runs, and the ledger entries they made."),
  model: id("A model's id in the team's price list."),
  type: usageChoiceFields.type.meta({ description: "An output type." }),
  tier: usageChoiceFields.tier.meta({ description: "A model tier." }),
  stage: usageChoiceFields.stage.meta({ description: "A stage." }),
  outcome: usageChoiceFields.outcome.meta({ description: "An outcome; `none` for runs without one (still held, or settled without an outcome)." }),
  batch: id("A batch's id: the runs recorded against its items."),
  range: usageChoiceFields.range.meta({ description: "The days: a preset counted back from today in the team's time zone, or `custom` with `from` and `to`. Default `30d`." }),
  from: usageChoiceFields.from.meta({ description: "The first day (YYYY-MM-DD, in the team's time zone) of a custom range, which needs it; days without `range` mean `custom`, days beside another preset are refused." }),
  to: usageChoiceFields.to.meta({ description: "The last day of a custom range, counted; today when left out." }),
};

const cursor = z.string().max(200).optional().meta({ description: "`nextCursor` of the page before, for the next page." });

export const appliedFilter = z
  .object({
    project: z.string().optional(),
    member: z.string().optional(),
    model: z.string().optional(),
    type: z.string().optional(),
    tier: z.string().optional(),
    stage: z.string().optional(),
    outcome: z.string().optional(),
    batch: z.string().optional(),
    range: z.string(),
    from: z.string().meta({ description: "The first day counted, in the team's time zone." }),
    to: z.string().meta({ description: "The last day counted." }),
  })
  .meta({ id: "UsageFilter", description: "The filter as applied: the days spelled out, and the project a limited key is held to." });

export const usageRun = z
  .object({
    id: z.string(),
    createdAt: timestamp,
    projectId: z.string(),
    projectName: z.string(),
    userId: z.string(),
    userName: z.string(),
    modelId: z.string(),
    modelName: z.string(),
    outputType: z.string(),
    tier: z.string().nullable(),
    quantity: z.number().int(),
    stage: z.string(),
    purpose: z.string(),
    state: z.string().meta({ description: "held, settled, released or failed." }),
    outcome: z.string().nullable(),
    estimate: credits("What the price list said it would cost."),
    charged: credits("What it was charged (0 while held)."),
    refunded: credits("Credits refunded on it."),
    overrun: z.boolean(),
    overBudget: z.boolean().meta({ description: "Recorded past a budget, limit or the balance." }),
    prompt: z.string(),
    notes: z.string(),
    externalId: z.string().nullable().meta({ description: "The caller's id: a usage event's `eventId`, an imported row's external id." }),
  })
  .meta({ id: "UsageRun" });

export const listRuns = defineOperation({
  operationId: "listRuns",
  method: "get",
  path: "/teams/{teamSlug}/runs",
  tag: "Usage",
  summary: "List runs",
  description:
    "The runs the Usage page lists for the same filter, 50 a page in the chosen order; `nextCursor` gives the next page. A value the filter cannot use is refused (400) at its field, never left out.",
  role: "viewer",
  scope: "usage:read",
  query: z.object({
    ...usageFilterQuery,
    sort: z.enum(RUN_SORTS).optional().meta({ description: "newest (the default), oldest, credits (most first) or cheapest." }),
    cursor,
  }),
  responses: {
    200: {
      description: "A page of runs.",
      schema: z.object({ filter: appliedFilter, runs: z.array(usageRun), nextCursor }).meta({ id: "UsageRunPage" }),
    },
  },
});

export const ledgerEntry = z
  .object({
    id: z.string().meta({ description: "The entry's number in the team's ledger." }),
    createdAt: timestamp,
    kind: z.string().meta({ description: "grant, hold, charge, release, refund, adjustment, expiry, …" }),
    amount: signedCredits("Credits in (+) or out (−) of the balance."),
    heldDelta: signedCredits("Credits held (+) or let go (−)."),
    balanceAfter: signedCredits("The team's balance after this entry."),
    heldAfter: signedCredits("Credits held after this entry."),
    availableAfter: signedCredits("Balance less held, after this entry."),
    projectId: z.string().nullable(),
    projectName: z.string().nullable(),
    personId: z.string().nullable().meta({ description: "Whose run it is, or who made the entry." }),
    personName: z.string().nullable(),
    runId: z.string().nullable(),
    modelName: z.string().nullable(),
    reason: z.string(),
  })
  .meta({ id: "LedgerEntry" });

export const listLedgerEntries = defineOperation({
  operationId: "listLedgerEntries",
  method: "get",
  path: "/teams/{teamSlug}/ledger",
  tag: "Usage",
  summary: "List ledger entries",
  description:
    "The ledger entries the Usage page lists for the same filter, newest first, 50 a page, each with the balance after it; `nextCursor` gives the next page. With a filter only a run has (model, type, tier, stage, outcome, batch), only the entries of matching runs. A value the filter cannot use is refused (400) at its field.",
  role: "viewer",
  scope: "usage:read",
  query: z.object({ ...usageFilterQuery, cursor }),
  responses: {
    200: {
      description: "A page of ledger entries.",
      schema: z.object({ filter: appliedFilter, entries: z.array(ledgerEntry), nextCursor }).meta({ id: "LedgerEntryPage" }),
    },
  },
});

const shareFields = {
  credits: signedCredits("Credits charged less refunded."),
  runs: z.number().int(),
  accepted: z.number().int().meta({ description: "Runs accepted." }),
  decided: z.number().int().meta({ description: "Runs with an outcome." }),
};

export const usageSummaryAnswer = z
  .object({
    filter: appliedFilter,
    totals: z.object({
      runs: z.number().int(),
      charged: credits("Credits the runs were charged, before refunds."),
      refunded: credits("Credits refunded on them."),
      net: signedCredits("Charged less refunded."),
      held: credits("Credits still held by runs in flight."),
      overruns: z.number().int().meta({ description: "Runs that cost more than they held." }),
      accepted: z.number().int(),
      decided: z.number().int().meta({ description: "Runs with an outcome: the accepted share is of these." }),
      byStage: z.object({ test: credits("Charged for tests."), draft: credits("Charged for drafts."), final: credits("Charged for finals.") }),
    }),
    daily: z
      .array(z.object({ day: z.string().meta({ description: "A day in the team's time zone." }), credits: signedCredits("Charged less refunded."), runs: z.number().int() }))
      .meta({ description: "Each day of the filter that has runs, in order; a day without is left out." }),
    models: z.array(z.object({ modelId: z.string(), ...shareFields })).meta({ description: "By model, largest spend first." }),
    stages: z.array(z.object({ stage: z.string(), ...shareFields })),
    members: z.array(z.object({ userId: z.string(), ...shareFields })),
  })
  .meta({ id: "UsageSummary" });

export const getUsageSummary = defineOperation({
  operationId: "getUsageSummary",
  method: "get",
  path: "/teams/{teamSlug}/usage/summary",
  tag: "Usage",
  summary: "Usage totals",
  description:
    "The Usage page's figures for the same filter: totals, the daily series, and the shares by model, stage and member. A value the filter cannot use is refused (400) at its field.",
  role: "viewer",
  scope: "usage:read",
  query: z.object(usageFilterQuery),
  responses: { 200: { description: "The figures.", schema: usageSummaryAnswer } },
});
