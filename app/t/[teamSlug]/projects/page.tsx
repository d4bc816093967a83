// The team's projects with their budget, use this period and what is left; for admins create, edit, archive and restore.
import type { Metadata } from "next";
import Link from "next/link";
import { CreateProjectForm } from "@/components/projects/create-project-form";
import { ProjectRowActions } from "@/components/projects/project-row-actions";
import { Badge } from "@/components/ui/badge";
import { Card, PageHeader } from "@/components/ui/card";
import { EmptyState, TBody, TD, TH, THead, TR, Table } from "@/components/ui/table";
import { requireTeam } from "@/lib/authz/page";
import { hasRole } from "@/lib/authz/roles";
import { PERIOD_SHORT } from "@/components/ledger/labels";
import { cn } from "@/components/ui/cn";
import { formatDate, formatNumber, formatPercent } from "@/lib/format";
import { projectBudgetStatuses, type BudgetTone } from "@/lib/ledger/queries";
import { listProjects } from "@/lib/projects/queries";

export const metadata: Metadata = { title: "Projects" };

type Props = { params: Promise<{ teamSlug: string }>; searchParams: Promise<{ archived?: string }> };

export default async function ProjectsPage({ params, searchParams }: Props) {
  const { teamSlug } = await params;
  const ctx = await requireTeam(teamSlug);
  const showArchived = (await searchParams).archived === "include";
  const [projects, statuses] = await Promise.all([
    listProjects(ctx.team.id, showArchived ? "include" : "exclude"),
    projectBudgetStatuses(ctx.team),
  ]);
  // Active projects only; an archived one has no budget in force.
  const budgets = new Map(statuses.map((status) => [status.projectId, status.budget]));
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
              <TH>Project</TH>
              <TH>Budget</TH>
              <TH numeric className="max-sm:hidden">
                Used this period
              </TH>
              <TH numeric>Left</TH>
              <TH className="max-sm:hidden">Created</TH>
              {isAdmin && <TH className="text-right max-sm:hidden">Actions</TH>}
            </TR>
          </THead>
          <TBody>
            {projects.map((project) => {
              const budget = budgets.get(project.id) ?? null;
              const rowProject = { id: project.id, name: project.name, description: project.description, archived: Boolean(project.archivedAt) };
              return (
                <TR key={project.id} data-testid="project-row">
                  <TD wrap className="min-w-40">
                    <span className="font-medium">
                      <Link href={`${base}/${project.id}`}>{project.name}</Link> {project.archivedAt && <Badge>Archived</Badge>}
                    </span>
                    {project.description && <span className="block text-zinc-600">{project.description}</span>}
                    {/* On a phone the actions sit under the project rather than in a column off the screen's edge. */}
                    {isAdmin && (
                      <span className="mt-1 block sm:hidden">
                        <ProjectRowActions teamSlug={ctx.team.slug} project={rowProject} align="start" />
                      </span>
                    )}
                  </TD>
                  <TD data-testid="project-budget">
                    {budget ? (
                      <>
                        <span className="tabular-nums sm:whitespace-nowrap">
                          <span className="whitespace-nowrap">{formatNumber(budget.credits)}</span> {PERIOD_SHORT[budget.period]}
                        </span>
                        <span className="block text-xs whitespace-nowrap text-zinc-600">{budget.hardCap ? "Hard cap" : "Alerts only"}</span>
                      </>
                    ) : (
                      <span className="text-zinc-600">{project.archivedAt ? "—" : "No budget"}</span>
                    )}
                  </TD>
                  <TD numeric className="max-sm:hidden" data-testid="project-used">
                    {budget ? (
                      <>
                        {formatNumber(budget.used)}
                        <span className="block text-xs text-zinc-600">{budget.periodLabel}</span>
                      </>
                    ) : (
                      "—"
                    )}
                  </TD>
                  <TD numeric data-testid="project-left" data-tone={budget?.tone}>
                    {budget ? (
                      <>
                        <span className={cn("font-medium", LEFT_TONE[budget.tone])}>{formatNumber(budget.remaining)}</span>
                        <span className="block text-xs whitespace-nowrap text-zinc-600">{formatPercent(budget.percent)} used</span>
                        <span className="block text-xs whitespace-nowrap text-zinc-600 sm:hidden">{formatNumber(budget.used)} used</span>
                      </>
                    ) : (
                      "—"
                    )}
                  </TD>
                  <TD className="whitespace-nowrap max-sm:hidden">{formatDate(project.createdAt, ctx.team.timeZone)}</TD>
                  {isAdmin && (
                    <TD className="max-sm:hidden">
                      <ProjectRowActions teamSlug={ctx.team.slug} project={rowProject} />
                    </TD>
                  )}
                </TR>
              );
            })}
          </TBody>
        </Table>
      )}
    </div>
  );
}

// Colour follows the budget bar's: amber past the alert, red when nothing is left; the percent says the same in words.
const LEFT_TONE: Record<BudgetTone, string> = { green: "text-zinc-900", amber: "text-amber-800", red: "text-red-800" };
