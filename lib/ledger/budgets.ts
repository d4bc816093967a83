// Admin settings that bound spending: project budgets, member limits, the low-balance alert.
import "server-only";
import { db } from "@/lib/db/client";
import type { TransactionClient } from "@/lib/db/transaction";
import { recordAudit } from "@/lib/audit/commands";
import { DomainError, fieldError } from "@/lib/authz/result";
import type { TeamContext } from "@/lib/authz/team";
import { periodKeysAt } from "./period-keys";
import { periodAt, type BudgetPeriod, type WeekStart } from "./periods";

type Recount = { kind: "budget"; projectId: string } | { kind: "limit"; limitId: string };

/**
 * Makes a budget's or limit's counter for its current period count everything its scope spent in
 * that period, however late it was set: under the team's lock, so no admission runs in between.
 */
async function recountUsage(
  tx: TransactionClient,
  team: { id: string; timeZone: string },
  what: Recount,
  settings: { period: BudgetPeriod; weekStartsOn: number },
  now: Date,
) {
  const keys = JSON.stringify(periodKeysAt(now, team.timeZone));
  const period = periodAt(now, { period: settings.period, timeZone: team.timeZone, weekStartsOn: settings.weekStartsOn as WeekStart });
  const start = period.start?.toISOString() ?? null;
  const end = period.end?.toISOString() ?? null;
  if (what.kind === "budget") {
    await tx.$queryRaw`SELECT cw_recount_budget(${team.id}, ${what.projectId}, ${keys}::jsonb, ${start}::timestamp, ${end}::timestamp)`;
  } else {
    await tx.$queryRaw`SELECT cw_recount_limit(${team.id}, ${what.limitId}, ${keys}::jsonb, ${start}::timestamp, ${end}::timestamp)`;
  }
}

/**
 * Takes the team's lock, as every credit operation does, and reads its time zone under it: a change of
 * zone committed a moment ago is seen, and none can commit until this transaction ends.
 */
export async function lockTeamCredits(tx: TransactionClient, teamId: string): Promise<{ id: string; timeZone: string }> {
  await tx.$queryRaw`SELECT cw_lock_credits(${teamId})`;
  return tx.team.findUniqueOrThrow({ where: { id: teamId }, select: { id: true, timeZone: true } });
}

/** After the team's time zone changed, every budget and limit counts its current period in the new zone. Callers hold the team's lock. */
export async function recountTeamUsage(tx: TransactionClient, team: { id: string; timeZone: string }, now = new Date()) {
  const [budgets, limits] = await Promise.all([
    tx.projectBudget.findMany({ where: { teamId: team.id }, select: { projectId: true, period: true, weekStartsOn: true } }),
    tx.memberLimit.findMany({ where: { teamId: team.id }, select: { id: true, period: true, weekStartsOn: true } }),
  ]);
  for (const budget of budgets) await recountUsage(tx, team, { kind: "budget", projectId: budget.projectId }, budget, now);
  for (const limit of limits) await recountUsage(tx, team, { kind: "limit", limitId: limit.id }, limit, now);
}

export type BudgetSettings = {
  projectId: string;
  credits: number;
  period: BudgetPeriod;
  weekStartsOn: number;
  alertPercent: number;
  hardCap: boolean;
};

export async function setProjectBudget(ctx: TeamContext, input: BudgetSettings, now = new Date()) {
  await db().$transaction(async (tx) => {
    // The team's lock first, as every credit operation takes it: no admission can slip between
    // the new budget and the count of what its period already spent.
    const team = await lockTeamCredits(tx, ctx.team.id);
    const project = await tx.project.findFirst({ where: { id: input.projectId, teamId: ctx.team.id }, select: { id: true, name: true } });
    if (!project) throw fieldError("projectId", "That project does not exist in this team.", "not_found");
    const { projectId, ...settings } = input;
    const before = await tx.projectBudget.findUnique({ where: { projectId }, select: { credits: true, period: true, alertPercent: true, hardCap: true } });
    await tx.projectBudget.upsert({
      where: { projectId },
      create: { projectId, teamId: ctx.team.id, ...settings },
      update: settings,
    });
    await recountUsage(tx, team, { kind: "budget", projectId }, settings, now);
    await recordAudit(tx, {
      teamId: ctx.team.id,
      actorId: ctx.user.id,
      action: "budget.set",
      at: now,
      targetType: "project",
      targetId: projectId,
      details: { project: project.name, before, after: settings },
    });
  });
}

