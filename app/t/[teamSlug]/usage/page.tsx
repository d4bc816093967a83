// Usage: where the team's credits went — filters in the URL, totals, charts with their tables, each member's use, the runs and ledger entries, and CSV exports of exactly that.
import type { Metadata } from "next";
import Link from "next/link";
import { Suspense } from "react";
import { HistoryInsights } from "@/components/usage/history-insights";
import { OTHER_COLOR, SERIES_COLORS, stageColor, typeColor } from "@/components/usage/chart-colors";
import { CreditsOverTime } from "@/components/usage/credits-over-time";
import { RankedBars } from "@/components/usage/ranked-bars";
import { OUTCOME_CHOICE_LABELS, OUTPUT_TYPE_LABELS, TIER_LABELS, UsageFilterForm } from "@/components/usage/usage-filter-form";
import { EntriesTable, RunsTable, type EntryRowView, type RunRowView } from "@/components/usage/usage-tables";
import { ButtonLink } from "@/components/ui/button";
import { Card, PageHeader } from "@/components/ui/card";
import { FormError } from "@/components/ui/input";
import { Pager } from "@/components/ui/pager";
import { EmptyState, TBody, TD, TH, THead, TR, Table } from "@/components/ui/table";
import { requireTeam } from "@/lib/authz/page";
import { hasRole } from "@/lib/authz/roles";
import { appNow } from "@/lib/clock";
import { formatCredits, formatDateTime, formatDay, formatNumber, formatPercent } from "@/lib/format";
import { LEDGER_KIND_LABELS, type LedgerKind } from "@/components/ledger/labels";
import { ledgerReasonText } from "@/lib/ledger/alerts";
import { endOfDayIn, startOfDayIn } from "@/lib/ledger/dates";
import { PURPOSE_LABELS, STAGE_LABELS } from "@/lib/ledger/schema";
import { OTHER_KEY, perAccepted, share, stackSeries } from "@/lib/usage/charts";
import { RANGE_LABELS, usageSearch, viewSearch, type ChartStack, type UsageFilter, type UsageView } from "@/lib/usage/filters";
import { USAGE_PAGE_SIZE, type listUsageEntries, type listUsageRuns } from "@/lib/usage/lists";
import { loadUsagePage } from "@/lib/usage/page-data";
import type { UsageTotals } from "@/lib/usage/queries";
import { historyInsights } from "@/lib/usage/insights";
import type { UrlQuery } from "@/lib/url-query";

export const metadata: Metadata = { title: "Usage" };

type Props = { params: Promise<{ teamSlug: string }>; searchParams: Promise<UrlQuery> };

const MAX_SERIES = 8;

