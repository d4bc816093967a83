// One project: its budget this period, recording a run with a live estimate, the holds still open and the runs so far.
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { BudgetBar } from "@/components/ledger/budget-bar";
import { BudgetForm, RemoveBudgetButton } from "@/components/ledger/budget-form";
import { HoldsList } from "@/components/ledger/holds-list";
import { PERIOD_SHORT, RUN_STATES, RUN_STATE_LABELS, WEEKDAYS } from "@/components/ledger/labels";
import { RecordRunForm } from "@/components/ledger/record-run-form";
import { RunsTable } from "@/components/ledger/runs-table";
import { Badge } from "@/components/ui/badge";
import { Card, PageHeader } from "@/components/ui/card";
import { FilterButtons, RefusedFiltersNote } from "@/components/ui/filter-form";
import { Select } from "@/components/ui/select";
import { EmptyState } from "@/components/ui/table";
import { requireTeam } from "@/lib/authz/page";
import { hasRole } from "@/lib/authz/roles";
import { formatNumber, formatPercent } from "@/lib/format";
import { readRunFilter } from "@/lib/ledger/filters";
import { creditSummary, listRuns, projectBudgetStatuses } from "@/lib/ledger/queries";
import { priceListInForce } from "@/lib/price-lists/queries";
import { getProject } from "@/lib/projects/queries";
import { listMembers } from "@/lib/teams/queries";
import { type UrlQuery } from "@/lib/url-query";


type Props = {
  params: Promise<{ teamSlug: string; projectId: string }>;
  searchParams: Promise<UrlQuery>;
};

const RUNS_SHOWN = 50;

export async function generateMetadata({ params }: Pick<Props, "params">): Promise<Metadata> {
  const { teamSlug, projectId } = await params;
  const ctx = await requireTeam(teamSlug);
  const project = await getProject(ctx.team.id, projectId);
  return { title: project?.name ?? "Project" };
}

