// One app: how it has done, a Run form for the published version (cost against the project's budget, the approval
// policy's answer), its draft with test runs and publishing, each version's steps, cost and findings, and its runs.
import type { Metadata } from "next";
import Link from "next/link";
import { cache } from "react";
import { notFound } from "next/navigation";
import { AppCostTable, stepSettingsText } from "@/components/apps/app-cost";
import { PublishButton, RetireButton } from "@/components/apps/app-controls";
import { AppFindings } from "@/components/apps/app-findings";
import { RunAppForm } from "@/components/apps/run-app-form";
import { Badge } from "@/components/ui/badge";
import { ButtonLink } from "@/components/ui/button";
import { Card, PageHeader } from "@/components/ui/card";
import { EmptyState, TBody, TD, TH, THead, TR, Table } from "@/components/ui/table";
import { policyInForce } from "@/lib/approvals/queries";
import { getApp, type AppDetail, type AppVersionView } from "@/lib/apps/queries";
import { appCostRange, appFindings, appRunCost, defaultValues, type AppDefinition, type AppInput } from "@/lib/apps/rules";
import { requireTeam } from "@/lib/authz/page";
import { hasRole } from "@/lib/authz/roles";
import { formatDateTime, formatNumber, formatPercent } from "@/lib/format";
import { projectBudgetStatuses } from "@/lib/ledger/queries";
import { PURPOSE_LABELS } from "@/lib/ledger/schema";
import { priceListInForce } from "@/lib/price-lists/queries";
import { findEntry } from "@/lib/pricing/estimate";
import { wholePercent } from "@/lib/pricing/plans";
import type { PriceList } from "@/lib/pricing/types";

type Props = { params: Promise<{ teamSlug: string; appId: string }> };

/** One read of the app per request: the page and its title share it. */
const loadApp = cache((teamId: string, appId: string) => getApp(teamId, appId));

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { teamSlug, appId } = await params;
  const ctx = await requireTeam(teamSlug);
  const found = await loadApp(ctx.team.id, appId);
  return { title: found?.app.name ?? "App" };
}

const STATE_LABELS = { draft: "Draft", published: "Published", superseded: "Superseded" } as const;
const STATE_TONES = { draft: "amber", published: "green", superseded: "neutral" } as const;

