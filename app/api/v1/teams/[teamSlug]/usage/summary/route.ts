// GET /api/v1/teams/{teamSlug}/usage/summary — the Usage page's totals, daily series and shares for its filter.
import { apiRoute } from "@/lib/authz/api";
import { getUsageSummary } from "@/lib/api/operations/usage";
import { readApiUsageFilter, summaryAnswer } from "@/lib/api/usage";
import { appNow } from "@/lib/clock";
import { usageSummary } from "@/lib/usage/queries";

export const GET = apiRoute(getUsageSummary, async (ctx, { query }) => {
  const filter = await readApiUsageFilter(ctx, query, appNow());
  if (!filter.ok) return filter.answer;
  const summary = await usageSummary(ctx.team, filter.value, "day", "type");
  return { status: 200, body: summaryAnswer(filter.value, summary) };
});
