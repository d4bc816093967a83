// Turns an audit entry into a sentence for the audit log page; pure.
type Entry = { action: string; details: unknown };

function text(details: Record<string, unknown>, key: string): string {
  const value = details[key];
  return typeof value === "string" || typeof value === "number" ? String(value) : "?";
}

const SENTENCES: Record<string, (d: Record<string, unknown>) => string> = {
  "team.created": (d) => `Created the team “${text(d, "name")}”`,
  "team.updated": () => "Changed the team's settings",
  "invitation.created": (d) => `Invited ${text(d, "email")} as ${text(d, "role")}`,
  "invitation.revoked": (d) => `Withdrew the invitation of ${text(d, "email")}`,
  "invitation.accepted": (d) => `${text(d, "email")} accepted the invitation as ${text(d, "role")}`,
  "member.role_changed": (d) => `Changed ${text(d, "email")} from ${text(d, "from")} to ${text(d, "to")}`,
  "member.removed": (d) => `Removed ${text(d, "email")} (${text(d, "role")})`,
  "member.left": (d) => `${text(d, "email")} left the team`,
  "project.created": (d) => `Created project “${text(d, "name")}”`,
  "project.renamed": (d) => `Renamed project “${text(d, "from")}” to “${text(d, "to")}”`,
  "project.archived": (d) => `Archived project “${text(d, "name")}”`,
  "project.restored": (d) => `Restored project “${text(d, "name")}”`,
};

export function describeAuditEntry(entry: Entry): string {
  const details = entry.details && typeof entry.details === "object" ? (entry.details as Record<string, unknown>) : {};
  // Own keys only: "constructor" or "toString" must not find Object.prototype's functions.
  return Object.hasOwn(SENTENCES, entry.action) ? SENTENCES[entry.action](details) : entry.action;
}
