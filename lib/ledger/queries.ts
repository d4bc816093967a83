// Reads for credits: team totals, budgets with this period's use, runs, holds, grants, the ledger, alerts.
import "server-only";
import { cache } from "react";
import { db, type Db } from "@/lib/db/client";
import type { Prisma } from "@/lib/db/generated/client";
import { hasRole, type Role } from "@/lib/authz/roles";
import { describeNotification, namesNeeded, notificationPath, type AlertNames, type StoredNotification } from "./alerts";
import { periodKeysAt } from "./period-keys";
import { periodAt, type WeekStart } from "./periods";
import { encodeKeyset, readKeysetPage, type PageRequest } from "@/lib/db/keyset";
import { endOfDayIn, startOfDayIn } from "./dates";
import type { LedgerFilter } from "./filters";

export type CreditSummary = { balance: number; held: number; available: number; debt: number; lowBalanceThreshold: number | null };

// Reads a page makes more than once (the Overview: its figures, the month's use and the forecast) are made once per
// request with React's cache, keyed by team and instant; outside a request (scripts, tests) each call reads afresh.
// Nothing outlives the request: every page shows the ledger as it is when the page is asked for.

/** The team's totals row, read once per request. */
const teamCreditsRow = cache((teamId: string) =>
  db().teamCredits.findUnique({ where: { teamId }, select: { balance: true, held: true, debt: true, lowBalanceThreshold: true } }),
);

/** The team's use this calendar month in its time zone: charges net of refunds, plus what is held now. */
export async function teamUseThisMonth(team: { id: string; timeZone: string }, now = new Date()) {
  const month = periodAt(now, { period: "month", timeZone: team.timeZone });
  const [charged, row] = await Promise.all([
    db().ledgerEntry.aggregate({
      where: { teamId: team.id, kind: { in: ["charge", "refund"] }, createdAt: { gte: month.start!, lt: month.end! } },
      _sum: { amount: true },
    }),
    teamCreditsRow(team.id),
  ]);
  return { label: month.label, used: -(charged._sum.amount ?? 0) + (row?.held ?? 0) };
}

/**
 * The team's credits now. Grants whose expiry has passed are taken off at once, even before the
 * next operation writes their expiry to the ledger (what holds reserved of them stays).
 */
export function creditSummary(teamId: string, now = new Date()): Promise<CreditSummary> {
  return creditSummaryAt(teamId, now.getTime());
}

const creditSummaryAt = cache(async (teamId: string, at: number): Promise<CreditSummary> => {
  const [row, [expiring]] = await Promise.all([
    teamCreditsRow(teamId),
    db().$queryRaw<{ credits: number }[]>`
      SELECT COALESCE(SUM("remaining" - "held"), 0)::int AS credits FROM "Grant"
      WHERE "teamId" = ${teamId} AND "expiredAt" IS NULL AND "expiresAt" <= ${new Date(at)}`,
  ]);
  const balance = (row?.balance ?? 0) - expiring.credits;
  const held = row?.held ?? 0;
  return { balance, held, available: balance - held, debt: row?.debt ?? 0, lowBalanceThreshold: row?.lowBalanceThreshold ?? null };
});

export type BudgetTone = "green" | "amber" | "red";

/** Green below the alert threshold, amber from it, red at or past the cap. */
export function budgetTone(used: number, credits: number, alertPercent: number): BudgetTone {
  if (used >= credits) return "red";
  if (used * 100 >= credits * alertPercent) return "amber";
  return "green";
}

export type ProjectBudgetStatus = {
  projectId: string;
  projectName: string;
  budget: null | {
    credits: number;
    period: "lifetime" | "month" | "week";
    weekStartsOn: number;
    alertPercent: number;
    hardCap: boolean;
    periodLabel: string;
    used: number;
    remaining: number;
    percent: number;
    tone: BudgetTone;
  };
};

/**
 * This period's use of each of the team's budgets (by project id) and member limits (by limit id).
 * Counter names and the choice of period key are the ledger SQL's own (cw_budget_usage, cw_limit_usage),
 * so a page reads exactly the counter admission checks.
 */
export function currentUse(teamId: string, timeZone: string, now: Date): Promise<Map<string, number>> {
  return currentUseAt(teamId, timeZone, now.getTime());
}

const currentUseAt = cache(async (teamId: string, timeZone: string, at: number): Promise<Map<string, number>> => {
  const keys = JSON.stringify(periodKeysAt(new Date(at), timeZone));
  const rows = await db().$queryRaw<{ id: string; used: number }[]>`
    SELECT 'budget:' || b."projectId" AS id, cw_used(b."teamId", cw_budget_usage(b, ${keys}::jsonb))::float8 AS used
      FROM "ProjectBudget" b WHERE b."teamId" = ${teamId}
    UNION ALL
    SELECT 'limit:' || l."id", cw_used(l."teamId", cw_limit_usage(l, ${keys}::jsonb))::float8
      FROM "MemberLimit" l WHERE l."teamId" = ${teamId}`;
  return new Map(rows.map((row) => [row.id, Number(row.used)]));
});

