// Writes for approval requests: make one, withdraw it, decide it (the approval that completes it places the hold in the
// same transaction), and expire approvals nobody used (their holds released exactly once).
import "server-only";
import { appNow } from "@/lib/clock";
import { recordAudit } from "@/lib/audit/commands";
import { DomainError, fieldError } from "@/lib/authz/result";
import { hasRole } from "@/lib/authz/roles";
import type { TeamContext } from "@/lib/authz/team";
import { db } from "@/lib/db/client";
import type { Prisma } from "@/lib/db/generated/client";
import type { TransactionClient } from "@/lib/db/transaction";
import { formatNumber } from "@/lib/format";
import { checkItemRunLink, itemRunLinkSelect } from "@/lib/batches/commands";
import { runLedgerCallsIn } from "@/lib/ledger/batch";
import { admitAnswer, admitRun, runEntryCall, type AdmitOutcome } from "@/lib/ledger/commands";
import { MAX_CREDITS, runTooDear } from "@/lib/ledger/schema";
import { priceListInForce } from "@/lib/price-lists/queries";
import { estimateRun } from "@/lib/pricing/estimate";
import type { PricingError } from "@/lib/pricing/types";
import { runFindings } from "@/lib/recommendations";
import { notifyDecision, notifyDeciders } from "./notifications";
import { askPolicy, cannotDecide, type PolicyRequirement, type PolicyRule } from "./policy";
import { policyInForce } from "./queries";
import type { CreateRequestInput, DecideRequestInput, RunApprovedInput } from "./request-schema";
import { expiresAt, lapsesAt, outcomeOf, type Decision, type RequestState } from "./requests";
import { storedRulesSchema } from "./schema";

type Tx = TransactionClient;
type ApprovalRequirement = Extract<PolicyRequirement, { kind: "approval" }>;

/** Requests one person may have waiting at once. */
export const MAX_WAITING_PER_PERSON = 100;

const REQUEST_NOT_FOUND = "That approval request does not exist in this team.";

// Deciders of one request queue on its row lock; give the queue room before Prisma's default 5 s gives up.
const DECIDE_TRANSACTION = { maxWait: 10_000, timeout: 30_000 } as const;

const PRICING_FIELDS: Record<PricingError["code"], string> = {
  unknown_model: "modelId",
  disabled_model: "modelId",
  missing_price: "modelId",
  invalid_quantity: "quantity",
  invalid_setting: "settings",
  unknown_setting: "settings",
};

function asJson(value: unknown): Prisma.InputJsonValue {
  return value as Prisma.InputJsonValue;
}

function audit(tx: Tx, teamId: string, actorId: string | null, action: string, requestId: string, details: Prisma.InputJsonObject, at?: Date) {
  return recordAudit(tx, { teamId, actorId, action, targetType: "approval_request", targetId: requestId, details, ...(at ? { at } : {}) });
}

const STATE_WORDS: Record<RequestState, string> = {
  pending: "still waiting for a decision",
  approved: "already approved",
  rejected: "already rejected",
  withdrawn: "withdrawn by the person who asked",
  lapsed: "lapsed: nobody decided it in time",
  expired: "approved, but the approval expired unused",
  used: "approved and already run",
};

function notPending(state: RequestState): DomainError {
  return new DomainError("conflict", `This request is ${STATE_WORDS[state]}; it can no longer be decided or withdrawn.`);
}

/** The request of this team, locked until the transaction ends: decisions and withdrawals of one request take turns. */
async function lockRequest(tx: Tx, teamId: string, requestId: string) {
  const rows = await tx.$queryRaw<{ id: string }[]>`
    SELECT "id" FROM "ApprovalRequest" WHERE "id" = ${requestId} AND "teamId" = ${teamId} FOR UPDATE`;
  if (rows.length === 0) throw new DomainError("not_found", REQUEST_NOT_FOUND);
  return tx.approvalRequest.findUniqueOrThrow({ where: { id: requestId } });
}

