// The team the cluster harness storms: people who sign in, keys for the scripts, a capped project, a member limit,
// a small grant (so the balance binds too) and the default approval policy (premium finals need an approval).
import { randomBytes } from "node:crypto";
import { createApiKey } from "@/lib/api-keys/commands";
import { hashPassword } from "@/lib/accounts/password";
import type { TeamContext } from "@/lib/authz/team";
import type { Role } from "@/lib/authz/roles";
import { db } from "@/lib/db/client";
import { setMemberLimit, setProjectBudget } from "@/lib/ledger/budgets";
import { addGrant } from "@/lib/ledger/commands";

export const PASSWORD = "storm-password-1";
export const GRANT = 14_000;
export const CAPPED_BUDGET = 6_000;
export const MEMBER_LIMIT = 2_000;

export type ClusterTeam = {
  slug: string;
  name: string;
  teamId: string;
  timeZone: string;
  cappedProjectId: string;
  openProjectId: string;
  admin: TeamContext;
  approverEmail: string;
  /** One key per member (their runs are theirs); the first member has a limit. */
  memberKeys: { userId: string; keyId: string; secret: string }[];
  limitedUserId: string;
};

export async function setupClusterTeam(members = 4): Promise<ClusterTeam> {
  const suffix = randomBytes(3).toString("hex");
  const team = await db().team.create({ data: { slug: `storm-${suffix}`, name: `Storm ${suffix}`, timeZone: "Europe/Berlin" }, select: { id: true, slug: true, name: true, timeZone: true } });
  const passwordHash = await hashPassword(PASSWORD);
  const person = async (role: Role, name: string) => {
    const user = await db().user.create({ data: { name, email: `${name.toLowerCase().replace(/\s+/g, "-")}-${suffix}@example.test`, passwordHash }, select: { id: true, email: true, name: true } });
    await db().membership.create({ data: { teamId: team.id, userId: user.id, role } });
    return { user, team, role } satisfies TeamContext;
  };
  const admin = await person("admin", "Ada Admin");
  const approver = await person("approver", "Alex Approver");
  const capped = await db().project.create({ data: { teamId: team.id, name: "Capped" }, select: { id: true } });
  const open = await db().project.create({ data: { teamId: team.id, name: "Open" }, select: { id: true } });
  await addGrant(admin, { amount: GRANT, source: "Top-up", note: "storm" });
  await setProjectBudget(admin, { projectId: capped.id, credits: CAPPED_BUDGET, period: "month", weekStartsOn: 1, alertPercent: 50, hardCap: true });
  const memberKeys: ClusterTeam["memberKeys"] = [];
  for (let i = 0; i < members; i++) {
    const member = await person("member", `Member ${i}`);
    const key = await createApiKey(member, { name: `Storm script ${i}`, scopes: ["estimate", "runs:write", "usage:write", "approvals:write", "batches:read"] });
    memberKeys.push({ userId: member.user.id, keyId: key.id, secret: key.secret });
  }
  await setMemberLimit(admin, { userId: memberKeys[0].userId, scope: "team", credits: MEMBER_LIMIT, period: "month", weekStartsOn: 1 });
  return {
    slug: team.slug,
    name: team.name,
    teamId: team.id,
    timeZone: team.timeZone,
    cappedProjectId: capped.id,
    openProjectId: open.id,
    admin,
    approverEmail: approver.user.email,
    memberKeys,
    limitedUserId: memberKeys[0].userId,
  };
}
