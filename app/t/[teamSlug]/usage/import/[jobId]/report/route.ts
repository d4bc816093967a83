// GET /t/{teamSlug}/usage/import/{jobId}/report — every row of an import with its result and reason, as a CSV file, streamed; admins and owners.
import { Readable } from "node:stream";
import { stringify } from "csv-stringify";
import { z } from "zod";
import { errorResponse, teamRoute } from "@/lib/authz/route";
import { getImportJob, REPORT_COLUMNS, reportRows } from "@/lib/imports/queries";

export const GET = teamRoute("admin", z.object({}), async (ctx, _input, _request, params) => {
  const jobId = typeof params.jobId === "string" ? params.jobId : "";
  const job = jobId ? await getImportJob(ctx.team.id, jobId) : null;
  if (!job) return errorResponse("not_found", "That import does not exist in this team.");
  const csv = Readable.from(reportRows(job.id, job.layout)).pipe(stringify({ header: true, columns: REPORT_COLUMNS }));
  const name = `import-report-${job.fileName.replace(/\.csv$/i, "").replace(/[^A-Za-z0-9._-]+/g, "-").slice(0, 80) || "usage"}.csv`;
  return new Response(Readable.toWeb(csv) as ReadableStream, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${name}"`,
      "Cache-Control": "private, no-store",
    },
  });
});
