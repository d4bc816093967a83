// POST /api/v1/teams/{teamSlug}/runs/{runId}/settle — charge what a held run cost, and how it turned out.
import { apiRoute } from "@/lib/authz/api";
import { settleRun as settleRunOperation } from "@/lib/api/operations/runs";
import { checkRunReachable } from "@/lib/api/runs";
import { settleRun } from "@/lib/ledger/commands";

export const POST = apiRoute(settleRunOperation, async (ctx, { params, body }) => {
  await checkRunReachable(ctx, params.runId);
  const settled = await settleRun(ctx, { runId: params.runId, ...body, idempotencyKey: ctx.ledgerKey });
  return { status: 200, body: { runId: params.runId, state: "settled", actual: settled.actual, overrun: settled.overrun } };
});