/** The rule a request was made under, as stored with it (validated when written; a failure means it was changed behind the app's back). */
function storedRule(stored: unknown): PolicyRule & { require: ApprovalRequirement } {
  const parsed = storedRulesSchema.safeParse([stored]);
  if (!parsed.success) throw new Error(`A stored approval request's rule is not a valid rule: ${parsed.error.issues[0]?.message}`);
  const rule = parsed.data[0];
  if (rule.require.kind !== "approval") throw new Error("A stored approval request's rule requires no approval.");
  return { ...rule, require: rule.require };
}

// --- requests ---------------------------------------------------------------------------------------------------

/** A request for a run the policy lets through: refused, and recognisable as such (the API answers it apart). */
export class ApprovalNotNeeded extends DomainError {
  constructor() {
    super("invalid", "This run needs no approval under the team's policy; run it from the project page.");
  }
}

export type CreatedRequest = { requestId: string; estimate: number; rule: { id: string; name: string }; lapsesAt: Date };

/**
 * A request for a run the policy in force holds back: priced with the team's price list in force, with the rule that
 * matched (kept as it is now, so a later policy never changes it), the recommendation findings and the four answers.
 * A run that needs no approval is refused: it can simply be run.
 */
export async function createRequest(ctx: TeamContext, input: CreateRequestInput, now = appNow(), requestKey?: string): Promise<CreatedRequest> {
  const teamId = ctx.team.id;
  return db().$transaction(async (tx) => {
    const project = await tx.project.findFirst({ where: { id: input.projectId, teamId }, select: { id: true, archivedAt: true } });
    if (!project) throw fieldError("projectId", "That project does not exist in this team.", "not_found");
    if (project.archivedAt) throw fieldError("projectId", "That project is archived; restore it before asking to run in it.");
    const item = input.batchItemId ? await tx.batchItem.findFirst({ where: { id: input.batchItemId, teamId }, select: itemRunLinkSelect }) : null;
    if (input.batchItemId) {
      if (!item) throw fieldError("batchItemId", "That item does not exist in this team.", "not_found");
      if (item.batch.projectId !== project.id) throw fieldError("batchItemId", "That item belongs to a batch of another project.");
    }

    // Every request notifies every approver: one person cannot keep more than this many waiting at once. Their
    // membership row is locked first, so requests they send at the same moment are counted one after the other.
    await tx.$queryRaw`SELECT 1 FROM "Membership" WHERE "teamId" = ${teamId} AND "userId" = ${ctx.user.id} FOR UPDATE`;
    // The same API request sent again (its first answer was lost): the request it made, not a second one.
    if (requestKey) {
      const made = await tx.approvalRequest.findUnique({
        where: { teamId_requesterId_requestKey: { teamId, requesterId: ctx.user.id, requestKey } },
        select: { id: true, estimate: true, rule: true, lapsesAt: true, projectId: true, batchItemId: true, modelId: true, quantity: true, stage: true, purpose: true },
      });
      if (made) {
        const same =
          made.projectId === input.projectId &&
          made.batchItemId === (input.batchItemId ?? null) &&
          made.modelId === input.modelId &&
          made.quantity === input.quantity &&
          made.stage === input.stage &&
          made.purpose === input.purpose;
        if (!same) throw new DomainError("conflict", "This request key was used for another request; use a new Idempotency-Key for a new request.");
        const rule = made.rule as { id: string; name: string };
        return { requestId: made.id, estimate: made.estimate, rule: { id: rule.id, name: rule.name }, lapsesAt: made.lapsesAt };
      }
    }
    const waiting = await tx.approvalRequest.count({ where: { teamId, requesterId: ctx.user.id, state: "pending", lapsesAt: { gt: now } } });
    if (waiting >= MAX_WAITING_PER_PERSON) {
      throw new DomainError("conflict", `You have ${formatNumber(waiting)} requests waiting already; withdraw some or wait for decisions before asking again.`);
    }

    // Read through the transaction: on the embedded database a second connection would wait for this one.
    const { version: priceListVersion, priceList } = await priceListInForce(teamId, now, tx);
    if (item) checkItemRunLink(ctx, item, priceList, { modelId: input.modelId, settings: input.settings, stage: input.stage });
    const estimate = estimateRun(priceList, { modelId: input.modelId, settings: input.settings, quantity: input.quantity });
    if (!estimate.ok) throw fieldError(estimate.error.field ?? PRICING_FIELDS[estimate.error.code], estimate.error.message);
    if (estimate.credits > MAX_CREDITS) {
      throw fieldError("quantity", runTooDear(estimate.credits));
    }

    const { version: policyVersion, policy } = await policyInForce(teamId, tx);
    const answer = askPolicy(policy, {
      tier: estimate.entry.tier,
      stage: input.stage,
      outputType: estimate.entry.outputType,
      estimate: estimate.credits,
      projectId: project.id,
      requesterRole: ctx.role,
    });
    if (!answer.needsApproval) throw new ApprovalNotNeeded();

    const findings = runFindings(priceList, {
      modelId: estimate.entry.id,
      settings: estimate.settings,
      quantity: estimate.quantity,
      stage: input.stage,
      purpose: input.purpose,
      outputType: estimate.entry.outputType,
    });
    const lapses = lapsesAt(now, policy.pendingDays);
    const request = await tx.approvalRequest.create({
      data: {
        teamId,
        projectId: project.id,
        batchItemId: input.batchItemId ?? null,
        requesterId: ctx.user.id,
        policyVersion,
        rule: asJson(answer.rule),
        modelId: estimate.entry.id,
        modelName: estimate.entry.name,
        tier: estimate.entry.tier,
        outputType: estimate.entry.outputType,
        settings: asJson(estimate.settings),
        quantity: estimate.quantity,
        stage: input.stage,
        purpose: input.purpose,
        notes: input.notes,
        estimate: estimate.credits,
        breakdown: estimate.breakdown,
        priceListVersion,
        findings: asJson(findings),
        answers: asJson(input.answers),
        lapsesAt: lapses,
        createdAt: now,
        requestKey: requestKey ?? null,
      },
      select: { id: true, teamId: true, projectId: true, requesterId: true, modelName: true, quantity: true, stage: true, estimate: true },
    });
    await notifyDeciders(tx, request, answer.rule.require, now);
    await audit(tx, teamId, ctx.user.id, "approval.requested", request.id, {
      projectId: project.id,
      batchItemId: input.batchItemId ?? null,
      modelId: estimate.entry.id,
      modelName: estimate.entry.name,
      quantity: estimate.quantity,
      stage: input.stage,
      estimate: estimate.credits,
      policyVersion,
      rule: answer.rule.name,
      findings: findings.length,
    }, now);
    return { requestId: request.id, estimate: estimate.credits, rule: { id: answer.rule.id, name: answer.rule.name }, lapsesAt: lapses };
  });
}