export default async function UsagePage({ params, searchParams }: Props) {
  const ctx = await requireTeam((await params).teamSlug);
  const { team } = ctx;
  const { projects, people, models, batches, values, errors, filter, usage, view, pageError, totals, series, modelShares: topModels, stageShares: stages, members, list } =
    await loadUsagePage(team, await searchParams, appNow());

  const base = `/t/${team.slug}/usage`;
  const names = {
    type: (key: string) => OUTPUT_TYPE_LABELS[key as keyof typeof OUTPUT_TYPE_LABELS] ?? key,
    project: nameOf(projects),
    model: nameOf(models),
    member: nameOf(people, "Former member"),
  } satisfies Record<ChartStack, (key: string) => string>;
  const stacked = stackSeries(series, view.by, MAX_SERIES, usage);
  const chartSeries = stacked.keys.map((key, i) => ({
    key,
    name: key === OTHER_KEY ? "Other" : names[view.stack](key),
    // An output type keeps its colour whatever the filter; projects, models and people are coloured by rank.
    color: key === OTHER_KEY ? OTHER_COLOR : view.stack === "type" ? typeColor(key) : SERIES_COLORS[i % SERIES_COLORS.length],
  }));
  const net = totals.charged - totals.refunded;
  const filterSearch = usageSearch(usage);
  const link = (changes: Record<string, string | null>) => {
    const search = new URLSearchParams(filterSearch);
    for (const [key, value] of viewSearch(view)) search.set(key, value);
    for (const [key, value] of Object.entries(changes)) if (value) search.set(key, value);
    return `${base}?${search}`;
  };
  // The days spelled out, so a file downloaded after midnight is still of the days the page showed.
  const exportHref = (what: "runs" | "transactions") =>
    `${base}/export/${what}?${new URLSearchParams([...usageSearch({ ...usage, range: "custom" }), ["sort", view.sort]])}`;
  const filtered = Object.keys(filter).length > 0;
  const refused = Object.keys(errors).length > 0;

  return (
    <div className="flex flex-col gap-6">
      <PageHeader
        title="Usage"
        description={`Where the team's credits went: ${RANGE_LABELS[usage.range].toLowerCase()}, ${formatDay(usage.from)} to ${formatDay(usage.to)} (${team.timeZone}).`}
        actions={
          hasRole(ctx.role, "admin") ? (
            <ButtonLink href={`${base}/import`} variant="secondary">
              Import usage
            </ButtonLink>
          ) : undefined
        }
      />

      <nav aria-label="On this page" className="-mt-2 flex flex-wrap gap-x-4 gap-y-1 text-sm">
        <a href="#insights-heading">Insights</a>
        <a href="#members">Members</a>
        <a href="#history">Runs and transactions</a>
      </nav>

      <Card title="Filter" description="Every figure, chart, table and download below is of exactly these runs.">
        <UsageFilterForm
          action={base}
          values={values}
          errors={errors}
          usage={usage}
          view={view}
          filtered={filtered}
          choices={{
            projects: projects.map((project) => ({ id: project.id, name: project.archivedAt ? `${project.name} (archived)` : project.name })),
            people,
            models,
            batches,
          }}
        />
      </Card>

      <Totals totals={totals} net={net} />

      {totals.runs === 0 ? (
        <Card>
          <EmptyState
            title={refused || filtered ? "No runs match this filter" : "No runs in these days"}
            text="Runs recorded on a project page, a batch item or by an import count here. Try other days or fewer filters."
          />
        </Card>
      ) : (
        <>
          <Card title="Credits over time" description="Credits charged less refunds, per day, week or month.">
            <CreditsOverTime points={stacked.points} series={chartSeries} by={view.by} stack={view.stack} />
          </Card>
          <div className="grid gap-6 lg:grid-cols-2">
            <Card title="Top models" description="Credits charged less refunds, largest first.">
              <RankedBars
                caption="Credits by model"
                testId="top-models"
                rows={topModels.slice(0, 10).map((row) => ({
                  key: row.key,
                  label: names.model(row.key),
                  credits: row.credits,
                  note: `${formatNumber(row.runs)} runs, ${acceptedText(row.accepted, row.decided)}`,
                  color: SERIES_COLORS[0],
                }))}
              />
            </Card>
            <Card title="Tests, drafts and finals" description="Cheap tests before a premium final is where credits are saved.">
              <RankedBars
                caption="Credits by stage"
                testId="stages"
                rows={stages.map((row) => ({
                  key: row.key,
                  label: STAGE_LABELS[row.key as keyof typeof STAGE_LABELS] ?? row.key,
                  credits: row.credits,
                  note: `${formatNumber(row.runs)} runs`,
                  color: stageColor(row.key),
                }))}
              />
            </Card>
          </div>
        </>
      )}

      <section aria-labelledby="insights-heading" className="flex flex-col gap-3" data-testid="usage-insights">
        <div>
          <h2 id="insights-heading" className="text-lg font-semibold text-zinc-900">
            What to learn from these days
          </h2>
          <p className="mt-0.5 max-w-prose text-sm text-zinc-600">
            Rules over the runs of these days{usage.project && usage.member ? ", of the chosen project and member" : usage.project ? ", of the chosen project" : usage.member ? ", of the chosen member" : ""}: what to
            change and what it would have saved. The other filters do not narrow these.
          </p>
        </div>
        <Suspense fallback={<p className="text-sm text-zinc-600">Reading the history…</p>}>
          <UsageInsights team={team} usage={usage} />
        </Suspense>
      </section>

      <Card
        id="members"
        title="Members"
        description="Each person's limit, what it has used and has left this period (as the ledger counts it, runs in progress included), beside their credits, runs and accepted share in the filter."
        flush
      >
        <Table caption="Use per member">
          <THead>
            <TR>
              <TH>Member</TH>
              <TH>Limit this period</TH>
              <TH numeric>Used / left</TH>
              <TH numeric>Credits</TH>
              <TH numeric>Runs</TH>
              <TH numeric>Accepted</TH>
              <TH numeric title="Credits per accepted output: everything charged, tests included, per accepted run">
                Per accepted
              </TH>
            </TR>
          </THead>
          <TBody>
            {members.map((row) => (
              <TR key={row.userId} data-testid="member-usage-row">
                <TD wrap className="min-w-28">
                  {row.name}
                </TD>
                <TD wrap className="min-w-32 text-zinc-700">
                  {row.limits.length === 0
                    ? "No limit"
                    : row.limits.map((limit) => (
                        <span key={limit.id} className="block">
                          {formatCredits(limit.credits)} · {limit.periodLabel}
                          {limit.scope !== "team" ? ` · ${names.project(limit.scope)}` : ""}
                        </span>
                      ))}
                </TD>
                <TD numeric>
                  {row.limits.length === 0
                    ? "—"
                    : row.limits.map((limit) => (
                        <span key={limit.id} className="block whitespace-nowrap">
                          {formatNumber(limit.used)} / {formatNumber(limit.remaining)}
                        </span>
                      ))}
                </TD>
                <TD numeric>{formatNumber(row.use.credits)}</TD>
                <TD numeric>{formatNumber(row.use.runs)}</TD>
                <TD numeric>{percentText(share(row.use.accepted, row.use.decided))}</TD>
                <TD numeric>{creditsText(perAccepted(row.use.credits, row.use.accepted))}</TD>
              </TR>
            ))}
          </TBody>
        </Table>
      </Card>

      <Card
        id="history"
        title={view.tab === "runs" ? "Runs" : "Transactions"}
        description={
          view.tab === "runs"
            ? "Every run of the filter with its prompt, notes and purpose. Sort by date or by credits charged."
            : "The ledger entries of the filter, newest first, with the balance after each. Entries of runs follow the run filters; grants and corrections show when no run-only filter is set."
        }
        actions={
          <>
            <ButtonLink href={exportHref("runs")} variant="secondary" size="sm" download data-testid="export-runs">
              Download runs (CSV)
            </ButtonLink>
            <ButtonLink href={exportHref("transactions")} variant="secondary" size="sm" download data-testid="export-transactions">
              Download transactions (CSV)
            </ButtonLink>
          </>
        }
        flush
      >
        <nav aria-label="History" className="flex gap-4 border-b border-zinc-200 px-4 pt-3 text-sm sm:px-5">
          {(["runs", "transactions"] as const).map((tab) => (
            <Link
              key={tab}
              href={link({ tab })}
              aria-current={view.tab === tab ? "page" : undefined}
              className={view.tab === tab ? "border-b-2 border-zinc-900 pb-2 font-semibold text-zinc-900" : "pb-2 text-zinc-600 hover:text-zinc-900"}
              scroll={false}
            >
              {tab === "runs" ? "Runs" : "Transactions"}
            </Link>
          ))}
        </nav>
        {pageError && <FormError className="px-4 pt-3 sm:px-5" message={pageError} />}
        <HistoryList list={list} team={team} usage={usage} view={view} link={link} runCount={totals.runs} />
      </Card>
    </div>
  );
}

