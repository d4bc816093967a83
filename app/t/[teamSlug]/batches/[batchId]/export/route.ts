// GET /t/{teamSlug}/batches/{batchId}/export — the batch as a CSV file, for anyone in the team.
import { z } from "zod";
import { errorResponse, teamRoute } from "@/lib/authz/route";
import { csvFileResponse } from "@/lib/csv";
import { batchCsv, exportFileName } from "@/lib/batches/export";
import { getBatch } from "@/lib/batches/queries";

export const GET = teamRoute("viewer", z.object({}), async (ctx, _input, _request, params) => {
  const batchId = typeof params.batchId === "string" ? params.batchId : "";
  const found = batchId ? await getBatch(ctx.team.id, batchId) : null;
  if (!found) return errorResponse("not_found", "That batch does not exist in this team.");
  const name = exportFileName(found.batch.name);
  return csvFileResponse(name, batchCsv(found.priceList, found.items));
});
