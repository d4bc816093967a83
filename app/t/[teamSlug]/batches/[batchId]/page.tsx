// One batch: its estimate against the project's budget, the findings that would improve it, its items by model,
// its items with their progress, the runs held for it, and adding items one by one or pasted.
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { BatchDetailsDialog, DuplicateBatchDialog } from "@/components/batches/batch-details-form";
import { FindingList } from "@/components/batches/finding-list";
import { DismissedList } from "@/components/batches/dismissed-list";
import { FocusKeeper } from "@/components/batches/focus-keeper";
import { listedFinding } from "@/components/batches/listed-finding";
import { ItemForm } from "@/components/batches/item-form";
import { ITEM_STATUS_LABELS, ITEM_STATUS_TONES } from "@/components/batches/labels";
import { PasteItemsForm } from "@/components/batches/paste-items-form";
import { OUTPUT_TYPE_LABELS, STAGE_SHORT } from "@/components/ledger/labels";
import { RunControls } from "@/components/ledger/run-controls";
import { Badge } from "@/components/ui/badge";
import { buttonClasses } from "@/components/ui/button";
import { Card, PageHeader } from "@/components/ui/card";
import { EmptyState, TBody, TD, TH, THead, TR, Table } from "@/components/ui/table";
import { requireTeam } from "@/lib/authz/page";
import { hasRole } from "@/lib/authz/roles";
import { getBatch } from "@/lib/batches/queries";
import { summarizeBatch } from "@/lib/batches/summary";
import { formatCredits, formatDateTime, formatDay, formatNumber } from "@/lib/format";
import { PURPOSE_LABELS } from "@/lib/ledger/schema";
import type { Finding } from "@/lib/recommendations";
import { firstValue, type UrlQuery } from "@/lib/url-query";

type Props = { params: Promise<{ teamSlug: string; batchId: string }>; searchParams?: Promise<UrlQuery> };

/** Findings shown per kind before "show all": a large batch's page stays quick to load and to read. */
const FINDINGS_SHOWN = 20;
/** Items listed per page of the items table; the estimate, findings and model view always cover every item. */
const ITEMS_PER_PAGE = 100;

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { teamSlug, batchId } = await params;
  const ctx = await requireTeam(teamSlug);
  const found = await getBatch(ctx.team.id, batchId);
  return { title: found?.batch.name ?? "Batch" };
}