/** The requester takes back a request nobody has decided yet. */
export async function withdrawRequest(ctx: TeamContext, input: { requestId: string }, now = appNow()): Promise<void> {
  await db().$transaction(async (tx) => {
    const request = await lockRequest(tx, ctx.team.id, input.requestId);
    if (request.requesterId !== ctx.user.id) throw new DomainError("forbidden", "Only the person who asked can withdraw a request.");
    if (request.state !== "pending") throw notPending(request.state);
    if (now >= request.lapsesAt) throw notPending("lapsed");
    await tx.approvalRequest.update({ where: { id: request.id }, data: { state: "withdrawn", version: { increment: 1 } } });
    await audit(tx, ctx.team.id, ctx.user.id, "approval.withdrawn", request.id, {}, now);
  }, DECIDE_TRANSACTION);
}

/**
 * The requester runs an approved request exactly as it was approved (model, settings, quantity, stage, project and
 * item): the admission uses the approval's hold, with no second hold and no second policy check. A resend with the
 * same request key is answered as the first time.
 */
export async function runApproved(ctx: TeamContext, input: RunApprovedInput, now = appNow()): Promise<AdmitOutcome & { projectId: string; batchItemId: string | null }> {
  const request = await db().approvalRequest.findFirst({ where: { id: input.requestId, teamId: ctx.team.id } });
  if (!request) throw new DomainError("not_found", REQUEST_NOT_FOUND);
  const outcome = await admitRun(
    ctx,
    {
      projectId: request.projectId,
      modelId: request.modelId,
      settings: request.settings as Record<string, string>,
      quantity: request.quantity,
      stage: request.stage,
      purpose: request.purpose as CreateRequestInput["purpose"],
      notes: request.notes,
      idempotencyKey: input.idempotencyKey,
      approvalId: request.id,
    },
    now,
    request.batchItemId ? { batchItemId: request.batchItemId } : undefined,
  );
  return { ...outcome, projectId: request.projectId, batchItemId: request.batchItemId };
}

