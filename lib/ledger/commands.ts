// Credit operations — admit, settle, release, refund, record, grant, adjust — each one database statement.
import "server-only";
import { canonicalJson } from "@/lib/canonical-json";
import { appNow } from "@/lib/clock";
import { createHash, randomUUID } from "node:crypto";
import { db } from "@/lib/db/client";
import { Prisma } from "@/lib/db/generated/client";
import type { TransactionClient } from "@/lib/db/transaction";
import { recordAudit } from "@/lib/audit/commands";
import { DomainError, fieldError } from "@/lib/authz/result";
import { hasRole } from "@/lib/authz/roles";
import type { TeamContext } from "@/lib/authz/team";
import { estimateRun } from "@/lib/pricing/estimate";
import type { PriceList, PricingError } from "@/lib/pricing/types";
import { priceListInForce, priceListsOf, priceListVersionById } from "@/lib/price-lists/queries";
import { askPolicy } from "@/lib/approvals/policy";
import { policyOfRow } from "@/lib/approvals/queries";
import { whyNotCovered } from "@/lib/approvals/requests";
import { runLedgerCall, runLedgerCallsIn, runLedgerCallsInOrder, type LedgerCall } from "./batch";
import { denialReason, type Denial } from "./alerts";
import { periodKeysAt } from "./period-keys";
import { MAX_CREDITS, runTooDear, type RecordRunRequest, type RunRequest } from "./schema";

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

/** What the ledger itself answers an admission. */
export type LedgerAdmitOutcome =
  | { status: "admitted"; runId: string; estimate: number; priceListVersion: number; replayed: boolean }
  | { status: "denied"; denial: Denial; reason: string; estimate: number; priceListVersion: number; replayed: boolean };

export type AdmitOutcome =
  | LedgerAdmitOutcome
  /** The team's approval policy holds this run back and no approval was named: nothing was held. */
  | { status: "needs_approval"; rule: { id: string; name: string }; estimate: number; priceListVersion: number; replayed: false };

