// One item of a batch: its plan priced step by step, its findings, its runs, and for members: edit the plan, record
// a test or final run, move it along, answer the four questions before the final, or duplicate it.
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { DuplicateItemButton } from "@/components/batches/duplicate-item-button";
import { FindingList } from "@/components/batches/finding-list";
import { listedFinding } from "@/components/batches/listed-finding";
import { FocusKeeper } from "@/components/batches/focus-keeper";
import { ItemForm } from "@/components/batches/item-form";
import { FinalAnswersList, FinalQuestionsForm, ItemStatusForm } from "@/components/batches/item-progress-form";
import { ItemRunForm } from "@/components/batches/item-run-form";
import { ITEM_STATUS_LABELS, ITEM_STATUS_TONES } from "@/components/batches/labels";
import { OUTCOME_TONES, OUTPUT_TYPE_LABELS, RUN_STATE_LABELS, RUN_STATE_TONES, STAGE_SHORT } from "@/components/ledger/labels";
import { Badge } from "@/components/ui/badge";
import { Card, PageHeader } from "@/components/ui/card";
import { EmptyState, TBody, TD, TH, THead, TR, Table } from "@/components/ui/table";
import { requireTeam } from "@/lib/authz/page";
import { hasRole } from "@/lib/authz/roles";
import { getBatch } from "@/lib/batches/queries";
import { formatCredits, formatDateTime, formatNumber } from "@/lib/format";
import { OUTCOME_LABELS, PURPOSE_LABELS } from "@/lib/ledger/schema";
import { estimateItem, itemFindings } from "@/lib/recommendations";

