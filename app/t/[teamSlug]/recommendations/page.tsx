// Every open finding across the team's active batches, largest saving first, with what they could save together,
// filters by project and rule, apply and dismiss from the list, what each rule means, and what the last 90 days of
// the team's runs teach (insights from history).
import type { Metadata } from "next";
import Link from "next/link";
import { FindingList } from "@/components/batches/finding-list";
import { listedFinding } from "@/components/batches/listed-finding";
import { FocusKeeper } from "@/components/batches/focus-keeper";
import { HistoryInsights } from "@/components/usage/history-insights";
import { Card, PageHeader } from "@/components/ui/card";
import { ChoiceFilter, FilterButtons, RefusedFiltersNote } from "@/components/ui/filter-form";
import { Select } from "@/components/ui/select";
import { EmptyState } from "@/components/ui/table";
import { requireTeam } from "@/lib/authz/page";
import { hasRole } from "@/lib/authz/roles";
import { readFindingFilter } from "@/lib/batches/filters";
import { teamFindings } from "@/lib/batches/queries";
import { formatCredits, formatNumber } from "@/lib/format";
import { listProjects } from "@/lib/projects/queries";
import { RULES } from "@/lib/recommendations";
import { RULE_IDS } from "@/lib/recommendations/types";
import { firstValue, type UrlQuery } from "@/lib/url-query";
import { appNow } from "@/lib/clock";
import { historyDays } from "@/lib/usage/insights";

export const metadata: Metadata = { title: "Recommendations" };

/** Days of history the "From your history" section covers, today included. */
const HISTORY_DAYS = 90;

/** Findings shown per kind before "show all". */
const FINDINGS_SHOWN = 50;

type Props = { params: Promise<{ teamSlug: string }>; searchParams: Promise<UrlQuery> };

export default async function RecommendationsPage({ params, searchParams }: Props) {
  const { teamSlug } = await params;
  const ctx = await requireTeam(teamSlug);
  const { team } = ctx;
  const projects = await listProjects(team.id);
  const query = await searchParams;
  const { values, errors, filter } = readFindingFilter(query, { projects: new Set(projects.map((project) => project.id)) });
  const showAll = firstValue(query.all) === "1";
  const now = appNow();
  const [{ findings, saved: couldSave }, history] = await Promise.all([teamFindings(team.id, filter), historyDays(team, HISTORY_DAYS, now)]);
  const canEdit = hasRole(ctx.role, "member");
  const base = `/t/${team.slug}/recommendations`;
  const filtered = Boolean(filter.projectId || filter.rule);
  const refused = Object.keys(errors).length > 0;
  const savings = findings.filter((finding) => finding.kind === "saving");
  const others = findings.filter((finding) => finding.kind !== "saving");
  const savedOneByOne = savings.reduce((sum, finding) => sum + finding.saved, 0);
  const listed = (list: typeof findings) =>
    (showAll ? list : list.slice(0, FINDINGS_SHOWN)).map((finding) =>
      listedFinding(finding, {
        batchId: finding.batchId,
        itemTitle: finding.itemTitle,
        where: { label: `${finding.batchName} · ${finding.projectName}`, href: `/t/${team.slug}/batches/${finding.batchId}` },
      }),
    );
  const hidden = showAll ? 0 : Math.max(0, savings.length - FINDINGS_SHOWN) + Math.max(0, others.length - FINDINGS_SHOWN);
  const allHref = `${base}?${new URLSearchParams({ ...(filter.projectId ? { projectId: filter.projectId } : {}), ...(filter.rule ? { rule: filter.rule } : {}), all: "1" })}`;

  return (
    <FocusKeeper className="flex flex-col gap-6">
      <PageHeader
        title="Recommendations"
        description="What the planning rules would change in the team's batches still to do, with the credits each change saves at the team's own prices."
      />
      <Card
        title="Open findings"
        description={
          <span data-testid="team-could-save">
            {savings.length > 0
              ? `${formatNumber(savings.length)} saving${savings.length === 1 ? "" : "s"}; applying them all would save ${formatCredits(couldSave)}${
                  savedOneByOne > couldSave ? " (less than the figures added up: some change the same item)" : ""
                }.`
              : "No savings open."}
          </span>
        }
        flush
      >
        <form method="get" action={base} className="flex flex-col gap-3 border-b border-zinc-200 px-4 py-4 sm:flex-row sm:items-end sm:px-5" data-testid="finding-filters">
          <ChoiceFilter label="Project" name="projectId" anyLabel="Every project" fieldClassName="sm:w-56" choices={projects} value={values.projectId} error={errors.projectId} />
          <Select
            label="Rule"
            name="rule"
            fieldClassName="sm:w-64"
            defaultValue={values.rule}
            error={errors.rule}
            options={[{ value: "", label: "Every rule" }, ...RULE_IDS.map((rule) => ({ value: rule, label: RULES[rule].title }))]}
          />
          <FilterButtons clearHref={base} showClear={filtered || refused} />
        </form>
        <RefusedFiltersNote show={refused} className="mx-4 mt-4 sm:mx-5" />
        {findings.length === 0 ? (
          <EmptyState title={filtered ? "No findings match" : "No open findings"} text={filtered ? undefined : "Every batch still to do is planned as the rules would plan it."} />
        ) : (
          <>
            {savings.length > 0 && <FindingList teamSlug={team.slug} findings={listed(savings)} canEdit={canEdit} />}
            {others.length > 0 && (
              <div className="border-t border-zinc-200">
                <h3 className="px-4 pt-4 text-sm font-semibold text-zinc-900 sm:px-5">Quality warnings and advice</h3>
                <FindingList teamSlug={team.slug} findings={listed(others)} canEdit={canEdit} />
              </div>
            )}
            {hidden > 0 && (
              <p className="border-t border-zinc-200 px-4 py-3 text-sm sm:px-5">
                The largest {FINDINGS_SHOWN} of each kind are shown. <Link href={allHref}>Show all {formatNumber(findings.length)} findings</Link>
              </p>
            )}
          </>
        )}
      </Card>
      <section aria-labelledby="history-heading" className="flex flex-col gap-3" data-testid="from-history">
        <div>
          <h2 id="history-heading" className="text-lg font-semibold text-zinc-900">
            From your history
          </h2>
          <p className="mt-0.5 max-w-prose text-sm text-zinc-600">
            What the team&apos;s runs of the last {HISTORY_DAYS} days teach, priced at the price list each run was charged at.{" "}
            <Link href={`/t/${team.slug}/usage`}>Look into the usage</Link>
          </p>
        </div>
        <HistoryInsights view={history} teamSlug={team.slug} headingLevel={3} />
      </section>
      <Card title="The rules">
        <dl className="grid gap-4 sm:grid-cols-2">
          {RULE_IDS.map((rule) => (
            <div key={rule}>
              <dt className="text-sm font-semibold text-zinc-900">{RULES[rule].title}</dt>
              <dd className="mt-0.5 text-sm text-zinc-700">{RULES[rule].explanation}</dd>
            </div>
          ))}
        </dl>
      </Card>
    </FocusKeeper>
  );
}
