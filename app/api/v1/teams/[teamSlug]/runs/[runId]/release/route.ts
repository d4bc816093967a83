// POST /api/v1/teams/{teamSlug}/runs/{runId}/release — give a held run's credits back (not run, or failed).
import { apiRoute } from "@/lib/authz/api";
import { releaseRun as releaseRunOperation } from "@/lib/api/operations/runs";
import { checkRunReachable } from "@/lib/api/runs";
import { releaseRun } from "@/lib/ledger/commands";

export const POST = apiRoute(releaseRunOperation, async (ctx, { params, body }) => {
  await checkRunReachable(ctx, params.runId);
  const released = await releaseRun(ctx, { runId: params.runId, failed: body.failed ?? false, reason: body.reason ?? "", idempotencyKey: ctx.ledgerKey });
  return { status: 200, body: { runId: params.runId, state: released.state } };
});