export default async function AppPage({ params }: Props) {
  const { teamSlug, appId } = await params;
  const ctx = await requireTeam(teamSlug);
  const { team } = ctx;
  const found = await loadApp(team.id, appId);
  if (!found) notFound();
  const { app, published, draft, use, requiredTestRuns } = found;
  const retired = app.retiredAt !== null;
  const isMember = hasRole(ctx.role, "member");
  const mayTest = draft !== null && !retired && isMember && (draft.author.id === ctx.user.id || hasRole(ctx.role, "admin"));
  const mayRun = published !== null && !retired && isMember;
  // Someone else's draft is its author's (and the admins') to change: no link to a page that would only say so.
  const mayChange = isMember && !retired && (draft === null || draft.author.id === ctx.user.id || hasRole(ctx.role, "admin"));
  const [inForce, projects, policy] = await Promise.all([
    priceListInForce(team.id),
    mayRun || mayTest ? projectBudgetStatuses(team) : [],
    mayRun || mayTest ? policyInForce(team.id) : null,
  ]);
  const runProjects = projects.map((project) => ({
    id: project.projectId,
    name: project.projectName,
    budget: project.budget && { remaining: project.budget.remaining, periodLabel: project.budget.periodLabel },
  }));
  const runForm = (version: AppVersionView, test: boolean) =>
    policy && (
      <RunAppForm
        teamSlug={team.slug}
        appId={app.id}
        versionId={version.id}
        version={version.version}
        definition={version.definition}
        outputType={app.outputType}
        priceList={inForce.priceList}
        projects={runProjects}
        policy={policy.policy}
        role={ctx.role}
        test={test}
      />
    );
  const priced = inForce.version === 0 ? "the default price list" : `the team's price list v${inForce.version}`;

  return (
    <div className="flex flex-col gap-6">
      <nav aria-label="Breadcrumb" className="-mb-3 text-sm">
        <Link href={`/t/${team.slug}/apps`}>← Apps</Link>
      </nav>
      <PageHeader
        title={app.name}
        description={
          <>
            <span className="flex flex-wrap items-center gap-2">
              {retired ? <Badge>Retired</Badge> : published ? <Badge tone="green">Published v{published.version}</Badge> : <Badge tone="amber">Not published yet</Badge>}
              <span>
                Makes {app.outputType} outputs for {PURPOSE_LABELS[app.purpose].toLowerCase()} · made by {app.createdBy}
              </span>
            </span>
            {app.description && <span className="mt-1 block whitespace-pre-line">{app.description}</span>}
          </>
        }
        actions={
          !retired && (
            <>
              {mayChange && (
                <ButtonLink href={`/t/${team.slug}/apps/${app.id}/edit`} variant="secondary" size="sm">
                  Change
                </ButtonLink>
              )}
              {hasRole(ctx.role, "admin") && <RetireButton teamSlug={team.slug} appId={app.id} name={app.name} />}
            </>
          )
        }
      />

      {retired && (
        <p className="rounded-md border border-zinc-200 bg-zinc-50 p-3 text-sm text-zinc-800" data-testid="app-retired">
          Retired on {formatDateTime(app.retiredAt as Date, team.timeZone)}: nobody can start it any more. Its versions and runs stay below.
        </p>
      )}

      <Card title="How it has done" description="Its runs (tests not counted) and the generations recorded against their outputs, from the ledger.">
        <dl className="grid grid-cols-2 gap-4 sm:grid-cols-5" data-testid="app-use">
          <Figure label="Runs started" value={formatNumber(use.runs)} note={use.runs > 0 ? `${formatNumber(use.outputs)} outputs` : undefined} testId="app-use-runs" />
          <Figure
            label="Accepted"
            value={use.settled > 0 ? formatPercent(wholePercent(use.accepted, use.settled)) : "—"}
            note={use.settled > 0 ? `${formatNumber(use.accepted)} of ${formatNumber(use.settled)} settled` : "nothing settled yet"}
            testId="app-use-accepted"
          />
          <Figure label="Credits spent" value={formatNumber(use.credits)} note="settled, after refunds" testId="app-use-credits" />
          <Figure label="Per accepted output" value={use.perAccepted === null ? "—" : formatNumber(use.perAccepted)} testId="app-use-per-accepted" />
          <Figure
            label="Last used"
            value={use.lastUsedAt ? formatDateTime(use.lastUsedAt, team.timeZone) : "Never"}
            note={use.lastUsedBy ? `by ${use.lastUsedBy}` : undefined}
            testId="app-use-last"
          />
        </dl>
      </Card>

      {published && !retired && (
        <Card title={`Run it — version ${published.version}`} description={`Priced with ${priced}. It makes a batch in the project with one item per output, its steps as each item's plan.`}>
          {mayRun ? runForm(published, false) : <p className="text-sm text-zinc-700">Members of the team run apps.</p>}
        </Card>
      )}

      {draft && !retired && (
        <Card
          title={`Draft version ${draft.version}`}
          description={`By ${draft.author.name}. Its author and the admins test it; each accepted final of a test output counts. ${published ? `Version ${published.version} stays in use until this one is published.` : "Nobody else can run it until it is published."}`}
          actions={
            hasRole(ctx.role, "approver") &&
            draft.acceptedTestRuns >= requiredTestRuns && <PublishButton teamSlug={team.slug} versionId={draft.id} version={draft.version} name={app.name} replaces={published?.version ?? null} />
          }
        >
          <p className="text-sm text-zinc-800" data-testid="draft-test-runs">
            {formatNumber(draft.acceptedTestRuns)} of {formatNumber(requiredTestRuns)} accepted test {requiredTestRuns === 1 ? "run" : "runs"}
            {draft.acceptedTestRuns >= requiredTestRuns
              ? hasRole(ctx.role, "approver")
                ? ": ready to publish."
                : ": ready for an approver to publish."
              : mayTest
                ? ": test it below, run each output's final from the test batch, and settle it with its outcome."
                : `: waiting for ${draft.author.name}'s test runs${hasRole(ctx.role, "approver") ? "; Publish appears here once it has them" : ""}.`}
          </p>
          <VersionDetails version={draft} app={app} priceList={inForce.priceList} priced={priced} />
          {mayTest && (
            <div className="mt-4 border-t border-zinc-200 pt-4">
              <h3 className="mb-3 text-sm font-semibold text-zinc-900">Test it</h3>
              {runForm(draft, true)}
            </div>
          )}
        </Card>
      )}

      {published && (
        <Card title={retired ? `Version ${published.version}, the last published` : `Version ${published.version}, in use`} description={`Published by ${published.publishedBy ?? "someone who left"}${published.publishedAt ? ` on ${formatDateTime(published.publishedAt, team.timeZone)}` : ""}.`}>
          <VersionDetails version={published} app={app} priceList={inForce.priceList} priced={priced} />
        </Card>
      )}

      <Card title="Runs and tests" description="The batches this app made, newest first; open one to run its items and see their runs." flush>
        {found.batches.length === 0 ? (
          <EmptyState title="Not run yet" text={published ? "Runs started above show here." : "Test runs of the draft show here."} className="m-4" />
        ) : (
          <Table caption="Batches made by this app">
            <THead>
              <TR>
                <TH>Batch</TH>
                <TH>Version</TH>
                <TH className="max-sm:hidden">Started</TH>
                <TH numeric>Outputs</TH>
                <TH numeric>Accepted</TH>
                <TH numeric>Credits</TH>
              </TR>
            </THead>
            <TBody>
              {found.batches.map((batch) => (
                <TR key={batch.id} data-testid="app-batch">
                  <TD wrap className="min-w-40">
                    <Link href={`/t/${team.slug}/batches/${batch.id}`} className="font-medium">
                      {batch.name}
                    </Link>
                    <span className="block text-zinc-600">{batch.projectName}</span>
                  </TD>
                  <TD>
                    v{batch.version} {batch.test && <Badge tone="amber">Test</Badge>}
                  </TD>
                  <TD className="max-sm:hidden">
                    {formatDateTime(batch.createdAt, team.timeZone)}
                    <span className="block text-zinc-600">{batch.createdBy ?? "Someone who left"}</span>
                  </TD>
                  <TD numeric>{formatNumber(batch.items)}</TD>
                  <TD numeric>
                    {formatNumber(batch.accepted)} / {formatNumber(batch.runs)}
                  </TD>
                  <TD numeric>{formatNumber(batch.spent)}</TD>
                </TR>
              ))}
            </TBody>
          </Table>
        )}
      </Card>

      <Card title="Versions" flush>
        <Table caption="Versions of this app">
          <THead>
            <TR>
              <TH>Version</TH>
              <TH>State</TH>
              <TH className="max-sm:hidden">By</TH>
              <TH numeric>Accepted test runs</TH>
            </TR>
          </THead>
          <TBody>
            {found.versions.map((version) => (
              <TR key={version.id} data-testid="app-version">
                <TD>v{version.version}</TD>
                <TD>
                  <Badge tone={STATE_TONES[version.state]}>{STATE_LABELS[version.state]}</Badge>
                  {version.publishedAt && <span className="block text-xs text-zinc-600">published {formatDateTime(version.publishedAt, team.timeZone)}</span>}
                </TD>
                <TD className="max-sm:hidden">
                  {version.author.name}
                  <span className="block text-xs text-zinc-600">{formatDateTime(version.createdAt, team.timeZone)}</span>
                </TD>
                <TD numeric>{formatNumber(version.acceptedTestRuns)}</TD>
              </TR>
            ))}
          </TBody>
        </Table>
      </Card>
    </div>
  );
}

