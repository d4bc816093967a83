// Credits (admins): the team's totals, grants and corrections, the low-balance alert, member limits and the ledger.
import type { Metadata } from "next";
import Link from "next/link";
import { AdjustmentForm } from "@/components/ledger/adjustment-form";
import { CreditFigures } from "@/components/ledger/credit-figures";
import { GrantForm } from "@/components/ledger/grant-form";
import { LEDGER_KINDS, LEDGER_KIND_LABELS, PERIOD_SHORT, WEEKDAYS } from "@/components/ledger/labels";
import { LowBalanceForm } from "@/components/ledger/low-balance-form";
import { MemberLimitForm, RemoveMemberLimitButton } from "@/components/ledger/member-limits";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { ButtonLink } from "@/components/ui/button";
import { Card, PageHeader } from "@/components/ui/card";
import { ChoiceFilter, DayRangeInputs, FilterButtons, RefusedFiltersNote } from "@/components/ui/filter-form";
import { FormError } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { EmptyState, TBody, TD, TH, THead, TR, Table } from "@/components/ui/table";
import { requireTeamRole } from "@/lib/authz/page";
import { formatDate, formatDateTime, formatNumber, formatSignedNumber } from "@/lib/format";
import { readPageRequest } from "@/lib/db/keyset";
import { ledgerReasonText } from "@/lib/ledger/alerts";
import { readLedgerFilter } from "@/lib/ledger/filters";
import { creditSummary, listGrants, listLedger, listMemberLimits, parseLedgerId } from "@/lib/ledger/queries";
import { listProjects } from "@/lib/projects/queries";
import { listMembers } from "@/lib/teams/queries";
import { filterSearch, type UrlQuery } from "@/lib/url-query";

export const metadata: Metadata = { title: "Credits" };

type Props = { params: Promise<{ teamSlug: string }>; searchParams: Promise<UrlQuery> };

const KIND_TONES: Record<(typeof LEDGER_KINDS)[number], BadgeTone> = {
  grant: "green",
  hold: "blue",
  release: "neutral",
  charge: "amber",
  refund: "green",
  adjustment: "neutral",
  expiry: "red",
};

