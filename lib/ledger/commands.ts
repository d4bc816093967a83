// Credit operations — admit, settle, release, refund, record, grant, adjust — each one database statement.
import "server-only";
import { createHash, randomUUID } from "node:crypto";
import { db } from "@/lib/db/client";
import { Prisma } from "@/lib/db/generated/client";
import type { TransactionClient } from "@/lib/db/transaction";
import { recordAudit } from "@/lib/audit/commands";
import { DomainError, fieldError } from "@/lib/authz/result";
import { hasRole } from "@/lib/authz/roles";
import type { TeamContext } from "@/lib/authz/team";
import { formatNumber } from "@/lib/format";
import { estimateRun } from "@/lib/pricing/estimate";
import type { PricingError } from "@/lib/pricing/types";
import { priceListInForce } from "@/lib/price-lists/queries";
import { runLedgerCall, type LedgerCall } from "./batch";
import { denialReason, type Denial } from "./alerts";
import { periodKeysAt } from "./period-keys";
import { MAX_CREDITS, type RecordRunRequest, type RunRequest } from "./schema";

type Client = Pick<TransactionClient, "$queryRaw">;


type LedgerResponse = {
  status: string;
  code?: "not_found" | "conflict" | "invalid" | "forbidden";
  message?: string;
  field?: string;
  runId?: string;
  estimate?: number;
  actual?: number;
  overrun?: boolean;
  denial?: Denial;
  overBudget?: Denial | null;
  availableAfter?: number;
  balanceAfter?: number;
  replayed?: boolean;
  priceListVersion?: number;
};

export type AdmitOutcome =
  | { status: "admitted"; runId: string; estimate: number; priceListVersion: number; replayed: boolean }
  | { status: "denied"; denial: Denial; reason: string; estimate: number; priceListVersion: number; replayed: boolean };

/** An answer of a ledger function; expected refusals become domain errors. */
function readAnswer(answer: unknown): LedgerResponse {
  const response = answer as LedgerResponse;
  if (response.status === "error") {
    if (response.field) throw fieldError(response.field, response.message ?? "That is not allowed.", response.code);
    throw new DomainError(response.code ?? "conflict", response.message ?? "That is not allowed.");
  }
  return response;
}

/** Calls one of the ledger's database functions inside the caller's transaction. */
async function callLedger(client: Client, query: Prisma.Sql): Promise<LedgerResponse> {
  const rows = await client.$queryRaw<{ result: string }[]>(query);
  return readAnswer(JSON.parse(rows[0].result));
}

/** Runs a run operation, grouped with the team's other operations in flight (see batch.ts). */
async function callRunOperation(call: LedgerCall): Promise<LedgerResponse> {
  return readAnswer(await runLedgerCall(call));
}

function requestHash(value: unknown): string {
  return createHash("sha256").update(JSON.stringify(value)).digest("hex");
}

export function newId(prefix: string): string {
  return `${prefix}_${randomUUID().replace(/-/g, "")}`;
}

const PRICING_FIELDS: Record<PricingError["code"], string> = {
  unknown_model: "modelId",
  disabled_model: "modelId",
  missing_price: "modelId",
  invalid_quantity: "quantity",
  invalid_setting: "settings",
  unknown_setting: "settings",
};

async function priceRun(teamId: string, request: RunRequest, at: Date) {
  const { version, priceList } = await priceListInForce(teamId, at);
  const estimate = estimateRun(priceList, { modelId: request.modelId, settings: request.settings, quantity: request.quantity });
  if (!estimate.ok) {
    throw fieldError(estimate.error.field ?? PRICING_FIELDS[estimate.error.code], estimate.error.message);
  }
  if (estimate.credits > MAX_CREDITS) {
    throw fieldError(
      "quantity",
      `This run would cost ${formatNumber(estimate.credits)} credits; one run can cost at most ${formatNumber(MAX_CREDITS)}. Use a smaller quantity or settings.`,
    );
  }
  const run = {
    modelId: estimate.entry.id,
    modelName: estimate.entry.name,
    outputType: estimate.entry.outputType,
    tier: estimate.entry.tier,
    settings: estimate.settings,
    quantity: estimate.quantity,
    stage: request.stage,
    purpose: request.purpose,
    breakdown: estimate.breakdown,
    notes: request.notes,
    externalId: request.externalId ?? null,
  };
  return { version, credits: estimate.credits, run };
}