type PeriodSettings = { period: "lifetime" | "month" | "week"; weekStartsOn: number };

function currentPeriod(settings: PeriodSettings, timeZone: string, now: Date) {
  return periodAt(now, { period: settings.period, timeZone, weekStartsOn: settings.weekStartsOn as WeekStart });
}

/** Every active project (or one) with its budget and what this period has used of it. */
export async function projectBudgetStatuses(team: { id: string; timeZone: string }, now = new Date(), projectId?: string): Promise<ProjectBudgetStatus[]> {
  const projects = await db().project.findMany({
    where: { teamId: team.id, archivedAt: null, ...(projectId ? { id: projectId } : {}) },
    orderBy: { name: "asc" },
    select: { id: true, name: true, budget: true },
  });
  const budgeted = projects.map((project) => ({
    ...project,
    current: project.budget ? currentPeriod(project.budget, team.timeZone, now) : null,
  }));
  const use = budgeted.some(({ budget }) => budget) ? await currentUse(team.id, team.timeZone, now) : new Map<string, number>();
  return budgeted.map(({ id, name, budget, current }) => {
    if (!budget || !current) return { projectId: id, projectName: name, budget: null };
    const used = use.get(`budget:${id}`) ?? 0;
    return {
      projectId: id,
      projectName: name,
      budget: {
        credits: budget.credits,
        period: budget.period,
        weekStartsOn: budget.weekStartsOn,
        alertPercent: budget.alertPercent,
        hardCap: budget.hardCap,
        periodLabel: current.label,
        used,
        remaining: Math.max(0, budget.credits - used),
        percent: Math.round((used * 100) / budget.credits),
        tone: budgetTone(used, budget.credits, budget.alertPercent),
      },
    };
  });
}

const runSelect = {
  id: true,
  projectId: true,
  modelId: true,
  modelName: true,
  outputType: true,
  tier: true,
  settings: true,
  quantity: true,
  stage: true,
  purpose: true,
  estimate: true,
  priceListVersion: true,
  breakdown: true,
  state: true,
  actual: true,
  refunded: true,
  outcome: true,
  overrun: true,
  overBudget: true,
  notes: true,
  createdAt: true,
  settledAt: true,
  userId: true,
  user: { select: { name: true } },
  project: { select: { name: true } },
  /** The approval this run is the hold of, if any. */
  approvalRequest: { select: { id: true, state: true } },
} satisfies Prisma.RunSelect;

export type RunFilter = { projectId?: string; state?: "held" | "settled" | "released" | "failed"; userId?: string; take?: number };

export async function listRuns(teamId: string, filter: RunFilter = {}) {
  return db().run.findMany({
    where: { teamId, projectId: filter.projectId, state: filter.state, userId: filter.userId },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: Math.min(filter.take ?? 50, 500),
    select: runSelect,
  });
}

/**
 * The team's grants from the platform, newest first, and what is left of the credits corrections and
 * refunds added (never expiring, one grant row each): together they make up the balance, less any debt.
 */
export async function listGrants(teamId: string) {
  const [grants, corrections] = await Promise.all([
    db().grant.findMany({
      where: { teamId, source: { notIn: ["refund", "adjustment"] } },
      orderBy: [{ createdAt: "desc" }],
      take: 200,
      select: { id: true, amount: true, remaining: true, held: true, source: true, note: true, expiresAt: true, expiredAt: true, createdAt: true },
    }),
    db().grant.aggregate({ where: { teamId, source: { in: ["refund", "adjustment"] } }, _sum: { amount: true, remaining: true, held: true } }),
  ]);
  return {
    grants,
    corrections: { amount: corrections._sum.amount ?? 0, remaining: corrections._sum.remaining ?? 0, held: corrections._sum.held ?? 0 },
  };
}

export const LEDGER_PAGE_SIZE = 100;
/** Up to this many matching entries are counted; past it the page says "more than". */
export const LEDGER_COUNT_LIMIT = 1_000;

/** A ledger entry's id in a page link: the BIGSERIAL's digits, within its range. */
export function parseLedgerId(text: string): bigint | undefined {
  if (!/^\d{1,19}$/.test(text)) return undefined;
  const id = BigInt(text);
  return id <= 9_223_372_036_854_775_807n ? id : undefined;
}

/**
 * One page of the ledger, newest first, by keyset on (createdAt, id): each filter has an index that
 * starts at the cursor, so a deep page costs what the first does. Instead of counting the whole
 * ledger, it counts matches up to LEDGER_COUNT_LIMIT.
 */
