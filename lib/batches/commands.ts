// Writes for batches: batches, items, paste, status, the four questions, applying and dismissing findings, and runs
// recorded against items; each in one transaction with its audit entry.
import "server-only";
import { appNow } from "@/lib/clock";
import { db } from "@/lib/db/client";
import type { Prisma } from "@/lib/db/generated/client";
import type { TransactionClient } from "@/lib/db/transaction";
import { recordAudit } from "@/lib/audit/commands";
import { DomainError, fieldError } from "@/lib/authz/result";
import { hasRole } from "@/lib/authz/roles";
import type { TeamContext } from "@/lib/authz/team";
import { admitRun, type AdmitOutcome } from "@/lib/ledger/commands";
import { priceListInForce } from "@/lib/price-lists/queries";
import type { PriceList } from "@/lib/pricing/types";
import { applyFinding, batchFindings, type Finding, type PlannedItem } from "@/lib/recommendations";
import type { ItemPlan, ItemStatus } from "@/lib/recommendations/types";
import { appItemRunProblem, planProblem, parsePastedItems, statusChangeProblem, toPlannedItem, type PasteDefaults } from "./rules";
import { itemSelect } from "./queries";
import { MAX_ITEMS_PER_BATCH, NO_ANSWERS, type FinalAnswers, type ItemFields, type ItemRunStage } from "./schema";

export const STALE_ITEM =
  "Someone else changed this item since you opened it. Reload to see their version; your changes are still in the form.";
export const STALE_BATCH =
  "Someone else changed this batch since you opened it. Reload to see their version; your changes are still in the form.";
const BATCH_NOT_FOUND = "That batch does not exist in this team.";
const ITEM_NOT_FOUND = "That item does not exist in this team.";

type Tx = TransactionClient;

/** The batch of this team, locked until the transaction ends: writes to one batch's items take turns. */
async function lockBatch(tx: Tx, teamId: string, batchId: string) {
  const rows = await tx.$queryRaw<{ id: string }[]>`
    SELECT "id" FROM "Batch" WHERE "id" = ${batchId} AND "teamId" = ${teamId} FOR UPDATE`;
  if (rows.length === 0) throw new DomainError("not_found", BATCH_NOT_FOUND);
  const batch = await tx.batch.findUniqueOrThrow({
    where: { id: batchId },
    select: { id: true, name: true, projectId: true, dueDate: true, notes: true, version: true, appVersionId: true, project: { select: { name: true, archivedAt: true } } },
  });
  if (batch.project.archivedAt) throw new DomainError("invalid", PROJECT_ARCHIVED);
  return batch;
}

/**
 * An app's batch holds exactly what the app made — one item per output, the app's steps as each plan — so its runs
 * say how the app (or, in a test, its draft) does: its items are not added to, copied or re-planned by hand.
 */
function refuseAppBatch(batch: { appVersionId: string | null }) {
  if (batch.appVersionId) {
    throw new DomainError("conflict", "This batch was made by an app: its items follow the app's steps and are not changed by hand. Change the app, or copy the batch to plan freely.");
  }
}

// An archived project's batches are kept as they were, like its runs: read them, change nothing.
const PROJECT_ARCHIVED = "This batch's project is archived; restore the project to change its batches.";

async function findItem(tx: Tx, teamId: string, itemId: string) {
  const found = await tx.batchItem.findFirst({ where: { id: itemId, teamId }, select: { ...itemSelect, batch: { select: { appVersionId: true, project: { select: { archivedAt: true } } } } } });
  if (!found) throw new DomainError("not_found", ITEM_NOT_FOUND);
  const { batch, ...item } = found;
  if (batch.project.archivedAt) throw new DomainError("invalid", PROJECT_ARCHIVED);
  return { ...item, appVersionId: batch.appVersionId };
}

/** The plan priced with the team's list in force; a problem is a field error under "plan.". */
async function checkPlan(teamId: string, fields: Pick<ItemFields, "outputType" | "plan">) {
  const { priceList } = await priceListInForce(teamId);
  const problem = planProblem(priceList, fields.outputType, fields.plan);
  if (problem) throw fieldError(problem.field === "plan" ? "plan" : `plan.${problem.field}`, problem.message);
}

