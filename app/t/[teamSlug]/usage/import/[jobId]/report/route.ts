// GET /t/{teamSlug}/usage/import/{jobId}/report — every row of an import with its result and reason, as a CSV file, streamed; admins and owners.
import { z } from "zod";
import { errorResponse, teamRoute } from "@/lib/authz/route";
import { csvStreamResponse } from "@/lib/csv";
import { getImportJob, REPORT_COLUMNS, reportRows } from "@/lib/imports/queries";

/** The report's rows a thousand at a time, as the streamed CSV writer takes them. */
async function* inBatches(rows: AsyncGenerator<unknown[]>, size = 1_000): AsyncGenerator<unknown[][]> {
  let batch: unknown[][] = [];
  for await (const row of rows) {
    batch.push(row);
    if (batch.length === size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

export const GET = teamRoute("admin", z.object({}), async (ctx, _input, _request, params) => {
  const jobId = typeof params.jobId === "string" ? params.jobId : "";
  const job = jobId ? await getImportJob(ctx.team.id, jobId) : null;
  if (!job) return errorResponse("not_found", "That import does not exist in this team.");
  const name = `import-report-${job.fileName.replace(/\.csv$/i, "").replace(/[^A-Za-z0-9._-]+/g, "-").slice(0, 80) || "usage"}.csv`;
  // Through the one streamed writer: a reader that goes away, or a read that fails, ends the file without a crash.
  return csvStreamResponse(name, REPORT_COLUMNS, inBatches(reportRows(job.id, job.layout)));
});