// --- decisions --------------------------------------------------------------------------------------------------

export type DecidedRequest = { state: "pending" | "approved" | "rejected"; holdRunId: string | null; expiresAt: Date | null };

const LAPSED = "This request waited too long for a decision and has lapsed; the requester can ask again.";

/**
 * One approver's approve or reject, in one transaction: the request is locked, must still be pending and this person
 * must be allowed to decide it (never their own, never twice, only the approvers its rule names). Any rejection ends
 * it. The approval that completes it places the hold for the estimate as the requester's run, through the ledger's
 * own admission (balance, project budget, member limits) in this same transaction: if the ledger refuses, the whole
 * decision is refused with the reason and the request stays pending, with no decision written.
 */
export async function decideRequest(ctx: TeamContext, input: DecideRequestInput, now = appNow()): Promise<DecidedRequest> {
  const teamId = ctx.team.id;
  const result = await db().$transaction(async (tx): Promise<DecidedRequest | "lapsed"> => {
    const request = await lockRequest(tx, teamId, input.requestId);
    if (request.state !== "pending") throw notPending(request.state);
    if (now >= request.lapsesAt) {
      // Kept: the lapse is a fact whoever noticed it; the decision itself is refused once this commits.
      await tx.approvalRequest.update({ where: { id: request.id }, data: { state: "lapsed", version: { increment: 1 } } });
      await audit(tx, teamId, null, "approval.lapsed", request.id, { lapsesAt: request.lapsesAt.toISOString() }, now);
      return "lapsed";
    }
    const rule = storedRule(request.rule);
    const earlier: Decision[] = await tx.approvalDecision.findMany({ where: { requestId: request.id }, select: { userId: true, decision: true } });
    const approvedBy = earlier.filter((decision) => decision.decision === "approve").map((decision) => decision.userId);
    const why = cannotDecide(rule.require, { userId: ctx.user.id, role: ctx.role }, { requesterId: request.requesterId, approvedBy });
    if (why) throw new DomainError("forbidden", why);

    await tx.approvalDecision.create({
      data: { requestId: request.id, teamId, userId: ctx.user.id, decision: input.decision, comment: input.comment, createdAt: now },
    });
    const outcome = outcomeOf(rule.require, [...earlier, { userId: ctx.user.id, decision: input.decision }]);
    await audit(tx, teamId, ctx.user.id, "approval.decided", request.id, { decision: input.decision, comment: input.comment, outcome }, now);

    if (outcome === "pending") return { state: "pending", holdRunId: null, expiresAt: null };
    if (outcome === "rejected") {
      await tx.approvalRequest.update({ where: { id: request.id }, data: { state: "rejected", version: { increment: 1 } } });
      await audit(tx, teamId, ctx.user.id, "approval.rejected", request.id, { comment: input.comment }, now);
      await notifyDecision(tx, request, { state: "rejected", deciderId: ctx.user.id, comment: input.comment, expiresAt: null }, now);
      return { state: "rejected", holdRunId: null, expiresAt: null };
    }

    const runId = await placeHold(tx, ctx, request, now);
    const expires = expiresAt(now, rule.require.validHours);
    await tx.approvalRequest.update({
      where: { id: request.id },
      data: { state: "approved", holdRunId: runId, approvedAt: now, expiresAt: expires, version: { increment: 1 } },
    });
    await audit(tx, teamId, ctx.user.id, "approval.approved", request.id, { comment: input.comment, expiresAt: expires.toISOString() }, now);
    await audit(tx, teamId, ctx.user.id, "approval.held", request.id, { runId, estimate: request.estimate }, now);
    await notifyDecision(tx, request, { state: "approved", deciderId: ctx.user.id, comment: input.comment, expiresAt: expires }, now);
    return { state: "approved", holdRunId: runId, expiresAt: expires };
  }, DECIDE_TRANSACTION);
  if (result === "lapsed") throw new DomainError("conflict", LAPSED);
  return result;
}