async function nextPosition(tx: Tx, batchId: string, adding: number): Promise<number> {
  const { _max, _count } = await tx.batchItem.aggregate({ where: { batchId }, _max: { position: true }, _count: true });
  if (_count + adding > MAX_ITEMS_PER_BATCH) {
    throw new DomainError(
      "invalid",
      `A batch holds at most ${MAX_ITEMS_PER_BATCH.toLocaleString("en-US")} items; this one has ${_count.toLocaleString("en-US")}. Start another batch for the rest.`,
    );
  }
  return (_max.position ?? 0) + 1;
}

function audit(tx: Tx, ctx: TeamContext, action: string, targetType: "batch" | "batch_item", targetId: string, details: Prisma.InputJsonObject) {
  return recordAudit(tx, { teamId: ctx.team.id, actorId: ctx.user.id, action, targetType, targetId, details });
}

function asJson(value: unknown): Prisma.InputJsonValue {
  return value as Prisma.InputJsonValue;
}

const dayToDate = (day: string | undefined) => (day ? new Date(`${day}T00:00:00.000Z`) : null);

// --- batches ---------------------------------------------------------------------------------------------------

export async function createBatch(ctx: TeamContext, input: { projectId: string; name: string; dueDate?: string; notes: string }) {
  return db().$transaction(async (tx) => {
    const project = await tx.project.findFirst({ where: { id: input.projectId, teamId: ctx.team.id }, select: { id: true, archivedAt: true } });
    if (!project) throw fieldError("projectId", "That project does not exist in this team.", "not_found");
    if (project.archivedAt) throw fieldError("projectId", "That project is archived; restore it to plan a batch in it.");
    const batch = await tx.batch.create({
      data: { teamId: ctx.team.id, projectId: project.id, name: input.name, dueDate: dayToDate(input.dueDate), notes: input.notes, createdById: ctx.user.id },
      select: { id: true, name: true },
    });
    await audit(tx, ctx, "batch.created", "batch", batch.id, { name: batch.name, projectId: project.id });
    return { batchId: batch.id, name: batch.name };
  });
}

export async function updateBatch(ctx: TeamContext, input: { batchId: string; version: number; name: string; dueDate?: string; notes: string }) {
  await db().$transaction(async (tx) => {
    const batch = await lockBatch(tx, ctx.team.id, input.batchId);
    if (batch.version !== input.version) throw new DomainError("conflict", STALE_BATCH);
    await tx.batch.update({
      where: { id: batch.id },
      data: { name: input.name, dueDate: dayToDate(input.dueDate), notes: input.notes, version: { increment: 1 } },
    });
    await audit(tx, ctx, "batch.updated", "batch", batch.id, { from: batch.name, to: input.name, dueDate: input.dueDate ?? null });
  });
}

/**
 * A batch and its items, each item planned and unanswered — what running an app makes (`app`: the version it runs,
 * and whether this is a test of a draft). The caller has checked the plans against the price list.
 */
export type NewBatchWithItems = {
  projectId: string;
  name: string;
  notes: string;
  items: ItemFields[];
  app?: { versionId: string; test: boolean };
  /** The API request's key (an app run): unique in the team, so a resend cannot make a second batch. */
  requestKey?: string;
};

/** A batch and its items in one transaction. */
export async function createBatchWithItems(ctx: TeamContext, input: NewBatchWithItems) {
  return db().$transaction((tx) => insertBatchWithItems(tx, ctx, input));
}

