// The API's batch answers: one batch as its page shows it (lib/batches getBatch + summarizeBatch), and the list's rows.
import "server-only";
import type { z } from "zod";
import type { ApiContext } from "@/lib/authz/api";
import type { BatchSummary as ListedBatch, getBatch } from "@/lib/batches/queries";
import { summarizeBatch } from "@/lib/batches/summary";
import type { Finding } from "@/lib/recommendations";
import type { batchAnswer, batchSummaryAnswer, finding } from "./operations/batches";
import { apiBase } from "./runs";

type FoundBatch = NonNullable<Awaited<ReturnType<typeof getBatch>>>;

/** A finding as the API answers it: what to change and what it saves, without the plan change the app applies. */
export function findingAnswer(found: Finding): z.output<typeof finding> {
  const { key, rule, kind, itemId, title, changeText, explanation, before, after, saved } = found;
  return { key, rule, kind, itemId, title, changeText, explanation, before, after, saved };
}

export function batchDetailAnswer(ctx: ApiContext, found: FoundBatch): z.output<typeof batchAnswer> {
  const { batch, project, items, dismissals, priceList, priceListVersion, budget } = found;
  const summary = summarizeBatch(priceList, items, new Set(dismissals.map((dismissal) => dismissal.key)), budget?.remaining ?? null);
  const open = [...summary.savings, ...summary.warnings, ...summary.advice];
  const findingsOf = (itemId: string | null) => open.filter((found) => found.itemId === itemId).map(findingAnswer);
  return {
    id: batch.id,
    name: batch.name,
    dueDate: batch.dueDate,
    notes: batch.notes,
    createdAt: batch.createdAt.toISOString(),
    updatedAt: batch.updatedAt.toISOString(),
    project,
    priceListVersion,
    totals: {
      planned: summary.estimate.credits,
      stillToDo: summary.plannedOpen,
      spent: summary.spent,
      done: summary.done,
      items: summary.total,
      couldSave: summary.couldSave,
      overBy: summary.overBy,
    },
    budget: budget ? { credits: budget.credits, remaining: budget.remaining, period: budget.periodLabel } : null,
    byModel: summary.estimate.byModel,
    unpricedItemIds: summary.estimate.unpricedItemIds,
    findings: findingsOf(null),
    dismissedFindings: summary.dismissed.map(findingAnswer),
    items: items.map((item) => ({
      id: item.id,
      position: item.position,
      title: item.title,
      outputType: item.outputType,
      purpose: item.purpose,
      prompt: item.prompt,
      status: item.status,
      plan: item.plan,
      flags: item.flags,
      answers: item.answers,
      estimate: summary.estimate.items[item.id],
      spent: item.spent,
      findings: findingsOf(item.id),
      runs: item.runs.map((run) => ({
        id: run.id,
        stage: run.stage,
        state: run.state,
        estimate: run.estimate,
        actual: run.actual,
        quantity: run.quantity,
        modelName: run.modelName,
        outcome: run.outcome,
        spent: run.spent,
        createdAt: run.createdAt.toISOString(),
        approvalId: run.approvalRequest?.id ?? null,
      })),
    })),
    links: { page: `/t/${ctx.team.slug}/batches/${batch.id}`, export: `/t/${ctx.team.slug}/batches/${batch.id}/export` },
  };
}

export function batchListRow(ctx: ApiContext, listed: ListedBatch): z.output<typeof batchSummaryAnswer> {
  return {
    id: listed.id,
    name: listed.name,
    project: { id: listed.projectId, name: listed.projectName },
    dueDate: listed.dueDate,
    items: listed.itemCount,
    done: listed.doneCount,
    planned: listed.planned,
    spent: listed.spent,
    couldSave: listed.openFindingsSaved,
    links: { self: `${apiBase(ctx)}/batches/${listed.id}` },
  };
}
