// What forbidden() renders inside the team's frame: a team page the person's role does not open (status 403).
import { headers } from "next/headers";
import { Forbidden } from "@/components/shell/forbidden";
import { pageTeam } from "@/lib/authz/page";
import { REQUESTED_PATH_HEADER } from "@/lib/authz/requested-path";

export default async function TeamForbidden() {
  // This file gets no params; the team is the second segment of the address the proxy recorded.
  const slug = (await headers()).get(REQUESTED_PATH_HEADER)?.split(/[/?]/)[2];
  // The layout's own read (React cache): Next renders this file with every page of the team, forbidden or not.
  const ctx = slug ? await pageTeam(slug) : null;
  return <Forbidden team={ctx ? { slug: ctx.team.slug, role: ctx.role } : undefined} />;
}
