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
import type { PriceList, PricingError } from "@/lib/pricing/types";
import { priceListInForce } from "@/lib/price-lists/queries";
import { DEFAULT_PRICE_LIST } from "@/lib/pricing/default-price-list";
import { runLedgerCall, type LedgerCall } from "./batch";
import { raiseAlerts } from "./notify";
import { crossedThresholds, lowBalanceAlert, usageAlerts, type CountedUsage, type Totals } from "./alerts";
import { describePeriodKey, periodKeysAt } from "./period-keys";
import { periodAt } from "./periods";
import type { RecordRunRequest, RunRequest } from "./schema";

type Client = Pick<TransactionClient, "$queryRaw">;

export type Denial = {
  limit: "team_balance" | "project_budget" | "member_limit";
  needed: number;
  shortfall: number;
  available?: number;
  budget?: number;
  used?: number;
  remaining?: number;
  periodKey?: string;
  scope?: string;
};

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
  counters?: CountedUsage[];
  before?: Totals;
  after?: Totals;
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

// Saved versions never change, so a process keeps each one it has parsed; only which one is in force is asked each time.
const DEFAULT_VERSION = { version: 0, priceList: DEFAULT_PRICE_LIST };
const parsedVersions = new Map<string, { version: number; priceList: PriceList }>();

async function priceListAt(teamId: string, at: Date): Promise<{ version: number; priceList: PriceList }> {
  const current = await db().priceListVersion.findFirst({
    where: { teamId, effectiveFrom: { lte: at } },
    orderBy: [{ effectiveFrom: "desc" }, { version: "desc" }],
    select: { id: true },
  });
  if (!current) return DEFAULT_VERSION;
  let parsed = parsedVersions.get(current.id);
  if (!parsed) {
    parsed = await priceListInForce(teamId, at);
    if (parsedVersions.size > 500) parsedVersions.clear();
    parsedVersions.set(current.id, parsed);
  }
  return parsed;
}