/** createBatchWithItems inside the caller's transaction (an app run checks its app under the same locks). */
export async function insertBatchWithItems(tx: TransactionClient, ctx: TeamContext, input: NewBatchWithItems) {
  if (input.items.length === 0 || input.items.length > MAX_ITEMS_PER_BATCH) {
    throw new DomainError("invalid", `A batch holds 1 to ${MAX_ITEMS_PER_BATCH.toLocaleString("en-US")} items.`);
  }
  const project = await tx.project.findFirst({ where: { id: input.projectId, teamId: ctx.team.id }, select: { id: true, archivedAt: true } });
  if (!project) throw fieldError("projectId", "That project does not exist in this team.", "not_found");
  if (project.archivedAt) throw fieldError("projectId", "That project is archived; restore it to plan a batch in it.");
  const batch = await tx.batch.create({
    data: {
      teamId: ctx.team.id,
      projectId: project.id,
      name: input.name,
      notes: input.notes,
      createdById: ctx.user.id,
      appVersionId: input.app?.versionId ?? null,
      appTest: input.app?.test ?? false,
      requestKey: input.requestKey ?? null,
    },
    select: { id: true, name: true },
  });
  await tx.batchItem.createMany({
    data: input.items.map((item, index) => ({ teamId: ctx.team.id, batchId: batch.id, position: index + 1, ...itemData(item), answers: asJson(NO_ANSWERS) })),
  });
  await audit(tx, ctx, "batch.created", "batch", batch.id, { name: batch.name, projectId: project.id, items: input.items.length, appVersionId: input.app?.versionId ?? null });
  return { batchId: batch.id, name: batch.name };
}

const COPY_SUFFIX = " (copy)";

export async function duplicateBatch(ctx: TeamContext, input: { batchId: string; name?: string }) {
  return db().$transaction(async (tx) => {
    const batch = await lockBatch(tx, ctx.team.id, input.batchId);
    if (batch.project.archivedAt) throw new DomainError("invalid", "This batch's project is archived; restore it to plan another batch in it.");
    const name = input.name ?? `${batch.name.slice(0, 120 - COPY_SUFFIX.length)}${COPY_SUFFIX}`;
    const copy = await tx.batch.create({
      data: { teamId: ctx.team.id, projectId: batch.projectId, name, dueDate: batch.dueDate, notes: batch.notes, createdById: ctx.user.id },
      select: { id: true },
    });
    const items = await tx.batchItem.findMany({ where: { batchId: batch.id }, orderBy: { position: "asc" }, select: itemSelect });
    // A copy is a fresh plan: every item planned again, the questions unanswered, no runs.
    await tx.batchItem.createMany({
      data: items.map((item) => ({
        teamId: ctx.team.id,
        batchId: copy.id,
        position: item.position,
        title: item.title,
        outputType: item.outputType,
        purpose: item.purpose,
        prompt: item.prompt,
        plan: asJson(item.plan),
        flags: asJson(item.flags),
        status: "planned",
        answers: asJson(NO_ANSWERS),
      })),
    });
    await audit(tx, ctx, "batch.duplicated", "batch", copy.id, { from: batch.id, name, items: items.length });
    return { batchId: copy.id, name };
  });
}

// --- items -----------------------------------------------------------------------------------------------------

function itemData(fields: ItemFields) {
  return {
    title: fields.title,
    outputType: fields.outputType,
    purpose: fields.purpose,
    prompt: fields.prompt,
    plan: asJson(fields.plan),
    flags: asJson(fields.flags),
  };
}

export async function addItem(ctx: TeamContext, input: ItemFields & { batchId: string }) {
  await checkPlan(ctx.team.id, input);
  return db().$transaction(async (tx) => {
    const batch = await lockBatch(tx, ctx.team.id, input.batchId);
    refuseAppBatch(batch);
    const position = await nextPosition(tx, batch.id, 1);
    const item = await tx.batchItem.create({
      data: { teamId: ctx.team.id, batchId: batch.id, position, ...itemData(input), answers: asJson(NO_ANSWERS) },
      select: { id: true },
    });
    await audit(tx, ctx, "batch.item_added", "batch_item", item.id, { batchId: batch.id, title: input.title });
    return { itemId: item.id };
  });
}

/** Changes the item only if it is still at `version`; otherwise nothing is written and the person is told. */
async function updateAtVersion(tx: Tx, itemId: string, version: number, data: Prisma.BatchItemUpdateManyMutationInput) {
  const { count } = await tx.batchItem.updateMany({ where: { id: itemId, version }, data: { ...data, version: { increment: 1 } } });
  if (count === 0) throw new DomainError("conflict", STALE_ITEM);
}

export async function updateItem(ctx: TeamContext, input: ItemFields & { itemId: string; version: number }) {
  await checkPlan(ctx.team.id, input);
  await db().$transaction(async (tx) => {
    const item = await findItem(tx, ctx.team.id, input.itemId);
    refuseAppBatch(item);
    await updateAtVersion(tx, item.id, input.version, itemData(input));
    await audit(tx, ctx, "batch.item_updated", "batch_item", item.id, { batchId: item.batchId, title: input.title });
  });
}

