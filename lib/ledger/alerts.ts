// Words for the ledger's answers and alerts: why a run was denied, and what a notification says. Pure.
import { formatNumber } from "@/lib/format";
import { describePeriodKey } from "./period-keys";

/** Why an admission was refused, with the figures, as the ledger's SQL answers it. */
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

export type NotificationKind = "budget_threshold" | "limit_threshold" | "low_balance" | "overrun" | "over_budget";

/** A notification as stored: the ledger's SQL (cw_notify) writes its kind and figures, not its words. */
export type StoredNotification = { kind: string; userId: string | null; data: unknown; title: string; body: string };

/** Names of the projects and people notifications refer to, looked up by the caller. */
export type AlertNames = { project: (id: string) => string | undefined; person: (id: string) => string | undefined };

type Figures = {
  projectId?: string;
  userId?: string;
  scope?: string;
  limit?: number;
  used?: number;
  threshold?: number;
  periodKey?: string;
  available?: number;
  estimate?: number;
  actual?: number;
  denial?: Denial;
};

/** The ids a notification's words need names for. */
export function namesNeeded(notifications: StoredNotification[]): { projectIds: string[]; userIds: string[] } {
  const projectIds = new Set<string>();
  const userIds = new Set<string>();
  for (const { data } of notifications) {
    const figures = (data ?? {}) as Figures;
    if (figures.projectId) projectIds.add(figures.projectId);
    if (figures.scope && figures.scope !== "team") projectIds.add(figures.scope);
    if (figures.userId) userIds.add(figures.userId);
  }
  return { projectIds: [...projectIds], userIds: [...userIds] };
}

/** What a notification says. `reader` is the person it is shown to, so their own limit reads as "your". */
export function describeNotification(notification: StoredNotification, names: AlertNames, reader?: string): { title: string; body: string } {
  // Notifications from before figures were stored keep the words they were written with.
  if (notification.title) return { title: notification.title, body: notification.body };
  const figures = (notification.data ?? {}) as Figures;
  const project = (figures.projectId && names.project(figures.projectId)) || "A project";
  const used = `${formatNumber(figures.used ?? 0)} of ${formatNumber(figures.limit ?? 0)} credits used ${describePeriodKey(figures.periodKey ?? "lifetime")}.`;
  switch (notification.kind as NotificationKind) {
    case "budget_threshold":
      return {
        title: (figures.threshold ?? 100) >= 100 ? `${project} has reached its budget` : `${project} is at ${figures.threshold} % of its budget`,
        body: used,
      };
    case "limit_threshold": {
      const own = reader !== undefined && reader === figures.userId;
      const who = own ? "You have" : `${(figures.userId && names.person(figures.userId)) || "A member"} has`;
      const whose = own ? "your" : "their";
      const where = figures.scope && figures.scope !== "team" ? ` in ${names.project(figures.scope) ?? "a project"}` : "";
      const reached = (figures.threshold ?? 100) >= 100;
      const title = reached
        ? `${who} reached ${whose} credit limit${where}`
        : `${own ? "You are" : `${who.replace(/ has$/, " is")}`} at ${figures.threshold} % of ${whose} credit limit${where}`;
      return { title, body: used };
    }
    case "low_balance":
      return {
        title: "The team's credits are running low",
        body: `${formatNumber(figures.available ?? 0)} credits are available, below the ${formatNumber(figures.threshold ?? 0)} you asked to be told about.`,
      };
    case "overrun":
      return {
        title: `A run in ${project} cost more than it held`,
        body: `It held ${formatNumber(figures.estimate ?? 0)} credits and cost ${formatNumber(figures.actual ?? 0)}; the difference was charged, as it was spent on the platform.`,
      };
    case "over_budget":
      return {
        title: `Usage in ${project} went past a limit`,
        body: `A recorded run of ${formatNumber(figures.actual ?? 0)} credits went past a limit.${figures.denial ? ` ${denialReason(figures.denial)}` : ""}`,
      };
    default:
      return { title: "Credits alert", body: "" };
  }
}
