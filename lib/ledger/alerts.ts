// Words for the ledger's answers and alerts: why a run was denied, and what a notification says. Pure.
import { formatDay, formatNumber } from "@/lib/format";
import { ANOMALY, TRAILING_DAYS, anomalyDefinition } from "@/lib/recommendations/history";
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

const LIMIT_WORDS: Record<Denial["limit"], string> = {
  team_balance: "the team's balance",
  project_budget: "the project's budget",
  member_limit: "a member's limit",
};

/** A ledger entry's reason for people: the SQL writes "Recorded past project_budget" for a run recorded over a limit. */
export function ledgerReasonText(reason: string): string {
  return reason.replace(/^Recorded past (team_balance|project_budget|member_limit)$/, (_, limit: Denial["limit"]) => `Recorded past ${LIMIT_WORDS[limit]}`);
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

export type NotificationKind =
  | "budget_threshold"
  | "limit_threshold"
  | "low_balance"
  | "overrun"
  | "over_budget"
  | "approval_requested"
  | "approval_decided"
  | "approval_expired"
  | "approval_lapsed"
  | "unapproved_premium_final"
  | "forecast_run_out"
  | "spend_anomaly"
  | "import_finished"
  | "usage_flagged";

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
  requestId?: string;
  requesterId?: string;
  deciderId?: string;
  decision?: "approved" | "rejected";
  comment?: string;
  modelName?: string;
  quantity?: number;
  stage?: string;
  released?: boolean;
  /** Forecast: the day credits (or a project's budget) run out at the trailing rate, what is left, the rate, the period's last day. */
  runOutDay?: string;
  left?: number;
  perDay?: number;
  periodLastDay?: string;
  /** Anomaly: the day, what it charged, its trailing mean and the threshold it passed. */
  day?: string;
  charged?: number;
  mean?: number;
  /** Import: the job, its file and its counts, and how many of its runs went past a limit or were premium finals. */
  jobId?: string;
  fileName?: string;
  imported?: number;
  present?: number;
  skipped?: number;
  refused?: number;
  overBudget?: number;
  premiumFinals?: number;
  /** Usage recorded through the API: how many runs one request recorded (and, above, how many were flagged). */
  recorded?: number;
};

const STAGE_WORDS: Record<string, string> = { test: "test", draft: "draft", final: "final" };

