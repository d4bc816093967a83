// The team's projects: list, and for admins create, edit, archive and restore.
import type { Metadata } from "next";
import Link from "next/link";
import { CreateProjectForm } from "@/components/projects/create-project-form";
import { ProjectRowActions } from "@/components/projects/project-row-actions";
import { Badge } from "@/components/ui/badge";
import { Card, PageHeader } from "@/components/ui/card";
import { EmptyState, TBody, TD, TH, THead, TR, Table } from "@/components/ui/table";
import { requireTeam } from "@/lib/authz/page";
import { hasRole } from "@/lib/authz/roles";
import { formatDate } from "@/lib/format";
import { listProjects } from "@/lib/projects/queries";

export const metadata: Metadata = { title: "Projects" };

type Props = { params: Promise<{ teamSlug: string }>; searchParams: Promise<{ archived?: string }> };

export default async function ProjectsPage({ params, searchParams }: Props) {
  const { teamSlug } = await params;
  const ctx = await requireTeam(teamSlug);
  const showArchived = (await searchParams).archived === "include";
  const projects = await listProjects(ctx.team.id, showArchived ? "include" : "exclude");
  const isAdmin = hasRole(ctx.role, "admin");
  const base = `/t/${ctx.team.slug}/projects`;
  return (
    <div className="flex flex-col gap-6">
      <PageHeader
        title="Projects"
        description="Each project is a body of work — a campaign, a client — that credits are budgeted and spent against."
        actions={
          <Link href={showArchived ? base : `${base}?archived=include`} className="text-sm">
            {showArchived ? "Hide archived" : "Show archived"}
          </Link>
        }
      />
      {isAdmin && (
        <Card title="New project">
          <CreateProjectForm teamSlug={ctx.team.slug} />
        </Card>
      )}
      {projects.length === 0 ? (
        <EmptyState
          title="No projects yet"
          text={isAdmin ? "Create the first one above." : "An admin of the team creates projects."}
        />
      ) : (
        <Table caption="Projects">
          <THead>
            <TR>
              <TH>Name</TH>
              <TH>Description</TH>
              <TH>Created</TH>
              {isAdmin && <TH className="text-right">Actions</TH>}
            </TR>
          </THead>
          <TBody>
            {projects.map((project) => (
              <TR key={project.id} data-testid="project-row">
                <TD className="font-medium">
                  <Link href={`${base}/${project.id}`}>{project.name}</Link> {project.archivedAt && <Badge>Archived</Badge>}
                </TD>
                <TD className="text-zinc-600">{project.description || "—"}</TD>
                <TD>{formatDate(project.createdAt, ctx.team.timeZone)}</TD>
                {isAdmin && (
                  <TD>
                    <ProjectRowActions
                      teamSlug={ctx.team.slug}
                      project={{ id: project.id, name: project.name, description: project.description, archived: Boolean(project.archivedAt) }}
                    />
                  </TD>
                )}
              </TR>
            ))}
          </TBody>
        </Table>
      )}
    </div>
  );
}
