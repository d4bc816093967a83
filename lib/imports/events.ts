// Usage events sent through the API, recorded as an import's rows are: through the ledger, each with the caller's
// event id as its run's fingerprint, so an event sent again — in any request, or as an imported row with that
// external id — is the run already recorded, and the same id with other content is refused.
import "server-only";
import { createHash, randomUUID } from "node:crypto";
import { DomainError } from "@/lib/authz/result";
import type { TeamContext } from "@/lib/authz/team";
import { appNow } from "@/lib/clock";
import { db } from "@/lib/db/client";
import type { TransactionClient } from "@/lib/db/transaction";
import { runEntryCall } from "@/lib/ledger/commands";
import type { PURPOSES, RUN_OUTCOMES, RUN_STAGES } from "@/lib/ledger/schema";
import { priceListsOf } from "@/lib/price-lists/queries";
import { externalIdFingerprint, usageDateProblem } from "./rules";
import { MAX_EVENTS } from "./schema";

/** One run that already happened, as the caller reports it. */
export type UsageEvent = {
  eventId: string;
  projectId: string;
  modelId: string;
  settings: Record<string, string>;
  quantity: number;
  stage: (typeof RUN_STAGES)[number];
  purpose: (typeof PURPOSES)[number];
  outcome: (typeof RUN_OUTCOMES)[number];
  /** What it cost, in credits. */
  actual: number;
  occurredAt: Date;
  prompt: string;
  notes: string;
};

export type UsageEventAnswer =
  | { status: "recorded"; runId: string; charged: number; overBudget: boolean }
  | { status: "already_recorded"; runId: string }
  | { status: "refused"; reason: string; field: string | null };

/** How far ahead of this server's clock an event may be dated: the sender's clock may run a little fast. */
export const CLOCK_SKEW_MS = 60_000;


type Refusal = Extract<UsageEventAnswer, { status: "refused" }>;

const refused = (field: string | null, reason: string): Refusal => ({ status: "refused", reason, field });

/** What an event says, as one hash: an event sent again with the same id must say exactly this. */
export function usageEventHash(event: UsageEvent): string {
  const settings = Object.entries(event.settings).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const content = [
    "usage-event",
    event.projectId,
    event.modelId,
    settings,
    event.quantity,
    event.stage,
    event.purpose,
    event.outcome,
    event.actual,
    event.occurredAt.toISOString(),
    event.prompt,
    event.notes,
  ];
  return createHash("sha256").update(JSON.stringify(content)).digest("hex");
}

/** A fingerprint the team already has, with the facts of its run. */
type Known = {
  fingerprint: string;
  runId: string;
  contentHash: string | null;
  projectId: string;
  modelId: string;
  quantity: number;
  actual: number | null;
  createdAt: Date;
};

/**
 * Whether an event is the one its id was recorded for: the same content as sent before, or — for an id an imported
 * file recorded, which keeps no event content — the same facts a file has (project, model, quantity, credits, time).
 */
function sameEvent(known: Known, event: UsageEvent, hash: string): boolean {
  if (known.contentHash !== null) return known.contentHash === hash;
  return (
    known.projectId === event.projectId &&
    known.modelId === event.modelId &&
    known.quantity === event.quantity &&
    known.actual === event.actual &&
    known.createdAt.getTime() === event.occurredAt.getTime()
  );
}

/** An expected refusal of the pricing or the ledger, at its field. */
function refusalOf(error: DomainError): Refusal {
  const [field, message] = Object.entries(error.fieldErrors ?? {})[0] ?? [null, error.message];
  return refused(field, message);
}

type Candidate = { index: number; event: UsageEvent; print: string; hash: string } & ({ call: Record<string, unknown> } | { refusal: Refusal });

/**
 * Records the events that are new, in the order given, as `ctx.user`'s runs — each dated when it happened and priced
 * by the price list in force then; its ledger entry and alerts dated now, as recordRun's are — and answers each event
 * in its place: recorded (what it was charged, and whether it went past a budget or limit: it is recorded anyway and
 * flagged to the admins), already recorded (its run), or refused with the reason at its field. One refused event
 * stops none of the others. `onlyProject`: the events must all be for this project (an API key limited to it).
 */
