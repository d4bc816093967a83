// Team roles and what each may do; pure, shared by pages, actions and the browser.
export const ROLES = ["owner", "admin", "approver", "member", "viewer"] as const;
export type Role = (typeof ROLES)[number];

const RANK: Record<Role, number> = { viewer: 0, member: 1, approver: 2, admin: 3, owner: 4 };

/** True when `role` includes everything `required` may do. */
export function hasRole(role: Role, required: Role): boolean {
  return RANK[role] >= RANK[required];
}

export const ROLE_LABELS: Record<Role, string> = {
  owner: "Owner",
  admin: "Admin",
  approver: "Approver",
  member: "Member",
  viewer: "Viewer",
};

export const ROLE_DESCRIPTIONS: Record<Role, string> = {
  owner: "Everything, including the team itself and its owners.",
  admin: "Members, credits, budgets, prices and settings.",
  approver: "What a member does, and deciding other members' approval requests.",
  member: "Plan batches, estimate, request approval and record runs.",
  viewer: "Read only: projects, history and prices.",
};

/** Roles an actor may hand out: only owners create or change owners. */
export function assignableRoles(actor: Role): Role[] {
  return actor === "owner" ? [...ROLES] : ROLES.filter((role) => role !== "owner");
}
