// Which alerts a credit operation raises: budget and limit thresholds crossed, and a low team balance. Pure.
import { formatNumber } from "@/lib/format";
import { describePeriodKey } from "./period-keys";

/** A usage counter as the database functions report it, with its use before and after the operation. */
export type CountedUsage = {
  counter: string;
  periodKey: string;
  kind: "project_budget" | "member_limit";
  limit: number;
  alertPercent: number;
  before: number;
  after: number;
  projectId?: string;
  userId?: string;
  scope?: string;
};

export type Totals = { balance: number; held: number; available: number; lowBalanceThreshold: number | null };

export type Alert = {
  /** One notification per (budget or limit, threshold, period), however often it is crossed. */
  dedupeKey: string;
  kind: "budget_threshold" | "limit_threshold" | "low_balance" | "overrun" | "over_budget";
  /** null: the team's admins and owners. */
  userId: string | null;
  title: string;
  body: string;
};

export type AlertNames = { projectName?: string; memberName?: string };


/** The thresholds a counter passed on its way from `before` to `after`, each once. */
export function crossedThresholds(usage: Pick<CountedUsage, "limit" | "alertPercent" | "before" | "after">): number[] {
  const crossed: number[] = [];
  if (usage.after <= usage.before || usage.limit <= 0) return crossed;
  const soft = Math.ceil((usage.limit * usage.alertPercent) / 100);
  if (usage.alertPercent < 100 && usage.before < soft && usage.after >= soft) crossed.push(usage.alertPercent);
  if (usage.before < usage.limit && usage.after >= usage.limit) crossed.push(100);
  return crossed;
}

export function usageAlerts(counted: CountedUsage[], names: AlertNames = {}): Alert[] {
  const alerts: Alert[] = [];
  for (const usage of counted) {
    for (const threshold of crossedThresholds(usage)) {
      const figures = `${formatNumber(usage.after)} of ${formatNumber(usage.limit)} credits used ${describePeriodKey(usage.periodKey)}`;
      const key = `${usage.counter}:${usage.periodKey}:${threshold}`;
      if (usage.kind === "project_budget") {
        const project = names.projectName ?? "A project";
        alerts.push({
          dedupeKey: `budget:${key}`,
          kind: "budget_threshold",
          userId: null,
          title: threshold >= 100 ? `${project} has reached its budget` : `${project} is at ${threshold} % of its budget`,
          body: `${figures}.`,
        });
      } else {
        const member = names.memberName ?? "A member";
        const title = threshold >= 100 ? `${member} has reached their credit limit` : `${member} is at ${threshold} % of their credit limit`;
        // The member hears about their own limit, and so do the admins.
        alerts.push({ dedupeKey: `limit:${key}`, kind: "limit_threshold", userId: null, title, body: `${figures}.` });
        if (usage.userId) {
          alerts.push({ dedupeKey: `limit:${key}:self`, kind: "limit_threshold", userId: usage.userId, title, body: `${figures}.` });
        }
      }
    }
  }
  return alerts;
}

/** Fires when available credits fall below the admins' threshold; once per threshold and month. */
export function lowBalanceAlert(before: Totals | undefined, after: Totals | undefined, monthKey: string): Alert | null {
  const threshold = after?.lowBalanceThreshold;
  if (!before || !after || threshold == null) return null;
  if (!(before.available >= threshold && after.available < threshold)) return null;
  return {
    dedupeKey: `low-balance:${threshold}:${monthKey}`,
    kind: "low_balance",
    userId: null,
    title: "The team's credits are running low",
    body: `${formatNumber(after.available)} credits are available, below the ${formatNumber(threshold)} you asked to be told about.`,
  };
}