/** The ids a notification's words need names for. */
export function namesNeeded(notifications: StoredNotification[]): { projectIds: string[]; userIds: string[] } {
  const projectIds = new Set<string>();
  const userIds = new Set<string>();
  for (const { data } of notifications) {
    const figures = (data ?? {}) as Figures;
    if (figures.projectId) projectIds.add(figures.projectId);
    if (figures.scope && figures.scope !== "team") projectIds.add(figures.scope);
    if (figures.userId) userIds.add(figures.userId);
    if (figures.requesterId) userIds.add(figures.requesterId);
    if (figures.deciderId) userIds.add(figures.deciderId);
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
    case "approval_requested": {
      const who = (figures.requesterId && names.person(figures.requesterId)) || "A member";
      const stage = STAGE_WORDS[figures.stage ?? ""] ?? "run";
      return {
        title: `${who} asks to run ${runWords(figures)} in ${project}`,
        body: `A ${stage} of ${formatNumber(figures.estimate ?? 0)} credits waits for your decision.`,
      };
    }
    case "approval_decided": {
      const who = (figures.deciderId && names.person(figures.deciderId)) || "An approver";
      const comment = figures.comment ? `: “${figures.comment}”` : "";
      // A comment that ends its own sentence needs no second full stop after the quote.
      const stop = figures.comment && /[.!?…]$/.test(figures.comment) ? "" : ".";
      if (figures.decision === "approved") {
        return {
          title: `Your request for ${runWords(figures)} in ${project} was approved`,
          body: `${who} approved it${comment}${stop} ${formatNumber(figures.estimate ?? 0)} credits are held for the run until the approval expires.`,
        };
      }
      return { title: `Your request for ${runWords(figures)} in ${project} was rejected`, body: `${who} rejected it${comment}${stop}` };
    }
    case "approval_expired":
      return {
        title: `Your approval for ${runWords(figures)} in ${project} expired unused`,
        body: figures.released
          ? `The ${formatNumber(figures.estimate ?? 0)} credits held for it were released. Ask again to run it.`
          : "Its hold had already ended, so nothing was left to release. Ask again to run it.",
      };
    case "approval_lapsed":
      return {
        title: `Your request for ${runWords(figures)} in ${project} lapsed`,
        body: "Nobody decided it in time, so nothing was held. Ask again if you still need it.",
      };
    case "unapproved_premium_final": {
      const who = (figures.userId && names.person(figures.userId)) || "A member";
      return {
        title: `A premium final in ${project} was recorded without approval`,
        body: `${who} recorded ${runWords(figures)} for ${formatNumber(figures.actual ?? 0)} credits. Recording usage is never blocked; the team's policy asks for an approval before such a run.`,
      };
    }
    case "forecast_run_out": {
      const rate = `At the rate of the last ${TRAILING_DAYS} days, ${formatNumber(figures.perDay ?? 0)} credits a day`;
      const when = `on ${formatDay(figures.runOutDay ?? "")}, before the period ends on ${formatDay(figures.periodLastDay ?? "")}`;
      const left = figures.left ?? 0;
      if (left <= 0 && figures.projectId) {
        return { title: `${project}'s budget is used up`, body: `Nothing is left of its budget ${describePeriodKey(figures.periodKey ?? "lifetime")}.` };
      }
      if (left <= 0) {
        return {
          title: "The team's credits have run out",
          body: `No credits are available${left < 0 ? ` (${formatNumber(-left)} short)` : ""}. Usage recorded past the balance becomes debt, which the next grant pays first.`,
        };
      }
      if (figures.projectId) {
        return {
          title: `${project}'s budget runs out before the period ends`,
          body: `${rate}, the ${formatNumber(figures.left ?? 0)} credits left of its budget ${describePeriodKey(figures.periodKey ?? "lifetime")} run out ${when}.`,
        };
      }
      return {
        title: "The team's credits run out before the month ends",
        body: `${rate}, the ${formatNumber(figures.left ?? 0)} credits available run out ${when}.`,
      };
    }
    case "spend_anomaly":
      return {
        title: `Unusual spend on ${formatDay(figures.day ?? "")}`,
        body:
          `${formatNumber(figures.charged ?? 0)} credits were charged that day, against ${formatNumber(figures.mean ?? 0)} a day on average over the ${TRAILING_DAYS} days before ` +
          `(above ${formatNumber(Math.max(figures.threshold ?? 0, ANOMALY.floor))} that day). ${anomalyDefinition()}`,
      };
    case "import_finished": {
      const flagged = [
        figures.overBudget ? `${formatNumber(figures.overBudget)} recorded past a budget, a limit or the balance` : "",
        figures.premiumFinals ? `${formatNumber(figures.premiumFinals)} premium finals that no approval covered` : "",
      ].filter(Boolean);
      return {
        title: `Import of ${figures.fileName ?? "a file"} finished`,
        body:
          `${formatNumber(figures.imported ?? 0)} rows imported, ${formatNumber(figures.present ?? 0)} already present, ` +
          `${formatNumber(figures.skipped ?? 0)} skipped, ${formatNumber(figures.refused ?? 0)} refused.` +
          (flagged.length ? ` Of the imported runs: ${flagged.join("; ")}.` : ""),
      };
    }
    case "usage_flagged": {
      const who = (figures.userId && names.person(figures.userId)) || "Someone";
      const flagged = [
        figures.overBudget ? `${formatNumber(figures.overBudget)} went past a budget, a limit or the balance` : "",
        figures.premiumFinals ? `${formatNumber(figures.premiumFinals)} were premium finals that no approval covered` : "",
      ].filter(Boolean);
      return {
        title: "Usage recorded through the API needs a look",
        body: `${who} recorded ${formatNumber(figures.recorded ?? 0)} runs through the API; of them ${flagged.join(", and ")}.`,
      };
    }
    default:
      return { title: "Credits alert", body: "" };
  }
}

function runWords(figures: Figures): string {
  const model = figures.modelName || "a model";
  return figures.quantity && figures.quantity > 1 ? `${formatNumber(figures.quantity)} × ${model}` : model;
}

/** Where a notification leads in the app (a request's page), or null when it has nowhere to go. */
export function notificationPath(notification: Pick<StoredNotification, "kind" | "data">, teamSlug: string): string | null {
  const figures = (notification.data ?? {}) as Figures;
  if (figures.requestId) return `/t/${teamSlug}/approvals/${encodeURIComponent(figures.requestId)}`;
  if (notification.kind === "unapproved_premium_final" && figures.projectId) return `/t/${teamSlug}/projects/${encodeURIComponent(figures.projectId)}`;
  // Where the spend behind a forecast or an unusual day can be looked into.
  if (notification.kind === "forecast_run_out" || notification.kind === "spend_anomaly" || notification.kind === "usage_flagged") return `/t/${teamSlug}/usage`;
  if (notification.kind === "import_finished" && figures.jobId) return `/t/${teamSlug}/usage/import/${encodeURIComponent(figures.jobId)}`;
  return null;
}
