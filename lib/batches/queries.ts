// Reads for batches of one team: the list with planned and spent credits, one batch with its items, runs and budget, and
// the team's open findings. Figures come from lib/recommendations with the team's price list in force.
import "server-only";
import { db } from "@/lib/db/client";
import { projectBudgetStatuses } from "@/lib/ledger/queries";
import { priceListInForce } from "@/lib/price-lists/queries";
import { acceptOpen, applyAllSavings, batchFindings, estimateBatch, type Finding, type PlannedItem } from "@/lib/recommendations";
import type { PriceList } from "@/lib/pricing/types";
import type { RuleId } from "@/lib/recommendations/types";
import { toPlannedItem } from "./rules";
import { readAnswers, type FinalAnswers } from "./schema";

/** The columns of an item that toPlannedItem and the pages read; commands select the same. */
export const itemSelect = {
  id: true,
  batchId: true,
  position: true,
  title: true,
  outputType: true,
  purpose: true,
  prompt: true,
  plan: true,
  flags: true,
  status: true,
  answers: true,
  version: true,
} as const;

/** Credits a run counts for: what a settled run cost (less refunds), what a held one holds; nothing for a released one. */
function spentOf(run: { state: string; estimate: number; actual: number | null; refunded: number }): number {
  if (run.state === "held") return run.estimate;
  if (run.state === "settled") return (run.actual ?? 0) - run.refunded;
  return 0;
}

/** Credits spent per item (settled and held runs linked to it), for the items of these batches. */
async function spentByItem(teamId: string, batchIds: string[]): Promise<Map<string, number>> {
  if (batchIds.length === 0) return new Map();
  const rows = await db().$queryRaw<{ itemId: string; spent: number }[]>`
    SELECT r."batchItemId" AS "itemId",
        SUM(CASE r."state" WHEN 'held' THEN r."estimate" WHEN 'settled' THEN COALESCE(r."actual", 0) - r."refunded" ELSE 0 END)::float8 AS spent
      FROM "Run" r JOIN "BatchItem" i ON i."id" = r."batchItemId" AND i."teamId" = r."teamId"
      WHERE r."teamId" = ${teamId} AND i."batchId" = ANY(${batchIds})
      GROUP BY r."batchItemId"`;
  return new Map(rows.map((row) => [row.itemId, Number(row.spent)]));
}

async function dismissedKeys(teamId: string, batchIds: string[]): Promise<Map<string, Set<string>>> {
  const rows = await db().findingDismissal.findMany({ where: { teamId, batchId: { in: batchIds } }, select: { batchId: true, key: true } });
  const byBatch = new Map<string, Set<string>>();
  for (const row of rows) byBatch.set(row.batchId, (byBatch.get(row.batchId) ?? new Set()).add(row.key));
  return byBatch;
}

/** What applying a batch's open (not dismissed) saving findings one after another would save: overlaps count once. */
function openSaving(priceList: PriceList, items: PlannedItem[], dismissed: Set<string> | undefined): number {
  return applyAllSavings(priceList, items, acceptOpen(priceList, items, dismissed ?? new Set())).saved;
}

export type BatchSummary = {
  id: string;
  name: string;
  projectId: string;
  projectName: string;
  dueDate: string | null;
  /** Items that count towards progress: every item but the dropped ones, as on the batch page. */
  itemCount: number;
  doneCount: number;
  /** Credits of the plan of every item not dropped; items whose plan cannot be priced now count nothing. */
  planned: number;
  spent: number;
  /** What applying the open (not dismissed) saving findings one by one would save, added up. */
  openFindingsSaved: number;
};

const day = (date: Date | null) => (date ? date.toISOString().slice(0, 10) : null);

export async function listBatches(teamId: string, filter: { projectId?: string; take?: number } = {}): Promise<BatchSummary[]> {
  const batches = await db().batch.findMany({
    where: { teamId, ...(filter.projectId ? { projectId: filter.projectId } : {}) },
    ...(filter.take ? { take: filter.take } : {}),
    orderBy: [{ dueDate: { sort: "asc", nulls: "last" } }, { createdAt: "desc" }],
    select: { id: true, name: true, projectId: true, dueDate: true, project: { select: { name: true } }, items: { orderBy: { position: "asc" }, select: itemSelect } },
  });
  const ids = batches.map((batch) => batch.id);
  const [{ priceList }, spent, dismissed] = await Promise.all([priceListInForce(teamId), spentByItem(teamId, ids), dismissedKeys(teamId, ids)]);
  return batches.map((batch) => {
    const items = batch.items.map(toPlannedItem);
    return {
      id: batch.id,
      name: batch.name,
      projectId: batch.projectId,
      projectName: batch.project.name,
      dueDate: day(batch.dueDate),
      itemCount: items.filter((item) => item.status !== "dropped").length,
      doneCount: items.filter((item) => item.status === "done").length,
      planned: estimateBatch(priceList, items).credits,
      spent: items.reduce((sum, item) => sum + (spent.get(item.id) ?? 0), 0),
      openFindingsSaved: openSaving(priceList, items, dismissed.get(batch.id)),
    };
  });
}

export type BatchItemView = PlannedItem & {
  version: number;
  position: number;
  answers: FinalAnswers;
  spent: number;
  runs: {
    id: string;
    stage: "test" | "draft" | "final";
    state: "held" | "settled" | "released" | "failed";
    estimate: number;
    actual: number | null;
    quantity: number;
    modelName: string;
    userId: string;
    /** How it turned out, once settled. */
    outcome: "accepted" | "rejected" | "needs_edit" | "failed" | null;
    /** What it counts in the item's spent: held while on hold, charged less refunds once settled, 0 when released. */
    spent: number;
    createdAt: Date;
    /** The approval this run is the hold of, if any. */
    approvalRequest: { id: string; state: string } | null;
  }[];
};