/** Streamed after the rest of the page: the rules read more of the runs than the figures above do. */
async function UsageInsights({ team, usage }: { team: { id: string; slug: string; timeZone: string }; usage: UsageFilter }) {
  const view = await historyInsights(team, {
    from: startOfDayIn(usage.from, team.timeZone),
    to: endOfDayIn(usage.to, team.timeZone),
    projectId: usage.project,
    userId: usage.member,
  });
  return <HistoryInsights view={view} teamSlug={team.slug} headingLevel={3} />;
}

function nameOf(list: { id: string; name: string }[], missing?: string): (key: string) => string {
  const names = new Map(list.map((item) => [item.id, item.name]));
  return (key) => names.get(key) ?? missing ?? key;
}

const percentText = (value: number | null) => (value === null ? "—" : formatPercent(value));
const creditsText = (value: number | null) => (value === null ? "—" : formatNumber(value));
const acceptedText = (accepted: number, decided: number) => (decided > 0 ? `${formatPercent(share(accepted, decided)!)} accepted` : "no outcomes yet");

function Totals({ totals, net }: { totals: UsageTotals; net: number }) {
  const stageTotal = totals.byStage.test + totals.byStage.draft + totals.byStage.final;
  const figures: { label: string; value: string; hint?: string; testId: string }[] = [
    {
      label: "Credits charged",
      value: formatNumber(totals.charged),
      hint: `${formatNumber(net)} after refunds; runs still in progress are not charged yet`,
      testId: "usage-charged",
    },
    { label: "Runs", value: formatNumber(totals.runs), hint: totals.held > 0 ? `${formatNumber(totals.held)} credits held by runs in progress` : undefined, testId: "usage-runs-count" },
    {
      label: "Accepted",
      value: percentText(share(totals.accepted, totals.decided)),
      hint: totals.decided > 0 ? `${formatNumber(totals.accepted)} accepted of the ${formatNumber(totals.decided)} runs with an outcome` : "No outcomes recorded yet",
      testId: "usage-accepted",
    },
    {
      label: "Credits per accepted output",
      value: creditsText(perAccepted(net, totals.accepted)),
      hint: "Everything charged, tests and failures included, per accepted run",
      testId: "usage-per-accepted",
    },
    {
      label: "Tests / finals",
      value: stageTotal > 0 ? `${percentText(share(totals.byStage.test, stageTotal))} / ${percentText(share(totals.byStage.final, stageTotal))}` : "—",
      hint: stageTotal > 0 ? `of credits charged; drafts ${percentText(share(totals.byStage.draft, stageTotal))}` : undefined,
      testId: "usage-stage-share",
    },
    { label: "Refunds", value: formatNumber(totals.refunded), testId: "usage-refunded" },
    { label: "Overruns", value: formatNumber(totals.overruns), hint: "Runs that cost more than their estimate", testId: "usage-overruns" },
  ];
  return (
    <dl className="grid gap-2 sm:grid-cols-2 sm:gap-4 lg:grid-cols-4" data-testid="usage-totals">
      {figures.map((figure) => (
        <div key={figure.label} className="rounded-lg border border-zinc-200 bg-white px-4 py-3 shadow-sm sm:px-5">
          <dt className="text-sm text-zinc-600">{figure.label}</dt>
          <dd className="text-2xl font-semibold text-zinc-900 tabular-nums" data-testid={figure.testId}>
            {figure.value}
          </dd>
          {figure.hint && <dd className="mt-0.5 text-xs text-zinc-600">{figure.hint}</dd>}
        </div>
      ))}
    </dl>
  );
}