export default async function BatchPage({ params, searchParams }: Props) {
  const { teamSlug, batchId } = await params;
  const query = (await searchParams) ?? {};
  const showAll = firstValue(query.findings) === "all";
  const ctx = await requireTeam(teamSlug);
  const { team } = ctx;
  const found = await getBatch(team.id, batchId);
  if (!found) notFound();
  const { batch, project, items, dismissals, priceList, budget } = found;
  const archived = project.archived;
  const canEdit = hasRole(ctx.role, "member") && !archived;
  // An app's batch keeps what the app made: its items are not added to or re-planned by hand.
  const canChangeItems = canEdit && !batch.app;
  const isAdmin = hasRole(ctx.role, "admin");
  const summary = summarizeBatch(priceList, items, new Set(dismissals.map((dismissal) => dismissal.key)), budget?.remaining ?? null);
  const base = `/t/${team.slug}/batches/${batch.id}`;
  const pages = Math.max(1, Math.ceil(items.length / ITEMS_PER_PAGE));
  const requestedPage = Number.parseInt(firstValue(query.items), 10);
  const page = Number.isInteger(requestedPage) && requestedPage >= 1 && requestedPage <= pages ? requestedPage : 1;
  const shownItems = items.slice((page - 1) * ITEMS_PER_PAGE, page * ITEMS_PER_PAGE);
  const titles = new Map(items.map((item) => [item.id, item.title]));
  const listed = (findings: Finding[]) =>
    (showAll ? findings : findings.slice(0, FINDINGS_SHOWN)).map((finding) =>
      listedFinding(finding, { batchId: batch.id, itemTitle: finding.itemId ? (titles.get(finding.itemId) ?? null) : null }),
    );
  const findingCount = summary.savings.length + summary.warnings.length + summary.advice.length;
  const hidden = showAll ? 0 : findingCount - Math.min(summary.savings.length, FINDINGS_SHOWN) - Math.min(summary.warnings.length, FINDINGS_SHOWN) - Math.min(summary.advice.length, FINDINGS_SHOWN);
  const held = items.flatMap((item) =>
    item.runs.filter((run) => run.state === "held").map((run) => ({ ...run, itemTitle: item.title, mine: run.userId === ctx.user.id })),
  );
  const savedOneByOne = summary.savings.reduce((sum, finding) => sum + finding.saved, 0);
  const details = { id: batch.id, version: batch.version, name: batch.name, dueDate: batch.dueDate ?? "", notes: batch.notes };

  return (
    <FocusKeeper className="flex flex-col gap-6">
      <nav aria-label="Breadcrumb" className="-mb-3 text-sm">
        <Link href={`/t/${team.slug}/batches`}>← Batches</Link>
      </nav>
      <PageHeader
        title={batch.name}
        description={
          <>
            <Link href={`/t/${team.slug}/projects/${project.id}`}>{project.name}</Link>
            {batch.dueDate && <> · due {formatDay(batch.dueDate)}</>}
            {batch.app && (
              <>
                {" "}
                · {batch.app.test ? "a test of" : "made by"} <Link href={`/t/${team.slug}/apps/${batch.app.id}`}>{batch.app.name}</Link>, version {batch.app.version}
              </>
            )}
            {archived && <> · the project is archived</>}
            {batch.notes && <span className="mt-1 block whitespace-pre-line">{batch.notes}</span>}
          </>
        }
        actions={
          <>
            {canEdit && <BatchDetailsDialog teamSlug={team.slug} batch={details} />}
            {canEdit && <DuplicateBatchDialog teamSlug={team.slug} batch={details} />}
            <a href={`${base}/export`} className={buttonClasses({ variant: "secondary", size: "sm" })} download data-testid="export-csv">
              Download CSV
            </a>
          </>
        }
      />

      <Card title="Estimate" description={found.priceListVersion === 0 ? "Priced with the default price list." : `Priced with the team's price list v${found.priceListVersion}.`}>
        <dl className="grid grid-cols-2 gap-4 sm:grid-cols-4" data-testid="batch-figures">
          <Figure label="Planned, whole batch" value={summary.estimate.credits} testId="batch-total" />
          <Figure label="Still to do" value={summary.plannedOpen} testId="batch-open" />
          <Figure label="Spent and held" value={summary.spent} testId="batch-spent" />
          <div>
            <dt className="text-sm text-zinc-600">Done</dt>
            <dd className="text-2xl font-semibold tabular-nums" data-testid="batch-progress">
              {formatNumber(summary.done)} / {formatNumber(summary.total)}
            </dd>
          </div>
        </dl>
        <div className="mt-4 border-t border-zinc-200 pt-3 text-sm text-zinc-700" data-testid="batch-budget">
          {budget ? (
            <>
              The project&apos;s budget has {formatCredits(budget.remaining)} left ({budget.periodLabel}).{" "}
              {summary.overBy !== null ? (
                <strong className="text-red-800" data-testid="batch-over">
                  What is still to do would not fit: it needs {formatCredits(summary.overBy)} more than that.
                </strong>
              ) : (
                <span data-testid="batch-fits">What is still to do fits.</span>
              )}
            </>
          ) : (
            "The project has no budget: runs are limited only by the team's credits and member limits."
          )}
        </div>
        {summary.estimate.unpricedItemIds.length > 0 && (
          <p className="mt-2 text-sm text-amber-800" data-testid="batch-unpriced">
            {formatNumber(summary.estimate.unpricedItemIds.length)} item(s) cannot be priced with the price list in force (a model was removed or
            disabled): open them to change their plan. They are not in the totals.
          </p>
        )}
      </Card>

      <Card
        id="findings"
        title="Findings"
        description={
          summary.savings.length > 0 ? (
            <span data-testid="could-save">
              Applying every saving below would save {formatCredits(summary.couldSave)} in all
              {savedOneByOne > summary.couldSave && " (less than the figures added up: some findings change the same item, and the first one applied changes what the next one saves)"}.
            </span>
          ) : (
            "Nothing to improve in the items still to do."
          )
        }
        flush
      >
        {findingCount === 0 ? (
          <EmptyState title="No findings" text="Every item still to do is planned as the rules would plan it." />
        ) : (
          <>
            {summary.savings.length > 0 && <FindingList teamSlug={team.slug} findings={listed(summary.savings)} canEdit={canChangeItems} />}
            {summary.warnings.length > 0 && (
              <div className="border-t border-zinc-200">
                <h3 className="px-4 pt-4 text-sm font-semibold text-zinc-900 sm:px-5">Quality warnings: these cost more</h3>
                <FindingList teamSlug={team.slug} findings={listed(summary.warnings)} canEdit={canChangeItems} />
              </div>
            )}
            {summary.advice.length > 0 && (
              <div className="border-t border-zinc-200">
                <h3 className="px-4 pt-4 text-sm font-semibold text-zinc-900 sm:px-5">Advice</h3>
                <FindingList teamSlug={team.slug} findings={listed(summary.advice)} canEdit={canChangeItems} />
              </div>
            )}
            {hidden > 0 && (
              <p className="border-t border-zinc-200 px-4 py-3 text-sm sm:px-5">
                The largest {FINDINGS_SHOWN} of each kind are shown. <Link href={`${base}?findings=all#findings`}>Show all {formatNumber(findingCount)} findings</Link>
              </p>
            )}
          </>
        )}
      </Card>

      {summary.dismissed.length > 0 && (
        <Card title="Dismissed findings" description="Findings turned down for the plans as they are now, with the reason given. A dismissal lapses when its item's plan changes." flush>
          <DismissedList
            teamSlug={team.slug}
            batchId={batch.id}
            canEdit={canEdit}
            rows={summary.dismissed.flatMap((finding) => {
              const dismissal = dismissals.find((candidate) => candidate.key === finding.key);
              if (!dismissal) return [];
              return [
                {
                  id: dismissal.id,
                  title: finding.title,
                  itemTitle: finding.itemId ? (titles.get(finding.itemId) ?? null) : null,
                  reason: dismissal.reason,
                  who: dismissal.userName ?? "Someone no longer in the team",
                  when: formatDateTime(dismissal.createdAt, team.timeZone),
                },
              ];
            })}
          />
        </Card>
      )}

      <Card id="items" title="Items" description="Open an item to change its plan, run it, answer the questions before its final or move it along." flush>
        {items.length === 0 ? (
          <EmptyState title="No items yet" text={canEdit ? "Add them below, one by one or pasted." : undefined} />
        ) : (
          <Table caption="Items">
            <THead>
              <TR>
                <TH>Item</TH>
                <TH className="max-sm:hidden">Purpose</TH>
                <TH className="max-sm:hidden">Status</TH>
                <TH numeric>Estimate</TH>
                <TH numeric className="max-sm:hidden">
                  Spent
                </TH>
              </TR>
            </THead>
            <TBody>
              {shownItems.map((item) => {
                const estimate = summary.estimate.items[item.id];
                return (
                  <TR key={item.id} data-testid="item-row" data-item-id={item.id}>
                    <TD wrap className="min-w-40 sm:min-w-48">
                      <Link href={`${base}/items/${item.id}`} className="font-medium">
                        {item.title}
                      </Link>
                      <span className="block text-xs text-zinc-600">
                        {OUTPUT_TYPE_LABELS[item.outputType]}
                        {item.prompt ? ` · ${item.prompt.length > 80 ? `${item.prompt.slice(0, 80)}…` : item.prompt}` : " · no prompt yet"}
                      </span>
                      <Badge tone={ITEM_STATUS_TONES[item.status]} className="mt-1 sm:hidden">
                        {ITEM_STATUS_LABELS[item.status]}
                      </Badge>
                    </TD>
                    <TD className="max-sm:hidden">{PURPOSE_LABELS[item.purpose]}</TD>
                    <TD className="max-sm:hidden">
                      <Badge tone={ITEM_STATUS_TONES[item.status]}>{ITEM_STATUS_LABELS[item.status]}</Badge>
                    </TD>
                    <TD numeric data-testid="item-estimate">
                      {estimate?.ok ? (
                        <>
                          {formatNumber(estimate.credits)}
                          <span className="block text-xs whitespace-nowrap text-zinc-600">
                            {formatNumber(estimate.tests)} + {formatNumber(estimate.finals)} + {formatNumber(estimate.tools)}
                          </span>
                        </>
                      ) : (
                        <span className="text-amber-800">Cannot price</span>
                      )}
                    </TD>
                    <TD numeric className="max-sm:hidden">
                      {formatNumber(item.spent)}
                    </TD>
                  </TR>
                );
              })}
            </TBody>
          </Table>
        )}
        {items.length > 0 && (
          <div className="flex flex-wrap items-center justify-between gap-3 px-4 py-3 text-xs text-zinc-600 sm:px-5">
            <p>Estimates read tests + finals + tools. Spent counts settled runs and the credits still held for runs not yet settled.</p>
            {pages > 1 && (
              <nav aria-label="Pages of items" className="flex flex-wrap items-center gap-2 text-sm" data-testid="item-pages">
                <span>
                  Items {formatNumber((page - 1) * ITEMS_PER_PAGE + 1)}–{formatNumber(Math.min(page * ITEMS_PER_PAGE, items.length))} of {formatNumber(items.length)}:
                </span>
                {Array.from({ length: pages }, (_, i) => i + 1).map((number) =>
                  number === page ? (
                    <span key={number} aria-current="page" className="font-semibold text-zinc-900">
                      {number}
                    </span>
                  ) : (
                    <Link key={number} href={`${base}?items=${number}#items`}>
                      {number}
                    </Link>
                  ),
                )}
              </nav>
            )}
          </div>
        )}
      </Card>

      {summary.estimate.byModel.length > 0 && (
        <Card title="By model" description="Run similar generations together: each model with the items that use it, the runs planned and their credits." flush>
          <Table caption="Planned runs by model">
            <THead>
              <TR>
                <TH>Model</TH>
                <TH className="max-sm:hidden">Items</TH>
                <TH numeric>Runs</TH>
                <TH numeric>Credits</TH>
              </TR>
            </THead>
            <TBody>
              {summary.estimate.byModel.map((group) => (
                <TR key={group.modelId} data-testid="model-group">
                  <TD wrap>
                    <span className="font-medium">{group.modelName}</span>
                    <span className="block text-xs text-zinc-600">
                      {OUTPUT_TYPE_LABELS[group.outputType]}
                      {group.tier ? ` · ${group.tier}` : ""}
                    </span>
                  </TD>
                  <TD wrap className="max-sm:hidden">
                    {group.itemIds.length <= 3
                      ? group.itemIds.map((id) => titles.get(id)).join(", ")
                      : `${group.itemIds.slice(0, 3).map((id) => titles.get(id)).join(", ")} and ${formatNumber(group.itemIds.length - 3)} more`}
                  </TD>
                  <TD numeric>{formatNumber(group.runs)}</TD>
                  <TD numeric>{formatNumber(group.credits)}</TD>
                </TR>
              ))}
            </TBody>
          </Table>
        </Card>
      )}

      {held.length > 0 && (
        <Card id="holds" title="Active holds" description="Runs of this batch admitted and not yet settled: settle each at what it really cost, or release it." flush>
          <ul className="divide-y divide-zinc-200">
            {held.map((run) => (
              <li key={run.id} className="flex flex-wrap items-center justify-between gap-3 px-4 py-3 sm:px-5" data-testid="batch-hold">
                <span className="text-sm">
                  <span className="font-medium">{run.itemTitle}</span>: {STAGE_SHORT[run.stage]} · {formatNumber(run.quantity)} × {run.modelName}, holds{" "}
                  {formatCredits(run.estimate)}
                </span>
                {(run.mine || isAdmin) && <RunControls teamSlug={team.slug} run={run} approval={run.approvalRequest} />}
              </li>
            ))}
          </ul>
        </Card>
      )}

      {canChangeItems && (
        <>
          <Card title="Add an item">
            <ItemForm teamSlug={team.slug} batchId={batch.id} priceList={priceList} />
          </Card>
          <Card title="Paste many items">
            <PasteItemsForm teamSlug={team.slug} batchId={batch.id} priceList={priceList} />
          </Card>
        </>
      )}
    </FocusKeeper>
  );
}

function Figure({ label, value, testId }: { label: string; value: number; testId: string }) {
  return (
    <div>
      <dt className="text-sm text-zinc-600">{label}</dt>
      <dd className="text-2xl font-semibold tabular-nums" data-testid={testId}>
        {formatNumber(value)}
      </dd>
    </div>
  );
}
