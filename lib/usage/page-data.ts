// Everything the Usage page reads for one URL, in one place: the page renders it, and bench:usage times exactly this.
import "server-only";
import type { UrlQuery } from "@/lib/url-query";
import { readUsageFilter, readUsageView, todayIn } from "./filters";
import { listUsageEntries, listUsageRuns, readUsageCursor } from "./lists";
import { memberUsage, usageDirectory, usageSummary } from "./queries";

export async function loadUsagePage(team: { id: string; timeZone: string }, query: UrlQuery, now: Date) {
  const directory = await usageDirectory(team, now, query);
  const read = readUsageFilter(query, directory.directory, todayIn(team.timeZone, now));
  const { usage } = read;
  const view = readUsageView(query, usage);
  const { cursor, error: pageError } = readUsageCursor(query, view.tab === "runs" ? view.sort : "entries");
  const [summary, list] = await Promise.all([
    usageSummary(team, usage, view.by, view.stack),
    view.tab === "runs" ? listUsageRuns(team, usage, view.sort, cursor) : listUsageEntries(team, usage, cursor),
  ]);
  const members = await memberUsage(team, usage, summary.memberShares, directory.people, now);
  return { ...directory, ...read, view, pageError, ...summary, members, list };
}