type StoredRequest = Awaited<ReturnType<typeof lockRequest>>;

/**
 * The hold of an approved request: the requester's admission of the run asked for, built as every admission is
 * (their current role, the price list in force) and run by the ledger's SQL inside the caller's transaction. It
 * carries no request key: keys belong to the team's clients, and one chosen to match would block the approval. The
 * request's row lock and its pending state already make one approval hold once.
 */
async function placeHold(tx: Tx, ctx: TeamContext, request: StoredRequest, now: Date): Promise<string> {
  const membership = await tx.membership.findUnique({
    where: { teamId_userId: { teamId: ctx.team.id, userId: request.requesterId } },
    select: { role: true, user: { select: { id: true, email: true, name: true } } },
  });
  if (!membership) throw new DomainError("conflict", "The person who asked is no longer in this team, so nothing can be held for them.");
  // A viewer could never run, settle or release it: the credits would sit held until the approval expired.
  if (!hasRole(membership.role, "member")) {
    throw new DomainError("conflict", "The person who asked is now a viewer and can no longer run anything, so nothing can be held for them.");
  }
  const requester: TeamContext = { user: membership.user, team: ctx.team, role: membership.role };
  const { credits, version, call } = await runEntryCall(
    requester,
    "admit",
    {
      projectId: request.projectId,
      modelId: request.modelId,
      settings: request.settings as Record<string, string>,
      quantity: request.quantity,
      stage: request.stage,
      purpose: request.purpose as CreateRequestInput["purpose"],
      notes: request.notes,
    },
    now,
    undefined,
    (at) => priceListInForce(ctx.team.id, at, tx),
    request.batchItemId ? { batchItemId: request.batchItemId } : {},
  );
  // The approvers approved a figure; a price list changed since would hold another one.
  if (credits !== request.estimate) {
    throw new DomainError(
      "conflict",
      `Prices changed since this request was made: it would now hold ${formatNumber(credits)} credits instead of the ${formatNumber(request.estimate)} asked for. The requester needs to ask again.`,
    );
  }
  const [answer] = await runLedgerCallsIn(tx, [call]);
  const outcome = admitAnswer(answer, credits, version);
  if (outcome.status === "denied") throw new DomainError("conflict", `The credits cannot be held, so the request stays pending: ${outcome.reason}`);
  return outcome.runId;
}

// --- expiry and lapse -------------------------------------------------------------------------------------------

/** Most approvals one sweep expires, and most requests it lapses: a round stays short; the next round goes on. */
export const SWEEP_LIMIT = 500;
const EXPIRY_STEP = 100;

/**
 * Approved requests past their expiry, of one team or of all: each hold released and the request expired, exactly
 * once, by the ledger's own SQL (cw_sweep_approvals), which the team's next credit operation runs too (cw_batch). Each
 * step locks one team's totals row without waiting (SKIP LOCKED), then the due requests with SKIP LOCKED: a team busy
 * with an operation is left to that operation, and sweepers on several app instances take different teams.
 */
export async function expireApprovals(teamId?: string, now = appNow(), limit = SWEEP_LIMIT): Promise<{ expired: number }> {
  let expired = 0;
  while (expired < limit) {
    const rows = await db().$queryRaw<{ result: string }[]>`
      SELECT cw_sweep_approvals(${teamId ?? null}::text, ${now.toISOString()}::timestamp, ${Math.min(EXPIRY_STEP, limit - expired)}::int)::text AS result`;
    const step = JSON.parse(rows[0].result) as { teamId: string | null; expired: number };
    if (step.expired === 0) break;
    expired += step.expired;
  }
  return { expired };
}

/** Pending requests nobody decided before they lapse, of one team or of all: marked lapsed and audited, once. */
export async function lapseRequests(teamId?: string, now = appNow(), limit = SWEEP_LIMIT): Promise<{ lapsed: number }> {
  const rows = await db().$queryRaw<{ lapsed: number }[]>`
    SELECT cw_lapse_requests(${teamId ?? null}::text, ${now.toISOString()}::timestamp, ${limit}::int) AS lapsed`;
  return { lapsed: Number(rows[0].lapsed) };
}
