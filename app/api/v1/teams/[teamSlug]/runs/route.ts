// POST /api/v1/teams/{teamSlug}/runs — admission: admitted with its hold, needs approval (with the rule), or denied (with the figures).
import { apiRoute, checkKeyProject } from "@/lib/authz/api";
import { approvalRunLink } from "@/lib/api/approvals";
import { admitRun as admitRunOperation } from "@/lib/api/operations/runs";
import { admissionAnswer } from "@/lib/api/runs";
import { admitRun } from "@/lib/ledger/commands";

export const POST = apiRoute(admitRunOperation, async (ctx, { body }) => {
  checkKeyProject(ctx, body.projectId);
  // A run on an approval for a batch item is that item's run: the approval covers nothing else.
  const link = await approvalRunLink(ctx, body.approvalId);
  const outcome = await admitRun(ctx, { ...body, settings: body.settings ?? {}, notes: body.notes ?? "", idempotencyKey: ctx.ledgerKey }, undefined, link);
  return admissionAnswer(ctx, outcome);
});
