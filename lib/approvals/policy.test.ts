// The approval policy: which rule decides a run (order, exemptions, thresholds at their edge), who may decide, and
// the readable diff the audit log keeps.
import { describe, expect, it } from "vitest";
import {
  askPolicy,
  cannotDecide,
  DEFAULT_POLICY,
  describeCondition,
  describeRequirement,
  diffPolicies,
  type ApprovalPolicy,
  type PolicyRule,
  type RunForPolicy,
} from "./policy";

const run = (fields: Partial<RunForPolicy> = {}): RunForPolicy => ({
  tier: "mid",
  stage: "final",
  outputType: "image",
  estimate: 50,
  projectId: "p1",
  requesterRole: "member",
  ...fields,
});

const oneApproval = { kind: "approval", approvals: 1, approvers: { kind: "role" }, validHours: 48 } as const;

describe("askPolicy", () => {
  it("asks for an approval of premium runs and of requests from 1,000 credits under the default policy", () => {
    expect(askPolicy(DEFAULT_POLICY, run({ tier: "premium", estimate: 120 }))).toMatchObject({ needsApproval: true, rule: { id: "premium" } });
    expect(askPolicy(DEFAULT_POLICY, run({ estimate: 999 }))).toEqual({ needsApproval: false, rule: null });
    expect(askPolicy(DEFAULT_POLICY, run({ estimate: 1000 }))).toMatchObject({ needsApproval: true, rule: { id: "large" } });
    // A tool has no tier: only its estimate can make it need an approval.
    expect(askPolicy(DEFAULT_POLICY, run({ tier: null, outputType: "tool", estimate: 1000 }))).toMatchObject({ rule: { id: "large" } });
    expect(askPolicy(DEFAULT_POLICY, run({ tier: null, outputType: "tool", estimate: 20 }))).toEqual({ needsApproval: false, rule: null });
  });

  it("lets the first matching rule decide, so an exemption above a broader rule wins", () => {
    const exemption: PolicyRule = { id: "tests", name: "Premium tests", when: { tiers: ["premium"], stages: ["test"] }, require: { kind: "none" } };
    const policy: ApprovalPolicy = { ...DEFAULT_POLICY, rules: [exemption, ...DEFAULT_POLICY.rules] };
    expect(askPolicy(policy, run({ tier: "premium", stage: "test", estimate: 4000 }))).toEqual({ needsApproval: false, rule: exemption });
    expect(askPolicy(policy, run({ tier: "premium", stage: "final" }))).toMatchObject({ needsApproval: true, rule: { id: "premium" } });
    // Below the broader rule, the exemption never gets a say.
    const below: ApprovalPolicy = { ...DEFAULT_POLICY, rules: [...DEFAULT_POLICY.rules, exemption] };
    expect(askPolicy(below, run({ tier: "premium", stage: "test" }))).toMatchObject({ needsApproval: true, rule: { id: "premium" } });
  });

  it("reads every condition: stage, output type, project, requester's role, each a list", () => {
    const rule: PolicyRule = {
      id: "video",
      name: "Member video finals in the launch",
      when: { stages: ["final", "draft"], outputTypes: ["video"], projectIds: ["launch"], requesterRoles: ["member"] },
      require: oneApproval,
    };
    const policy: ApprovalPolicy = { rules: [rule], pendingDays: 7 };
    const match = run({ outputType: "video", projectId: "launch" });
    expect(askPolicy(policy, match).needsApproval).toBe(true);
    expect(askPolicy(policy, { ...match, stage: "draft" }).needsApproval).toBe(true);
    expect(askPolicy(policy, { ...match, stage: "test" }).needsApproval).toBe(false);
    expect(askPolicy(policy, { ...match, outputType: "image" }).needsApproval).toBe(false);
    expect(askPolicy(policy, { ...match, projectId: "other" }).needsApproval).toBe(false);
    expect(askPolicy(policy, { ...match, requesterRole: "admin" }).needsApproval).toBe(false);
    expect(askPolicy({ rules: [], pendingDays: 7 }, match)).toEqual({ needsApproval: false, rule: null });
  });
});