export default async function CreditsPage({ params, searchParams }: Props) {
  const ctx = await requireTeamRole((await params).teamSlug, "admin");
  const { team } = ctx;
  const base = `/t/${team.slug}/credits`;

  const [credits, { grants, corrections }, limits, members, allProjects] = await Promise.all([
    creditSummary(team.id),
    listGrants(team.id),
    listMemberLimits(team),
    listMembers(team.id),
    listProjects(team.id, "include"),
  ]);
  const activeProjects = allProjects.filter((project) => project.archivedAt === null);
  const projectName = new Map(allProjects.map((project) => [project.id, project.name]));
  const people = members.map((membership) => ({ id: membership.user.id, name: membership.user.name }));

  const query = await searchParams;
  const { values, errors, filter } = readLedgerFilter(query, {
    projects: new Set(allProjects.map((project) => project.id)),
    people: new Set(people.map((person) => person.id)),
  });
  const { page, error: pageError } = readPageRequest(query, parseLedgerId);
  const ledger = await listLedger(team, filter, page);
  const filtered = Object.keys(filter).length > 0;
  const pageHref = (direction?: "newer" | "older", cursor?: string) => {
    const search = filterSearch(filter);
    if (direction && cursor) search.set(direction, cursor);
    const text = search.toString();
    return `${base}${text ? `?${text}` : ""}#ledger`;
  };
  const now = new Date();

  return (
    <div className="flex flex-col gap-6">
      <PageHeader
        title="Credits"
        description="What the team has to spend, where it came from and every movement since. Corrections are new entries; nothing is edited."
      />
      <nav aria-label="On this page" className="-mt-2 flex flex-wrap gap-x-4 gap-y-1 text-sm">
        <a href="#grants">Grants</a>
        <a href="#limits">Member limits</a>
        <a href="#ledger">Ledger</a>
      </nav>

      <CreditFigures credits={credits} />

      <div className="grid gap-6 lg:grid-cols-2">
        <Card title="Add credits" description="A grant from the platform: the monthly pool, a top-up or a promotion.">
          <GrantForm teamSlug={team.slug} timeZone={team.timeZone} />
        </Card>
        <div className="flex flex-col gap-6">
          <Card title="Correct the balance" description="When the platform and the ledger disagree: a signed correction with its reason.">
            <AdjustmentForm teamSlug={team.slug} />
          </Card>
          <Card
            title="Low-balance alert"
            description={
              credits.lowBalanceThreshold === null
                ? "Off: no alert when credits run low."
                : `Admins are alerted when fewer than ${formatNumber(credits.lowBalanceThreshold)} credits are available.`
            }
          >
            <LowBalanceForm teamSlug={team.slug} threshold={credits.lowBalanceThreshold} />
          </Card>
        </div>
      </div>

      <Card
        id="grants"
        title="Grants"
        description="Runs hold and spend the grant that expires first. Credits a run holds stay its own if their grant expires meanwhile."
        flush
      >
        {grants.length === 0 && corrections.amount === 0 ? (
          <EmptyState title="No grants yet" text="Add the team's first credits above." />
        ) : (
          <Table caption="Grants">
            <THead>
              <TR>
                <TH>Added</TH>
                <TH numeric>Credits</TH>
                <TH numeric>Left</TH>
                <TH>Source</TH>
                <TH>Note</TH>
                <TH>Usable until</TH>
              </TR>
            </THead>
            <TBody>
              {grants.map((grant) => (
                <TR key={grant.id} data-testid="grant-row">
                  <TD className="whitespace-nowrap">{formatDate(grant.createdAt, team.timeZone)}</TD>
                  <TD numeric>{formatNumber(grant.amount)}</TD>
                  <TD numeric>
                    <GrantLeft grant={grant} now={now} />
                  </TD>
                  <TD>{grant.source}</TD>
                  <TD wrap className="min-w-40 text-zinc-600">{grant.note || "—"}</TD>
                  <TD className="whitespace-nowrap">
                    <GrantExpiry grant={grant} now={now} timeZone={team.timeZone} />
                  </TD>
                </TR>
              ))}
              {corrections.amount > 0 && (
                <TR data-testid="grant-row-corrections">
                  <TD className="text-zinc-600">—</TD>
                  <TD numeric>{formatNumber(corrections.amount)}</TD>
                  <TD numeric>
                    <GrantLeft grant={{ ...corrections, expiresAt: null, expiredAt: null }} now={now} />
                  </TD>
                  <TD>Corrections and refunds</TD>
                  <TD wrap className="min-w-40 text-zinc-600">Added by positive adjustments and refunds; see the ledger for each.</TD>
                  <TD className="whitespace-nowrap text-zinc-600">No expiry</TD>
                </TR>
              )}
            </TBody>
          </Table>
        )}
        {credits.debt > 0 && (
          <p className="border-t border-zinc-200 px-4 py-3 text-sm text-zinc-700 sm:px-5" data-testid="grants-debt">
            The team owes {formatNumber(credits.debt)} credits it used beyond its grants; the next credits to come in pay this first.
          </p>
        )}
      </Card>

      <Card
        id="limits"
        title="Member limits"
        description="A ceiling for one person, in one project or across the team, on top of the project budgets."
        flush
      >
        {limits.length === 0 ? (
          <EmptyState title="No member limits" text="Everyone can spend up to the project budgets and the team's credits." />
        ) : (
          <Table caption="Member limits">
            <THead>
              <TR>
                <TH>Member</TH>
                <TH>Applies to</TH>
                <TH numeric>Used</TH>
                <TH numeric>Limit</TH>
                <TH>Period</TH>
                <TH className="text-right">Remove</TH>
              </TR>
            </THead>
            <TBody>
              {limits.map((limit) => {
                const scope = limit.scope === "team" ? "Whole team" : (projectName.get(limit.scope) ?? "A removed project");
                const period = `${PERIOD_SHORT[limit.period]}${limit.period === "week" ? `, from ${WEEKDAYS[limit.weekStartsOn]}` : ""}`;
                return (
                  <TR key={limit.id} data-testid="limit-row">
                    <TD wrap className="min-w-32 font-medium">{limit.user.name}</TD>
                    <TD wrap className="min-w-32">{scope}</TD>
                    <TD numeric>{formatNumber(limit.used)}</TD>
                    <TD numeric>{formatNumber(limit.credits)}</TD>
                    <TD>{period}</TD>
                    <TD className="text-right">
                      <RemoveMemberLimitButton
                        teamSlug={team.slug}
                        limitId={limit.id}
                        description={`${limit.user.name} can then spend in ${scope === "Whole team" ? "the team" : scope} up to the budgets and the team's credits.`}
                      />
                    </TD>
                  </TR>
                );
              })}
            </TBody>
          </Table>
        )}
        <div className="border-t border-zinc-200 px-4 py-4 sm:px-5">
          <h3 className="mb-3 text-sm font-semibold text-zinc-900">Set a limit</h3>
          <MemberLimitForm teamSlug={team.slug} members={people} projects={activeProjects.map(({ id, name }) => ({ id, name }))} />
        </div>
      </Card>

      <Card id="ledger" title="Ledger" description="Every credit movement, newest first, with the totals after it." flush>
        <form method="get" action={`${base}#ledger`} className="flex flex-col gap-3 border-b border-zinc-200 px-4 py-4 sm:px-5" data-testid="ledger-filters">
          <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-5">
            <ChoiceFilter label="Project" name="projectId" anyLabel="Every project" choices={allProjects} value={values.projectId} error={errors.projectId} />
            <ChoiceFilter label="Who" name="actorId" anyLabel="Everyone" choices={people} value={values.actorId} error={errors.actorId} />
            <Select
              label="Kind"
              name="kind"
              defaultValue={values.kind}
              error={errors.kind}
              options={[{ value: "", label: "Every kind" }, ...LEDGER_KINDS.map((kind) => ({ value: kind, label: LEDGER_KIND_LABELS[kind] }))]}
            />
            <DayRangeInputs values={values} errors={errors} />
          </div>
          <FilterButtons clearHref={`${base}#ledger`} showClear={filtered || Object.keys(errors).length > 0} />
          <RefusedFiltersNote show={Object.keys(errors).length > 0} />
        </form>
        {pageError && <FormError className="mx-4 mt-4 sm:mx-5" message={pageError} />}
        {ledger.entries.length === 0 ? (
          <EmptyState
            title={filtered ? "No entries match" : "No entries yet"}
            text={page ? <Link href={pageHref()}>Back to the newest entries</Link> : undefined}
          />
        ) : (
          <Table caption="Ledger entries">
            <THead>
              <TR>
                <TH>Time</TH>
                <TH>Kind</TH>
                <TH numeric>Amount</TH>
                <TH numeric>Held change</TH>
                <TH numeric>Balance after</TH>
                <TH numeric>Available after</TH>
                <TH>Project</TH>
                <TH>Who</TH>
                <TH>Reason</TH>
              </TR>
            </THead>
            <TBody>
              {ledger.entries.map((entry) => (
                <TR key={entry.id} data-testid="ledger-row" data-kind={entry.kind}>
                  <TD className="whitespace-nowrap">{formatDateTime(entry.createdAt, team.timeZone)}</TD>
                  <TD>
                    <Badge tone={KIND_TONES[entry.kind]}>{LEDGER_KIND_LABELS[entry.kind]}</Badge>
                  </TD>
                  <TD numeric>{formatSignedNumber(entry.amount)}</TD>
                  <TD numeric className="text-zinc-600">
                    {formatSignedNumber(entry.heldDelta)}
                  </TD>
                  <TD numeric>{formatNumber(entry.balanceAfter)}</TD>
                  <TD numeric>{formatNumber(entry.availableAfter)}</TD>
                  <TD wrap className="min-w-28">
                    {entry.projectId && entry.projectName ? (
                      <Link href={`/t/${team.slug}/projects/${entry.projectId}`}>{entry.projectName}</Link>
                    ) : (
                      "—"
                    )}
                  </TD>
                  <TD wrap className="min-w-28">{entry.actorName}</TD>
                  <TD wrap className="min-w-40 text-zinc-700">{ledgerReasonText(entry.reason) || "—"}</TD>
                </TR>
              ))}
            </TBody>
          </Table>
        )}
        <nav aria-label="Ledger pages" className="flex flex-wrap items-center justify-between gap-3 border-t border-zinc-200 px-4 py-3 text-sm sm:px-5">
          <span className="text-zinc-600" data-testid="ledger-count">
            {matchingText(ledger.entries.length, ledger.matching)}
          </span>
          <span className="flex gap-2">
            {ledger.newer && (
              <ButtonLink href={pageHref("newer", ledger.newer)} variant="secondary" size="sm" rel="prev">
                Newer
              </ButtonLink>
            )}
            {ledger.older && (
              <ButtonLink href={pageHref("older", ledger.older)} variant="secondary" size="sm" rel="next">
                Older
              </ButtonLink>
            )}
          </span>
        </nav>
      </Card>
    </div>
  );
}