export default async function ProjectPage({ params, searchParams }: Props) {
  const { teamSlug, projectId } = await params;
  const ctx = await requireTeam(teamSlug);
  const { team } = ctx;
  const project = await getProject(team.id, projectId);
  if (!project) notFound();

  const isAdmin = hasRole(ctx.role, "admin");
  const archived = project.archivedAt !== null;
  const canRecord = hasRole(ctx.role, "member") && !archived;
  const base = `/t/${team.slug}/projects/${project.id}`;

  const members = await listMembers(team.id);
  const { values, errors, filter } = readRunFilter(await searchParams, { people: new Set(members.map((membership) => membership.user.id)) });

  const [statuses, holds, runs, credits, inForce] = await Promise.all([
    archived ? [] : projectBudgetStatuses(team, new Date(), project.id),
    listRuns(team.id, { projectId: project.id, state: "held", take: 200 }),
    listRuns(team.id, { projectId: project.id, state: filter.state, userId: filter.member, take: RUNS_SHOWN }),
    creditSummary(team.id),
    canRecord ? priceListInForce(team.id) : null,
  ]);
  const budget = statuses[0]?.budget ?? null;
  const filtered = Boolean(filter.state || filter.member);
  const refused = Object.keys(errors).length > 0;

  return (
    <div className="flex flex-col gap-6">
      <nav aria-label="Breadcrumb" className="-mb-3 text-sm">
        <Link href={`/t/${team.slug}/projects`}>← Projects</Link>
      </nav>
      <PageHeader
        title={
          <>
            {project.name} {archived && <Badge className="align-middle">Archived</Badge>}
          </>
        }
        description={project.description || undefined}
      />

      {archived && (
        <Card title="This project is archived" data-testid="archived-note">
          <p className="text-sm text-zinc-700">
            Its runs and ledger entries stay, but no new run can be recorded on it.{" "}
            {isAdmin ? "Restore it from the projects list to work on it again." : "An admin can restore it."}
          </p>
        </Card>
      )}

      {!archived && (
        <Card
          title="Budget"
          description={budget ? `${budget.periodLabel} · ${budget.hardCap ? "hard cap" : "soft: alerts only"}` : undefined}
          actions={isAdmin && budget && <RemoveBudgetButton teamSlug={team.slug} projectId={project.id} projectName={project.name} />}
        >
          {budget ? (
            <div className="flex flex-col gap-2">
              <BudgetBar budget={budget} label={`Budget of ${project.name}`} />
              <p className="text-sm text-zinc-600">
                {formatNumber(budget.credits)} credits {PERIOD_SHORT[budget.period]}
                {budget.period === "week" && `, weeks start on ${WEEKDAYS[budget.weekStartsOn]}`}; alert at {formatPercent(budget.alertPercent)}. Held
                credits count as used until their run is settled or released.
              </p>
            </div>
          ) : (
            <p className="text-sm text-zinc-700" data-testid="no-budget">
              No budget: runs here are limited only by the team&apos;s credits and any member limits.
            </p>
          )}
          {isAdmin && (
            <div className="mt-5 border-t border-zinc-200 pt-4">
              <h3 className="mb-3 text-sm font-semibold text-zinc-900">{budget ? "Change the budget" : "Set a budget"}</h3>
              <BudgetForm
                teamSlug={team.slug}
                projectId={project.id}
                budget={
                  budget && {
                    credits: budget.credits,
                    period: budget.period,
                    weekStartsOn: budget.weekStartsOn,
                    alertPercent: budget.alertPercent,
                    hardCap: budget.hardCap,
                  }
                }
              />
            </div>
          )}
        </Card>
      )}

      {canRecord && inForce && (
        <Card
          title="Record a run"
          description="Choose the model and settings: the estimate follows. The ledger then holds the credits, or says why it cannot."
        >
          <RecordRunForm
            teamSlug={team.slug}
            projectId={project.id}
            priceList={inForce.priceList}
            priceListVersion={inForce.version}
            budget={budget && { remaining: budget.remaining, credits: budget.credits, periodLabel: budget.periodLabel, hardCap: budget.hardCap }}
            available={credits.available}
          />
        </Card>
      )}

      <Card
        id="holds"
        title="Active holds"
        description="Runs admitted and not yet settled: their credits are reserved. Settle each at what it really cost, or release it."
        flush
      >
        {holds.length === 0 ? (
          <EmptyState title="No active holds" />
        ) : (
          <HoldsList
            holds={holds}
            teamSlug={team.slug}
            timeZone={team.timeZone}
            viewer={{ userId: ctx.user.id, isAdmin, canRun: hasRole(ctx.role, "member") }}
          />
        )}
      </Card>

      <Card title="Runs" flush>
        <form method="get" action={base} className="flex flex-col gap-3 border-b border-zinc-200 px-4 py-4 sm:flex-row sm:items-end sm:px-5" data-testid="run-filters">
          <Select
            label="State"
            name="state"
            fieldClassName="sm:w-44"
            defaultValue={values.state}
            error={errors.state}
            options={[{ value: "", label: "Every state" }, ...RUN_STATES.map((value) => ({ value, label: RUN_STATE_LABELS[value] }))]}
          />
          <Select
            label="Member"
            name="member"
            fieldClassName="sm:w-56"
            defaultValue={values.member}
            error={errors.member}
            options={[{ value: "", label: "Everyone" }, ...members.map((membership) => ({ value: membership.user.id, label: membership.user.name }))]}
          />
          <FilterButtons clearHref={base} showClear={filtered || refused} />
        </form>
        <RefusedFiltersNote show={refused} className="mx-4 mt-4 sm:mx-5" />
        {runs.length === 0 ? (
          <EmptyState title={filtered ? "No runs match" : "No runs yet"} />
        ) : (
          <>
            <RunsTable caption="Runs" runs={runs} teamSlug={team.slug} timeZone={team.timeZone} />
            {runs.length === RUNS_SHOWN && <p className="px-4 py-3 text-sm text-zinc-600 sm:px-5">The latest {RUNS_SHOWN} runs are shown.</p>}
          </>
        )}
      </Card>
    </div>
  );
}
