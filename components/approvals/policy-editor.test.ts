// The policy editor's drafts: a policy opened in the editor and posted back unchanged reads as the same policy.
import { describe, expect, it } from "vitest";
import { DEFAULT_POLICY, diffPolicies, type ApprovalPolicy } from "@/lib/approvals/policy";
import { savePolicySchema } from "@/lib/approvals/schema";
import { postedRule, toDraft } from "./policy-editor";

const post = (policy: ApprovalPolicy, pendingDays = String(policy.pendingDays)) =>
  savePolicySchema.parse({ policy: JSON.stringify({ rules: policy.rules.map(toDraft).map(postedRule), pendingDays }) });

describe("policy editor drafts", () => {
  it("posts an unchanged policy back as the same policy", () => {
    const policy: ApprovalPolicy = {
      rules: [
        { id: "free-tests", name: "Tests are free", when: { stages: ["test"], requesterRoles: ["member", "approver"] }, require: { kind: "none" } },
        {
          id: "named",
          name: "Spring finals",
          when: { stages: ["final"], outputTypes: ["video"], projectIds: ["p1"], minEstimate: 2500, tiers: ["mid", "premium"] },
          require: { kind: "approval", approvals: 2, approvers: { kind: "people", userIds: ["u1", "u2"] }, validHours: 12 },
        },
        ...DEFAULT_POLICY.rules,
      ],
      pendingDays: 10,
    };
    expect(post(policy)).toEqual(policy);
    expect(diffPolicies(DEFAULT_POLICY, post(DEFAULT_POLICY))).toEqual([]);
  });

  it("keeps the approval fields of a rule switched to no approval, and posts it as an exemption", () => {
    const draft = { ...toDraft(DEFAULT_POLICY.rules[0]), needsApproval: false };
    expect(postedRule(draft).require).toEqual({ kind: "none" });
    expect(draft.validHours).toBe("48");
  });
});
