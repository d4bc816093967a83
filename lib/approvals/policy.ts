// The approval policy: an ordered list of rules, each a condition on a run and what it requires; the first rule that
// matches decides. Pure: the admission command, the request page and the policy editor all read it the same way.
import { hasRole, type Role } from "@/lib/authz/roles";
import { formatCredits, formatNumber } from "@/lib/format";
import type { OutputType, Tier } from "@/lib/pricing/types";

export type RunStage = "test" | "draft" | "final";

/** What a rule looks at. An absent field matches every run; a list matches a run whose value is in it. */
export type PolicyCondition = {
  tiers?: Tier[];
  stages?: RunStage[];
  outputTypes?: OutputType[];
  /** At or above this estimate, in credits. */
  minEstimate?: number;
  projectIds?: string[];
  requesterRoles?: Role[];
};

/** Who may approve: anyone with the approver role or above, or only the people named. */
export type Approvers = { kind: "role" } | { kind: "people"; userIds: string[] };

export type PolicyRequirement =
  /** An exemption, placed above a broader rule. */
  | { kind: "none" }
  | { kind: "approval"; approvals: 1 | 2; approvers: Approvers; validHours: number };

export type PolicyRule = { id: string; name: string; when: PolicyCondition; require: PolicyRequirement };

export type ApprovalPolicy = {
  rules: PolicyRule[];
  /** A request nobody decided within this many days lapses. */
  pendingDays: number;
};

/** The run the policy is asked about: what admission knows before it holds anything. */
export type RunForPolicy = {
  tier: Tier | null;
  stage: RunStage;
  outputType: OutputType;
  estimate: number;
  projectId: string;
  requesterRole: Role;
};

export const DEFAULT_VALID_HOURS = 48;
export const DEFAULT_PENDING_DAYS = 7;
/** The estimate from which a single request needs an approval under the default policy. */
export const DEFAULT_ESTIMATE_THRESHOLD = 1_000;

/** Every new team's policy, and every existing team's when approvals arrived. */
export const DEFAULT_POLICY: ApprovalPolicy = {
  rules: [
    {
      id: "premium",
      name: "Runs on a premium model",
      when: { tiers: ["premium"] },
      require: { kind: "approval", approvals: 1, approvers: { kind: "role" }, validHours: DEFAULT_VALID_HOURS },
    },
    {
      id: "large",
      name: `Requests of ${formatNumber(DEFAULT_ESTIMATE_THRESHOLD)} credits or more`,
      when: { minEstimate: DEFAULT_ESTIMATE_THRESHOLD },
      require: { kind: "approval", approvals: 1, approvers: { kind: "role" }, validHours: DEFAULT_VALID_HOURS },
    },
  ],
  pendingDays: DEFAULT_PENDING_DAYS,
};

function within<T>(values: readonly T[] | undefined, value: T): boolean {
  return values === undefined || values.includes(value);
}

export function matchesCondition(when: PolicyCondition, run: RunForPolicy): boolean {
  // A tier condition never matches a tool, which has no tier: "premium runs" are about models, not tools.
  if (when.tiers !== undefined && (run.tier === null || !when.tiers.includes(run.tier))) return false;
  return (
    within(when.stages, run.stage) &&
    within(when.outputTypes, run.outputType) &&
    (when.minEstimate === undefined || run.estimate >= when.minEstimate) &&
    within(when.projectIds, run.projectId) &&
    within(when.requesterRoles, run.requesterRole)
  );
}

export type PolicyAnswer =
  | { needsApproval: false; rule: PolicyRule | null }
  | { needsApproval: true; rule: PolicyRule & { require: Extract<PolicyRequirement, { kind: "approval" }> } };

/** The first rule whose condition the run meets decides; no rule at all means no approval is needed. */
export function askPolicy(policy: ApprovalPolicy, run: RunForPolicy): PolicyAnswer {
  for (const rule of policy.rules) {
    if (!matchesCondition(rule.when, run)) continue;
    const { require } = rule;
    if (require.kind === "none") return { needsApproval: false, rule };
    return { needsApproval: true, rule: { ...rule, require } };
  }
  return { needsApproval: false, rule: null };
}

export type Decider = { userId: string; role: Role };

/**
 * Why this person may not decide a request, or null when they may. Nobody decides their own request (owners
 * included), nobody counts twice, and only the approvers the rule names decide.
 */
export function cannotDecide(
  requirement: Extract<PolicyRequirement, { kind: "approval" }>,
  decider: Decider,
  request: { requesterId: string; approvedBy: readonly string[] },
): string | null {
  if (decider.userId === request.requesterId) return "Nobody decides their own request; another approver has to.";
  if (request.approvedBy.includes(decider.userId)) return "You have approved this request already; it needs another approver.";
  // A viewer reads; even named in a rule, deciding is a member's act (the decide action asks for member or above).
  if (!hasRole(decider.role, "member")) return "Viewers can read requests but not decide them.";
  if (requirement.approvers.kind === "people") {
    return requirement.approvers.userIds.includes(decider.userId) ? null : "This request's rule names the people who may decide it, and you are not one of them.";
  }
  return hasRole(decider.role, "approver") ? null : "Deciding requests needs the approver role or higher in this team.";
}