export async function listLedger(team: { id: string; timeZone: string }, filter: LedgerFilter = {}, request: PageRequest<bigint> | null = null) {
  const where: Prisma.LedgerEntryWhereInput = {
    teamId: team.id,
    projectId: filter.projectId,
    actorId: filter.actorId,
    kind: filter.kind,
    createdAt: {
      gte: filter.from ? startOfDayIn(filter.from, team.timeZone) : undefined,
      lt: filter.to ? endOfDayIn(filter.to, team.timeZone) : undefined,
    },
  };
  const [page, matching] = await Promise.all([
    readKeysetPage(
      request,
      LEDGER_PAGE_SIZE,
      (keyset, orderBy, take) => db().ledgerEntry.findMany({ where: keyset ? { AND: [where, keyset] } : where, orderBy, take }),
      (entry) => ({ createdAt: entry.createdAt, id: entry.id }),
    ),
    // In the page's order, so the count walks the same index as the page instead of the primary key.
    db().ledgerEntry.count({ where, orderBy: [{ createdAt: "desc" }, { id: "desc" }], take: LEDGER_COUNT_LIMIT + 1 }),
  ]);
  const entries = page.rows;
  const [people, projects] = await Promise.all([
    db().user.findMany({ where: { id: { in: [...new Set(entries.flatMap((e) => (e.actorId ? [e.actorId] : [])))] } }, select: { id: true, name: true } }),
    db().project.findMany({ where: { teamId: team.id }, select: { id: true, name: true } }),
  ]);
  const personName = new Map(people.map((p) => [p.id, p.name]));
  const projectName = new Map(projects.map((p) => [p.id, p.name]));
  return {
    matching: { count: Math.min(matching, LEDGER_COUNT_LIMIT), more: matching > LEDGER_COUNT_LIMIT },
    newer: page.newer && encodeKeyset(page.newer),
    older: page.older && encodeKeyset(page.older),
    entries: entries.map((entry) => ({
      ...entry,
      id: entry.id.toString(),
      actorName: entry.actorId ? (personName.get(entry.actorId) ?? "Former member") : "System",
      projectName: entry.projectId ? (projectName.get(entry.projectId) ?? "—") : null,
    })),
  };
}

/** Member limits with what each person has used of them this period. */
export async function listMemberLimits(team: { id: string; timeZone: string }, now = new Date()) {
  const limits = await db().memberLimit.findMany({
    where: { teamId: team.id },
    orderBy: [{ user: { name: "asc" } }, { scope: "asc" }],
    select: { id: true, scope: true, credits: true, period: true, weekStartsOn: true, user: { select: { id: true, name: true } } },
  });
  const use = limits.length > 0 ? await currentUse(team.id, team.timeZone, now) : new Map<string, number>();
  return limits.map((limit) => ({ ...limit, periodLabel: currentPeriod(limit, team.timeZone, now).label, used: use.get(`limit:${limit.id}`) ?? 0 }));
}

/** Alerts for this person: their own, and the team-wide ones if they are an admin, in words. */
export async function listNotifications(team: { id: string; slug: string }, userId: string, role: Role, take = 20) {
  const teamId = team.id;
  const notifications = await db().notification.findMany({
    where: { teamId, OR: [{ userId }, ...(hasRole(role, "admin") ? [{ userId: null }] : [])] },
    orderBy: { createdAt: "desc" },
    take,
    select: { id: true, kind: true, userId: true, data: true, title: true, body: true, createdAt: true, readAt: true },
  });
  const names = await alertNames(teamId, notifications);
  return notifications.map((notification) => ({
    id: notification.id,
    kind: notification.kind,
    createdAt: notification.createdAt,
    readAt: notification.readAt,
    href: notificationPath(notification, team.slug),
    ...describeNotification(notification, names, userId),
  }));
}

/** The names of the projects and people some notifications of a team refer to, in two reads. */
export async function alertNames(teamId: string, notifications: StoredNotification[], client: Pick<Db, "project" | "user"> = db()): Promise<AlertNames> {
  const { projectIds, userIds } = namesNeeded(notifications);
  const [projects, people] = await Promise.all([
    projectIds.length ? client.project.findMany({ where: { teamId, id: { in: projectIds } }, select: { id: true, name: true } }) : [],
    userIds.length
      ? client.user.findMany({ where: { id: { in: userIds }, memberships: { some: { teamId } } }, select: { id: true, name: true } })
      : [],
  ]);
  const projectName = new Map(projects.map((project) => [project.id, project.name]));
  const personName = new Map(people.map((person) => [person.id, person.name]));
  return { project: (id) => projectName.get(id), person: (id) => personName.get(id) };
}