type Props = { params: Promise<{ teamSlug: string; batchId: string; itemId: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { teamSlug, batchId, itemId } = await params;
  const ctx = await requireTeam(teamSlug);
  const found = await getBatch(ctx.team.id, batchId);
  return { title: found?.items.find((item) => item.id === itemId)?.title ?? "Item" };
}

const STEP_LABELS = { tests: "Test iterations", finals: "Finals", tools: "Tool step" } as const;

export default async function ItemPage({ params }: Props) {
  const { teamSlug, batchId, itemId } = await params;
  const ctx = await requireTeam(teamSlug);
  const { team } = ctx;
  const found = await getBatch(team.id, batchId);
  const item = found?.items.find((candidate) => candidate.id === itemId);
  if (!found || !item) notFound();
  const { batch, project, priceList, budget, dismissals } = found;
  const canEdit = hasRole(ctx.role, "member") && !project.archived;
  // An app's batch keeps what the app made: its items are not copied or re-planned by hand.
  const canChangeItem = canEdit && !batch.app;
  const estimate = estimateItem(priceList, item.plan);
  const dismissed = new Set(dismissals.map((dismissal) => dismissal.key));
  const closed = item.status === "done" || item.status === "dropped";
  const findings = closed ? [] : itemFindings(priceList, item).filter((finding) => !dismissed.has(finding.key));
  const batchHref = `/t/${team.slug}/batches/${batch.id}`;

  return (
    <FocusKeeper className="flex flex-col gap-6">
      <nav aria-label="Breadcrumb" className="-mb-3 text-sm">
        <Link href={batchHref}>← {batch.name}</Link>
      </nav>
      <PageHeader
        title={
          <>
            {item.title} <Badge tone={ITEM_STATUS_TONES[item.status]} className="align-middle" data-testid="item-status">{ITEM_STATUS_LABELS[item.status]}</Badge>
          </>
        }
        description={`${OUTPUT_TYPE_LABELS[item.outputType]} · ${PURPOSE_LABELS[item.purpose]} · ${project.name}`}
        actions={canChangeItem && <DuplicateItemButton teamSlug={team.slug} itemId={item.id} batchHref={batchHref} />}
      />

      <Card title="Plan and estimate">
        {item.prompt ? <p className="mb-3 text-sm whitespace-pre-line text-zinc-800">{item.prompt}</p> : <p className="mb-3 text-sm text-amber-800">No prompt yet.</p>}
        {estimate.ok ? (
          <Table caption="The plan priced step by step">
            <THead>
              <TR>
                <TH>Step</TH>
                <TH>Model</TH>
                <TH numeric>How many</TH>
                <TH numeric>Each</TH>
                <TH numeric>Credits</TH>
              </TR>
            </THead>
            <TBody>
              {estimate.steps.map((step) => (
                <TR key={`${step.stage}-${step.index}`}>
                  <TD>{STEP_LABELS[step.stage]}</TD>
                  <TD wrap>
                    {step.modelName}
                    {step.tier && <span className="text-zinc-600"> ({step.tier})</span>}
                  </TD>
                  <TD numeric>{formatNumber(step.count)}</TD>
                  <TD numeric>{formatNumber(step.perUnit)}</TD>
                  <TD numeric>{formatNumber(step.credits)}</TD>
                </TR>
              ))}
              <TR>
                <TD className="font-semibold">Total</TD>
                <TD />
                <TD />
                <TD />
                <TD numeric className="font-semibold" data-testid="item-total">
                  {formatNumber(estimate.credits)}
                </TD>
              </TR>
            </TBody>
          </Table>
        ) : (
          <p className="text-sm text-amber-800" data-testid="item-unpriced">
            This plan cannot be priced with the price list in force: {estimate.error.message}
          </p>
        )}
        <p className="mt-3 text-sm text-zinc-700">
          Spent and held on this item so far: <strong className="tabular-nums">{formatCredits(item.spent)}</strong>
        </p>
      </Card>

      {findings.length > 0 && (
        <Card title="Findings" flush>
          <FindingList teamSlug={team.slug} findings={findings.map((finding) => listedFinding(finding, { batchId: batch.id, itemTitle: null }))} canEdit={canChangeItem} />
        </Card>
      )}

      {canEdit && !closed && (
        <Card title="Record a run" description="The ledger prices it again, holds the credits or says why not, as on the project page.">
          <ItemRunForm
            teamSlug={team.slug}
            projectId={project.id}
            itemId={item.id}
            purpose={item.purpose}
            plan={item.plan}
            priceList={priceList}
            remaining={budget?.remaining ?? null}
            holdsHref={`${batchHref}#holds`}
            answers={item.answers}
          />
        </Card>
      )}

      {canEdit && (
        <Card title="Progress">
          <ItemStatusForm teamSlug={team.slug} itemId={item.id} version={item.version} status={item.status} />
        </Card>
      )}

      {item.plan.finals && (
        <Card title="Before the final" description="Four questions to answer before spending on the final; approvers read the answers.">
          {canEdit ? (
            <FinalQuestionsForm teamSlug={team.slug} itemId={item.id} version={item.version} answers={item.answers} />
          ) : (
            <FinalAnswersList answers={item.answers} />
          )}
        </Card>
      )}

      <Card title="Runs" flush>
        {item.runs.length === 0 ? (
          <EmptyState title="No runs yet" />
        ) : (
          <Table caption="Runs of this item">
            <THead>
              <TR>
                <TH>When</TH>
                <TH>Run</TH>
                <TH>State</TH>
                <TH numeric>Spent or held</TH>
              </TR>
            </THead>
            <TBody>
              {item.runs.map((run) => (
                <TR key={run.id} data-testid="item-run">
                  <TD className="whitespace-nowrap">{formatDateTime(run.createdAt, team.timeZone)}</TD>
                  <TD wrap>
                    {STAGE_SHORT[run.stage]} · {formatNumber(run.quantity)} × {run.modelName}
                  </TD>
                  <TD>
                    <Badge tone={RUN_STATE_TONES[run.state]}>{RUN_STATE_LABELS[run.state]}</Badge>
                    {run.outcome && (
                      <Badge tone={OUTCOME_TONES[run.outcome]} className="ml-1">
                        {OUTCOME_LABELS[run.outcome]}
                      </Badge>
                    )}
                  </TD>
                  <TD numeric>{formatNumber(run.spent)}</TD>
                </TR>
              ))}
            </TBody>
          </Table>
        )}
      </Card>

      {canChangeItem && (
        <Card title="Edit the item">
          <ItemForm teamSlug={team.slug} batchId={batch.id} priceList={priceList} item={item} />
        </Card>
      )}
    </FocusKeeper>
  );
}