/** What is left of a grant; after its expiry only what runs in progress hold of it. */
function GrantLeft({ grant, now }: { grant: { remaining: number; held: number; expiresAt: Date | null; expiredAt: Date | null }; now: Date }) {
  const expired = grant.expiredAt !== null || (grant.expiresAt !== null && grant.expiresAt <= now);
  const left = expired ? grant.held : grant.remaining;
  return (
    <span className="flex flex-col items-end">
      <span>{formatNumber(left)}</span>
      {grant.held > 0 ? <span className="text-xs text-zinc-600">{formatNumber(grant.held)} held for runs</span> : null}
    </span>
  );
}

/** "Showing 100 of 354 entries": the count is bounded, so past the bound it says "more than". */
function matchingText(shown: number, matching: { count: number; more: boolean }): string {
  if (matching.count === 0) return "No entries";
  const of = matching.more ? `more than ${formatNumber(matching.count)}` : formatNumber(matching.count);
  return `Showing ${formatNumber(shown)} of ${of} ${matching.count === 1 && !matching.more ? "entry" : "entries"}`;
}

function GrantExpiry({
  grant,
  now,
  timeZone,
}: {
  grant: { expiresAt: Date | null; expiredAt: Date | null };
  now: Date;
  timeZone: string;
}) {
  if (!grant.expiresAt) return <span className="text-zinc-600">No expiry</span>;
  // expiresAt is the first instant after the last usable day; people think in that last day.
  const lastDay = formatDate(new Date(grant.expiresAt.getTime() - 1), timeZone);
  if (grant.expiredAt || grant.expiresAt <= now) {
    return (
      <span className="flex items-center gap-2">
        <Badge tone="red">Expired</Badge> {lastDay}
      </span>
    );
  }
  return <span>{lastDay}</span>;
}