const LIST_WORDS: Record<string, string> = {
  budget: "budget",
  mid: "mid-tier",
  premium: "premium",
  test: "test",
  draft: "draft",
  final: "final",
  image: "image",
  video: "video",
  audio: "audio",
  tool: "tool",
};

function words(values: readonly string[]): string {
  const named = values.map((value) => LIST_WORDS[value] ?? value);
  return named.length <= 1 ? named.join("") : `${named.slice(0, -1).join(", ")} or ${named[named.length - 1]}`;
}

/** A rule's condition in words: "premium final video runs of 1,000 credits or more by members". */
export function describeCondition(when: PolicyCondition, projectNames: ReadonlyMap<string, string> = new Map()): string {
  const parts: string[] = [];
  if (when.tiers) parts.push(words(when.tiers));
  if (when.stages) parts.push(words(when.stages));
  if (when.outputTypes) parts.push(words(when.outputTypes));
  let text = `${parts.length ? `${parts.join(" ")} ` : "any "}runs`;
  if (when.minEstimate !== undefined) text += ` of ${formatCredits(when.minEstimate)} or more`;
  if (when.projectIds) text += ` in ${words(when.projectIds.map((id) => projectNames.get(id) ?? "a removed project"))}`;
  if (when.requesterRoles) text += ` requested by ${words(when.requesterRoles.map((role) => `${role}s`))}`;
  return text;
}

/** A rule's requirement in words: "1 approval by an approver or above, valid 48 hours". */
export function describeRequirement(require: PolicyRequirement, people: ReadonlyMap<string, string> = new Map()): string {
  if (require.kind === "none") return "no approval needed";
  const valid = `valid ${formatNumber(require.validHours)} hours`;
  if (require.approvers.kind === "role") {
    return require.approvals === 1 ? `1 approval by an approver or above, ${valid}` : `2 approvals by two different approvers or above, ${valid}`;
  }
  const names = require.approvers.userIds.map((id) => people.get(id) ?? "someone no longer in the team");
  if (require.approvals === 1) return `1 approval by ${words(names)}, ${valid}`;
  const all = names.length <= 1 ? names.join("") : `${names.slice(0, -1).join(", ")} and ${names[names.length - 1]}`;
  return `2 approvals by two of ${all}, ${valid}`;
}

function ruleLine(rule: PolicyRule, projects: ReadonlyMap<string, string>, people: ReadonlyMap<string, string>): string {
  return `“${rule.name}”: ${describeCondition(rule.when, projects)} → ${describeRequirement(rule.require, people)}`;
}

/** What changed between two policies, one line each, for the audit log. */
export function diffPolicies(
  before: ApprovalPolicy,
  after: ApprovalPolicy,
  names: { projects?: ReadonlyMap<string, string>; people?: ReadonlyMap<string, string> } = {},
): string[] {
  const projects = names.projects ?? new Map();
  const people = names.people ?? new Map();
  const lines: string[] = [];
  const old = new Map(before.rules.map((rule, index) => [rule.id, { rule, index }]));
  const kept = new Set<string>();
  // A rule moved when its place among the rules kept on both sides changed; one added or removed above it shifts
  // its number without moving it. The longest run of kept rules still in their old order stays; the rest moved.
  const keptIds = after.rules.filter((rule) => old.has(rule.id)).map((rule) => rule.id);
  const inOrder = longestInOrder(keptIds.map((id) => old.get(id)!.index));
  const stayed = new Set(inOrder.map((index) => before.rules[index].id));
  after.rules.forEach((rule, index) => {
    const previous = old.get(rule.id);
    if (!previous) {
      lines.push(`Added rule ${index + 1}, ${ruleLine(rule, projects, people)}`);
      return;
    }
    kept.add(rule.id);
    const was = ruleLine(previous.rule, projects, people);
    const now = ruleLine(rule, projects, people);
    if (was !== now) lines.push(`Changed rule ${index + 1}: ${was} ⇒ ${now}`);
    if (!stayed.has(rule.id)) lines.push(`Moved “${rule.name}” from position ${previous.index + 1} to ${index + 1}`);
  });
  for (const rule of before.rules) if (!kept.has(rule.id)) lines.push(`Removed ${ruleLine(rule, projects, people)}`);
  if (before.pendingDays !== after.pendingDays) {
    lines.push(`Requests left undecided lapse after ${formatNumber(after.pendingDays)} days (was ${formatNumber(before.pendingDays)})`);
  }
  return lines;
}

/** The longest increasing subsequence of `values` (distinct numbers), as the values themselves, in order. */
function longestInOrder(values: number[]): number[] {
  const tails: number[] = [];
  const tailAt: number[] = [];
  const previous: number[] = new Array(values.length).fill(-1);
  values.forEach((value, i) => {
    let low = 0;
    let high = tails.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (tails[middle] < value) low = middle + 1;
      else high = middle;
    }
    tails[low] = value;
    tailAt[low] = i;
    previous[i] = low > 0 ? tailAt[low - 1] : -1;
  });
  const result: number[] = [];
  for (let i = tails.length > 0 ? tailAt[tails.length - 1] : -1; i >= 0; i = previous[i]) result.push(values[i]);
  return result.reverse();
}
