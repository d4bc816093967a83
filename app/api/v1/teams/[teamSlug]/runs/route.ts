// POST /api/v1/teams/{teamSlug}/runs — admission: admitted with its hold, needs approval (with the rule), or denied (with the figures).
import { apiRoute, checkKeyProject } from "@/lib/authz/api";
import { admitRun as admitRunOperation } from "@/lib/api/operations/runs";
import { admissionAnswer } from "@/lib/api/runs";
import { admitRun } from "@/lib/ledger/commands";

export const POST = apiRoute(admitRunOperation, async (ctx, { body }) => {
  checkKeyProject(ctx, body.projectId);
  const outcome = await admitRun(ctx, { ...body, settings: body.settings ?? {}, notes: body.notes ?? "", idempotencyKey: ctx.ledgerKey });
  return admissionAnswer(ctx, outcome);
});