export async function recordUsageEvents(ctx: TeamContext, events: UsageEvent[], options: { onlyProject?: string | null } = {}, now = appNow()): Promise<UsageEventAnswer[]> {
  if (events.length > MAX_EVENTS) throw new DomainError("invalid", `Send at most ${MAX_EVENTS} events at a time.`, { events: `Send at most ${MAX_EVENTS} events at a time.` });
  const answers: (UsageEventAnswer | undefined)[] = new Array(events.length);
  const priceListAt = priceListsOf(ctx.team.id);
  const latest = new Date(now.getTime() + CLOCK_SKEW_MS);
  // The first event of each id in this request, and the later ones that repeat it word for word.
  const first = new Map<string, { index: number; hash: string }>();
  const repeats: { index: number; of: number }[] = [];
  const candidates: Candidate[] = [];
  for (const [index, event] of events.entries()) {
    const print = externalIdFingerprint(event.eventId);
    const hash = usageEventHash(event);
    const earlier = first.get(print);
    if (earlier) {
      if (earlier.hash === hash) repeats.push({ index, of: earlier.index });
      else answers[index] = refused("eventId", `events[${earlier.index}] of this request (counting from 0) has this event id with other content; give each event its own id.`);
      continue;
    }
    first.set(print, { index, hash });
    if (options.onlyProject && event.projectId !== options.onlyProject) {
      answers[index] = refused("projectId", "This API key may only record usage of its own project.");
      continue;
    }
    const when = usageDateProblem(event.occurredAt, latest);
    if (when) {
      answers[index] = refused(
        "occurredAt",
        when === "future" ? "This time is in the future; only usage that has happened can be recorded." : "This time is before the year 2000; check the date.",
      );
      continue;
    }
    candidates.push({ index, event, print, hash, ...(await eventCall(ctx, event, priceListAt, now)) });
  }
  if (candidates.length > 0) await recordCandidates(ctx.team.id, ctx.user.id, candidates, answers, now);
  for (const { index, of } of repeats) {
    const answer = answers[of]!;
    answers[index] = answer.status === "recorded" ? { status: "already_recorded", runId: answer.runId } : answer;
  }
  return answers as UsageEventAnswer[];
}

/** The ledger call that records an event (as the import builds a row's), or why it cannot be priced. */
async function eventCall(ctx: TeamContext, event: UsageEvent, priceListAt: ReturnType<typeof priceListsOf>, now: Date): Promise<{ call: Record<string, unknown> } | { refusal: Refusal }> {
  const request = {
    projectId: event.projectId,
    modelId: event.modelId,
    settings: event.settings,
    quantity: event.quantity,
    stage: event.stage,
    purpose: event.purpose,
    prompt: event.prompt,
    notes: event.notes,
    externalId: event.eventId,
    actual: event.actual,
    outcome: event.outcome,
  };
  try {
    const { call } = await runEntryCall(ctx, "record", request, event.occurredAt, { actual: event.actual, outcome: event.outcome }, priceListAt);
    // Dated when it happened, recorded now: the ledger's "balance after" reads in order, and no alert is filed back.
    // Quiet: no alert per event (a request may carry 1,000); the request raises one for all it flagged.
    return { call: { ...call, quiet: true, recordedAt: now.toISOString() } };
  } catch (error) {
    if (error instanceof DomainError) return { refusal: refusalOf(error) };
    throw error;
  }
}

/**
 * One alert to the admins for a request whose recorded runs went past a budget, a limit or the balance, or were
 * premium finals no approval covered — as an import's end raises one — instead of one (or two) per event.
 */
async function notifyFlagged(
  tx: TransactionClient,
  teamId: string,
  userId: string,
  recording: Candidate[],
  recorded: { status: string; runId?: string; overBudget?: unknown }[],
  now: Date,
): Promise<void> {
  const made = recording.flatMap((candidate, i) => (recorded[i]?.status === "recorded" ? [{ candidate, answer: recorded[i] }] : []));
  const overBudget = made.filter(({ answer }) => answer.overBudget !== null && answer.overBudget !== undefined).length;
  const premiumFinals = made.filter(({ candidate }) => "call" in candidate && (candidate.call.run as { tier?: string }).tier === "premium" && candidate.event.stage === "final").length;
  if (overBudget === 0 && premiumFinals === 0) return;
  const data = { recorded: made.length, overBudget, premiumFinals, userId };
  await tx.$executeRaw`SELECT cw_notify(${teamId}, ${null}::text, ${"usage_flagged"}, ${`usage:${randomUUID()}`}, ${JSON.stringify(data)}::jsonb, ${now.toISOString()}::timestamp)`;
}

