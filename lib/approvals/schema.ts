// Schemas of the approval policy: as stored in a version row, and as the policy editor posts it. Pure.
import { z } from "zod";
import { ROLES } from "@/lib/authz/roles";
import { RUN_STAGES } from "@/lib/ledger/schema";
import { OUTPUT_TYPES, TIERS } from "@/lib/pricing/types";
import { readWholeNumber, wholeNumber } from "@/lib/whole-number";
import type { ApprovalPolicy, PolicyCondition, PolicyRequirement, PolicyRule } from "./policy";

export const MAX_RULES = 50;
export const MAX_RULE_NAME = 100;
export const MAX_ESTIMATE_THRESHOLD = 1_000_000_000;
export const MAX_VALID_HOURS = 720;
export const MAX_PENDING_DAYS = 90;
/** Enough for any real team; keeps one post bounded. */
const MAX_LISTED = 200;

// A condition with nothing ticked is no condition: it matches every run, as an absent field does. An empty list
// would match nothing at all, a rule that can never apply, which nobody means to write.
function choices<const T extends readonly [string, ...string[]]>(values: T, what: string) {
  return z
    .array(z.enum(values, { error: (issue) => `“${String(issue.input)}” is not ${what}.` }), { error: `Choose ${what} from the list.` })
    .max(MAX_LISTED)
    .optional()
    .transform((list) => (list && list.length > 0 ? [...new Set(list)] : undefined));
}

const idList = (what: string) =>
  z
    .array(z.string({ error: `Choose ${what} from the list.` }).min(1).max(100), { error: `Choose ${what} from the list.` })
    .max(MAX_LISTED, `Choose at most ${MAX_LISTED}.`);

// The editor sends the threshold as typed; empty means no threshold. Stored rows hold a number.
const minEstimateField = z.preprocess(
  (value) => (value === undefined || value === null || (typeof value === "string" && value.trim() === "") ? undefined : value),
  wholeNumber({ label: "the minimum estimate", min: 1, max: MAX_ESTIMATE_THRESHOLD, example: "1,000" }).optional(),
);

const conditionSchema: z.ZodType<PolicyCondition, unknown> = z
  .object({
    tiers: choices(TIERS, "a model tier"),
    stages: choices(RUN_STAGES, "a stage"),
    outputTypes: choices(OUTPUT_TYPES, "an output type"),
    minEstimate: minEstimateField,
    projectIds: idList("a project")
      .optional()
      .transform((list) => (list && list.length > 0 ? [...new Set(list)] : undefined)),
    requesterRoles: choices(ROLES, "a role"),
  })
  // Absent keys are left out rather than kept as undefined, so a stored rule reads the same as the one saved.
  .transform((when) => Object.fromEntries(Object.entries(when).filter(([, value]) => value !== undefined)) as PolicyCondition);

const approversSchema = z.discriminatedUnion(
  "kind",
  [
    z.object({ kind: z.literal("role") }),
    z.object({
      kind: z.literal("people"),
      userIds: idList("a person")
        .min(1, "Name at least one person who may approve, or let anyone with the approver role approve.")
        .transform((list) => [...new Set(list)]),
    }),
  ],
  { error: "Choose who may approve: the approver role, or people by name." },
);

const approvalsField = z.preprocess(
  (value) => (typeof value === "string" ? readWholeNumber(value) : value),
  z.union([z.literal(1), z.literal(2)], { error: "A rule needs 1 or 2 approvals." }),
);

const requirementSchema: z.ZodType<PolicyRequirement, unknown> = z.discriminatedUnion(
  "kind",
  [
    z.object({ kind: z.literal("none") }),
    z
      .object({
        kind: z.literal("approval"),
        approvals: approvalsField,
        approvers: approversSchema,
        validHours: wholeNumber({ label: "how long an approval stays valid", min: 1, max: MAX_VALID_HOURS, unit: "hours", example: "48" }),
      })
      .superRefine((require, ctx) => {
        // Two approvals come from two different people; naming one would leave every request stuck.
        if (require.approvals === 2 && require.approvers.kind === "people" && require.approvers.userIds.length < 2) {
          ctx.addIssue({ code: "custom", path: ["approvers", "userIds"], message: "Two approvals need at least two people named." });
        }
      }),
  ],
  { error: "Choose what the rule requires: no approval, or approvals." },
);

const ruleSchema: z.ZodType<PolicyRule, unknown> = z.object({
  id: z.string({ error: "This rule has lost its id; reload the page and try again." }).trim().min(1).max(100),
  name: z
    .string({ error: "Name the rule." })
    .trim()
    .min(1, "Name the rule.")
    .max(MAX_RULE_NAME, `A rule's name has at most ${MAX_RULE_NAME} characters.`),
  when: conditionSchema,
  require: requirementSchema,
});

export const approvalPolicySchema: z.ZodType<ApprovalPolicy, unknown> = z
  .object({
    rules: z
      .array(ruleSchema, { error: "The rules could not be read; reload the page and try again." })
      .max(MAX_RULES, `A policy has at most ${MAX_RULES} rules; merge some first.`),
    pendingDays: wholeNumber({ label: "the days a request may wait", min: 1, max: MAX_PENDING_DAYS, unit: "days", example: "7" }),
  })
  .superRefine((policy, ctx) => {
    const seen = new Set<string>();
    policy.rules.forEach((rule, index) => {
      if (seen.has(rule.id)) ctx.addIssue({ code: "custom", path: ["rules", index, "id"], message: "Two rules share an id; reload the page and try again." });
      seen.add(rule.id);
    });
  });

/** The rules of a stored version: validated when written, so a failure here means the row was changed behind the app's back. */
export const storedRulesSchema = z.array(ruleSchema);

/**
 * The editor's post: the whole policy as one hidden JSON field `policy` (an object from tests and scripts). Parsed at
 * the top, so errors are keyed by their place in the policy, "rules.2.when.minEstimate", as the editor's fields are.
 */
export const savePolicySchema = z.preprocess((raw, ctx) => {
  const value = raw && typeof raw === "object" ? (raw as Record<string, unknown>).policy : undefined;
  if (typeof value !== "string") return value ?? {};
  try {
    return JSON.parse(value) as unknown;
  } catch {
    ctx.addIssue({ code: "custom", message: "The policy could not be read; reload the page and try again." });
    return z.NEVER;
  }
}, approvalPolicySchema);
