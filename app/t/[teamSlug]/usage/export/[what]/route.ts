// GET /t/{teamSlug}/usage/export/runs|transactions?{filter} — exactly what the Usage page shows for that filter, as a CSV file streamed a batch at a time.
import { z } from "zod";
import { errorResponse, teamRoute } from "@/lib/authz/route";
import { appNow } from "@/lib/clock";
import { csvStreamResponse } from "@/lib/csv";
import { ENTRY_COLUMNS, RUN_COLUMNS, entryRows, exportName, runRows } from "@/lib/usage/export";
import { readUsageFilter, readUsageView, todayIn } from "@/lib/usage/filters";
import { usageDirectory } from "@/lib/usage/queries";
import { urlQueryOf } from "@/lib/url-query";

export const GET = teamRoute("viewer", z.record(z.string(), z.string()), async (ctx, _input, request, params) => {
  // Read as the page reads its URL (the first of a repeated key), so the file is of the filter the page showed.
  const query = urlQueryOf(request.url);
  const what = params.what;
  if (what !== "runs" && what !== "transactions") return errorResponse("not_found", "There is no such export: choose runs or transactions.");
  const now = appNow();
  const { directory } = await usageDirectory(ctx.team, now, query);
  const { errors, usage } = readUsageFilter(query, directory, todayIn(ctx.team.timeZone, now));
  // A file of something other than what was asked would be worse than none: a refused filter is said, not dropped.
  if (Object.keys(errors).length > 0) return errorResponse("invalid", "Some filters could not be used; fix them on the Usage page.", errors as Record<string, string>);
  const name = exportName(ctx.team, what, usage);
  return what === "runs"
    ? csvStreamResponse(name, RUN_COLUMNS, runRows(ctx.team, usage, readUsageView(query, usage).sort))
    : csvStreamResponse(name, ENTRY_COLUMNS, entryRows(ctx.team, usage));
});