export async function duplicateItem(ctx: TeamContext, input: { itemId: string }) {
  return db().$transaction(async (tx) => {
    const found = await findItem(tx, ctx.team.id, input.itemId);
    const batch = await lockBatch(tx, ctx.team.id, found.batchId);
    refuseAppBatch(batch);
    const position = await nextPosition(tx, batch.id, 1);
    const title = `${found.title.slice(0, 200 - COPY_SUFFIX.length)}${COPY_SUFFIX}`;
    const copy = await tx.batchItem.create({
      data: {
        teamId: ctx.team.id,
        batchId: batch.id,
        position,
        title,
        outputType: found.outputType,
        purpose: found.purpose,
        prompt: found.prompt,
        plan: asJson(found.plan),
        flags: asJson(found.flags),
        status: "planned",
        answers: asJson(NO_ANSWERS),
      },
      select: { id: true },
    });
    await audit(tx, ctx, "batch.item_added", "batch_item", copy.id, { batchId: batch.id, title, copiedFrom: found.id });
    return { itemId: copy.id };
  });
}

export async function pasteItems(ctx: TeamContext, input: { batchId: string; text: string; format: "lines" | "csv" } & PasteDefaults) {
  const { priceList } = await priceListInForce(ctx.team.id);
  // The defaults are the plan of every line that names no plan of its own: a problem there is the form's, not a line's.
  if (input.format === "lines") {
    const problem = planProblem(priceList, input.outputType, input.plan);
    if (problem) throw fieldError(problem.field === "plan" ? "plan" : `plan.${problem.field}`, problem.message);
  }
  const parsed = parsePastedItems(priceList, input.text, input.format, input);
  if (!parsed.ok) throw fieldError("text", parsed.message);
  return db().$transaction(async (tx) => {
    const batch = await lockBatch(tx, ctx.team.id, input.batchId);
    refuseAppBatch(batch);
    const first = await nextPosition(tx, batch.id, parsed.items.length);
    await tx.batchItem.createMany({
      data: parsed.items.map((item, i) => ({
        teamId: ctx.team.id,
        batchId: batch.id,
        position: first + i,
        ...itemData(item),
        answers: asJson(NO_ANSWERS),
      })),
    });
    await audit(tx, ctx, "batch.items_pasted", "batch", batch.id, { format: input.format, items: parsed.items.length });
    return { added: parsed.items.length };
  });
}

export async function setItemStatus(ctx: TeamContext, input: { itemId: string; version: number; status: ItemStatus }) {
  await db().$transaction(async (tx) => {
    const item = await findItem(tx, ctx.team.id, input.itemId);
    if (item.version !== input.version) throw new DomainError("conflict", STALE_ITEM);
    const settledFinal = input.status === "done" ? await tx.run.count({ where: { batchItemId: item.id, teamId: ctx.team.id, stage: "final", state: "settled", outputType: { not: "tool" } } }) : 0;
    const problem = statusChangeProblem(item.status as ItemStatus, input.status, settledFinal > 0);
    if (problem) throw fieldError("status", problem);
    await updateAtVersion(tx, item.id, input.version, { status: input.status });
    await audit(tx, ctx, "batch.item_status", "batch_item", item.id, { batchId: item.batchId, from: item.status, to: input.status });
  });
}

export async function answerFinalQuestions(ctx: TeamContext, input: { itemId: string; version: number; answers: FinalAnswers }) {
  await db().$transaction(async (tx) => {
    const item = await findItem(tx, ctx.team.id, input.itemId);
    await updateAtVersion(tx, item.id, input.version, { answers: asJson(input.answers) });
    await audit(tx, ctx, "batch.item_answered", "batch_item", item.id, { batchId: item.batchId, answers: asJson(input.answers) as Prisma.InputJsonObject });
  });
}

// --- findings --------------------------------------------------------------------------------------------------

const FINDING_GONE =
  "This suggestion no longer applies: the plan changed since the page was shown. The findings have been worked out again.";