export async function removeProjectBudget(ctx: TeamContext, projectId: string) {
  await db().$transaction(async (tx) => {
    const budget = await tx.projectBudget.findFirst({ where: { projectId, teamId: ctx.team.id }, select: { credits: true, project: { select: { name: true } } } });
    if (!budget) throw new DomainError("not_found", "This project has no budget to remove.");
    await tx.projectBudget.delete({ where: { projectId } });
    await recordAudit(tx, {
      teamId: ctx.team.id,
      actorId: ctx.user.id,
      action: "budget.removed",
      targetType: "project",
      targetId: projectId,
      details: { project: budget.project.name, credits: budget.credits },
    });
  });
}

export async function setMemberLimit(
  ctx: TeamContext,
  input: { userId: string; scope: string; credits: number; period: BudgetPeriod; weekStartsOn: number },
  now = new Date(),
) {
  await db().$transaction(async (tx) => {
    const team = await lockTeamCredits(tx, ctx.team.id);
    const member = await tx.membership.findFirst({
      where: { teamId: ctx.team.id, userId: input.userId },
      select: { user: { select: { email: true } } },
    });
    if (!member) throw fieldError("userId", "That person is not a member of this team.", "not_found");
    if (input.scope !== "team") {
      const project = await tx.project.findFirst({ where: { id: input.scope, teamId: ctx.team.id }, select: { id: true } });
      if (!project) throw fieldError("scope", "That project does not exist in this team.", "not_found");
    }
    const { userId, scope, ...settings } = input;
    const limit = await tx.memberLimit.upsert({
      where: { teamId_userId_scope: { teamId: ctx.team.id, userId, scope } },
      create: { teamId: ctx.team.id, userId, scope, ...settings },
      update: settings,
      select: { id: true },
    });
    await recountUsage(tx, team, { kind: "limit", limitId: limit.id }, settings, now);
    await recordAudit(tx, {
      teamId: ctx.team.id,
      actorId: ctx.user.id,
      action: "limit.set",
      at: now,
      targetType: "member",
      targetId: userId,
      details: { email: member.user.email, scope, ...settings },
    });
  });
}

export async function removeMemberLimit(ctx: TeamContext, limitId: string) {
  await db().$transaction(async (tx) => {
    const limit = await tx.memberLimit.findFirst({
      where: { id: limitId, teamId: ctx.team.id },
      select: { id: true, scope: true, credits: true, user: { select: { email: true } } },
    });
    if (!limit) throw new DomainError("not_found", "That limit does not exist in this team.");
    await tx.memberLimit.delete({ where: { id: limit.id } });
    await recordAudit(tx, {
      teamId: ctx.team.id,
      actorId: ctx.user.id,
      action: "limit.removed",
      targetType: "member_limit",
      targetId: limit.id,
      details: { email: limit.user.email, scope: limit.scope, credits: limit.credits },
    });
  });
}

export async function setLowBalanceThreshold(ctx: TeamContext, threshold: number | undefined, now = new Date()) {
  await db().$transaction(async (tx) => {
    await tx.teamCredits.upsert({
      where: { teamId: ctx.team.id },
      create: { teamId: ctx.team.id, lowBalanceThreshold: threshold ?? null },
      update: { lowBalanceThreshold: threshold ?? null },
    });
    await recordAudit(tx, {
      teamId: ctx.team.id,
      actorId: ctx.user.id,
      action: "credits.low_balance_alert",
      at: now,
      details: { threshold: threshold ?? null },
    });
  });
}
