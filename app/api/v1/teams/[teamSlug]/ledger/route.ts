// GET /api/v1/teams/{teamSlug}/ledger — the Usage page's ledger entries for its filter, newest first, a page at a time.
import { apiRoute } from "@/lib/authz/api";
import { listLedgerEntries } from "@/lib/api/operations/usage";
import { entryAnswer, readApiCursor, readApiUsageFilter } from "@/lib/api/usage";
import { appNow } from "@/lib/clock";
import { listUsageEntries } from "@/lib/usage/lists";

export const GET = apiRoute(listLedgerEntries, async (ctx, { query }) => {
  const { cursor, ...asked } = query;
  const filter = await readApiUsageFilter(ctx, asked, appNow());
  if (!filter.ok) return filter.answer;
  const page = readApiCursor(cursor, "entries");
  if (!page.ok) return page.answer;
  const list = await listUsageEntries(ctx.team, filter.value, page.value);
  return { status: 200, body: { filter: filter.value, entries: list.entries.map(entryAnswer), nextCursor: list.older } };
});
