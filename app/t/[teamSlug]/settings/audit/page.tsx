// The team's audit log (admins): who changed what, and when.
import type { Metadata } from "next";
import Link from "next/link";
import { Forbidden } from "@/components/shell/forbidden";
import { PageHeader } from "@/components/ui/card";
import { EmptyState, TBody, TD, TH, THead, TR, Table } from "@/components/ui/table";
import { describeAuditEntry } from "@/lib/audit/describe";
import { listAuditLog } from "@/lib/audit/queries";
import { requireTeam } from "@/lib/authz/page";
import { hasRole } from "@/lib/authz/roles";
import { formatDateTime } from "@/lib/format";

export const metadata: Metadata = { title: "Audit log" };

type Props = { params: Promise<{ teamSlug: string }>; searchParams: Promise<{ page?: string }> };

export default async function AuditPage({ params, searchParams }: Props) {
  const ctx = await requireTeam((await params).teamSlug);
  if (!hasRole(ctx.role, "admin")) return <Forbidden needed="admin" have={ctx.role} />;
  const requested = Number.parseInt((await searchParams).page ?? "1", 10);
  const page = Number.isInteger(requested) && requested > 0 ? requested : 1;
  const log = await listAuditLog(ctx.team.id, page);
  const base = `/t/${ctx.team.slug}/settings/audit`;
  return (
    <div className="flex flex-col gap-6">
      <PageHeader title="Audit log" description="Every change to the team's people, settings and money, newest first." actions={<Link href={`/t/${ctx.team.slug}/settings`}>Back to settings</Link>} />
      {log.entries.length === 0 ? (
        <EmptyState title="Nothing recorded yet" />
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
      {log.pages > 1 && (
        <nav aria-label="Pages" className="flex gap-4 text-sm">
          {page > 1 && <Link href={`${base}?page=${page - 1}`}>Newer</Link>}
          <span>
            Page {page} of {log.pages}
          </span>
          {page < log.pages && <Link href={`${base}?page=${page + 1}`}>Older</Link>}
        </nav>
      )}
    </div>
  );
}
