// GET /api/v1/teams/{teamSlug}/batches — the team's batches with their totals (a key limited to one project sees its own).
import { apiRoute, checkKeyProject, keyProject } from "@/lib/authz/api";
import { batchListRow } from "@/lib/api/batches";
import { listBatches } from "@/lib/api/operations/batches";
import { listBatches as readBatches } from "@/lib/batches/queries";

const DEFAULT_LIMIT = 100;

export const GET = apiRoute(listBatches, async (ctx, { query }) => {
  if (query.project) checkKeyProject(ctx, query.project, "project");
  const projectId = query.project ?? keyProject(ctx) ?? undefined;
  const limit = query.limit ?? DEFAULT_LIMIT;
  // One more than asked, to say whether there are more; only those are read and summed up.
  const batches = await readBatches(ctx.team.id, { projectId, take: limit + 1 });
  return { status: 200, body: { batches: batches.slice(0, limit).map((batch) => batchListRow(ctx, batch)), more: batches.length > limit } };
});
