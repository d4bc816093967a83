// Resolves a team by slug and the caller's membership in it; the only source of team context.
import "server-only";
import { storableText } from "@/lib/api/input";
import { db } from "@/lib/db/client";
import type { Role } from "./roles";
import type { SessionUser } from "./session";

export type TeamRef = { id: string; slug: string; name: string; timeZone: string };

export type TeamContext = {
  user: SessionUser;
  team: TeamRef;
  role: Role;
};

/** The caller's context in the team, or null when the team does not exist or they are not in it. */
export async function loadTeamContext(user: SessionUser, slug: string): Promise<TeamContext | null> {
  // A NUL or half a character pair is no team's slug, and the database would refuse the query rather than answer none.
  if (typeof slug !== "string" || slug.length === 0 || slug.length > 64 || !storableText(slug)) return null;
  // One round trip (Prisma reads a relation with a second query): every page, action and API call starts here.
  const [row] = await db().$queryRaw<(TeamRef & { role: Role })[]>`
    SELECT m."role"::text AS role, t."id", t."slug", t."name", t."timeZone"
      FROM "Membership" m JOIN "Team" t ON t."id" = m."teamId"
     WHERE m."userId" = ${user.id} AND t."slug" = ${slug}`;
  if (!row) return null;
  const { role, ...team } = row;
  return { user, team, role };
}