/** The call that admits or records a run: priced here, checked and written by the database. */
async function runEntryCall(ctx: TeamContext, op: "admit" | "record", request: RunRequest, now: Date, outcome?: { actual: number; outcome: string }) {
  const { version, credits, run } = await priceRun(ctx.team.id, request, now);
  const hash = requestHash({ op, user: ctx.user.id, project: request.projectId, run: { ...run, notes: undefined }, ...outcome });
  const call: LedgerCall = {
    op,
    team: ctx.team.id,
    runId: newId("run"),
    project: request.projectId,
    user: ctx.user.id,
    key: request.idempotencyKey ?? null,
    hash,
    run,
    estimate: credits,
    version,
    keys: periodKeysAt(now, ctx.team.timeZone),
    now: now.toISOString(),
    ...outcome,
  };
  return { credits, version, response: await callRunOperation(call) };
}

/**
 * May this run happen? Prices it with the price list in force, then — in one database
 * transaction — checks the team's available credits, the project's budget for this period
 * and the member's limits, and on success creates the run with its hold.
 */
export async function admitRun(ctx: TeamContext, request: RunRequest, now = new Date()): Promise<AdmitOutcome> {
  const { credits, version, response } = await runEntryCall(ctx, "admit", request, now);
  const replayed = response.replayed === true;
  if (response.status === "denied" && response.denial) {
    return { status: "denied", denial: response.denial, reason: denialReason(response.denial), estimate: credits, priceListVersion: version, replayed };
  }
  return { status: "admitted", runId: response.runId!, estimate: response.estimate!, priceListVersion: response.priceListVersion!, replayed };
}

export async function settleRun(
  ctx: TeamContext,
  input: { runId: string; actual: number; outcome: string; idempotencyKey?: string },
  now = new Date(),
) {
  const hash = requestHash({ op: "settle", run: input.runId, actual: input.actual, outcome: input.outcome });
  const response = await callRunOperation({
    op: "settle",
    team: ctx.team.id,
    runId: input.runId,
    actual: input.actual,
    outcome: input.outcome,
    actor: ctx.user.id,
    isAdmin: hasRole(ctx.role, "admin"),
    key: input.idempotencyKey ?? null,
    hash,
    keys: periodKeysAt(now, ctx.team.timeZone),
    now: now.toISOString(),
  });
  return { actual: response.actual!, overrun: response.overrun === true, replayed: response.replayed === true };
}

export async function releaseRun(
  ctx: TeamContext,
  input: { runId: string; failed: boolean; reason: string; idempotencyKey?: string },
  now = new Date(),
) {
  const state = input.failed ? "failed" : "released";
  const hash = requestHash({ op: "release", run: input.runId, state, reason: input.reason });
  const response = await callRunOperation({
    op: "release",
    team: ctx.team.id,
    runId: input.runId,
    state,
    reason: input.reason,
    actor: ctx.user.id,
    isAdmin: hasRole(ctx.role, "admin"),
    key: input.idempotencyKey ?? null,
    hash,
    now: now.toISOString(),
  });
  return { state, replayed: response.replayed === true };
}

/** One ledger call and its audit entry in one transaction; a replayed answer, or one that changed nothing, is not audited again. */
async function auditedLedgerCall(query: Prisma.Sql, audit: (response: LedgerResponse) => Parameters<typeof recordAudit>[1] | null) {
  return db().$transaction(async (tx) => {
    const response = await callLedger(tx, query);
    const entry = response.replayed ? null : audit(response);
    if (entry) await recordAudit(tx, entry);
    return response;
  });
}

