// Team overview: the team at a glance — projects, people, and where credits will show.
import type { Metadata } from "next";
import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { Card, PageHeader } from "@/components/ui/card";
import { requireTeam } from "@/lib/authz/page";
import { ROLE_LABELS } from "@/lib/authz/roles";
import { listProjects } from "@/lib/projects/queries";
import { listMembers } from "@/lib/teams/queries";

export const metadata: Metadata = { title: "Overview" };

type Props = { params: Promise<{ teamSlug: string }> };

export default async function OverviewPage({ params }: Props) {
  const { teamSlug } = await params;
  const ctx = await requireTeam(teamSlug);
  const [projects, members] = await Promise.all([listProjects(ctx.team.id), listMembers(ctx.team.id)]);
  return (
    <div className="flex flex-col gap-6">
      <PageHeader
        title={ctx.team.name}
        description={
          <>
            You are {ROLE_LABELS[ctx.role].toLowerCase()} here · time zone {ctx.team.timeZone}
          </>
        }
      />
      <div className="grid gap-4 md:grid-cols-3">
        <Card title="Credits">
          <p className="text-sm text-zinc-600">
            The balance, the credits held for runs in progress and this period&apos;s use will show here once credits are
            granted to the team.
          </p>
        </Card>
        <Card title="Projects" actions={<Link href={`/t/${ctx.team.slug}/projects`}>All projects</Link>}>
          <p className="text-3xl font-semibold" data-testid="project-count">
            {projects.length}
          </p>
          <p className="text-sm text-zinc-600">active {projects.length === 1 ? "project" : "projects"}</p>
        </Card>
        <Card title="People">
          <p className="text-3xl font-semibold">{members.length}</p>
          <p className="text-sm text-zinc-600">{members.length === 1 ? "member" : "members"}</p>
        </Card>
      </div>
      <Card title="Active projects" flush>
        {projects.length === 0 ? (
          <p className="px-5 py-4 text-sm text-zinc-600">No projects yet.</p>
        ) : (
          <ul className="divide-y divide-zinc-200">
            {projects.slice(0, 8).map((project) => (
              <li key={project.id} className="flex items-center justify-between gap-3 px-4 py-3 sm:px-5">
                <span className="font-medium">{project.name}</span>
                <Badge tone="blue">Budget: not set</Badge>
              </li>
            ))}
          </ul>
        )}
      </Card>
    </div>
  );
}