/**
 * In one transaction, after the team's lock (so no other request or import of the team writes a fingerprint between
 * the check and the record): each event whose id the team has is answered from it, the others are recorded with their
 * fingerprints by cw_record_fingerprinted — the import's own path — or refused as the ledger says.
 */
async function recordCandidates(teamId: string, userId: string, candidates: Candidate[], answers: (UsageEventAnswer | undefined)[], now: Date): Promise<void> {
  await db().$transaction(
    async (tx) => {
      await tx.$executeRaw`SELECT 1 FROM cw_lock_credits(${teamId})`;
      await tx.$executeRaw`SELECT cw_expire_approvals(${teamId}, ${now.toISOString()}::timestamp, 100)`;
      const prints = candidates.map((candidate) => candidate.print);
      const known = await tx.$queryRaw<Known[]>`
        SELECT f."fingerprint", f."runId", f."contentHash", r."projectId", r."modelId", r."quantity", r."actual", r."createdAt"
          FROM "ImportFingerprint" f JOIN "Run" r ON r."id" = f."runId"
          WHERE f."teamId" = ${teamId} AND f."fingerprint" = ANY(${prints}::text[])`;
      const byPrint = new Map(known.map((row) => [row.fingerprint, row]));
      // A run admitted (or recorded in the app) with this id as its external id is the same job: never charged twice.
      const unprinted = candidates.filter((candidate) => !byPrint.has(candidate.print)).map((candidate) => candidate.event.eventId);
      const admitted =
        unprinted.length === 0
          ? []
          : await tx.$queryRaw<{ id: string; externalId: string; projectId: string; modelId: string; quantity: number; state: string; actual: number | null; outcome: string | null }[]>`
        SELECT "id", "externalId", "projectId", "modelId", "quantity", "state"::text AS "state", "actual", "outcome"::text AS "outcome" FROM "Run"
          WHERE "teamId" = ${teamId} AND "externalId" = ANY(${unprinted}::text[]) AND "state" IN ('held', 'settled')`;
      const byExternalId = new Map(admitted.map((run) => [run.externalId, run]));
      const recording: (Candidate & { call: Record<string, unknown> })[] = [];
      for (const candidate of candidates) {
        const found = byPrint.get(candidate.print);
        if (found) {
          answers[candidate.index] = sameEvent(found, candidate.event, candidate.hash)
            ? { status: "already_recorded", runId: found.runId }
            : refused("eventId", "This event id was already recorded with other content; give a new event its own id.");
        } else if (byExternalId.has(candidate.event.eventId)) {
          const run = byExternalId.get(candidate.event.eventId)!;
          const { event } = candidate;
          const same = run.projectId === event.projectId && run.modelId === event.modelId && run.quantity === event.quantity;
          answers[candidate.index] = !same
            ? refused("eventId", "A run with this id as its external id (admitted through the API or recorded in the app) is of another project, model or quantity; give this event its own id.")
            : run.state === "held"
              ? refused("eventId", "The run admitted with this id as its external id is still held: settle it with what it cost (POST /runs/{runId}/settle); this event is then already recorded.")
              : run.actual === event.actual && run.outcome === event.outcome
                ? { status: "already_recorded", runId: run.id }
                : refused("actual", "The run admitted with this id as its external id was settled with another cost or outcome, so this event was not recorded. Check which figure is right.");
        } else if ("refusal" in candidate) {
          answers[candidate.index] = candidate.refusal;
        } else {
          recording.push(candidate);
        }
      }
      if (recording.length === 0) return;
      const [{ result }] = await tx.$queryRaw<{ result: string }[]>`
        SELECT cw_record_fingerprinted(${teamId}, ${null}::text, ${recording.map((item) => item.print)}::text[],
          ${recording.map((item) => item.hash)}::text[], ${recording.map((item) => JSON.stringify(item.call))}::jsonb[],
          ${now.toISOString()}::timestamp)::text AS result`;
      const recorded = JSON.parse(result) as { status: string; runId?: string; actual?: number; overBudget?: unknown; message?: string; field?: string }[];
      await notifyFlagged(tx, teamId, userId, recording, recorded, now);
      recording.forEach((candidate, i) => {
        const answer = recorded[i];
        answers[candidate.index] =
          answer.status === "recorded"
            ? { status: "recorded", runId: answer.runId!, charged: answer.actual!, overBudget: answer.overBudget !== null && answer.overBudget !== undefined }
            : refused(answer.field ?? null, answer.message ?? "The ledger refused this event.");
      });
    },
    { maxWait: 30_000, timeout: 120_000 },
  );
}
