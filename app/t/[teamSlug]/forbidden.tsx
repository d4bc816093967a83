// What forbidden() renders inside the team's frame: a team page the person's role does not open (status 403).
import { headers } from "next/headers";
import { Forbidden } from "@/components/shell/forbidden";
import { pageUser } from "@/lib/authz/page";
import { REQUESTED_PATH_HEADER } from "@/lib/authz/requested-path";
import { loadTeamContext } from "@/lib/authz/team";

export default async function TeamForbidden() {
  // This file gets no params; the team is the second segment of the address the proxy recorded.
  const slug = (await headers()).get(REQUESTED_PATH_HEADER)?.split(/[/?]/)[2];
  const user = await pageUser();
  const ctx = slug && user ? await loadTeamContext(user, slug) : null;
  return <Forbidden team={ctx ? { slug: ctx.team.slug, role: ctx.role } : undefined} />;
}
