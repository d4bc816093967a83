// Reads of approval requests: the Approvals page's lists (waiting for me, mine, all), the nav's count of what waits for
// me, and one request with everything its page shows (decisions, the hold run, the timeline).
import "server-only";
import { DomainError } from "@/lib/authz/result";
import { hasRole } from "@/lib/authz/roles";
import type { TeamContext } from "@/lib/authz/team";
import { FINAL_QUESTIONS, readAnswers, type FinalQuestion } from "@/lib/batches/schema";
import { appNow } from "@/lib/clock";
import { db } from "@/lib/db/client";
import type { Prisma } from "@/lib/db/generated/client";
import { encodeKeyset, readKeysetPage, type PageRequest } from "@/lib/db/keyset";
import { endOfDayIn, startOfDayIn } from "@/lib/ledger/dates";
import type { Finding } from "@/lib/recommendations/types";
import { cannotDecide, describeCondition, describeRequirement, type PolicyRequirement, type PolicyRule } from "./policy";
import type { RequestFilter, RequestView } from "./request-filters";
import type { RequestState } from "./requests";
import { storedRulesSchema } from "./schema";

export const REQUEST_PAGE_SIZE = 25;
// The count beside a list stops here; past it the page says "more than".
const REQUEST_COUNT_LIMIT = 1_000;

type ApprovalRequirement = Extract<PolicyRequirement, { kind: "approval" }>;
type StoredRule = PolicyRule & { require: ApprovalRequirement };

/** A request's id in a page link: a cuid, or anything of its alphabet and about its length. */
export function parseRequestId(text: string): string | undefined {
  return /^[A-Za-z0-9_-]{1,64}$/.test(text) ? text : undefined;
}

/** The rule a request was made under, as stored with it; validated when written, so a failure is loud. */
function readRule(stored: unknown): StoredRule {
  const parsed = storedRulesSchema.safeParse([stored]);
  if (!parsed.success) throw new Error(`A stored approval request's rule is not a valid rule: ${parsed.error.issues[0]?.message}`);
  const rule = parsed.data[0];
  if (rule.require.kind !== "approval") throw new Error("A stored approval request's rule requires no approval.");
  return { ...rule, require: rule.require };
}

/**
 * The state as people should read it now: a pending request past its lapse time has lapsed and an approval past its
 * expiry has expired, even before the next credit operation or sweep writes it down.
 */
export function stateNow(request: { state: RequestState; lapsesAt: Date; expiresAt: Date | null }, now: Date): RequestState {
  if (request.state === "pending" && now >= request.lapsesAt) return "lapsed";
  if (request.state === "approved" && request.expiresAt && now >= request.expiresAt) return "expired";
  return request.state;
}

/** Requests in a state as `stateNow` reads it, in SQL. */
function stateWhere(state: RequestState, now: Date): Prisma.ApprovalRequestWhereInput {
  switch (state) {
    case "pending":
      return { state: "pending", lapsesAt: { gt: now } };
    case "lapsed":
      return { OR: [{ state: "lapsed" }, { state: "pending", lapsesAt: { lte: now } }] };
    case "approved":
      return { state: "approved", OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] };
    case "expired":
      return { OR: [{ state: "expired" }, { state: "approved", expiresAt: { lte: now } }] };
    default:
      return { state };
  }
}

/**
 * Pending requests of the team this person might decide, as far as SQL can tell: not their own, not yet decided by
 * them, not lapsed, and a rule that lets anyone with the approver role decide (when they have it) or names them —
 * which is all `cannotDecide` asks; the lists still let it have the last word on each row. Deciding is a member's action: a viewer has nothing waiting.
 */
function waitingWhere(ctx: TeamContext, now: Date): Prisma.ApprovalRequestWhereInput {
  if (!hasRole(ctx.role, "member")) return { id: { in: [] } };
  const me = ctx.user.id;
  const approvers: Prisma.ApprovalRequestWhereInput[] = [{ rule: { path: ["require", "approvers", "userIds"], array_contains: [me] } }];
  if (hasRole(ctx.role, "approver")) approvers.push({ rule: { path: ["require", "approvers", "kind"], equals: "role" } });
  return {
    teamId: ctx.team.id,
    state: "pending",
    lapsesAt: { gt: now },
    requesterId: { not: me },
    decisions: { none: { userId: me } },
    OR: approvers,
  };
}

