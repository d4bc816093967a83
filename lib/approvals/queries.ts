// Reads of a team's approval policy: the version in force (the default policy, version 0, when none was saved) and the history.
import "server-only";
import { db } from "@/lib/db/client";
import type { TransactionClient } from "@/lib/db/transaction";
import { DEFAULT_POLICY, diffPolicies, type ApprovalPolicy } from "./policy";
import { storedRulesSchema } from "./schema";

/** Anything that can read versions: the process's client or a transaction (a save reads the latest inside its own). */
export type PolicyReader = Pick<TransactionClient, "approvalPolicyVersion">;

export type Person = { name: string; email: string };

export type PolicyInForce = {
  /** 0 for the default policy, which no row holds. */
  version: number;
  policy: ApprovalPolicy;
  /** Null for the default policy. */
  createdAt: Date | null;
  createdBy: Person | null;
};

const personSelect = { select: { name: true, email: true } } as const;
const versionSelect = { version: true, rules: true, pendingDays: true, createdAt: true, createdBy: personSelect } as const;

type VersionRow = { version: number; rules: unknown; pendingDays: number; createdAt: Date; createdBy: Person | null };

/**
 * Rules as stored. Every row was validated before it was written, so a row that fails now was changed behind the
 * app's back: fail loudly rather than admit runs under a policy nobody wrote.
 */
function toPolicy(row: Pick<VersionRow, "version" | "rules" | "pendingDays">): ApprovalPolicy {
  const parsed = storedRulesSchema.safeParse(row.rules);
  if (!parsed.success) throw new Error(`Stored approval policy version ${row.version} is not a valid policy: ${parsed.error.issues[0]?.message}`);
  return { rules: parsed.data, pendingDays: row.pendingDays };
}

function toVersion(row: VersionRow): PolicyInForce {
  return { version: row.version, policy: toPolicy(row), createdAt: row.createdAt, createdBy: row.createdBy };
}

/** The default policy as version 0; copied, because callers may edit what they get. */
function defaultVersion(): PolicyInForce {
  return { version: 0, policy: structuredClone(DEFAULT_POLICY), createdAt: null, createdBy: null };
}

/**
 * The policy of a row as read by a query of the caller's (the version's `rules` and `pendingDays`), else the default
 * policy: for admission, which reads it together with the price list in force.
 */
export function policyOfRow(row: { version: number; rules: unknown; pendingDays: number } | null): ApprovalPolicy {
  return row ? toPolicy(row) : structuredClone(DEFAULT_POLICY);
}

/** The policy new requests are made under: the highest version, else the default policy as version 0. */
export async function policyInForce(teamId: string, reader: PolicyReader = db()): Promise<PolicyInForce> {
  const row = await reader.approvalPolicyVersion.findFirst({ where: { teamId }, orderBy: { version: "desc" }, select: versionSelect });
  return row ? toVersion(row) : defaultVersion();
}

export type PolicyHistoryItem = { version: number; createdAt: Date; createdBy: Person | null; changes: string[] };

/**
 * Every saved version, newest first, each with what it changed from the one before (version 1 from the default
 * policy). The lines are recomputed with today's project and people names (the team's own unless given), so a
 * rename reads the same everywhere.
 */
export async function policyHistory(
  teamId: string,
  names: { projects?: ReadonlyMap<string, string>; people?: ReadonlyMap<string, string> } = {},
): Promise<PolicyHistoryItem[]> {
  const rows = await db().approvalPolicyVersion.findMany({ where: { teamId }, orderBy: { version: "asc" }, select: versionSelect });
  if (rows.length > 0 && (!names.projects || !names.people)) {
    const known = await policyNames(teamId);
    names = { projects: names.projects ?? known.projectNames, people: names.people ?? known.peopleNames };
  }
  let before = DEFAULT_POLICY;
  const items: PolicyHistoryItem[] = [];
  for (const row of rows) {
    const policy = toPolicy(row);
    items.push({ version: row.version, createdAt: row.createdAt, createdBy: row.createdBy, changes: diffPolicies(before, policy, names) });
    before = policy;
  }
  return items.reverse();
}

/** Names the policy's conditions and requirements mention: the team's projects (archived ones too) and its members. */
export async function policyNames(teamId: string, reader: Pick<TransactionClient, "project" | "membership"> = db()) {
  // One after the other: inside a transaction the queries share one connection anyway.
  const projects = await reader.project.findMany({ where: { teamId }, orderBy: { name: "asc" }, select: { id: true, name: true, archivedAt: true } });
  const members = await reader.membership.findMany({
    where: { teamId },
    orderBy: { user: { name: "asc" } },
    select: { role: true, user: { select: { id: true, name: true, email: true } } },
  });
  return {
    projects,
    members: members.map(({ role, user }) => ({ ...user, role })),
    projectNames: new Map(projects.map((project) => [project.id, project.name])),
    peopleNames: new Map(members.map(({ user }) => [user.id, user.name])),
  };
}
