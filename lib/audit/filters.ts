// The audit log's filter read from the URL: who, what kind of change, which days. Pure.
import { z } from "zod";
import { checkDayRange, dayField, personField, readUrlFilter, type TeamDirectory, type UrlFilter, type UrlQuery } from "@/lib/url-query";

/** Kinds of change, by the first word of their action ("invitation.revoked" is an invitation change). */
export const AUDIT_KINDS = {
  team: "Team settings",
  member: "Members",
  invitation: "Invitations",
  project: "Projects",
  credits: "Credits",
  budget: "Budgets",
  limit: "Member limits",
  price_list: "Price list",
  batch: "Batches",
  approval_policy: "Approval policy",
  approval: "Approvals",
  api_key: "API keys",
  app: "Apps",
} as const;

export type AuditKind = keyof typeof AUDIT_KINDS;

const AUDIT_KIND_NAMES = Object.keys(AUDIT_KINDS) as [AuditKind, ...AuditKind[]];

export const auditFilterSchema = (team: Pick<TeamDirectory, "people">) =>
  z
    .object({
      actorId: personField(team),
      kind: z.enum(AUDIT_KIND_NAMES, { error: (issue) => `“${String(issue.input)}” is not a kind of change.` }).optional(),
      from: dayField,
      to: dayField,
    })
    .superRefine(checkDayRange);

export type AuditFilter = z.output<ReturnType<typeof auditFilterSchema>>;

/** The audit page's filter from its URL: bad values get a message at their field and are left out. */
export function readAuditFilter(query: UrlQuery, team: Pick<TeamDirectory, "people">): UrlFilter<AuditFilter> {
  return readUrlFilter(auditFilterSchema(team), query);
}
