// The teams a person belongs to, with their role in each.
import type { Metadata } from "next";
import Link from "next/link";
import { LeaveTeamButton } from "@/components/teams/leave-team-button";
import { Badge } from "@/components/ui/badge";
import { ButtonLink } from "@/components/ui/button";
import { Card, PageHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/table";
import { requireUser } from "@/lib/authz/page";
import { ROLE_LABELS } from "@/lib/authz/roles";
import { listMyTeams } from "@/lib/teams/queries";

export const metadata: Metadata = { title: "Your teams" };

export default async function TeamsPage() {
  const user = await requireUser();
  const teams = await listMyTeams(user.id);
  return (
    <div className="flex flex-col gap-6">
      <PageHeader
        title="Your teams"
        description="Each team has its own credits, projects, prices and people."
        actions={<ButtonLink href="/teams/new">Create a team</ButtonLink>}
      />
      {teams.length === 0 ? (
        <EmptyState
          title="You are not in a team yet"
          text="Create one for your studio, or open the invitation link a colleague sent you."
          action={<ButtonLink href="/teams/new">Create a team</ButtonLink>}
        />
      ) : (
        <Card flush>
          <ul className="divide-y divide-zinc-200">
            {teams.map((team) => (
              <li key={team.id} className="flex flex-wrap items-center justify-between gap-3 px-4 py-3 sm:px-5">
                <div className="flex items-center gap-3">
                  <Link href={`/t/${team.slug}`} className="font-medium">
                    {team.name}
                  </Link>
                  <Badge>{ROLE_LABELS[team.role]}</Badge>
                  <span className="text-sm text-zinc-500">{team.timeZone}</span>
                </div>
                <LeaveTeamButton teamSlug={team.slug} teamName={team.name} />
              </li>
            ))}
          </ul>
        </Card>
      )}
    </div>
  );
}
