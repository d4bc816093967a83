// GET /api/v1/teams/{teamSlug}/batches/{batchId} — a batch as its page shows it: items, estimates, findings and totals.
import { apiRoute, checkKeyProject } from "@/lib/authz/api";
import { batchDetailAnswer } from "@/lib/api/batches";
import { getBatch as getBatchOperation } from "@/lib/api/operations/batches";
import { DomainError } from "@/lib/authz/result";
import { getBatch } from "@/lib/batches/queries";
import { appNow } from "@/lib/clock";

export const GET = apiRoute(getBatchOperation, async (ctx, { params }) => {
  const found = await getBatch(ctx.team.id, params.batchId, appNow());
  if (!found) throw new DomainError("not_found", "That batch does not exist in this team.");
  checkKeyProject(ctx, found.project.id, "batchId");
  return { status: 200, body: batchDetailAnswer(ctx, found) };
});