async function priceRun(teamId: string, request: RunRequest, at: Date) {
  const { version, priceList } = await priceListAt(teamId, at);
  const estimate = estimateRun(priceList, { modelId: request.modelId, settings: request.settings, quantity: request.quantity });
  if (!estimate.ok) {
    throw fieldError(estimate.error.field ?? PRICING_FIELDS[estimate.error.code], estimate.error.message);
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

async function runProject(teamId: string, runId: string): Promise<string> {
  const run = await db().run.findFirst({ where: { id: runId, teamId }, select: { projectId: true } });
  return run?.projectId ?? "";
}

async function projectName(teamId: string, projectId: string): Promise<string> {
  const project = await db().project.findFirst({ where: { id: projectId, teamId }, select: { name: true } });
  return project?.name ?? "A project";
}

/** A sentence for the person whose run was denied: which limit, the figures, the shortfall. */
export function denialReason(denial: Denial): string {
  const needs = `this run needs ${formatNumber(denial.needed)}`;
  const short = `short by ${formatNumber(denial.shortfall)}`;
  if (denial.limit === "team_balance") {
    return `Not enough team credits: ${formatNumber(denial.available ?? 0)} available, ${needs} (${short}).`;
  }
  const period = denial.periodKey && denial.periodKey !== "lifetime" ? ` ${describePeriodKey(denial.periodKey)}` : "";
  const figures = `${formatNumber(denial.used ?? 0)} of ${formatNumber(denial.budget ?? 0)} used, ${formatNumber(denial.remaining ?? 0)} left`;
  const what = denial.limit === "project_budget" ? "the project's budget" : "your credit limit";
  return `Over ${what}${period}: ${figures}; ${needs} (${short}).`;
}

async function alertAfter(ctx: TeamContext, response: LedgerResponse, projectId: string | undefined, memberName: string | undefined, at: Date) {
  const counted = response.counters ?? [];
  const crossing = counted.some((usage) => crossedThresholds(usage).length > 0);
  const names = { projectName: crossing && projectId ? await projectName(ctx.team.id, projectId) : undefined, memberName };
  const alerts = crossing ? usageAlerts(counted, names) : [];
  const low = lowBalanceAlert(response.before, response.after, periodAt(at, { period: "month", timeZone: ctx.team.timeZone }).key);
  if (low) alerts.push(low);
  if (alerts.length > 0) await raiseAlerts(ctx.team, alerts);
}

/**
 * May this run happen? Prices it with the price list in force, then — in one database
 * transaction — checks the team's available credits, the project's budget for this period
 * and the member's limits, and on success creates the run with its hold.
 */
export async function admitRun(ctx: TeamContext, request: RunRequest, now = new Date()): Promise<AdmitOutcome> {
  const { version, credits, run } = await priceRun(ctx.team.id, request, now);
  const hash = requestHash({ op: "admit", user: ctx.user.id, project: request.projectId, run: { ...run, notes: undefined } });
  const keys = periodKeysAt(now, ctx.team.timeZone);
  const response = await callRunOperation({
    op: "admit",
    team: ctx.team.id,
    runId: newId("run"),
    project: request.projectId,
    user: ctx.user.id,
    key: request.idempotencyKey ?? null,
    hash,
    run,
    estimate: credits,
    version,
    keys,
    now: now.toISOString(),
  });
  const replayed = response.replayed === true;
  if (response.status === "denied" && response.denial) {
    return { status: "denied", denial: response.denial, reason: denialReason(response.denial), estimate: credits, priceListVersion: version, replayed };
  }
  if (!replayed) await alertAfter(ctx, response, request.projectId, ctx.user.name, now);
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
    now: now.toISOString(),
  });
  if (!response.replayed) {
    // Names are looked up only when there is something to tell.
    const crossing = (response.counters ?? []).some((usage) => crossedThresholds(usage).length > 0);
    const projectId = crossing || response.overrun ? await runProject(ctx.team.id, input.runId) : undefined;
    await alertAfter(ctx, response, projectId, undefined, now);
    if (response.overrun && projectId) {
      const name = await projectName(ctx.team.id, projectId);
      await raiseAlerts(ctx.team, [
        {
          dedupeKey: `overrun:${input.runId}`,
          kind: "overrun",
          userId: null,
          title: `A run in ${name} cost more than it held`,
          body: `It held ${formatNumber(response.estimate ?? 0)} credits and cost ${formatNumber(response.actual ?? 0)}; the difference was charged as it happened on the platform.`,
        },
      ]);
    }
  }
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

async function inAuditedTransaction<T>(ctx: TeamContext, work: (tx: TransactionClient) => Promise<T>, audit: (result: T) => Parameters<typeof recordAudit>[1]) {
  return db().$transaction(async (tx) => {
    const result = await work(tx);
    await recordAudit(tx, audit(result));
    return result;
  });
}

export async function refundRun(
  ctx: TeamContext,
  input: { runId: string; credits: number; reason: string; idempotencyKey?: string },
  now = new Date(),
) {
  if (!hasRole(ctx.role, "admin")) throw new DomainError("forbidden", "Only an admin can record a refund.");
  const run = { id: input.runId };
  const hash = requestHash({ op: "refund", run: run.id, credits: input.credits, reason: input.reason });
  return inAuditedTransaction(
    ctx,
    (tx) =>
      callLedger(
        tx,
        Prisma.sql`SELECT cw_refund_run(${ctx.team.id}, ${run.id}, ${newId("grant")}, ${input.credits}::int, ${input.reason},
          ${ctx.user.id}, ${input.idempotencyKey ?? null}, ${hash}, ${now.toISOString()}::timestamp)::text AS result`,
      ),
    () => ({
      teamId: ctx.team.id,
      actorId: ctx.user.id,
      action: "credits.refunded",
      targetType: "run",
      targetId: run.id,
      details: { credits: input.credits, reason: input.reason },
    }),
  );
}

/**
 * A run that already happened on the platform (imports, the API): admitted and settled in
 * one step. Usage past a budget, a limit or the balance is recorded truthfully and flagged.
 */
export async function recordRun(ctx: TeamContext, request: RecordRunRequest, now = new Date()) {
  const { version, credits, run } = await priceRun(ctx.team.id, request, now);
  const hash = requestHash({ op: "record", user: ctx.user.id, project: request.projectId, run: { ...run, notes: undefined }, actual: request.actual, outcome: request.outcome });
  const keys = periodKeysAt(now, ctx.team.timeZone);
  const response = await callRunOperation({
    op: "record",
    team: ctx.team.id,
    runId: newId("run"),
    project: request.projectId,
    user: ctx.user.id,
    key: request.idempotencyKey ?? null,
    hash,
    run,
    estimate: credits,
    version,
    keys,
    actual: request.actual,
    outcome: request.outcome,
    now: now.toISOString(),
  });
  if (!response.replayed) {
    await alertAfter(ctx, response, request.projectId, ctx.user.name, now);
    if (response.overBudget) {
      const name = await projectName(ctx.team.id, request.projectId);
      await raiseAlerts(ctx.team, [
        {
          dedupeKey: `over-budget:${response.runId}`,
          kind: "over_budget",
          userId: null,
          title: `Usage in ${name} went past a limit`,
          body: `A recorded run of ${formatNumber(request.actual)} credits went past ${denialReason(response.overBudget)}`,
        },
      ]);
    }
  }
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
  return inAuditedTransaction(
    ctx,
    (tx) =>
      callLedger(
        tx,
        Prisma.sql`SELECT cw_add_grant(${ctx.team.id}, ${grantId}, ${input.amount}::int, ${input.source}, ${input.note},
          ${input.expiresAt?.toISOString() ?? null}::timestamp, ${ctx.user.id}, ${input.idempotencyKey ?? null}, ${hash},
          ${now.toISOString()}::timestamp)::text AS result`,
      ),
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

export async function adjustCredits(ctx: TeamContext, input: { amount: number; reason: string; idempotencyKey?: string }, now = new Date()) {
  const hash = requestHash({ op: "adjust", amount: input.amount, reason: input.reason });
  return inAuditedTransaction(
    ctx,
    (tx) =>
      callLedger(
        tx,
        Prisma.sql`SELECT cw_adjust(${ctx.team.id}, ${newId("grant")}, ${input.amount}::int, ${input.reason}, ${ctx.user.id},
          ${input.idempotencyKey ?? null}, ${hash}, ${now.toISOString()}::timestamp)::text AS result`,
      ),
    () => ({
      teamId: ctx.team.id,
      actorId: ctx.user.id,
      action: "credits.adjusted",
      details: { amount: input.amount, reason: input.reason },
    }),
  );
}
