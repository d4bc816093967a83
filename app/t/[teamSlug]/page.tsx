// Team overview: the team's credits and when they run out at the current rate, each active project's budget this
// period, the person's alerts and the latest runs.
import type { Metadata } from "next";
import Link from "next/link";
import { CreditFigures } from "@/components/ledger/credit-figures";
import { BudgetBar } from "@/components/ledger/budget-bar";
import { RunsTable } from "@/components/ledger/runs-table";
import { ForecastCard } from "@/components/usage/forecast-card";
import { Badge } from "@/components/ui/badge";
import { Card, PageHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/table";
import { requireTeam } from "@/lib/authz/page";
import { ROLE_LABELS, hasRole } from "@/lib/authz/roles";
import { formatDateTime, formatNumber } from "@/lib/format";
import { creditSummary, listMemberLimits, listNotifications, listRuns, projectBudgetStatuses, teamUseThisMonth } from "@/lib/ledger/queries";
import { appNow } from "@/lib/clock";
import { teamForecast } from "@/lib/usage/insights";

export const metadata: Metadata = { title: "Overview" };

type Props = { params: Promise<{ teamSlug: string }> };

export default async function OverviewPage({ params }: Props) {
  const { teamSlug } = await params;
  const ctx = await requireTeam(teamSlug);
  const { team } = ctx;
  const isAdmin = hasRole(ctx.role, "admin");
  // One instant for every figure: the forecast then shares the credits and the budgets' use read for the page (React
  // cache, this request only) instead of reading them again.
  const now = appNow();
  const [credits, month, budgets, alerts, runs, limits, forecast] = await Promise.all([
    creditSummary(team.id, now),
    teamUseThisMonth(team, now),
    projectBudgetStatuses(team, now),
    listNotifications(team, ctx.user.id, ctx.role, 10),
    listRuns(team.id, { take: 10 }),
    listMemberLimits(team, now),
    teamForecast(team, now),
  ]);
  const low = credits.lowBalanceThreshold !== null && credits.available < credits.lowBalanceThreshold;
  const myLimits = limits.filter((limit) => limit.user.id === ctx.user.id);
  const projectNames = new Map(budgets.map((status) => [status.projectId, status.projectName]));
  const base = `/t/${team.slug}`;

  return (
    <div className="flex flex-col gap-6">
      <PageHeader
        title={team.name}
        description={
          <>
            You are {ROLE_LABELS[ctx.role].toLowerCase()} here · time zone {team.timeZone}
          </>
        }
        actions={isAdmin && <Link href={`${base}/credits`}>Manage credits</Link>}
      />

      <section aria-labelledby="credits-heading" className="flex flex-col gap-3">
        <h2 id="credits-heading" className="sr-only">
          Team credits
        </h2>
        <CreditFigures credits={credits} month={month} />
        {low && (
          <p className="rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900" data-testid="low-balance">
            {credits.available <= 0
              ? `No credits are available (${formatNumber(credits.available)}): every run is refused until credits come in.`
              : `Credits are running low: ${formatNumber(credits.available)} available, below the alert at ${formatNumber(credits.lowBalanceThreshold ?? 0)}.`}
          </p>
        )}
        {myLimits.length > 0 && (
          <ul className="flex flex-col gap-1 text-sm text-zinc-700" data-testid="my-limits">
            {myLimits.map((limit) => (
              <li key={limit.id}>
                Your credit limit{limit.scope === "team" ? "" : ` in ${projectNames.get(limit.scope) ?? "a project"}`}:{" "}
                <strong>{formatNumber(limit.used)}</strong> of {formatNumber(limit.credits)} used ({limit.periodLabel}),{" "}
                {formatNumber(Math.max(0, limit.credits - limit.used))} left.
              </li>
            ))}
          </ul>
        )}
        {credits.balance === 0 && credits.held === 0 && (
          <p className="text-sm text-zinc-600">
            The team has no credits yet. {isAdmin ? <Link href={`${base}/credits`}>Add the first grant</Link> : "An admin adds them."}
          </p>
        )}
      </section>

      <ForecastCard forecast={forecast} teamSlug={team.slug} />

      <div className="grid gap-6 lg:grid-cols-[minmax(0,3fr)_minmax(0,2fr)]">
        <Card title="Project budgets" description="What each active project has used of its budget this period." flush>
          {budgets.length === 0 ? (
            <EmptyState title="No active projects" text={<Link href={`${base}/projects`}>Go to projects</Link>} />
          ) : (
            <ul className="divide-y divide-zinc-200">
              {budgets.map((status) => (
                <li key={status.projectId} className="flex flex-col gap-2 px-4 py-3 sm:px-5" data-testid="project-budget">
                  <div className="flex flex-wrap items-baseline justify-between gap-x-3">
                    <Link href={`${base}/projects/${status.projectId}`} className="font-medium text-zinc-900 underline-offset-2 hover:underline">
                      {status.projectName}
                    </Link>
                    {status.budget && <span className="text-xs text-zinc-600">{status.budget.periodLabel}</span>}
                  </div>
                  {status.budget ? (
                    <BudgetBar budget={status.budget} label={`Budget of ${status.projectName}`} />
                  ) : (
                    <p>
                      <Badge>No budget</Badge>
                    </p>
                  )}
                </li>
              ))}
            </ul>
          )}
        </Card>

        <Card title="Alerts" description={isAdmin ? "Yours and the team's." : "Yours."} flush>
          {alerts.length === 0 ? (
            <EmptyState title="No alerts" text="Budgets and limits passing their alert, overruns, a low balance and approval requests show here." />
          ) : (
            <ul className="divide-y divide-zinc-200">
              {alerts.map((alert) => (
                <li key={alert.id} className="px-4 py-3 sm:px-5" data-testid="alert">
                  <p className="text-sm font-medium text-zinc-900">
                    {alert.href ? (
                      <Link href={alert.href} className="underline-offset-2 hover:underline">
                        {alert.title}
                      </Link>
                    ) : (
                      alert.title
                    )}
                  </p>
                  <p className="text-sm text-zinc-700">{alert.body}</p>
                  <p className="mt-0.5 text-xs text-zinc-600">{formatDateTime(alert.createdAt, team.timeZone)}</p>
                </li>
              ))}
            </ul>
          )}
        </Card>
      </div>

      <Card title="Recent runs" flush>
        {runs.length === 0 ? (
          <EmptyState title="No runs yet" text="Runs are recorded on a project's page." />
        ) : (
          <RunsTable caption="Recent runs" runs={runs} teamSlug={team.slug} timeZone={team.timeZone} showProject />
        )}
      </Card>
    </div>
  );
}
