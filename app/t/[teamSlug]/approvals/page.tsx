// Approvals: what waits for my decision, what I asked for, and (admins) every request of the team; filtered and paged.
import type { Metadata } from "next";
import Link from "next/link";
import { forbidden } from "next/navigation";
import { REQUEST_STATE_LABELS, REQUEST_STATE_TONES, REQUEST_VIEW_LABELS } from "@/components/approvals/labels";
import { NewRequestDialog } from "@/components/approvals/new-request-form";
import { STAGE_SHORT } from "@/components/ledger/labels";
import { Badge } from "@/components/ui/badge";
import { Card, PageHeader } from "@/components/ui/card";
import { ChoiceFilter, DayRangeInputs, FilterButtons, RefusedFiltersNote } from "@/components/ui/filter-form";
import { FormError } from "@/components/ui/input";
import { matchingText, Pager } from "@/components/ui/pager";
import { Select } from "@/components/ui/select";
import { EmptyState, TBody, TD, TH, THead, TR, Table } from "@/components/ui/table";
import { readRequestFilter, readRequestView, REQUEST_VIEWS, type RequestView } from "@/lib/approvals/request-filters";
import { listRequests, parseRequestId, type RequestListRow } from "@/lib/approvals/request-queries";
import { REQUEST_STATES } from "@/lib/approvals/requests";
import { requireTeam } from "@/lib/authz/page";
import { hasRole } from "@/lib/authz/roles";
import { readPageRequest } from "@/lib/db/keyset";
import { formatDateTime, formatNumber } from "@/lib/format";
import { priceListInForce } from "@/lib/price-lists/queries";
import { listProjects } from "@/lib/projects/queries";
import { listMembers } from "@/lib/teams/queries";
import { filterSearch, type UrlQuery } from "@/lib/url-query";

export const metadata: Metadata = { title: "Approvals" };

type Props = { params: Promise<{ teamSlug: string }>; searchParams: Promise<UrlQuery> };

const EMPTY: Record<RequestView, { title: string; approver: string; other: string; viewer: string }> = {
  waiting: {
    title: "Nothing is waiting for you",
    approver: "When someone asks for approval of a run you may decide, it shows here, and the number appears beside Approvals.",
    other: "Approvers decide requests. Your own requests are under My requests.",
    viewer: "Viewers read requests but neither ask for nor decide them; someone in the team can send you the link to one.",
  },
  mine: {
    title: "You have not asked for an approval",
    approver: "When the project page answers “needs approval”, request it there, or use New request above.",
    other: "When the project page answers “needs approval”, request it there, or use New request above.",
    viewer: "Viewers do not ask for approvals: members and above do, from the project page or with New request.",
  },
  all: { title: "No requests yet", approver: "Requests appear here once members ask for approval of a run.", other: "", viewer: "" },
};