/** An answer of a ledger function; expected refusals become domain errors. */
export function readAnswer(answer: unknown): LedgerResponse {
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
  return createHash("sha256").update(canonicalJson(value)).digest("hex");
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

type PriceListAt = (at: Date) => Promise<{ version: number; priceList: PriceList }>;

/** What a run may be linked to besides its project: the batch item it was recorded against (checked by the caller and the database). */
export type RunLink = { batchItemId?: string };

async function priceRun(
  teamId: string,
  request: RunRequest,
  at: Date,
  priceListAt: PriceListAt = (when) => priceListInForce(teamId, when),
  link: RunLink = {},
) {
  const { version, priceList } = await priceListAt(at);
  const estimate = estimateRun(priceList, { modelId: request.modelId, settings: request.settings, quantity: request.quantity });
  if (!estimate.ok) {
    throw fieldError(estimate.error.field ?? PRICING_FIELDS[estimate.error.code], estimate.error.message);
  }
  if (estimate.credits > MAX_CREDITS) {
    throw fieldError("quantity", runTooDear(estimate.credits));
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
    prompt: request.prompt ?? "",
    notes: request.notes,
    externalId: request.externalId ?? null,
    ...(link.batchItemId ? { batchItemId: link.batchItemId } : {}),
  };
  return { version, credits: estimate.credits, run };
}

/**
 * The call that admits or records a run: priced here, checked and written by the database. Exported for paths that
 * run the call inside a transaction of their own (an approval places its hold in the decision's transaction).
 */
export async function runEntryCall(
  ctx: TeamContext,
  op: "admit" | "record",
  request: RunRequest,
  now: Date,
  outcome?: { actual: number; outcome: string },
  priceListAt?: PriceListAt,
  link?: RunLink,
) {
  const { version, credits, run } = await priceRun(ctx.team.id, request, now, priceListAt, link);
  // What was asked, not what it cost: a resend after the price list changed is the same request, answered as first.
  const asked = { modelId: request.modelId, settings: request.settings, quantity: request.quantity, stage: request.stage, purpose: request.purpose };
  const hash = requestHash({ op, user: ctx.user.id, project: request.projectId, asked, externalId: run.externalId, batchItemId: link?.batchItemId ?? null, ...outcome });
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
  return { credits, version, call, run };
}

function settleCall(ctx: TeamContext, input: { runId: string; actual: number; outcome: string; idempotencyKey?: string }, now: Date): LedgerCall {
  return {
    op: "settle",
    team: ctx.team.id,
    runId: input.runId,
    actual: input.actual,
    outcome: input.outcome,
    actor: ctx.user.id,
    isAdmin: hasRole(ctx.role, "admin"),
    key: input.idempotencyKey ?? null,
    hash: requestHash({ op: "settle", run: input.runId, actual: input.actual, outcome: input.outcome }),
    keys: periodKeysAt(now, ctx.team.timeZone),
    now: now.toISOString(),
  };
}

function releaseCall(ctx: TeamContext, input: { runId: string; failed: boolean; reason: string; idempotencyKey?: string }, now: Date): LedgerCall {
  const state = input.failed ? "failed" : "released";
  return {
    op: "release",
    team: ctx.team.id,
    runId: input.runId,
    state,
    reason: input.reason,
    actor: ctx.user.id,
    isAdmin: hasRole(ctx.role, "admin"),
    key: input.idempotencyKey ?? null,
    hash: requestHash({ op: "release", run: input.runId, state, reason: input.reason }),
    now: now.toISOString(),
  };
}

/** An admission's answer read as its outcome; expected refusals (an error answer) become domain errors. */
export function admitAnswer(answer: unknown, credits: number, version: number): LedgerAdmitOutcome {
  return admitOutcome(readAnswer(answer), credits, version);
}

function admitOutcome(response: LedgerResponse, credits: number, version: number): LedgerAdmitOutcome {
  const replayed = response.replayed === true;
  if (response.status === "denied" && response.denial) {
    return { status: "denied", denial: response.denial, reason: denialReason(response.denial), estimate: credits, priceListVersion: version, replayed };
  }
  return { status: "admitted", runId: response.runId!, estimate: response.estimate!, priceListVersion: response.priceListVersion!, replayed };
}

/**
 * May this run happen? Prices it with the price list in force and asks the team's approval policy: a run it holds
 * back without an approval is answered "needs approval" and nothing is held; one with an approval uses that
 * approval's hold. Otherwise — in one database transaction — the ledger checks the team's available credits, the
 * project's budget for this period and the member's limits, and on success creates the run with its hold on the
 * grants that expire first.
 */
export async function admitRun(ctx: TeamContext, request: RunRequest, now = appNow(), link?: RunLink): Promise<AdmitOutcome> {
  const reads = admissionReads(ctx.team.id, now);
  const { credits, version, call, run } = await runEntryCall(ctx, "admit", request, now, undefined, async () => (await reads).priceList, link);
  // A run with an approval uses the approval's hold: no second hold and no second policy check.
  if (request.approvalId) return runWithApproval(ctx, request.approvalId, request.projectId, run, credits, now, request.idempotencyKey);
  // A resend of a request the ledger already answered is answered again, as it was, whatever the policy says now:
  // read from the kept answer itself, so nothing is admitted here (the ledger is not called).
  if (request.idempotencyKey) {
    const kept = await keptAnswer(ctx.team.id, request.idempotencyKey, call.hash as string);
    if (kept) return admitOutcome(readAnswer(kept), credits, version);
  }
  const { policy } = await reads;
  const answer = askPolicy(policy, {
    tier: run.tier,
    stage: request.stage,
    outputType: run.outputType,
    estimate: credits,
    projectId: request.projectId,
    requesterRole: ctx.role,
  });
  if (answer.needsApproval) {
    // Asked before any ledger function: nothing is held for a run the policy holds back.
    return { status: "needs_approval", rule: { id: answer.rule.id, name: answer.rule.name }, estimate: credits, priceListVersion: version, replayed: false };
  }
  if (run.externalId) return admitOneJob(ctx.team.id, run.externalId, call, credits, version);
  return admitOutcome(await callRunOperation(call), credits, version);
}

/**
 * What an admission reads before the ledger is called — which price list version is in force at `now`, and the
 * team's approval policy — in one round trip; a price list version this process has read before is not read again.
 */
async function admissionReads(teamId: string, now: Date) {
  const [row] = await db().$queryRaw<{ priceListId: string | null; policyVersion: number | null; rules: unknown; pendingDays: number | null }[]>`
    SELECT (SELECT v."id" FROM "PriceListVersion" v WHERE v."teamId" = ${teamId} AND v."effectiveFrom" <= ${now}
              ORDER BY v."effectiveFrom" DESC, v."version" DESC LIMIT 1) AS "priceListId",
           p."version" AS "policyVersion", p."rules", p."pendingDays"
      FROM (SELECT 1) AS one
      LEFT JOIN LATERAL (SELECT a."version", a."rules", a."pendingDays" FROM "ApprovalPolicyVersion" a WHERE a."teamId" = ${teamId}
                           ORDER BY a."version" DESC LIMIT 1) AS p ON true`;
  const policy = policyOfRow(row.policyVersion === null ? null : { version: row.policyVersion, rules: row.rules, pendingDays: row.pendingDays! });
  return { priceList: await priceListVersionById(row.priceListId), policy };
}

export const EXTERNAL_ID_TAKEN = "Another run of the team already has this external id: one job is one run. Give a new job its own id.";

/**
 * An admission naming the caller's job id: under the team's lock — which usage recorded with event ids takes too —
 * no run of the team may have that id already (held or settled; a released one never ran), so one job is one run
 * however its admissions and reports interleave. A resend of this very admission (its key's answer is kept) is
 * answered by the ledger as it was the first time.
 */
async function admitOneJob(teamId: string, externalId: string, call: LedgerCall, credits: number, version: number): Promise<LedgerAdmitOutcome> {
  return db().$transaction(async (tx) => {
    await tx.$executeRaw`SELECT 1 FROM cw_lock_credits(${teamId})`;
    const taken = await tx.run.findFirst({ where: { teamId, externalId, state: { in: ["held", "settled"] } }, select: { id: true } });
    if (taken) {
      const resent = typeof call.key === "string" && (await tx.idempotencyRecord.findUnique({ where: { teamId_key: { teamId, key: call.key } }, select: { key: true } }));
      if (!resent) throw fieldError("externalId", EXTERNAL_ID_TAKEN, "conflict");
    }
    const [answer] = await runLedgerCallsIn(tx, [call]);
    return admitOutcome(readAnswer(answer), credits, version);
  });
}

/**
 * The ledger's kept answer to an admission sent before with this key (as cw_replay gives it), a refusal when the key
 * was used for something else, or null when there is none (never sent, or pruned after 7 days: then it is new).
 */
async function keptAnswer(teamId: string, key: string, hash: string): Promise<unknown> {
  const record = await db().idempotencyRecord.findUnique({ where: { teamId_key: { teamId, key } }, select: { operation: true, requestHash: true, response: true } });
  if (!record) return null;
  if (record.operation !== "admit" || record.requestHash !== hash) {
    return { status: "error", code: "conflict", message: "This idempotency key was already used for a different request." };
  }
  return { ...(record.response as object), replayed: true };
}

const APPROVAL_NOT_FOUND = "That approval does not exist in this team.";

const APPROVAL_STATE_WORDS: Record<string, string> = {
  pending: "This request has not been approved yet.",
  rejected: "This request was rejected; it cannot be run.",
  withdrawn: "This request was withdrawn; it cannot be run.",
  lapsed: "This request lapsed before anyone decided it; ask again.",
  expired: "This approval expired unused and its hold was released; ask again.",
  used: "This approval has been used already; a new run needs a new request.",
};

/**
 * Runs with an approved request: in one transaction the request is locked (FOR UPDATE, so one approval is used once),
 * checked — approved, not expired, covering this run — and marked used; its held run is the admission's answer.
 */
async function runWithApproval(
  ctx: TeamContext,
  approvalId: string,
  projectId: string,
  run: Awaited<ReturnType<typeof priceRun>>["run"],
  credits: number,
  now: Date,
  idempotencyKey: string | undefined,
): Promise<AdmitOutcome> {
  return db().$transaction(async (tx) => {
    const locked = await tx.$queryRaw<{ id: string }[]>`
      SELECT "id" FROM "ApprovalRequest" WHERE "id" = ${approvalId} AND "teamId" = ${ctx.team.id} FOR UPDATE`;
    if (locked.length === 0) throw new DomainError("not_found", APPROVAL_NOT_FOUND);
    const approved = await tx.approvalRequest.findUniqueOrThrow({ where: { id: approvalId } });
    const admitted = (replayed: boolean) =>
      ({ status: "admitted", runId: approved.holdRunId!, estimate: approved.estimate, priceListVersion: approved.priceListVersion, replayed }) satisfies AdmitOutcome;
    // The same run sent again (same person, same request key) is answered as it was the first time.
    if (approved.state === "used" && idempotencyKey && approved.usedKey === idempotencyKey && approved.requesterId === ctx.user.id) return admitted(true);
    if (approved.state !== "approved") throw new DomainError("conflict", APPROVAL_STATE_WORDS[approved.state] ?? "This request cannot be run.");
    if (approved.expiresAt && now >= approved.expiresAt) throw new DomainError("conflict", APPROVAL_STATE_WORDS.expired);
    const why = whyNotCovered(
      {
        requesterId: approved.requesterId,
        projectId: approved.projectId,
        batchItemId: approved.batchItemId,
        modelId: approved.modelId,
        settings: approved.settings as Record<string, string>,
        stage: approved.stage,
        quantity: approved.quantity,
        estimate: approved.estimate,
      },
      {
        userId: ctx.user.id,
        projectId,
        batchItemId: ("batchItemId" in run ? run.batchItemId : undefined) ?? null,
        modelId: run.modelId,
        settings: run.settings,
        stage: run.stage,
        quantity: run.quantity,
        estimate: credits,
      },
    );
    if (why) throw new DomainError("conflict", why);
    if (!approved.holdRunId) throw new DomainError("conflict", "This approval holds no credits; ask again.");
    const project = await tx.project.findFirst({ where: { id: approved.projectId, teamId: ctx.team.id }, select: { archivedAt: true } });
    if (!project || project.archivedAt) throw new DomainError("conflict", "The project was archived since this was approved; restore it before running.");
    // Locked too: a release of the hold from Active holds either ends before this reads it or waits for it.
    const [hold] = await tx.$queryRaw<{ state: string }[]>`
      SELECT "state"::text AS "state" FROM "Run" WHERE "id" = ${approved.holdRunId} AND "teamId" = ${ctx.team.id} FOR UPDATE`;
    if (hold?.state !== "held") throw new DomainError("conflict", "This approval's hold has already ended; ask again.");
    await tx.approvalRequest.update({ where: { id: approved.id }, data: { state: "used", usedKey: idempotencyKey ?? null, version: { increment: 1 } } });
    // What the run itself says — its prompt and the caller's job id — the request did not carry: kept on the held run.
    if (run.externalId) {
      const taken = await tx.run.findFirst({
        where: { teamId: ctx.team.id, externalId: run.externalId, state: { in: ["held", "settled"] }, id: { not: approved.holdRunId } },
        select: { id: true },
      });
      if (taken) throw fieldError("externalId", EXTERNAL_ID_TAKEN, "conflict");
    }
    const told = { ...(run.prompt ? { prompt: run.prompt } : {}), ...(run.externalId ? { externalId: run.externalId } : {}) };
    if (Object.keys(told).length > 0) await tx.run.update({ where: { id: approved.holdRunId }, data: told });
    await recordAudit(tx, {
      teamId: ctx.team.id,
      actorId: ctx.user.id,
      action: "approval.used",
      at: now,
      targetType: "approval_request",
      targetId: approved.id,
      details: { runId: approved.holdRunId, estimate: approved.estimate },
    });
    return admitted(false);
  });
}

export async function settleRun(
  ctx: TeamContext,
  input: { runId: string; actual: number; outcome: string; idempotencyKey?: string },
  now = appNow(),
) {
  const response = await callRunOperation(settleCall(ctx, input, now));
  return { actual: response.actual!, overrun: response.overrun === true, replayed: response.replayed === true };
}

export async function releaseRun(
  ctx: TeamContext,
  input: { runId: string; failed: boolean; reason: string; idempotencyKey?: string },
  now = appNow(),
) {
  const response = await callRunOperation(releaseCall(ctx, input, now));
  return { state: response.status as "released" | "failed", replayed: response.replayed === true };
}

/** One operation of `runOperationsInOrder`. An admission may name its run's id, so later operations can refer to it. */
export type RunOperation =
  | { op: "admit"; ctx: TeamContext; at: Date; request: RunRequest; runId?: string }
  | { op: "settle"; ctx: TeamContext; at: Date; input: { runId: string; actual: number; outcome: string } }
  | { op: "release"; ctx: TeamContext; at: Date; input: { runId: string; failed: boolean; reason: string } };

export type RunOperationAnswer = { ok: true; admission?: LedgerAdmitOutcome } | { ok: false; error: DomainError };

/**
 * Operations of one team applied in the order given, in few database round trips: for history played
 * back (the demo team) and imports. Each is checked by the ledger exactly as it would be alone; a refusal is answered
 * in its place and does not stop the others.
 *
 * The approval policy is deliberately not asked here (unlike `admitRun`): what is played back is history — runs that
 * were already decided, approvals included, when they happened — and the demo's premium finals would otherwise stop
 * at "needs approval" with no approver to play back. It is not a path a person can reach: no action calls it, only
 * the seed (lib/db/seed.ts).
 */
export async function runOperationsInOrder(teamId: string, operations: RunOperation[]): Promise<RunOperationAnswer[]> {
  const priceListAt = priceListsOf(teamId);
  const built: { call: LedgerCall; credits?: number; version?: number }[] = [];
  for (const operation of operations) {
    if (operation.ctx.team.id !== teamId) throw new Error("runOperationsInOrder: every operation must belong to the one team");
    if (operation.op === "admit") {
      const entry = await runEntryCall(operation.ctx, "admit", operation.request, operation.at, undefined, priceListAt);
      if (operation.runId) entry.call.runId = operation.runId;
      built.push({ call: entry.call, credits: entry.credits, version: entry.version });
    } else if (operation.op === "settle") {
      built.push({ call: settleCall(operation.ctx, operation.input, operation.at) });
    } else {
      built.push({ call: releaseCall(operation.ctx, operation.input, operation.at) });
    }
  }
  const answers = await runLedgerCallsInOrder(built.map((entry) => entry.call));
  return answers.map((answer, i): RunOperationAnswer => {
    try {
      const response = readAnswer(answer);
      const entry = built[i];
      return entry.call.op === "admit" ? { ok: true, admission: admitOutcome(response, entry.credits!, entry.version!) } : { ok: true };
    } catch (error) {
      if (error instanceof DomainError) return { ok: false, error };
      throw error;
    }
  });
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
  now = appNow(),
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
      at: now,
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
export async function recordRun(ctx: TeamContext, request: RecordRunRequest, now = appNow()) {
  const { call } = await runEntryCall(ctx, "record", request, now, { actual: request.actual, outcome: request.outcome });
  const response = await callRunOperation(call);
  return { runId: response.runId!, overBudget: response.overBudget ?? null, replayed: response.replayed === true };
}

/** Credits coming in; what is left of them is written off at the end of `expiresOn` in the team's zone. */
export async function addGrant(
  ctx: TeamContext,
  input: { amount: number; source: string; note: string; expiresAt?: Date; idempotencyKey?: string },
  now = appNow(),
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
      at: now,
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
  now = appNow(),
): Promise<AdjustOutcome> {
  const hash = requestHash({ op: "adjust", amount: input.amount, reason: input.reason });
  const response = await auditedLedgerCall(
    Prisma.sql`SELECT cw_adjust(${ctx.team.id}, ${newId("grant")}, ${input.amount}::int, ${input.reason}, ${ctx.user.id},
      ${input.idempotencyKey ?? null}, ${hash}, ${input.confirmAvailable ?? null}::int,
      ${JSON.stringify(periodKeysAt(now, ctx.team.timeZone))}::jsonb, ${now.toISOString()}::timestamp)::text AS result`,
    (answer) =>
      answer.status === "adjusted"
        ? { teamId: ctx.team.id, actorId: ctx.user.id, action: "credits.adjusted", at: now, details: { amount: input.amount, reason: input.reason } }
        : null,
  );
  if (response.status === "confirm") {
    return { status: "confirm", availableAfter: response.availableAfter!, balanceAfter: response.balanceAfter! };
  }
  return { status: "adjusted", replayed: response.replayed === true };
}
