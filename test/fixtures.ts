// Builders for test data: people, a team with one member of each role, a project.
import { randomUUID } from "node:crypto";
import { ROLES, type Role } from "@/lib/authz/roles";
import type { SessionUser } from "@/lib/authz/session";
import { db } from "@/lib/db/client";

// A cheap stand-in hash: fixtures never sign in with a password.
const NO_PASSWORD = null;

export async function makeUser(overrides: Partial<{ name: string; email: string; passwordHash: string | null }> = {}): Promise<SessionUser> {
  const id = randomUUID().slice(0, 8);
  return db().user.create({
    data: {
      name: overrides.name ?? `Person ${id}`,
      email: overrides.email ?? `person-${id}@example.test`,
      passwordHash: overrides.passwordHash ?? NO_PASSWORD,
    },
    select: { id: true, email: true, name: true },
  });
}

export type TeamFixture = {
  team: { id: string; slug: string; name: string; timeZone: string };
  people: Record<Role, SessionUser>;
  outsider: SessionUser;
  projectId: string;
};

/** A team with one person in each role, an outsider in a team of their own, and one project. */
export async function makeTeam(timeZone = "Europe/Berlin"): Promise<TeamFixture> {
  const suffix = randomUUID().slice(0, 8);
  const team = await db().team.create({
    data: { slug: `team-${suffix}`, name: `Team ${suffix}`, timeZone },
    select: { id: true, slug: true, name: true, timeZone: true },
  });
  const people = {} as Record<Role, SessionUser>;
  for (const role of ROLES) {
    people[role] = await makeUser({ name: `${role} ${suffix}`, email: `${role}-${suffix}@example.test` });
    await db().membership.create({ data: { teamId: team.id, userId: people[role].id, role } });
  }
  const outsider = await makeUser({ name: `Outsider ${suffix}`, email: `outsider-${suffix}@example.test` });
  const elsewhere = await db().team.create({ data: { slug: `elsewhere-${suffix}`, name: "Elsewhere", timeZone: "UTC" } });
  await db().membership.create({ data: { teamId: elsewhere.id, userId: outsider.id, role: "owner" } });
  const project = await db().project.create({ data: { teamId: team.id, name: `Project ${suffix}` }, select: { id: true } });
  return { team, people, outsider, projectId: project.id };
}

/**
 * Gives a team an approval policy with no rules (a saved version, as an admin's edit would be): for tests about the
 * ledger itself, whose premium or large runs would otherwise stop at "needs approval" under the default policy.
 */
export async function withoutApprovals(teamId: string): Promise<void> {
  const latest = await db().approvalPolicyVersion.findFirst({ where: { teamId }, orderBy: { version: "desc" }, select: { version: true } });
  await db().approvalPolicyVersion.create({ data: { teamId, version: (latest?.version ?? 0) + 1, rules: [], pendingDays: 7 } });
}