function mayDecide(ctx: TeamContext, request: { rule: unknown; requesterId: string; decisions: { userId: string; decision: string }[] }): boolean {
  const approvedBy = request.decisions.filter((decision) => decision.decision === "approve").map((decision) => decision.userId);
  return cannotDecide(readRule(request.rule).require, { userId: ctx.user.id, role: ctx.role }, { requesterId: request.requesterId, approvedBy }) === null;
}

/** How many requests wait for this person's decision: the number beside "Approvals" in the nav. */
export async function countWaitingFor(ctx: TeamContext, now = appNow()): Promise<number> {
  // Counted in SQL alone: on every page, with thousands waiting, no row leaves the database. `waitingWhere` is exact for
  // what cannotDecide asks (own request, decided already, the approver role or being named, viewers) — the request
  // queries' test compares it with cannotDecide row by row.
  return db().approvalRequest.count({ where: waitingWhere(ctx, now) });
}

const listSelect = {
  id: true,
  createdAt: true,
  requesterId: true,
  modelName: true,
  tier: true,
  stage: true,
  quantity: true,
  estimate: true,
  rule: true,
  state: true,
  lapsesAt: true,
  expiresAt: true,
  project: { select: { id: true, name: true } },
  requester: { select: { name: true } },
  decisions: { select: { userId: true, decision: true } },
} satisfies Prisma.ApprovalRequestSelect;

export type RequestListRow = {
  id: string;
  createdAt: Date;
  requester: { id: string; name: string };
  project: { id: string; name: string };
  modelName: string;
  tier: string | null;
  stage: "test" | "draft" | "final";
  quantity: number;
  estimate: number;
  ruleName: string;
  state: RequestState;
  /** When it lapses (pending) or expires (approved); null once nothing more can happen by the clock. */
  deadline: { kind: "lapses" | "expires"; at: Date } | null;
};

export type RequestList = {
  rows: RequestListRow[];
  newer: string | null;
  older: string | null;
  matching: { count: number; more: boolean };
};

/**
 * One page of the team's requests, newest first, in a view: "waiting" (pending requests this person may decide, never
 * their own), "mine" (what they asked for) or "all" (admins and owners; anyone else is refused), with the filter.
 */
export async function listRequests(
  ctx: TeamContext,
  view: RequestView,
  filter: RequestFilter = {},
  request: PageRequest<string> | null = null,
  now = appNow(),
): Promise<RequestList> {
  if (view === "all" && !hasRole(ctx.role, "admin")) throw new DomainError("forbidden", "Only admins and owners see every request of the team.");
  const { team } = ctx;
  const viewWhere: Prisma.ApprovalRequestWhereInput =
    view === "waiting" ? waitingWhere(ctx, now) : view === "mine" ? { teamId: team.id, requesterId: ctx.user.id } : { teamId: team.id };
  const where: Prisma.ApprovalRequestWhereInput = {
    AND: [
      viewWhere,
      filter.state ? stateWhere(filter.state, now) : {},
      {
        projectId: filter.projectId,
        requesterId: filter.requesterId,
        createdAt: {
          gte: filter.from ? startOfDayIn(filter.from, team.timeZone) : undefined,
          lt: filter.to ? endOfDayIn(filter.to, team.timeZone) : undefined,
        },
      },
    ],
  };
  const [page, matching] = await Promise.all([
    readKeysetPage(
      request,
      REQUEST_PAGE_SIZE,
      (keyset, orderBy, take) => db().approvalRequest.findMany({ where: keyset ? { AND: [where, keyset] } : where, orderBy, take, select: listSelect }),
      (row) => ({ createdAt: row.createdAt, id: row.id }),
    ),
    db().approvalRequest.count({ where, take: REQUEST_COUNT_LIMIT + 1 }),
  ]);
  // The SQL above already narrows "waiting" to what this person may decide; the policy's own rule has the last word.
  const rows = view === "waiting" ? page.rows.filter((row) => mayDecide(ctx, row)) : page.rows;
  return {
    rows: rows.map((row) => {
      const state = stateNow(row, now);
      return {
        id: row.id,
        createdAt: row.createdAt,
        requester: { id: row.requesterId, name: row.requester.name },
        project: row.project,
        modelName: row.modelName,
        tier: row.tier,
        stage: row.stage,
        quantity: row.quantity,
        estimate: row.estimate,
        ruleName: readRule(row.rule).name,
        state,
        deadline: state === "pending" ? { kind: "lapses", at: row.lapsesAt } : state === "approved" && row.expiresAt ? { kind: "expires", at: row.expiresAt } : null,
      };
    }),
    newer: page.newer && encodeKeyset(page.newer),
    older: page.older && encodeKeyset(page.older),
    matching: { count: Math.min(matching, REQUEST_COUNT_LIMIT), more: matching > REQUEST_COUNT_LIMIT },
  };
}