const FINDING_MOVED =
  "This suggestion's figures changed since the page was shown (a price or the item's purpose changed). Reload the page to see the new figures before applying it.";

/** The batch's findings as the server computes them now, with the team's price list in force; never a plan from the client. */
async function currentFindings(tx: Tx, teamId: string, batchId: string) {
  const rows = await tx.batchItem.findMany({ where: { batchId, teamId }, orderBy: { position: "asc" }, select: itemSelect });
  const items = rows.map(toPlannedItem);
  // Read through the transaction: on the embedded database a second connection would wait for this one.
  const { priceList } = await priceListInForce(teamId, new Date(), tx);
  return { rows, items, findings: batchFindings(priceList, items) };
}

function findingByKey(findings: Finding[], key: string): Finding {
  const finding = findings.find((candidate) => candidate.key === key);
  if (!finding) throw new DomainError("conflict", FINDING_GONE);
  return finding;
}

export async function applyBatchFinding(ctx: TeamContext, input: { batchId: string; key: string; version?: number; before?: number; after?: number }) {
  return db().$transaction(async (tx) => {
    const batch = await lockBatch(tx, ctx.team.id, input.batchId);
    refuseAppBatch(batch);
    const { rows, items, findings } = await currentFindings(tx, ctx.team.id, batch.id);
    const finding = findingByKey(findings, input.key);
    if ((input.before !== undefined && input.before !== finding.before) || (input.after !== undefined && input.after !== finding.after)) {
      throw new DomainError("conflict", FINDING_MOVED);
    }
    if (!finding.change) throw new DomainError("invalid", "This finding asks for something no plan change can do; follow its advice by hand.");
    const target = finding.itemId ? rows.find((row) => row.id === finding.itemId) : undefined;
    if (target && input.version !== undefined && target.version !== input.version) throw new DomainError("conflict", STALE_ITEM);
    const changed = applyFinding(items, finding);
    const versions = new Map(rows.map((row) => [row.id, row.version]));
    for (const change of finding.change.items) {
      const item = changed.find((candidate: PlannedItem) => candidate.id === change.itemId);
      if (!item) continue;
      await updateAtVersion(tx, item.id, versions.get(item.id)!, { plan: asJson(item.plan), outputType: item.outputType });
    }
    await audit(tx, ctx, "batch.finding_applied", "batch", batch.id, {
      key: finding.key,
      rule: finding.rule,
      itemId: finding.itemId,
      change: finding.changeText,
      before: finding.before,
      after: finding.after,
      saved: finding.saved,
    });
    return { saved: finding.saved, rule: finding.rule, itemIds: finding.change.items.map((item) => item.itemId) };
  });
}

export async function dismissBatchFinding(ctx: TeamContext, input: { batchId: string; key: string; reason: string }) {
  return db().$transaction(async (tx) => {
    const batch = await lockBatch(tx, ctx.team.id, input.batchId);
    const { findings } = await currentFindings(tx, ctx.team.id, batch.id);
    const finding = findingByKey(findings, input.key);
    const already = await tx.findingDismissal.findUnique({ where: { batchId_key: { batchId: batch.id, key: finding.key } }, select: { id: true } });
    if (already) throw new DomainError("conflict", "This finding was already dismissed.");
    await tx.findingDismissal.create({
      data: { teamId: ctx.team.id, batchId: batch.id, itemId: finding.itemId, key: finding.key, rule: finding.rule, reason: input.reason, userId: ctx.user.id },
    });
    await audit(tx, ctx, "batch.finding_dismissed", "batch", batch.id, {
      key: finding.key,
      rule: finding.rule,
      itemId: finding.itemId,
      reason: input.reason,
      saved: finding.saved,
    });
    return { rule: finding.rule };
  });
}

// --- runs ------------------------------------------------------------------------------------------------------

/**
 * A test or final run of an item, through the same admission as the project page: the model and settings come from
 * the item's plan step of that stage, the ledger prices, checks and holds it, and the run is linked to the item (the
 * database moves a planned item to testing on its first test run, in the admission's own transaction).
 */