describe("cannotDecide", () => {
  const request = { requesterId: "mia", approvedBy: [] as string[] };

  it("never lets anyone decide their own request, owners included", () => {
    expect(cannotDecide(oneApproval, { userId: "mia", role: "owner" }, request)).toMatch(/their own request/);
  });

  it("lets approvers and above decide, not members, unless the rule names people", () => {
    expect(cannotDecide(oneApproval, { userId: "alex", role: "approver" }, request)).toBeNull();
    expect(cannotDecide(oneApproval, { userId: "sam", role: "admin" }, request)).toBeNull();
    expect(cannotDecide(oneApproval, { userId: "jo", role: "member" }, request)).toMatch(/approver role/);
    const named = { ...oneApproval, approvers: { kind: "people" as const, userIds: ["jo"] } };
    expect(cannotDecide(named, { userId: "jo", role: "member" }, request)).toBeNull();
    expect(cannotDecide(named, { userId: "sam", role: "owner" }, request)).toMatch(/names the people/);
    // A viewer named in a rule still only reads: deciding is a member's act.
    const namedViewer = { ...oneApproval, approvers: { kind: "people" as const, userIds: ["vic"] } };
    expect(cannotDecide(namedViewer, { userId: "vic", role: "viewer" }, request)).toMatch(/Viewers/);
  });

  it("does not count the same person twice", () => {
    const two = { ...oneApproval, approvals: 2 } as const;
    expect(cannotDecide(two, { userId: "alex", role: "approver" }, { requesterId: "mia", approvedBy: ["alex"] })).toMatch(/another approver/);
  });
});

describe("words and diff", () => {
  it("describes conditions and requirements for people", () => {
    expect(describeCondition({ tiers: ["premium"], stages: ["final"], outputTypes: ["video"], minEstimate: 1000 })).toBe(
      "premium final video runs of 1,000 credits or more",
    );
    expect(describeCondition({})).toBe("any runs");
    expect(describeCondition({ projectIds: ["p1", "p2"], requesterRoles: ["member"] }, new Map([["p1", "Launch"]]))).toBe(
      "any runs in Launch or a removed project requested by members",
    );
    expect(describeRequirement(oneApproval)).toBe("1 approval by an approver or above, valid 48 hours");
    expect(describeRequirement({ ...oneApproval, approvals: 2, approvers: { kind: "people", userIds: ["u1", "u2"] } }, new Map([["u1", "Alex"], ["u2", "Sam"]]))).toBe(
      "2 approvals by two of Alex and Sam, valid 48 hours",
    );
    expect(describeRequirement({ kind: "none" })).toBe("no approval needed");
  });

  it("lists what changed, rule by rule, and nothing when nothing did", () => {
    expect(diffPolicies(DEFAULT_POLICY, DEFAULT_POLICY)).toEqual([]);
    const exemption: PolicyRule = { id: "tests", name: "Premium tests", when: { tiers: ["premium"], stages: ["test"] }, require: { kind: "none" } };
    const [premium, large] = DEFAULT_POLICY.rules;
    const after: ApprovalPolicy = {
      rules: [exemption, { ...large, when: { minEstimate: 2000 } }],
      pendingDays: 3,
    };
    expect(diffPolicies(DEFAULT_POLICY, after)).toEqual([
      "Added rule 1, “Premium tests”: premium test runs → no approval needed",
      `Changed rule 2: “${large.name}”: any runs of 1,000 credits or more → 1 approval by an approver or above, valid 48 hours ⇒ “${large.name}”: any runs of 2,000 credits or more → 1 approval by an approver or above, valid 48 hours`,
      `Removed “${premium.name}”: premium runs → 1 approval by an approver or above, valid 48 hours`,
      "Requests left undecided lapse after 3 days (was 7)",
    ]);
    // Two rules swapped: one of them moved past the other.
    expect(diffPolicies(DEFAULT_POLICY, { ...DEFAULT_POLICY, rules: [large, premium] })).toEqual([`Moved “${large.name}” from position 2 to 1`]);
    // A rule added on top shifts the others' numbers without moving them.
    expect(diffPolicies(DEFAULT_POLICY, { ...DEFAULT_POLICY, rules: [exemption, premium, large] })).toEqual([
      "Added rule 1, “Premium tests”: premium test runs → no approval needed",
    ]);
  });
});
