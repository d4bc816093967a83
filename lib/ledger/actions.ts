"use server";
// Server actions for credits, budgets and runs: authorize → command → revalidate.
import { revalidatePath } from "next/cache";
import { teamAction } from "@/lib/authz/action";
import { ok, type ActionResult } from "@/lib/authz/result";
import { formatNumber } from "@/lib/format";
import type { TeamContext } from "@/lib/authz/team";
import { addGrant, adjustCredits, admitRun, recordRun, refundRun, releaseRun, settleRun } from "./commands";
import { removeMemberLimit, removeProjectBudget, setLowBalanceThreshold, setMemberLimit, setProjectBudget } from "./budgets";
import { endOfDayIn } from "./dates";
import {
  addGrantSchema,
  adjustCreditsSchema,
  lowBalanceSchema,
  recordRunSchema,
  refundRunSchema,
  releaseRunSchema,
  removeBudgetSchema,
  removeMemberLimitSchema,
  runRequestSchema,
  setBudgetSchema,
  setMemberLimitSchema,
  settleRunSchema,
} from "./schema";

function refresh(ctx: TeamContext, projectId?: string) {
  revalidatePath(`/t/${ctx.team.slug}`, "layout");
  if (projectId) revalidatePath(`/t/${ctx.team.slug}/projects/${projectId}`);
}

export const admitRunAction = teamAction("member", runRequestSchema, async (ctx, input) => {
  const outcome = await admitRun(ctx, input);
  refresh(ctx, input.projectId);
  return ok(outcome, outcome.status === "admitted" ? `Admitted: ${formatNumber(outcome.estimate)} credits are held for this run.` : undefined);
});

export const recordRunAction = teamAction("member", recordRunSchema, async (ctx, input) => {
  const recorded = await recordRun(ctx, input);
  refresh(ctx, input.projectId);
  return ok(recorded, recorded.overBudget ? "Recorded, and flagged: it went past a limit." : "Run recorded.");
});

export const settleRunAction = teamAction("member", settleRunSchema, async (ctx, input) => {
  const settled = await settleRun(ctx, input);
  refresh(ctx);
  return ok(settled, settled.overrun ? "Settled. It cost more than it held; the admins have been told." : "Run settled.");
});

export const releaseRunAction = teamAction("member", releaseRunSchema, async (ctx, input) => {
  const released = await releaseRun(ctx, input);
  refresh(ctx);
  return ok(released, "Hold released.");
});

export const refundRunAction = teamAction("admin", refundRunSchema, async (ctx, input) => {
  await refundRun(ctx, input);
  refresh(ctx);
  return ok(null, "Refund recorded.");
});

export const addGrantAction = teamAction("admin", addGrantSchema, async (ctx, input) => {
  await addGrant(ctx, {
    amount: input.amount,
    source: input.source,
    note: input.note,
    expiresAt: input.expiresOn ? endOfDayIn(input.expiresOn, ctx.team.timeZone) : undefined,
    idempotencyKey: input.idempotencyKey,
  });
  refresh(ctx);
  return ok(null, `${formatNumber(input.amount)} credits added.`);
});

export type AdjustAnswer =
  | { status: "adjusted"; replayed: boolean }
  | { status: "confirm"; availableAfter: number; balanceAfter: number; amount: number; reason: string };

export const adjustCreditsAction = teamAction("admin", adjustCreditsSchema, async (ctx, input): Promise<ActionResult<AdjustAnswer>> => {
  const outcome = await adjustCredits(ctx, input);
  // Nothing was recorded yet: the form asks the person to confirm the figure it would leave.
  if (outcome.status === "confirm") return ok({ ...outcome, amount: input.amount, reason: input.reason });
  refresh(ctx);
  return ok(outcome, "Adjustment recorded.");
});

export const setBudgetAction = teamAction("admin", setBudgetSchema, async (ctx, input) => {
  await setProjectBudget(ctx, input);
  refresh(ctx, input.projectId);
  return ok(null, "Budget saved.");
});

export const removeBudgetAction = teamAction("admin", removeBudgetSchema, async (ctx, input) => {
  await removeProjectBudget(ctx, input.projectId);
  refresh(ctx, input.projectId);
  return ok(null, "Budget removed.");
});

export const setMemberLimitAction = teamAction("admin", setMemberLimitSchema, async (ctx, input) => {
  await setMemberLimit(ctx, input);
  refresh(ctx);
  return ok(null, "Limit saved.");
});

export const removeMemberLimitAction = teamAction("admin", removeMemberLimitSchema, async (ctx, input) => {
  await removeMemberLimit(ctx, input.limitId);
  refresh(ctx);
  return ok(null, "Limit removed.");
});

export const setLowBalanceAction = teamAction("admin", lowBalanceSchema, async (ctx, input) => {
  await setLowBalanceThreshold(ctx, input.threshold);
  refresh(ctx);
  return ok(null, input.threshold ? "Low-balance alert saved." : "Low-balance alert switched off.");
});