export default async function ApprovalsPage({ params, searchParams }: Props) {
  const ctx = await requireTeam((await params).teamSlug);
  const { team } = ctx;
  const base = `/t/${team.slug}/approvals`;
  const query = await searchParams;
  const view = readRequestView(query);
  const isAdmin = hasRole(ctx.role, "admin");
  if (view === "all" && !isAdmin) forbidden();
  const canAsk = hasRole(ctx.role, "member");

  const [allProjects, members] = await Promise.all([listProjects(team.id, "include"), listMembers(team.id)]);
  const { values, errors, filter } = readRequestFilter(query, {
    projects: new Set(allProjects.map((project) => project.id)),
    people: new Set(members.map((membership) => membership.user.id)),
  });
  const { page, error: pageError } = readPageRequest(query, parseRequestId);
  const activeProjects = allProjects.filter((project) => project.archivedAt === null);
  const [list, inForce] = await Promise.all([listRequests(ctx, view, filter, page), canAsk && activeProjects.length > 0 ? priceListInForce(team.id) : null]);

  const filtered = Object.keys(filter).length > 0;
  const refused = Object.keys(errors).length > 0;
  const href = (search: URLSearchParams) => `${base}${search.size ? `?${search}` : ""}`;
  const viewHref = (target: RequestView) => href(new URLSearchParams(target === "waiting" ? {} : { view: target }));
  const pageHref = (direction: "newer" | "older", cursor: string) => {
    const search = filterSearch({ ...(view === "waiting" ? {} : { view }), ...filter });
    search.set(direction, cursor);
    return href(search);
  };
  const views = REQUEST_VIEWS.filter((each) => each !== "all" || isAdmin);
  const empty = EMPTY[view];

  return (
    <div className="flex flex-col gap-6">
      <PageHeader
        title="Approvals"
        description="Runs the team's policy holds back until someone else approves them. An approval holds the credits until the run happens or the approval expires."
        actions={
          canAsk && inForce ? (
            <NewRequestDialog teamSlug={team.slug} projects={activeProjects.map(({ id, name }) => ({ id, name }))} priceList={inForce.priceList} />
          ) : undefined
        }
      />

      <nav aria-label="Approval views" className="-mb-2 flex flex-wrap gap-1 border-b border-zinc-200">
        {views.map((each) => (
          <Link
            key={each}
            href={viewHref(each)}
            aria-current={each === view ? "page" : undefined}
            className="-mb-px border-b-2 border-transparent px-3 py-2 text-sm font-medium text-zinc-600 no-underline hover:text-zinc-900 aria-[current=page]:border-brand-600 aria-[current=page]:text-zinc-900"
          >
            {REQUEST_VIEW_LABELS[each]}
          </Link>
        ))}
      </nav>

      <Card flush>
        <form method="get" action={base} className="flex flex-col gap-3 border-b border-zinc-200 px-4 py-4 sm:px-5" data-testid="approval-filters">
          {view !== "waiting" && <input type="hidden" name="view" value={view} />}
          <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-5">
            <Select
              label="State"
              name="state"
              defaultValue={values.state}
              error={errors.state}
              options={[{ value: "", label: "Any state" }, ...REQUEST_STATES.map((state) => ({ value: state, label: REQUEST_STATE_LABELS[state] }))]}
            />
            <ChoiceFilter label="Project" name="projectId" anyLabel="Every project" choices={allProjects} value={values.projectId} error={errors.projectId} />
            <ChoiceFilter
              label="Requester"
              name="requesterId"
              anyLabel="Anyone"
              choices={members.map((membership) => membership.user)}
              value={values.requesterId}
              error={errors.requesterId}
            />
            <DayRangeInputs values={values} errors={errors} />
          </div>
          <FilterButtons clearHref={viewHref(view)} showClear={filtered || refused} />
          <RefusedFiltersNote show={refused} />
        </form>
        {pageError && <FormError className="mx-4 mt-4 sm:mx-5" message={pageError} />}
        {list.rows.length === 0 ? (
          filtered ? (
            <EmptyState title="No requests match" text={<Link href={viewHref(view)}>Clear the filter</Link>} />
          ) : (
            <EmptyState
              title={empty.title}
              text={
                page ? <Link href={viewHref(view)}>Back to the newest requests</Link> : !canAsk ? empty.viewer || empty.other : hasRole(ctx.role, "approver") || view === "mine" ? empty.approver : empty.other || empty.approver
              }
            />
          )
        ) : (
          <RequestsTable rows={list.rows} base={base} timeZone={team.timeZone} />
        )}
        <Pager
          label="Request pages"
          testId="approval-pages"
          summary={matchingText(list.rows.length, list.matching, { one: "request", many: "requests" })}
          newerHref={list.newer ? pageHref("newer", list.newer) : null}
          olderHref={list.older ? pageHref("older", list.older) : null}
        />
      </Card>
    </div>
  );
}

function RequestsTable({ rows, base, timeZone }: { rows: RequestListRow[]; base: string; timeZone: string }) {
  return (
    <Table caption="Approval requests">
      <THead>
        <TR>
          {/* The run first: it links to the request, and on a phone it is what shows before scrolling. */}
          <TH>Run</TH>
          <TH numeric>Estimate</TH>
          <TH>State</TH>
          <TH>Requester</TH>
          <TH>Project</TH>
          <TH>Requested</TH>
          <TH className="max-md:hidden">Rule</TH>
          <TH>Lapses or expires</TH>
        </TR>
      </THead>
      <TBody>
        {rows.map((row) => (
          <TR key={row.id} data-testid="approval-row" data-state={row.state}>
            <TD wrap className="min-w-40">
              <Link href={`${base}/${row.id}`} className="font-medium">
                {formatNumber(row.quantity)} × {row.modelName}
              </Link>
              <span className="block text-zinc-600">
                {STAGE_SHORT[row.stage]} stage{row.tier ? ` · ${row.tier}` : ""}
              </span>
            </TD>
            <TD numeric>{formatNumber(row.estimate)}</TD>
            <TD>
              <Badge tone={REQUEST_STATE_TONES[row.state]}>{REQUEST_STATE_LABELS[row.state]}</Badge>
            </TD>
            <TD wrap className="min-w-28">{row.requester.name}</TD>
            <TD wrap className="min-w-28">{row.project.name}</TD>
            <TD className="whitespace-nowrap">{formatDateTime(row.createdAt, timeZone)}</TD>
            <TD wrap className="min-w-32 text-zinc-700 max-md:hidden">{row.ruleName}</TD>
            <TD className="whitespace-nowrap text-zinc-700">
              {row.deadline ? `${row.deadline.kind === "lapses" ? "Lapses" : "Expires"} ${formatDateTime(row.deadline.at, timeZone)}` : "—"}
            </TD>
          </TR>
        ))}
      </TBody>
    </Table>
  );
}
