// Credits (admins): the team's totals, grants and corrections, the low-balance alert, member limits and the ledger.
import type { Metadata } from "next";
import Link from "next/link";
import { AdjustmentForm } from "@/components/ledger/adjustment-form";
import { CreditFigures } from "@/components/ledger/credit-figures";
import { GrantForm } from "@/components/ledger/grant-form";
import { LEDGER_KINDS, LEDGER_KIND_LABELS, PERIOD_SHORT, WEEKDAYS } from "@/components/ledger/labels";
import { LowBalanceForm } from "@/components/ledger/low-balance-form";
import { MemberLimitForm, RemoveMemberLimitButton } from "@/components/ledger/member-limits";
import { Forbidden } from "@/components/shell/forbidden";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { Button, ButtonLink } from "@/components/ui/button";
import { Card, PageHeader } from "@/components/ui/card";
import { FormError, Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { EmptyState, TBody, TD, TH, THead, TR, Table } from "@/components/ui/table";
import { requireTeam } from "@/lib/authz/page";
import { hasRole } from "@/lib/authz/roles";
import { formatDate, formatDateTime, formatNumber, formatSignedNumber } from "@/lib/format";
import { creditSummary, listGrants, listLedger, listMemberLimits, type LedgerFilter } from "@/lib/ledger/queries";
import { ledgerFilterSchema } from "@/lib/ledger/schema";
import { listProjects } from "@/lib/projects/queries";
import { listMembers } from "@/lib/teams/queries";

export const metadata: Metadata = { title: "Credits" };

type Query = Record<string, string | string[] | undefined>;
type Props = { params: Promise<{ teamSlug: string }>; searchParams: Promise<Query> };

const FILTER_KEYS = ["projectId", "actorId", "kind", "from", "to"] as const;
type FilterKey = (typeof FILTER_KEYS)[number];

const KIND_TONES: Record<(typeof LEDGER_KINDS)[number], BadgeTone> = {
  grant: "green",
  hold: "blue",
  release: "neutral",
  charge: "amber",
  refund: "green",
  adjustment: "neutral",
  expiry: "red",
};

function single(value: string | string[] | undefined): string {
  return (Array.isArray(value) ? value[0] : value)?.trim() ?? "";
}

// "2026-02-31" has the right shape but is no day; the calendar must give the same date back.
function isRealDate(date: string): boolean {
  const parsed = new Date(`${date}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === date;
}

/** The ledger filter from the address, field by field: a bad value is reported at its field and left out. */
function readLedgerFilter(query: Query, known: { projects: Set<string>; people: Set<string> }) {
  const values: Record<FilterKey, string> = { projectId: "", actorId: "", kind: "", from: "", to: "" };
  const errors: Partial<Record<FilterKey, string>> = {};
  const filter: LedgerFilter = {};
  for (const key of FILTER_KEYS) {
    const value = single(query[key]);
    values[key] = value;
    if (!value) continue;
    const parsed = ledgerFilterSchema.shape[key].safeParse(value);
    if (!parsed.success) {
      errors[key] = key === "kind" ? `“${value}” is not a kind of ledger entry.` : (parsed.error.issues[0]?.message ?? "This value cannot be used.");
    } else if ((key === "from" || key === "to") && !isRealDate(value)) {
      errors[key] = `${value} is not a day in the calendar.`;
    } else if (key === "projectId" && !known.projects.has(value)) {
      errors[key] = "That project is not in this team.";
    } else if (key === "actorId" && !known.people.has(value)) {
      errors[key] = "That person is not in this team.";
    } else {
      Object.assign(filter, { [key]: parsed.data });
    }
  }
  if (filter.from && filter.to && filter.from > filter.to) {
    errors.to = "The end date is before the start date.";
    delete filter.to;
  }
  const pageText = single(query.page);
  const page = /^\d{1,6}$/.test(pageText) && Number(pageText) >= 1 ? Number(pageText) : 1;
  return { values, errors, filter, page };
}

export default async function CreditsPage({ params, searchParams }: Props) {
  const ctx = await requireTeam((await params).teamSlug);
  if (!hasRole(ctx.role, "admin")) return <Forbidden needed="admin" have={ctx.role} />;
  const { team } = ctx;
  const base = `/t/${team.slug}/credits`;

  const [credits, grants, limits, members, allProjects] = await Promise.all([
    creditSummary(team.id),
    listGrants(team.id),
    listMemberLimits(team),
    listMembers(team.id),
    listProjects(team.id, "include"),
  ]);
  const activeProjects = allProjects.filter((project) => project.archivedAt === null);
  const projectName = new Map(allProjects.map((project) => [project.id, project.name]));
  const people = members.map((membership) => ({ id: membership.user.id, name: membership.user.name }));

  const { values, errors, filter, page } = readLedgerFilter(await searchParams, {
    projects: new Set(allProjects.map((project) => project.id)),
    people: new Set(people.map((person) => person.id)),
  });
  const ledger = await listLedger(team, filter, page);
  const filtered = Object.keys(filter).length > 0;
  const pageHref = (target: number) => {
    const search = new URLSearchParams();
    for (const key of FILTER_KEYS) if (filter[key]) search.set(key, String(filter[key]));
    if (target > 1) search.set("page", String(target));
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

      <Card id="grants" title="Grants" description="Runs spend the grant that expires first." flush>
        {grants.length === 0 ? (
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
                  <TD numeric>{formatNumber(grant.remaining)}</TD>
                  <TD>{grant.source}</TD>
                  <TD wrap className="min-w-40 text-zinc-600">{grant.note || "—"}</TD>
                  <TD className="whitespace-nowrap">
                    <GrantExpiry grant={grant} now={now} timeZone={team.timeZone} />
                  </TD>
                </TR>
              ))}
            </TBody>
          </Table>
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
            <Select
              label="Project"
              name="projectId"
              defaultValue={values.projectId}
              error={errors.projectId}
              options={[{ value: "", label: "Every project" }, ...allProjects.map((project) => ({ value: project.id, label: project.name }))]}
            />
            <Select
              label="Who"
              name="actorId"
              defaultValue={values.actorId}
              error={errors.actorId}
              options={[{ value: "", label: "Everyone" }, ...people.map((person) => ({ value: person.id, label: person.name }))]}
            />
            <Select
              label="Kind"
              name="kind"
              defaultValue={values.kind}
              error={errors.kind}
              options={[{ value: "", label: "Every kind" }, ...LEDGER_KINDS.map((kind) => ({ value: kind, label: LEDGER_KIND_LABELS[kind] }))]}
            />
            <Input label="From" name="from" type="date" defaultValue={values.from} error={errors.from} />
            <Input label="To" name="to" type="date" defaultValue={values.to} error={errors.to} />
          </div>
          <div className="flex gap-2">
            <Button type="submit" variant="secondary">
              Filter
            </Button>
            {(filtered || Object.keys(errors).length > 0) && (
              <ButtonLink href={`${base}#ledger`} variant="ghost">
                Clear
              </ButtonLink>
            )}
          </div>
          {Object.keys(errors).length > 0 && <FormError message="Some filters could not be used and were left out; see the fields above." />}
        </form>
        {ledger.entries.length === 0 ? (
          <EmptyState title={filtered ? "No entries match" : "No entries yet"} text={page > 1 ? <Link href={pageHref(1)}>Back to the first page</Link> : undefined} />
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
                  <TD wrap className="min-w-40 text-zinc-700">{entry.reason || "—"}</TD>
                </TR>
              ))}
            </TBody>
          </Table>
        )}
        <nav aria-label="Ledger pages" className="flex flex-wrap items-center justify-between gap-3 border-t border-zinc-200 px-4 py-3 text-sm sm:px-5">
          <span className="text-zinc-600" data-testid="ledger-count">
            {formatNumber(ledger.total)} {ledger.total === 1 ? "entry" : "entries"} · page {Math.min(page, ledger.pages)} of {ledger.pages}
          </span>
          <span className="flex gap-2">
            {page > 1 && (
              <ButtonLink href={pageHref(Math.min(page - 1, ledger.pages))} variant="secondary" size="sm" rel="prev">
                Newer
              </ButtonLink>
            )}
            {page < ledger.pages && (
              <ButtonLink href={pageHref(page + 1)} variant="secondary" size="sm" rel="next">
                Older
              </ButtonLink>
            )}
          </span>
        </nav>
      </Card>
    </div>
  );
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
