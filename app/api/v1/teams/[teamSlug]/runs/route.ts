// /api/v1/teams/{teamSlug}/runs — POST: admission (admitted with its hold, needs approval with the rule, or denied
// with the figures); GET: the Usage page's runs for its filter, a page at a time.
import { apiRoute, checkKeyProject } from "@/lib/authz/api";
import { approvalRunLink } from "@/lib/api/approvals";
import { admitRun as admitRunOperation } from "@/lib/api/operations/runs";
import { listRuns } from "@/lib/api/operations/usage";
import { admissionAnswer } from "@/lib/api/runs";
import { readApiCursor, readApiUsageFilter, runAnswer } from "@/lib/api/usage";
import { appNow } from "@/lib/clock";
import { admitRun } from "@/lib/ledger/commands";
import { listUsageRuns } from "@/lib/usage/lists";

export const POST = apiRoute(admitRunOperation, async (ctx, { body }) => {
  checkKeyProject(ctx, body.projectId);
  // A run on an approval for a batch item is that item's run: the approval covers nothing else.
  const link = await approvalRunLink(ctx, body.approvalId);
  const outcome = await admitRun(ctx, { ...body, settings: body.settings ?? {}, notes: body.notes ?? "", idempotencyKey: ctx.ledgerKey }, undefined, link);
  return admissionAnswer(ctx, outcome);
});

export const GET = apiRoute(listRuns, async (ctx, { query }) => {
  const { sort = "newest", cursor, ...asked } = query;
  const filter = await readApiUsageFilter(ctx, asked, appNow());
  if (!filter.ok) return filter.answer;
  const page = readApiCursor(cursor, sort);
  if (!page.ok) return page.answer;
  const list = await listUsageRuns(ctx.team, filter.value, sort, page.value);
  return { status: 200, body: { filter: filter.value, runs: list.runs.map(runAnswer), nextCursor: list.older } };
});
