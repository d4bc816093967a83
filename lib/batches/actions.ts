"use server";
// Server actions for batches: authorize → command → revalidate. Members and above write; everyone in the team reads the pages.
import { revalidatePath } from "next/cache";
import { teamAction } from "@/lib/authz/action";
import { ok } from "@/lib/authz/result";
import type { TeamContext } from "@/lib/authz/team";
import { formatNumber } from "@/lib/format";
import {
  addItem,
  answerFinalQuestions,
  applyBatchFinding,
  createBatch,
  dismissBatchFinding,
  duplicateBatch,
  duplicateItem,
  pasteItems,
  recordItemRun,
  restoreBatchFinding,
  setItemStatus,
  updateBatch,
  updateItem,
} from "./commands";
import {
  addItemSchema,
  answerFinalQuestionsSchema,
  applyFindingSchema,
  createBatchSchema,
  dismissFindingSchema,
  duplicateBatchSchema,
  itemIdSchema,
  pasteItemsSchema,
  restoreFindingSchema,
  recordItemRunSchema,
  setItemStatusSchema,
  updateBatchSchema,
  updateItemSchema,
} from "./schema";

function refresh(ctx: TeamContext, batchId?: string) {
  revalidatePath(`/t/${ctx.team.slug}/batches`);
  if (batchId) revalidatePath(`/t/${ctx.team.slug}/batches/${batchId}`);
  revalidatePath(`/t/${ctx.team.slug}/recommendations`);
}

/** Item actions know the item, not its batch: the whole batches area is refreshed. */
function refreshItem(ctx: TeamContext) {
  revalidatePath(`/t/${ctx.team.slug}/batches`, "layout");
  revalidatePath(`/t/${ctx.team.slug}/recommendations`);
}

export const createBatchAction = teamAction("member", createBatchSchema, async (ctx, input) => {
  const batch = await createBatch(ctx, input);
  refresh(ctx);
  return ok({ batchId: batch.batchId }, `Batch “${batch.name}” created.`);
});

export const updateBatchAction = teamAction("member", updateBatchSchema, async (ctx, input) => {
  await updateBatch(ctx, input);
  refresh(ctx, input.batchId);
  return ok(null, "Batch saved.");
});

export const duplicateBatchAction = teamAction("member", duplicateBatchSchema, async (ctx, input) => {
  const copy = await duplicateBatch(ctx, input);
  refresh(ctx);
  return ok({ batchId: copy.batchId }, `Batch copied as “${copy.name}”.`);
});

export const addItemAction = teamAction("member", addItemSchema, async (ctx, input) => {
  const item = await addItem(ctx, input);
  refresh(ctx, input.batchId);
  return ok(item, "Item added.");
});

export const updateItemAction = teamAction("member", updateItemSchema, async (ctx, input) => {
  await updateItem(ctx, input);
  refreshItem(ctx);
  return ok(null, "Item saved.");
});

export const duplicateItemAction = teamAction("member", itemIdSchema, async (ctx, input) => {
  const item = await duplicateItem(ctx, input);
  refreshItem(ctx);
  return ok(item, "Item copied.");
});

export const pasteItemsAction = teamAction("member", pasteItemsSchema, async (ctx, input) => {
  const { added } = await pasteItems(ctx, input);
  refresh(ctx, input.batchId);
  return ok({ added }, `${formatNumber(added)} ${added === 1 ? "item" : "items"} added.`);
});

export const setItemStatusAction = teamAction("member", setItemStatusSchema, async (ctx, input) => {
  await setItemStatus(ctx, input);
  refreshItem(ctx);
  return ok(null, "Status saved.");
});

export const answerFinalQuestionsAction = teamAction("member", answerFinalQuestionsSchema, async (ctx, input) => {
  await answerFinalQuestions(ctx, input);
  refreshItem(ctx);
  return ok(null, "Answers saved.");
});

export const applyFindingAction = teamAction("member", applyFindingSchema, async (ctx, input) => {
  const applied = await applyBatchFinding(ctx, input);
  refresh(ctx, input.batchId);
  return ok(applied, applied.saved > 0 ? `Applied: the plan is ${formatNumber(applied.saved)} credits cheaper.` : "Applied.");
});

export const dismissFindingAction = teamAction("member", dismissFindingSchema, async (ctx, input) => {
  await dismissBatchFinding(ctx, input);
  refresh(ctx, input.batchId);
  return ok(null, "Finding dismissed.");
});

export const restoreFindingAction = teamAction("member", restoreFindingSchema, async (ctx, input) => {
  await restoreBatchFinding(ctx, input);
  refresh(ctx, input.batchId);
  return ok(null, "Dismissal taken back: the finding shows again for as long as its plan stays the same.");
});

export const recordItemRunAction = teamAction("member", recordItemRunSchema, async (ctx, input) => {
  const outcome = await recordItemRun(ctx, input);
  refreshItem(ctx);
  revalidatePath(`/t/${ctx.team.slug}`, "layout");
  return ok(outcome, outcome.status === "admitted" ? `Admitted: ${formatNumber(outcome.estimate)} credits are held for this run.` : undefined);
});
