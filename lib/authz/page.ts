// Page guards for server components: sign-in redirect for strangers, 404 for non-members.
import "server-only";
import { notFound, redirect } from "next/navigation";
import { cache } from "react";
import { currentUser, type SessionUser } from "./session";
import { loadTeamContext, type TeamContext } from "./team";

// One lookup per request, however many components ask.
export const pageUser = cache(async (): Promise<SessionUser | null> => currentUser());

export async function requireUser(next?: string): Promise<SessionUser> {
  const user = await pageUser();
  if (!user) redirect(next ? `/sign-in?next=${encodeURIComponent(next)}` : "/sign-in");
  return user;
}

const teamContext = cache(async (slug: string) => {
  const user = await requireUser(`/t/${slug}`);
  return loadTeamContext(user, slug);
});

/** The team of the URL as the caller sees it; to anyone outside the team it does not exist. */
export async function requireTeam(slug: string): Promise<TeamContext> {
  const ctx = await teamContext(slug);
  if (!ctx) notFound();
  return ctx;
}
