// An approval request's life as pure rules: its states and the moves between them, how decisions add up to an
// outcome, when an approval expires and a request lapses, and whether an approval covers the run someone starts.
import type { PolicyRequirement } from "./policy";

export const REQUEST_STATES = ["pending", "approved", "rejected", "withdrawn", "lapsed", "expired", "used"] as const;
export type RequestState = (typeof REQUEST_STATES)[number];

export type RequestEvent = "approve" | "reject" | "withdraw" | "lapse" | "expire" | "use";

/** Where each event may take a request; an event not listed for a state is refused. */
const MOVES: Record<RequestState, Partial<Record<RequestEvent, RequestState>>> = {
  pending: { approve: "approved", reject: "rejected", withdraw: "withdrawn", lapse: "lapsed" },
  approved: { use: "used", expire: "expired" },
  rejected: {},
  withdrawn: {},
  lapsed: {},
  expired: {},
  used: {},
};

export function nextState(state: RequestState, event: RequestEvent): RequestState | null {
  return MOVES[state][event] ?? null;
}

/** True when nothing can happen to the request any more. */
export function isFinished(state: RequestState): boolean {
  return Object.keys(MOVES[state]).length === 0;
}

export type Decision = { userId: string; decision: "approve" | "reject" };

/**
 * What the decisions so far come to: any rejection ends the request; it is approved once as many different people
 * as the rule asks have approved; otherwise it waits. The same person approving twice counts once.
 */
export function outcomeOf(requirement: Extract<PolicyRequirement, { kind: "approval" }>, decisions: readonly Decision[]): "pending" | "approved" | "rejected" {
  if (decisions.some((decision) => decision.decision === "reject")) return "rejected";
  const approvers = new Set(decisions.filter((decision) => decision.decision === "approve").map((decision) => decision.userId));
  return approvers.size >= requirement.approvals ? "approved" : "pending";
}

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;

/** The moment an approval given at `approvedAt` stops covering a run. */
export function expiresAt(approvedAt: Date, validHours: number): Date {
  return new Date(approvedAt.getTime() + validHours * HOUR);
}

/** The moment a request nobody decided lapses. */
export function lapsesAt(createdAt: Date, pendingDays: number): Date {
  return new Date(createdAt.getTime() + pendingDays * DAY);
}

/** What an approval was given for, and what someone now wants to run. */
export type ApprovedRun = {
  requesterId: string;
  projectId: string;
  batchItemId: string | null;
  modelId: string;
  settings: Record<string, string>;
  stage: string;
  quantity: number;
  estimate: number;
};

export type RunToCover = Omit<ApprovedRun, "requesterId"> & { userId: string };

function sameSettings(a: Record<string, string>, b: Record<string, string>): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const key of keys) if (a[key] !== b[key]) return false;
  return true;
}

/**
 * Why an approval does not cover this run, or null when it does: the person who asked, the same project, item,
 * model, settings and stage, and no more outputs or credits than approved (a cheaper run uses it; a dearer or
 * different one needs a new request).
 */
export function whyNotCovered(approved: ApprovedRun, run: RunToCover): string | null {
  if (run.userId !== approved.requesterId) return "An approval covers the run of the person who asked for it.";
  if (run.projectId !== approved.projectId || run.batchItemId !== approved.batchItemId) return "The approval was given for another project or item.";
  if (run.modelId !== approved.modelId || !sameSettings(run.settings, approved.settings)) {
    return "The approval was given for another model or settings; a different run needs a new request.";
  }
  if (run.stage !== approved.stage) return "The approval was given for another stage.";
  if (run.quantity > approved.quantity || run.estimate > approved.estimate) {
    return "This run costs more than was approved; ask for a new approval.";
  }
  return null;
}