export async function recordItemRun(
  ctx: TeamContext,
  input: {
    itemId: string;
    /** A test, the final, or a tool step of the final (`tool:N`, recorded as part of the final). */
    stage: ItemRunStage;
    quantity: number;
    idempotencyKey?: string;
    purpose?: ItemFields["purpose"];
    notes: string;
    approvalId?: string;
  },
  now = appNow(),
): Promise<AdmitOutcome> {
  const item = await db().batchItem.findFirst({
    where: { id: input.itemId, teamId: ctx.team.id },
    select: { ...itemSelect, batch: { select: { projectId: true, appVersionId: true, appTest: true, createdById: true, project: { select: { archivedAt: true } } } } },
  });
  if (!item) throw new DomainError("not_found", ITEM_NOT_FOUND);
  if (item.batch.project.archivedAt) throw new DomainError("invalid", PROJECT_ARCHIVED);
  checkTestRunner(ctx, item.batch);
  if (item.status === "dropped") throw new DomainError("invalid", "This item was dropped; move it back to planned before running it.");
  const planned = toPlannedItem(item);
  const stage = input.stage === "test" || input.stage === "final" ? input.stage : "tool";
  const step = stage === "test" ? planned.plan.tests : stage === "final" ? planned.plan.finals : planned.plan.tools[Number(input.stage.slice("tool:".length))];
  if (!step) {
    throw fieldError(
      "stage",
      stage === "test" ? "This item's plan has no test step; add one first." : stage === "final" ? "This item's plan has no final; add one first." : "This item's plan has no such tool step.",
    );
  }
  return admitRun(
    ctx,
    {
      projectId: item.batch.projectId,
      modelId: step.modelId,
      settings: step.settings,
      quantity: input.quantity,
      stage: stage === "test" ? "test" : "final",
      purpose: input.purpose ?? planned.purpose,
      prompt: item.prompt,
      notes: input.notes,
      idempotencyKey: input.idempotencyKey,
      approvalId: input.approvalId,
    },
    now,
    { batchItemId: item.id },
  );
}

/** A draft's test runs are what publishing counts: only the person testing it (or an admin) makes them. */
function checkTestRunner(ctx: TeamContext, batch: { appTest: boolean; createdById: string | null }) {
  if (batch.appTest && batch.createdById !== ctx.user.id && !hasRole(ctx.role, "admin")) {
    throw new DomainError("forbidden", "This is a test of an app's draft: only the person who started the test, or an admin, runs its items.");
  }
}

/** What an item must show of itself and its batch for checkItemRunLink. */
export const itemRunLinkSelect = { plan: true, batch: { select: { projectId: true, appVersionId: true, appTest: true, createdById: true } } } as const;

/**
 * A run someone asks to link to an item (an approval request names one): of an app's batch, only by whoever may run
 * its items, and only one of the app's own steps — the same rules as a run recorded from the item.
 */
export function checkItemRunLink(
  ctx: TeamContext,
  item: { plan: unknown; batch: { appVersionId: string | null; appTest: boolean; createdById: string | null } },
  priceList: PriceList,
  run: { modelId: string; settings: Record<string, string>; stage: string },
) {
  if (!item.batch.appVersionId) return;
  checkTestRunner(ctx, item.batch);
  const problem = appItemRunProblem(priceList, item.plan as ItemPlan, run);
  if (problem) throw fieldError("batchItemId", problem);
}

/** Takes a dismissal back: the finding shows again while its plan stays the same. The audit log keeps both. */
export async function restoreBatchFinding(ctx: TeamContext, input: { batchId: string; dismissalId: string }) {
  return db().$transaction(async (tx) => {
    const batch = await lockBatch(tx, ctx.team.id, input.batchId);
    const dismissal = await tx.findingDismissal.findFirst({
      where: { id: input.dismissalId, batchId: batch.id, teamId: ctx.team.id },
      select: { id: true, key: true, rule: true, itemId: true, reason: true },
    });
    if (!dismissal) throw new DomainError("not_found", "That dismissal is not in this batch; it may have been taken back already.");
    await tx.findingDismissal.delete({ where: { id: dismissal.id } });
    await audit(tx, ctx, "batch.finding_restored", "batch", batch.id, { key: dismissal.key, rule: dismissal.rule, itemId: dismissal.itemId, reason: dismissal.reason });
    return { rule: dismissal.rule };
  });
}