// --- one request ------------------------------------------------------------------------------------------------

/** One line of a request's timeline: a step from the audit log, or a credit movement of its hold run. */
export type TimelineEntry =
  | { source: "audit"; id: string; at: Date; action: string; actorName: string | null; text: string }
  | { source: "ledger"; id: string; at: Date; kind: string; amount: number; heldDelta: number; actorName: string | null; text: string };

function detailText(details: unknown, key: string): string {
  const value = details && typeof details === "object" ? (details as Record<string, unknown>)[key] : undefined;
  return typeof value === "string" || typeof value === "number" ? String(value) : "";
}

/** An audit step of a request in words. */
function describeStep(action: string, details: unknown): string {
  switch (action) {
    case "approval.requested":
      return "Asked for approval";
    case "approval.decided": {
      const decision = detailText(details, "decision");
      const comment = detailText(details, "comment");
      return `${decision === "reject" ? "Rejected" : "Approved"}${comment ? `: “${comment}”` : ""}`;
    }
    case "approval.approved":
      return "Enough approvals: the request is approved";
    case "approval.rejected":
      return "The rejection ends the request";
    case "approval.held":
      return "Credits held for the run";
    case "approval.withdrawn":
      return "Withdrawn by the person who asked";
    case "approval.lapsed":
      return "Lapsed: nobody decided it in time";
    case "approval.expired":
      return details && typeof details === "object" && (details as Record<string, unknown>).released === false ? "The approval expired unused; its hold had already ended" : "The approval expired unused; its hold was released";
    case "approval.used":
      return "Run with the approval: the held credits became the run";
    case "approval.settled":
      return "The run was settled at what it cost";
    case "approval.released":
      return details && typeof details === "object" && (details as Record<string, unknown>).failed === true ? "The run failed; its hold was released" : "The hold was released: the run did not happen";
    default:
      return action.replace(/^approval\./, "").replace(/_/g, " ");
  }
}

const MOVEMENT_WORDS: Record<string, string> = {
  hold: "Ledger: hold placed",
  release: "Ledger: hold released",
  charge: "Ledger: charged",
  refund: "Ledger: refunded",
  adjustment: "Ledger: adjusted",
  expiry: "Ledger: expired",
  grant: "Ledger: granted",
};

export type RequestDetail = NonNullable<Awaited<ReturnType<typeof requestDetail>>>;

/**
 * Everything the request page shows, or null when the team has no such request (an id from another team included):
 * the run asked for, the rule it was made under in words, the stored findings and answers, the decisions with names,
 * the hold run's state, the timeline (audit steps and the hold's ledger movements, oldest first) and what this person
 * may do with it.
 */
