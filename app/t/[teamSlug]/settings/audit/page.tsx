// The team's audit log (admins): who changed what, and when; filtered by person, kind of change and days.
import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader } from "@/components/ui/card";
import { DayRangeInputs, FilterButtons, RefusedFiltersNote } from "@/components/ui/filter-form";
import { FormError } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { EmptyState, TBody, TD, TH, THead, TR, Table } from "@/components/ui/table";
import { describeAuditEntry } from "@/lib/audit/describe";
import { AUDIT_KINDS, readAuditFilter } from "@/lib/audit/filters";
import { listAuditLog, parseAuditId } from "@/lib/audit/queries";
import { requireTeamRole } from "@/lib/authz/page";
import { readPageRequest } from "@/lib/db/keyset";
import { formatDateTime } from "@/lib/format";
import { listMembers } from "@/lib/teams/queries";
import { filterSearch, type UrlQuery } from "@/lib/url-query";

export const metadata: Metadata = { title: "Audit log" };

type Props = { params: Promise<{ teamSlug: string }>; searchParams: Promise<UrlQuery> };

export default async function AuditPage({ params, searchParams }: Props) {
  const ctx = await requireTeamRole((await params).teamSlug, "admin");
  const base = `/t/${ctx.team.slug}/settings/audit`;
  const query = await searchParams;
  const members = await listMembers(ctx.team.id);
  const { values, errors, filter } = readAuditFilter(query, { people: new Set(members.map((membership) => membership.user.id)) });
  // An old ?page=N link, however large, is not a cursor: it shows the newest entries.
  const { page, error: pageError } = readPageRequest(query, parseAuditId);
  const log = await listAuditLog(ctx.team, filter, page);
  const filtered = Object.keys(filter).length > 0;
  const refused = Object.keys(errors).length > 0;
  const pageHref = (direction?: "newer" | "older", cursor?: string) => {
    const search = filterSearch(filter);
    if (direction && cursor) search.set(direction, cursor);
    const text = search.toString();
    return `${base}${text ? `?${text}` : ""}`;
  };

  return (
    <div className="flex flex-col gap-6">
      <PageHeader title="Audit log" description="Every change to the team's people, settings and money, newest first." actions={<Link href={`/t/${ctx.team.slug}/settings`}>Back to settings</Link>} />
      <form method="get" action={base} className="flex flex-col gap-3" data-testid="audit-filters">
        <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
          <Select
            label="Who"
            name="actorId"
            defaultValue={values.actorId}
            error={errors.actorId}
            options={[{ value: "", label: "Everyone" }, ...members.map((membership) => ({ value: membership.user.id, label: membership.user.name }))]}
          />
          <Select
            label="Kind of change"
            name="kind"
            defaultValue={values.kind}
            error={errors.kind}
            options={[{ value: "", label: "Every kind" }, ...Object.entries(AUDIT_KINDS).map(([value, label]) => ({ value, label }))]}
          />
          <DayRangeInputs values={values} errors={errors} />
        </div>
        <FilterButtons clearHref={base} showClear={filtered || refused} />
        <RefusedFiltersNote show={refused} />
      </form>
      {pageError && <FormError message={pageError} />}
      {log.entries.length === 0 ? (
        <EmptyState
          title={filtered ? "No changes match" : "Nothing recorded yet"}
          text={page ? <Link href={pageHref()}>Back to the newest entries</Link> : undefined}
        />
      ) : (
        <Table caption="Audit log">
          <THead>
            <TR>
              <TH>When</TH>
              <TH>Who</TH>
              <TH>What</TH>
            </TR>
          </THead>
          <TBody>
            {log.entries.map((entry) => (
              <TR key={entry.id} data-testid="audit-row">
                <TD className="whitespace-nowrap">{formatDateTime(entry.createdAt, ctx.team.timeZone)}</TD>
                <TD wrap className="min-w-32">{entry.actor?.name ?? "System"}</TD>
                <TD wrap className="min-w-64">{describeAuditEntry(entry)}</TD>
              </TR>
            ))}
          </TBody>
        </Table>
      )}
      {(log.newer || log.older) && (
        <nav aria-label="Pages" className="flex gap-4 text-sm" data-testid="audit-pages">
          {log.newer && (
            <Link href={pageHref("newer", log.newer)} rel="prev">
              Newer
            </Link>
          )}
          {log.older && (
            <Link href={pageHref("older", log.older)} rel="next">
              Older
            </Link>
          )}
        </nav>
      )}
    </div>
  );
}