/** One batch with everything its page shows, or null when it is not this team's. */
export async function getBatch(teamId: string, batchId: string, now = new Date()) {
  const batch = await db().batch.findFirst({
    where: { id: batchId, teamId },
    select: {
      id: true,
      name: true,
      dueDate: true,
      notes: true,
      version: true,
      createdAt: true,
      updatedAt: true,
      appTest: true,
      appVersion: { select: { version: true, app: { select: { id: true, name: true } } } },
      project: { select: { id: true, name: true, archivedAt: true } },
      team: { select: { id: true, timeZone: true } },
      items: {
        orderBy: { position: "asc" },
        select: {
          ...itemSelect,
          runs: {
            where: { teamId },
            orderBy: [{ createdAt: "asc" }, { id: "asc" }],
            select: {
              id: true,
              stage: true,
              state: true,
              estimate: true,
              actual: true,
              refunded: true,
              quantity: true,
              modelName: true,
              userId: true,
              outcome: true,
              createdAt: true,
              approvalRequest: { select: { id: true, state: true } },
            },
          },
        },
      },
      dismissals: {
        orderBy: { createdAt: "desc" },
        select: { id: true, key: true, rule: true, itemId: true, reason: true, createdAt: true, userId: true },
      },
    },
  });
  if (!batch) return null;
  const [inForce, budgets] = await Promise.all([priceListInForce(teamId, now), batch.project.archivedAt ? [] : projectBudgetStatuses(batch.team, now, batch.project.id)]);
  const budget = budgets[0]?.budget;
  const items: BatchItemView[] = batch.items.map((row) => ({
    ...toPlannedItem(row),
    version: row.version,
    position: row.position,
    answers: readAnswers(row.answers),
    spent: row.runs.reduce((sum, run) => sum + spentOf(run), 0),
    runs: row.runs.map((run) => ({
      id: run.id,
      stage: run.stage,
      state: run.state,
      estimate: run.estimate,
      actual: run.actual,
      quantity: run.quantity,
      modelName: run.modelName,
      userId: run.userId,
      outcome: run.outcome,
      spent: spentOf(run),
      createdAt: run.createdAt,
      approvalRequest: run.approvalRequest,
    })),
  }));
  const userIds = [...new Set(batch.dismissals.map((d) => d.userId).filter((id): id is string => id !== null))];
  const people = new Map((await db().user.findMany({ where: { id: { in: userIds } }, select: { id: true, name: true } })).map((u) => [u.id, u.name]));
  return {
    batch: {
      id: batch.id,
      name: batch.name,
      dueDate: day(batch.dueDate),
      notes: batch.notes,
      version: batch.version,
      createdAt: batch.createdAt,
      updatedAt: batch.updatedAt,
      /** The app version this batch runs, if an app made it (a test of a draft when `test`). */
      app: batch.appVersion && { id: batch.appVersion.app.id, name: batch.appVersion.app.name, version: batch.appVersion.version, test: batch.appTest },
    },
    project: { id: batch.project.id, name: batch.project.name, archived: batch.project.archivedAt !== null },
    items,
    dismissals: batch.dismissals.map(({ userId, ...dismissal }) => ({ ...dismissal, userName: userId ? (people.get(userId) ?? null) : null })),
    priceList: inForce.priceList,
    priceListVersion: inForce.version,
    budget: budget ? { remaining: budget.remaining, credits: budget.credits, periodLabel: budget.periodLabel } : null,
  };
}

export type TeamFinding = Finding & { batchId: string; batchName: string; projectId: string; projectName: string; itemTitle: string | null };

/**
 * Open findings (not dismissed) of every batch in the team's active projects, largest saving first, and what the
 * savings add up to. Quality warnings and advice are listed too; only savings count in the total.
 */
export async function teamFindings(teamId: string, filter: { projectId?: string; rule?: RuleId } = {}) {
  const batches = await db().batch.findMany({
    where: { teamId, project: { archivedAt: null }, ...(filter.projectId ? { projectId: filter.projectId } : {}) },
    select: { id: true, name: true, projectId: true, project: { select: { name: true } }, items: { orderBy: { position: "asc" }, select: itemSelect } },
  });
  const [{ priceList }, dismissed] = await Promise.all([priceListInForce(teamId), dismissedKeys(teamId, batches.map((b) => b.id))]);
  let saved = 0;
  const findings: TeamFinding[] = batches.flatMap((batch) => {
    const items = batch.items.map(toPlannedItem);
    const all = batchFindings(priceList, items);
    const open = all.filter((finding) => !dismissed.get(batch.id)?.has(finding.key) && (!filter.rule || finding.rule === filter.rule));
    // With a rule filter the total is of that rule's findings alone; otherwise overlaps are not counted twice.
    saved += filter.rule
      ? open.filter((finding) => finding.kind === "saving").reduce((sum, finding) => sum + finding.saved, 0)
      : openSaving(priceList, items, dismissed.get(batch.id));
    const titles = new Map(items.map((item) => [item.id, item.title]));
    return open.map((finding) => ({
      ...finding,
      batchId: batch.id,
      batchName: batch.name,
      projectId: batch.projectId,
      projectName: batch.project.name,
      itemTitle: finding.itemId ? (titles.get(finding.itemId) ?? null) : null,
    }));
  });
  findings.sort((a, b) => b.saved - a.saved || a.projectName.localeCompare(b.projectName) || a.batchName.localeCompare(b.batchName) || a.key.localeCompare(b.key));
  return { findings, saved };
}
