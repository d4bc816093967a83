// Writes to a team's approval policy: every save is the next version, checked against the team, diffed and audited in one transaction.
import "server-only";
import { recordAudit } from "@/lib/audit/commands";
import { DomainError, type FieldErrors } from "@/lib/authz/result";
import type { TeamContext } from "@/lib/authz/team";
import { db } from "@/lib/db/client";
import { isUniqueViolation } from "@/lib/db/errors";
import type { Prisma } from "@/lib/db/generated/client";
import { diffPolicies, type ApprovalPolicy } from "./policy";
import { policyInForce, policyNames } from "./queries";

export type SavedPolicy = { version: number; changes: string[] };

/** Projects and people the policy names must be this team's (people able to decide); each stray one is refused at its rule's field. */
function checkReferences(policy: ApprovalPolicy, projects: ReadonlySet<string>, people: ReadonlySet<string>): FieldErrors {
  const errors: FieldErrors = {};
  policy.rules.forEach((rule, index) => {
    if (rule.when.projectIds?.some((id) => !projects.has(id))) {
      errors[`rules.${index}.when.projectIds`] = "Choose projects of this team; one of these is not.";
    }
    const { require } = rule;
    if (require.kind === "approval" && require.approvers.kind === "people" && require.approvers.userIds.some((id) => !people.has(id))) {
      errors[`rules.${index}.require.approvers.userIds`] = "Name people of this team who may decide (members and above, not viewers); one of these is not.";
    }
  });
  return errors;
}

/**
 * Saves the policy as the next version. Versions are never edited, so requests made earlier keep the policy they
 * were made under; a save that changes nothing is refused and writes nothing.
 */
export async function savePolicy(ctx: TeamContext, policy: ApprovalPolicy): Promise<SavedPolicy> {
  const { team, user } = ctx;
  try {
    return await db().$transaction(async (tx) => {
      // Saves of one team take turns here, so each numbers its version after the one before and diffs against it.
      await tx.$queryRaw`SELECT 1 FROM "Team" WHERE "id" = ${team.id} FOR NO KEY UPDATE`;
      const names = await policyNames(team.id, tx);
      const deciders = new Set(names.members.filter((member) => member.role !== "viewer").map((member) => member.id));
      const errors = checkReferences(policy, new Set(names.projectNames.keys()), deciders);
      if (Object.keys(errors).length > 0) throw new DomainError("invalid", "Some fields need attention.", errors);

      const latest = await policyInForce(team.id, tx);
      const changes = diffPolicies(latest.policy, policy, { projects: names.projectNames, people: names.peopleNames });
      if (changes.length === 0) {
        throw new DomainError("invalid", `Nothing changed: this is the policy of version ${latest.version}. Change a rule or a setting first.`);
      }

      const version = latest.version + 1;
      const row = await tx.approvalPolicyVersion.create({
        data: {
          teamId: team.id,
          version,
          rules: policy.rules as unknown as Prisma.InputJsonArray,
          pendingDays: policy.pendingDays,
          createdById: user.id,
        },
        select: { id: true },
      });
      await recordAudit(tx, {
        teamId: team.id,
        actorId: user.id,
        action: "approval_policy.saved",
        targetType: "approval_policy_version",
        targetId: row.id,
        details: { version, changes },
      });
      return { version, changes };
    });
  } catch (error) {
    // Only if two saves slipped past the team lock (it holds on PostgreSQL and PGlite alike).
    if (isUniqueViolation(error)) throw new DomainError("conflict", "Someone saved the approval policy at the same moment; please save again.");
    throw error;
  }
}
