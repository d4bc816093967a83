// The API's usage: each sent event read on its own and answered in its place, and the Usage page's filter read from a
// request's query — a value it cannot use is refused at its field, never left out as the page does.
import "server-only";
import { keyProject, type ApiContext } from "@/lib/authz/api";
import { recordUsageEvents, type UsageEvent, type UsageEventAnswer } from "@/lib/imports/events";
import { readUsageFilter, todayIn, type RunSort, type UsageFilter } from "@/lib/usage/filters";
import { readUsageCursor, type UsageCursor, type UsageEntry, type UsageRun } from "@/lib/usage/lists";
import { apiIssueMessage } from "./messages";
import type { UsageSummary } from "@/lib/usage/queries";
import { usageDirectory } from "@/lib/usage/queries";
import type { UrlQuery } from "@/lib/url-query";
import type { StoredAnswer } from "./idempotency";
import { usageEvent, type UsageEventInput } from "./operations/usage";
import { problemBody, type ProblemCode } from "./problem";

type EventAnswer = UsageEventAnswer & { index: number; eventId: string | null };

/** The id an event names, if it names one that could be an id: a refused event is still answered with it. */
function eventIdOf(item: unknown): string | null {
  const id = item !== null && typeof item === "object" ? (item as { eventId?: unknown }).eventId : undefined;
  return typeof id === "string" && id.length >= 1 && id.length <= 200 ? id : null;
}

function toEvent(input: UsageEventInput): UsageEvent {
  return {
    ...input,
    settings: input.settings ?? {},
    occurredAt: new Date(input.occurredAt),
    prompt: input.prompt ?? "",
    notes: input.notes ?? "",
  };
}

/**
 * Records a request's events: each read by the event's schema on its own (a bad one refused at its field), the
 * valid ones recorded by the import's path (recordUsageEvents), every answer in the event's place, with the totals.
 */
export async function recordUsageAnswer(ctx: ApiContext, items: unknown[]): Promise<StoredAnswer> {
  const answers: EventAnswer[] = new Array(items.length);
  const valid: { index: number; event: UsageEvent }[] = [];
  items.forEach((item, index) => {
    const parsed = usageEvent.safeParse(item, { error: apiIssueMessage });
    if (parsed.success) {
      valid.push({ index, event: toEvent(parsed.data) });
      return;
    }
    const issue = parsed.error.issues[0];
    const field = issue.code === "unrecognized_keys" ? [...issue.path, issue.keys[0]].map(String).join(".") : issue.path.map(String).join(".");
    answers[index] = { index, eventId: eventIdOf(item), status: "refused", reason: issue.message, field: field || null };
  });
  const recorded = await recordUsageEvents(
    ctx,
    valid.map((item) => item.event),
    { onlyProject: keyProject(ctx) },
  );
  recorded.forEach((answer, i) => {
    const { index, event } = valid[i];
    answers[index] = { index, eventId: event.eventId, ...answer };
  });
  const count = (status: UsageEventAnswer["status"]) => answers.filter((answer) => answer.status === status).length;
  const charged = answers.reduce((sum, answer) => sum + (answer.status === "recorded" ? answer.charged : 0), 0);
  return {
    status: 200,
    body: {
      totals: { events: answers.length, recorded: count("recorded"), alreadyRecorded: count("already_recorded"), refused: count("refused"), charged },
      events: answers,
    },
  };
}

/** A problem about the query's fields. */
function queryProblem(code: ProblemCode, detail: string, fields: Record<string, string>): StoredAnswer {
  const body = problemBody(
    code,
    detail,
    Object.entries(fields).map(([field, message]) => ({ field, in: "query" as const, message })),
  );
  return { status: body.status, body };
}

type Read<T> = { ok: true; value: T } | { ok: false; answer: StoredAnswer };

/**
 * The Usage filter of a request's query, read by the page's own reader against the team's projects, people, models
 * and batches; any value it refuses is a 400 at its field. A key limited to one project reads that project only:
 * the filter is held to it, and naming another is refused (403).
 */
export async function readApiUsageFilter(ctx: ApiContext, query: Record<string, string | undefined>, now: Date): Promise<Read<UsageFilter>> {
  const only = keyProject(ctx);
  if (only !== null && query.project && query.project !== only) {
    return {
      ok: false,
      answer: queryProblem("forbidden", "This API key is limited to one project, and this request is about another.", {
        project: "This key may only read its own project.",
      }),
    };
  }
  const asked: UrlQuery = only === null ? query : { ...query, project: only };
  const { directory } = await usageDirectory(ctx.team, now, asked);
  const read = readUsageFilter(asked, directory, todayIn(ctx.team.timeZone, now));
  const errors = Object.fromEntries(Object.entries(read.errors).filter((entry): entry is [string, string] => typeof entry[1] === "string"));
  if (Object.keys(errors).length > 0) return { ok: false, answer: queryProblem("invalid", "Some filter values cannot be used; each is listed under `errors`.", errors) };
  return { ok: true, value: read.usage };
}

/** The page a `cursor` names (a `nextCursor` of the same list and order), or a 400 at the field. */
export function readApiCursor(cursor: string | undefined, list: RunSort | "entries"): Read<UsageCursor | null> {
  const read = readUsageCursor({ older: cursor }, list);
  if (read.error) return { ok: false, answer: queryProblem("invalid", "This cursor is not one this list gave.", { cursor: "Send the `nextCursor` of the page before, unchanged, with the same filter and sort." }) };
  return { ok: true, value: read.cursor };
}

export function runAnswer(run: UsageRun) {
  const { localTime: _local, createdAt, ...rest } = run;
  void _local;
  return { ...rest, createdAt: createdAt.toISOString() };
}

export function entryAnswer(entry: UsageEntry) {
  const { localTime: _local, createdAt, id, ...rest } = entry;
  void _local;
  return { ...rest, id: String(id), createdAt: createdAt.toISOString() };
}

export function summaryAnswer(filter: UsageFilter, summary: UsageSummary) {
  const { totals } = summary;
  const daily = new Map<string, { day: string; credits: number; runs: number }>();
  for (const point of summary.series) {
    const day = daily.get(point.bucket) ?? { day: point.bucket, credits: 0, runs: 0 };
    day.credits += point.credits;
    day.runs += point.runs;
    daily.set(point.bucket, day);
  }
  const share = <K extends string>(name: K) => (row: UsageSummary["modelShares"][number]) =>
    ({ [name]: row.key, credits: row.credits, runs: row.runs, accepted: row.accepted, decided: row.decided }) as Record<K, string> & Omit<typeof row, "key">;
  return {
    filter,
    totals: { ...totals, net: totals.charged - totals.refunded },
    daily: [...daily.values()],
    models: summary.modelShares.map(share("modelId")),
    stages: summary.stageShares.map(share("stage")),
    members: summary.memberShares.map(share("userId")),
  };
}