function Figure({ label, value, note, testId }: { label: string; value: string; note?: string; testId: string }) {
  return (
    <div>
      <dt className="text-sm text-zinc-600">{label}</dt>
      <dd className="text-xl font-semibold tabular-nums" data-testid={testId}>
        {value}
      </dd>
      {note && <dd className="text-sm text-zinc-600">{note}</dd>}
    </div>
  );
}

/** A setting input in the price list's words: "Flux 2 Dev's resolution: 1K, 2K; by default 2K". */
function settingWords(priceList: PriceList, definition: AppDefinition, input: Extract<AppInput, { kind: "setting" }>): string {
  const entry = findEntry(priceList, definition.steps[input.step]?.modelId ?? "");
  const setting = entry?.settings.find((candidate) => candidate.key === input.setting);
  const label = (value: string) => setting?.options.find((option) => option.value === value)?.label ?? value;
  return `${entry?.name ?? `step ${input.step + 1}`}'s ${(setting?.label ?? input.setting).toLowerCase()}: ${input.options.map(label).join(", ")}; by default ${label(input.default)}`;
}

/** A version's steps and cost per run by the price list in force, its inputs, and what the recommendations find. */
function VersionDetails({ version, app, priceList, priced }: { version: AppVersionView; app: AppDetail["app"]; priceList: PriceList; priced: string }) {
  const { definition } = version;
  const cost = appRunCost(priceList, definition, defaultValues(definition));
  const range = cost.ok ? appCostRange(priceList, definition) : undefined;
  const findings = cost.ok ? appFindings(priceList, app, definition) : [];
  return (
    <div className="mt-3 grid gap-6 lg:grid-cols-2" data-testid={`version-${version.version}`}>
      <div className="flex flex-col gap-4">
        <section>
          <h3 className="mb-2 text-sm font-semibold text-zinc-900">Cost per run, with the default inputs ({priced})</h3>
          <AppCostTable cost={cost} range={range} settings={stepSettingsText(priceList, definition)} testId={`version-${version.version}-cost`} />
        </section>
        <section>
          <h3 className="mb-2 text-sm font-semibold text-zinc-900">Inputs</h3>
          {definition.inputs.length === 0 ? (
            <p className="text-sm text-zinc-700">None: every run is the same.</p>
          ) : (
            <ul className="flex flex-col gap-1 text-sm text-zinc-800">
              {definition.inputs.map((input) => (
                <li key={input.key}>
                  <span className="font-medium">{input.label}</span>
                  <span className="text-zinc-600">
                    {" — "}
                    {input.kind === "prompt"
                      ? `text up to ${formatNumber(input.maxLength)} characters${input.default ? `, by default “${input.default}”` : ""}`
                      : input.kind === "outputs"
                        ? `${formatNumber(input.min)} to ${formatNumber(input.max)} outputs, by default ${formatNumber(input.default)}`
                        : settingWords(priceList, definition, input)}
                  </span>
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>
      <section>
        <h3 className="mb-2 text-sm font-semibold text-zinc-900">Findings</h3>
        <AppFindings findings={findings} />
        {findings.length > 0 && <p className="mt-2 text-sm text-zinc-600">To follow one, its steps need changing: a change is a new draft, tested before it is published.</p>}
      </section>
    </div>
  );
}
