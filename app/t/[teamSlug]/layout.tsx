// Frame of every team page: membership check (404 to outsiders), team switcher and the team's areas.
import type { ReactNode } from "react";
import { TeamNav } from "@/components/shell/team-nav";
import { TopBar } from "@/components/shell/top-bar";
import { countWaitingFor } from "@/lib/approvals/request-queries";
import { requireTeam } from "@/lib/authz/page";
import { hasRole } from "@/lib/authz/roles";
import { listMyTeams } from "@/lib/teams/queries";

type Props = { children: ReactNode; params: Promise<{ teamSlug: string }> };

export default async function TeamLayout({ children, params }: Props) {
  const { teamSlug } = await params;
  const ctx = await requireTeam(teamSlug);
  const [teams, waiting] = await Promise.all([listMyTeams(ctx.user.id), countWaitingFor(ctx)]);
  return (
    <>
      <TopBar user={ctx.user} teams={teams} current={{ slug: ctx.team.slug, name: ctx.team.name, role: ctx.role }} />
      <TeamNav slug={ctx.team.slug} isAdmin={hasRole(ctx.role, "admin")} waiting={waiting} />
      <main className="mx-auto w-full max-w-6xl px-4 py-8">{children}</main>
    </>
  );
}
