// Page guards for server components: sign-in redirect for strangers, 404 for non-members, 403 for a role too low.
import "server-only";
import { headers } from "next/headers";
import { forbidden, notFound, redirect } from "next/navigation";
import { cache } from "react";
import { signInPath } from "@/lib/accounts/schema";
import { REQUESTED_PATH_HEADER } from "./requested-path";
import { hasRole, type Role } from "./roles";
import { currentUser, type SessionUser } from "./session";
import { loadTeamContext, type TeamContext } from "./team";

// One lookup per request, however many components ask.
export const pageUser = cache(async (): Promise<SessionUser | null> => currentUser());

/** The signed-in person; anyone else goes to sign in and comes back to the very address they asked for. */
export async function requireUser(): Promise<SessionUser> {
  const user = await pageUser();
  if (!user) redirect(signInPath((await headers()).get(REQUESTED_PATH_HEADER) ?? undefined));
  return user;
}

/**
 * The signed-in person's context in the team of `slug`, or null (not signed in, no such team, not a member): one read
 * per request, shared by the team's layout, its page and its forbidden.tsx (which Next renders with every page).
 */
export const pageTeam = cache(async (slug: string): Promise<TeamContext | null> => {
  const user = await pageUser();
  return user ? loadTeamContext(user, slug) : null;
});

/** The team of the URL as the caller sees it; to anyone outside the team it does not exist. */
export async function requireTeam(slug: string): Promise<TeamContext> {
  await requireUser();
  const ctx = await pageTeam(slug);
  if (!ctx) notFound();
  return ctx;
}

/**
 * The team, for members with at least `role`; anyone lower gets the friendly
 * "you cannot open this page" (app/t/[teamSlug]/forbidden.tsx) with status 403.
 */
export async function requireTeamRole(slug: string, role: Role): Promise<TeamContext> {
  const ctx = await requireTeam(slug);
  if (!hasRole(ctx.role, role)) forbidden();
  return ctx;
}