export async function refundRun(
  ctx: TeamContext,
  input: { runId: string; credits: number; reason: string; idempotencyKey?: string },
  now = new Date(),
) {
  if (!hasRole(ctx.role, "admin")) throw new DomainError("forbidden", "Only an admin can record a refund.");
  const hash = requestHash({ op: "refund", run: input.runId, credits: input.credits, reason: input.reason });
  return auditedLedgerCall(
    Prisma.sql`SELECT cw_refund_run(${ctx.team.id}, ${input.runId}, ${newId("grant")}, ${input.credits}::int, ${input.reason},
      ${ctx.user.id}, ${input.idempotencyKey ?? null}, ${hash}, ${now.toISOString()}::timestamp)::text AS result`,
    () => ({
      teamId: ctx.team.id,
      actorId: ctx.user.id,
      action: "credits.refunded",
      targetType: "run",
      targetId: input.runId,
      details: { credits: input.credits, reason: input.reason },
    }),
  );
}

/**
 * A run that already happened on the platform (imports, the API): admitted and settled in
 * one step. Usage past a budget, a limit or the balance is recorded truthfully and flagged.
 */
export async function recordRun(ctx: TeamContext, request: RecordRunRequest, now = new Date()) {
  const { response } = await runEntryCall(ctx, "record", request, now, { actual: request.actual, outcome: request.outcome });
  return { runId: response.runId!, overBudget: response.overBudget ?? null, replayed: response.replayed === true };
}

/** Credits coming in; what is left of them is written off at the end of `expiresOn` in the team's zone. */
export async function addGrant(
  ctx: TeamContext,
  input: { amount: number; source: string; note: string; expiresAt?: Date; idempotencyKey?: string },
  now = new Date(),
) {
  if (input.expiresAt && input.expiresAt <= now) throw fieldError("expiresOn", "The expiry date has already passed.");
  const grantId = newId("grant");
  const hash = requestHash({ op: "grant", amount: input.amount, source: input.source, note: input.note, expires: input.expiresAt?.toISOString() });
  return auditedLedgerCall(
    Prisma.sql`SELECT cw_add_grant(${ctx.team.id}, ${grantId}, ${input.amount}::int, ${input.source}, ${input.note},
      ${input.expiresAt?.toISOString() ?? null}::timestamp, ${ctx.user.id}, ${input.idempotencyKey ?? null}, ${hash},
      ${now.toISOString()}::timestamp)::text AS result`,
    () => ({
      teamId: ctx.team.id,
      actorId: ctx.user.id,
      action: "credits.granted",
      targetType: "grant",
      targetId: grantId,
      details: { amount: input.amount, source: input.source, expiresAt: input.expiresAt?.toISOString() ?? null },
    }),
  );
}

export type AdjustOutcome =
  | { status: "adjusted"; replayed: boolean }
  | { status: "confirm"; availableAfter: number; balanceAfter: number };

/**
 * A correction with a reason. One that would take available credits below zero is not made
 * until the person confirms the resulting figure (`confirmAvailable`); if that figure has moved
 * by the time they confirm, they are asked again with the new one.
 */
export async function adjustCredits(
  ctx: TeamContext,
  input: { amount: number; reason: string; confirmAvailable?: number; idempotencyKey?: string },
  now = new Date(),
): Promise<AdjustOutcome> {
  const hash = requestHash({ op: "adjust", amount: input.amount, reason: input.reason });
  const response = await auditedLedgerCall(
    Prisma.sql`SELECT cw_adjust(${ctx.team.id}, ${newId("grant")}, ${input.amount}::int, ${input.reason}, ${ctx.user.id},
      ${input.idempotencyKey ?? null}, ${hash}, ${input.confirmAvailable ?? null}::int,
      ${JSON.stringify(periodKeysAt(now, ctx.team.timeZone))}::jsonb, ${now.toISOString()}::timestamp)::text AS result`,
    (answer) =>
      answer.status === "adjusted"
        ? { teamId: ctx.team.id, actorId: ctx.user.id, action: "credits.adjusted", details: { amount: input.amount, reason: input.reason } }
        : null,
  );
  if (response.status === "confirm") {
    return { status: "confirm", availableAfter: response.availableAfter!, balanceAfter: response.balanceAfter! };
  }
  return { status: "adjusted", replayed: response.replayed === true };
}
