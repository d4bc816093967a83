// Inputs of team, membership and invitation forms.
import { z } from "zod";
import { ROLES } from "@/lib/authz/roles";
import { isValidTimeZone } from "@/lib/ledger/periods";
import { emailAddressSchema } from "@/lib/accounts/schema";

const RESERVED_SLUGS = new Set(["new", "api", "settings", "admin", "app", "teams", "invite", "sign-in", "sign-up"]);

export const teamNameSchema = z
  .string({ error: "Enter a team name." })
  .trim()
  .min(2, "Use at least 2 characters.")
  .max(80, "Use at most 80 characters.");

export const slugSchema = z
  .string({ error: "Choose an address for the team." })
  .trim()
  .toLowerCase()
  .min(3, "Use at least 3 characters.")
  .max(40, "Use at most 40 characters.")
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, "Use lowercase letters, digits and single hyphens, like northwind-studio.")
  .refine((slug) => !RESERVED_SLUGS.has(slug), "That address is reserved; choose another.");

export const timeZoneSchema = z
  .string({ error: "Choose a time zone." })
  .trim()
  .min(1, "Choose a time zone.")
  .refine(isValidTimeZone, "Choose a time zone from the list, like Europe/Berlin.");

export const roleSchema = z.enum(ROLES, { error: "Choose one of the roles." });

export const createTeamSchema = z.object({ name: teamNameSchema, slug: slugSchema, timeZone: timeZoneSchema });
export const updateTeamSchema = z.object({ name: teamNameSchema, timeZone: timeZoneSchema });

// The admin types someone else's address here, so "Enter your email address" would be wrong.
export const inviteSchema = z.object({ email: emailAddressSchema("Enter the email address of the person to invite."), role: roleSchema });
export const invitationIdSchema = z.object({ invitationId: z.string({ error: "Choose an invitation." }).min(1).max(64) });
export const acceptInvitationSchema = z.object({ token: z.string({ error: "The link is incomplete." }).min(20).max(200) });

export const changeRoleSchema = z.object({
  membershipId: z.string({ error: "Choose a member." }).min(1).max(64),
  role: roleSchema,
});
export const membershipIdSchema = z.object({ membershipId: z.string({ error: "Choose a member." }).min(1).max(64) });