type HistoryListProps = {
  list: Awaited<ReturnType<typeof listUsageRuns>> | Awaited<ReturnType<typeof listUsageEntries>>;
  team: { timeZone: string };
  usage: UsageFilter;
  view: UsageView;
  link: (changes: Record<string, string | null>) => string;
  runCount: number;
};

const SORT_WORDS: Record<UsageView["sort"], string> = {
  newest: "newest first",
  oldest: "oldest first",
  credits: "most credits first",
  cheapest: "fewest credits first",
};

function HistoryList({ list, team, view, link, runCount }: HistoryListProps) {
  const pager = (
    <Pager
      label={view.tab === "runs" ? "Run pages" : "Transaction pages"}
      summary={view.tab === "runs" ? `${formatNumber(runCount)} runs, ${USAGE_PAGE_SIZE} a page, ${SORT_WORDS[view.sort]}` : `${USAGE_PAGE_SIZE} entries a page, newest first`}
      newerHref={list.newer ? `${link({ newer: list.newer })}#history` : null}
      olderHref={list.older ? `${link({ older: list.older })}#history` : null}
      words={{ newer: "Previous", older: "Next" }}
      testId="usage-pager"
    />
  );
  if ("runs" in list) {
    if (list.runs.length === 0) return <EmptyState title="No runs" text="No run matches the filter." />;
    const rows: RunRowView[] = list.runs.map((run) => ({
      id: run.id,
      date: formatDateTime(run.createdAt, team.timeZone),
      project: run.projectName,
      member: run.userName,
      model: run.modelName,
      tier: run.tier ? TIER_LABELS[run.tier as keyof typeof TIER_LABELS] : "Tool",
      stage: STAGE_LABELS[run.stage as keyof typeof STAGE_LABELS] ?? run.stage,
      purpose: PURPOSE_LABELS[run.purpose as keyof typeof PURPOSE_LABELS] ?? run.purpose,
      quantity: run.quantity,
      outcome: run.outcome ? OUTCOME_CHOICE_LABELS[run.outcome as keyof typeof OUTCOME_CHOICE_LABELS] : run.state === "held" ? "In progress" : run.state === "settled" ? "No outcome" : run.state,
      state: run.state,
      estimate: run.estimate,
      charged: run.charged,
      refunded: run.refunded,
      flags: [run.overrun ? "overrun" : "", run.overBudget ? "over budget" : ""].filter(Boolean).join(", "),
      prompt: run.prompt,
      notes: run.notes,
    }));
    return (
      <>
        <RunsTable rows={rows} sort={view.sort} />
        {pager}
      </>
    );
  }
  if (list.entries.length === 0) return <EmptyState title="No ledger entries" text="No entry matches the filter." />;
  const rows: EntryRowView[] = list.entries.map((entry) => ({
    id: entry.id.toString(),
    date: formatDateTime(entry.createdAt, team.timeZone),
    kind: LEDGER_KIND_LABELS[entry.kind as LedgerKind] ?? entry.kind,
    amount: entry.amount,
    heldDelta: entry.heldDelta,
    balanceAfter: entry.balanceAfter,
    availableAfter: entry.availableAfter,
    project: entry.projectName ?? "",
    member: entry.personName ?? "System",
    model: entry.modelName ?? "",
    reason: ledgerReasonText(entry.reason),
  }));
  return (
    <>
      <EntriesTable rows={rows} />
      {pager}
    </>
  );
}
