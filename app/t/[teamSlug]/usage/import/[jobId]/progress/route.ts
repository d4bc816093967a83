// GET /t/{teamSlug}/usage/import/{jobId}/progress — how far an import is, for its progress bar; admins and owners.
import { z } from "zod";
import { errorResponse, teamRoute } from "@/lib/authz/route";
import { appNow } from "@/lib/clock";
import { getImportJob, progressOf } from "@/lib/imports/queries";

export const GET = teamRoute("admin", z.object({}), async (ctx, _input, _request, params) => {
  const jobId = typeof params.jobId === "string" ? params.jobId : "";
  const job = jobId ? await getImportJob(ctx.team.id, jobId) : null;
  if (!job) return errorResponse("not_found", "That import does not exist in this team.");
  return Response.json(progressOf(job, appNow()), { headers: { "Cache-Control": "private, no-store" } });
});