export async function requestDetail(ctx: TeamContext, requestId: string, now = appNow()) {
  const { team } = ctx;
  const request = await db().approvalRequest.findFirst({
    where: { id: requestId, teamId: team.id },
    include: {
      project: { select: { id: true, name: true, archivedAt: true } },
      batchItem: { select: { id: true, title: true, batch: { select: { id: true, name: true } } } },
      requester: { select: { id: true, name: true } },
      decisions: { orderBy: [{ createdAt: "asc" }, { id: "asc" }], select: { id: true, userId: true, decision: true, comment: true, createdAt: true, user: { select: { name: true } } } },
      holdRun: { select: { id: true, state: true, estimate: true, actual: true, modelName: true, quantity: true, userId: true, settledAt: true } },
    },
  });
  if (!request) return null;

  const rule = readRule(request.rule);
  const [audit, movements, members, projects] = await Promise.all([
    db().auditLog.findMany({
      where: { teamId: team.id, targetType: "approval_request", targetId: request.id },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      select: { id: true, action: true, details: true, createdAt: true, actor: { select: { name: true } } },
    }),
    request.holdRunId
      ? db().ledgerEntry.findMany({
          where: { teamId: team.id, runId: request.holdRunId },
          orderBy: [{ createdAt: "asc" }, { id: "asc" }],
          select: { id: true, kind: true, amount: true, heldDelta: true, actorId: true, reason: true, createdAt: true },
        })
      : [],
    db().membership.findMany({ where: { teamId: team.id }, select: { user: { select: { id: true, name: true } } } }),
    rule.when.projectIds ? db().project.findMany({ where: { teamId: team.id }, select: { id: true, name: true } }) : [],
  ]);
  const people = new Map(members.map(({ user }) => [user.id, user.name]));

  const timeline: TimelineEntry[] = [
    ...audit.map(
      (entry): TimelineEntry => ({
        source: "audit",
        id: `audit:${entry.id}`,
        at: entry.createdAt,
        action: entry.action,
        actorName: entry.actor?.name ?? null,
        text: describeStep(entry.action, entry.details),
      }),
    ),
    ...movements.map(
      (entry): TimelineEntry => ({
        source: "ledger",
        id: `ledger:${entry.id}`,
        at: entry.createdAt,
        kind: entry.kind,
        amount: entry.amount,
        heldDelta: entry.heldDelta,
        actorName: entry.actorId ? (people.get(entry.actorId) ?? "Former member") : null,
        text: `${MOVEMENT_WORDS[entry.kind] ?? entry.kind}${entry.reason ? `: ${entry.reason}` : ""}`,
      }),
    ),
  ];
  // Steps of one moment keep their own order; at the same instant an audit step comes before the movement it caused.
  timeline.sort((a, b) => a.at.getTime() - b.at.getTime() || (a.source === b.source ? 0 : a.source === "audit" ? -1 : 1));

  const state = stateNow(request, now);
  const approvedBy = request.decisions.filter((decision) => decision.decision === "approve").map((decision) => decision.userId);
  const isRequester = request.requesterId === ctx.user.id;
  // Deciding is a member's action (viewers are refused whatever the rule says); then the rule decides.
  const whyNotDecide =
    state !== "pending"
      ? "Only a pending request can be decided."
      : !hasRole(ctx.role, "member")
        ? "Viewers read requests; deciding needs the member role or higher."
        : cannotDecide(rule.require, { userId: ctx.user.id, role: ctx.role }, { requesterId: request.requesterId, approvedBy });

  const answers = readAnswers(request.answers);
  return {
    id: request.id,
    createdAt: request.createdAt,
    state,
    storedState: request.state,
    project: request.project,
    batchItem: request.batchItem,
    requester: request.requester,
    modelId: request.modelId,
    modelName: request.modelName,
    tier: request.tier,
    outputType: request.outputType,
    settings: request.settings as Record<string, string>,
    quantity: request.quantity,
    stage: request.stage,
    purpose: request.purpose,
    notes: request.notes,
    estimate: request.estimate,
    breakdown: request.breakdown,
    priceListVersion: request.priceListVersion,
    policyVersion: request.policyVersion,
    rule: {
      name: rule.name,
      approvals: rule.require.approvals,
      validHours: rule.require.validHours,
      condition: describeCondition(rule.when, new Map(projects.map((project) => [project.id, project.name]))),
      requirement: describeRequirement(rule.require, people),
    },
    findings: (Array.isArray(request.findings) ? request.findings : []) as Finding[],
    answers: FINAL_QUESTIONS.map((question: FinalQuestion) => ({ question, ...answers[question] })),
    decisions: request.decisions.map((decision) => ({
      id: decision.id,
      userId: decision.userId,
      userName: decision.user.name,
      decision: decision.decision,
      comment: decision.comment,
      createdAt: decision.createdAt,
    })),
    approvedAt: request.approvedAt,
    expiresAt: request.expiresAt,
    lapsesAt: request.lapsesAt,
    holdRun: request.holdRun,
    timeline,
    viewer: {
      isRequester,
      /** Null when this person may approve or reject it now. */
      whyNotDecide,
      canWithdraw: isRequester && state === "pending",
      canRun: isRequester && state === "approved" && hasRole(ctx.role, "member"),
    },
  };
}
