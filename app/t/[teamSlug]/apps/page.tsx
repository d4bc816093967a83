// The team's apps: tested workflows with a known cost per run, published ones first, with how each has done; members
// make new ones, admins say how many accepted test runs publishing needs.
import type { Metadata } from "next";
import Link from "next/link";
import { TestRunsForm } from "@/components/apps/app-controls";
import { Badge } from "@/components/ui/badge";
import { ButtonLink } from "@/components/ui/button";
import { Card, PageHeader } from "@/components/ui/card";
import { EmptyState, TBody, TD, TH, THead, TR, Table } from "@/components/ui/table";
import { listApps, requiredTestRuns } from "@/lib/apps/queries";
import { requireTeam } from "@/lib/authz/page";
import { hasRole } from "@/lib/authz/roles";
import { formatCredits, formatDateTime, formatNumber, formatPercent } from "@/lib/format";
import { PURPOSE_LABELS } from "@/lib/ledger/schema";
import { wholePercent } from "@/lib/pricing/plans";
import type { Purpose } from "@/lib/recommendations/types";

export const metadata: Metadata = { title: "Apps" };

type Props = { params: Promise<{ teamSlug: string }> };

export default async function AppsPage({ params }: Props) {
  const { teamSlug } = await params;
  const ctx = await requireTeam(teamSlug);
  const { team } = ctx;
  const [apps, testRuns] = await Promise.all([listApps(team.id), requiredTestRuns(team.id)]);
  const base = `/t/${team.slug}/apps`;
  return (
    <div className="flex flex-col gap-6">
      <PageHeader
        title="Apps"
        description="Workflows the team has tested, with their steps fixed and a known cost per run: pick one, fill in its inputs, and skip the trial and error."
        actions={hasRole(ctx.role, "member") && <ButtonLink href={`${base}/new`}>New app</ButtonLink>}
      />
      {apps.length === 0 ? (
        <EmptyState
          title="No apps yet"
          text={
            hasRole(ctx.role, "member")
              ? "Make one from a workflow that works: its steps, the inputs people may change, and its cost per run. It is tested before the team uses it."
              : "Members of the team make apps."
          }
        />
      ) : (
        <Table caption="Apps">
          <THead>
            <TR>
              <TH>App</TH>
              <TH>State</TH>
              <TH numeric>Cost per run</TH>
              <TH numeric className="max-sm:hidden">
                Runs
              </TH>
              <TH numeric className="max-sm:hidden">
                Accepted
              </TH>
              <TH className="max-md:hidden">Last used</TH>
            </TR>
          </THead>
          <TBody>
            {apps.map((app) => (
              <TR key={app.id} data-testid="app-row">
                <TD wrap className="min-w-48">
                  <Link href={`${base}/${app.id}`} className="font-medium">
                    {app.name}
                  </Link>
                  <span className="block text-zinc-600">
                    {app.outputType} for {PURPOSE_LABELS[app.purpose as Purpose]?.toLowerCase() ?? app.purpose}
                    {app.description && ` — ${app.description}`}
                  </span>
                </TD>
                <TD>
                  {app.retired ? (
                    <Badge>Retired</Badge>
                  ) : app.published ? (
                    <Badge tone="green">Published v{app.published.version}</Badge>
                  ) : (
                    <Badge tone="amber">Draft v{app.draft?.version}</Badge>
                  )}
                  {!app.retired && app.draft && (
                    <span className="block text-xs text-zinc-600" data-testid="app-draft-state">
                      {app.published ? `Draft v${app.draft.version}: ` : ""}
                      {app.draft.acceptedTestRuns >= testRuns ? "ready to publish" : `${formatNumber(app.draft.acceptedTestRuns)} of ${formatNumber(testRuns)} accepted tests`}
                    </span>
                  )}
                </TD>
                <TD numeric data-testid="app-cost-per-run">
                  {app.cost ? (
                    <>
                      {formatCredits(app.cost.perRun)}
                      {app.cost.min !== app.cost.max && (
                        <span className="block text-xs text-zinc-600">
                          {formatNumber(app.cost.min)}–{formatNumber(app.cost.max)}
                        </span>
                      )}
                    </>
                  ) : (
                    <span className="text-amber-800">Cannot be priced now</span>
                  )}
                </TD>
                <TD numeric className="max-sm:hidden">
                  {formatNumber(app.use.runs)}
                </TD>
                <TD numeric className="max-sm:hidden">
                  {app.use.settled > 0 ? formatPercent(wholePercent(app.use.accepted, app.use.settled)) : "—"}
                </TD>
                <TD className="max-md:hidden">
                  {app.use.lastUsedAt ? (
                    <>
                      {formatDateTime(app.use.lastUsedAt, team.timeZone)}
                      <span className="block text-zinc-600">{app.use.lastUsedBy}</span>
                    </>
                  ) : (
                    "—"
                  )}
                </TD>
              </TR>
            ))}
          </TBody>
        </Table>
      )}
      <Card title="Publishing" description="A new or changed app is a draft: its author tests it through the normal admission, and an approver publishes it.">
        {hasRole(ctx.role, "admin") ? (
          <TestRunsForm teamSlug={team.slug} appTestRuns={testRuns} />
        ) : (
          <p className="text-sm text-zinc-700" data-testid="test-runs-required">
            A draft needs {formatNumber(testRuns)} accepted test {testRuns === 1 ? "run" : "runs"} before it is published.
          </p>
        )}
      </Card>
    </div>
  );
}
