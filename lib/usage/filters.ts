// The Usage area's filter and view read from its URL: what to count (project, member, model, type, tier, stage, outcome, batch, days) and how to show it. Pure.
import { Temporal } from "temporal-polyfill";
import { z } from "zod";
import { RUN_OUTCOMES, RUN_STAGES } from "@/lib/ledger/schema";
import { OUTPUT_TYPES, TIERS } from "@/lib/pricing/types";
import { checkDayRange, dayField, firstValue, readUrlFilter, type TeamDirectory, type UrlFilter, type UrlQuery } from "@/lib/url-query";

export const RANGE_PRESETS = ["this-month", "last-month", "30d", "90d", "custom"] as const;
export type RangePreset = (typeof RANGE_PRESETS)[number];
export const RANGE_LABELS: Record<RangePreset, string> = {
  "this-month": "This month",
  "last-month": "Last month",
  "30d": "Last 30 days",
  "90d": "Last 90 days",
  custom: "Custom days",
};
export const DEFAULT_RANGE: RangePreset = "30d";

/** A run settled without an outcome yet, or still held, has none: the filter can ask for exactly those. */
export const NO_OUTCOME = "none";
export const OUTCOME_CHOICES = [...RUN_OUTCOMES, NO_OUTCOME] as const;

/** What the Usage page can filter by that is not a project or a person: the models and batches of the team. */
export type UsageDirectory = TeamDirectory & { models: ReadonlySet<string>; batches: ReadonlySet<string> };

const member = (set: ReadonlySet<string>, message: string) => z.string().refine((id) => set.has(id), message).optional();
const choice = <T extends readonly [string, ...string[]]>(values: T, what: string) =>
  z.enum(values, { error: (issue) => `“${String(issue.input)}” is not ${what}.` }).optional();

/** The filter's fields whose values do not depend on the team: the API's query takes them as they are (same checks, same words). */
export const usageChoiceFields = {
  type: choice(OUTPUT_TYPES, "an output type"),
  tier: choice(TIERS, "a tier"),
  stage: choice(RUN_STAGES, "a stage"),
  outcome: choice(OUTCOME_CHOICES, "an outcome"),
  range: choice(RANGE_PRESETS, "a range of days"),
  from: dayField,
  to: dayField,
};

export const usageFilterSchema = (team: UsageDirectory) =>
  z
    .object({
      project: member(team.projects, "That project is not in this team."),
      member: member(team.people, "That person is not in this team."),
      model: member(team.models, "That model is not in the team's price list."),
      type: usageChoiceFields.type,
      tier: usageChoiceFields.tier,
      stage: usageChoiceFields.stage,
      outcome: usageChoiceFields.outcome,
      batch: member(team.batches, "That batch is not in this team."),
      range: usageChoiceFields.range,
      from: usageChoiceFields.from,
      to: usageChoiceFields.to,
    })
    .superRefine(checkDayRange)
    .superRefine((filter, ctx) => {
      // Days typed beside a preset would be silently ignored: said at the field instead (the form switches to
      // "Custom days" by itself when a day is typed; this is for a hand-made link or a browser without script).
      if (filter.range && filter.range !== "custom" && (filter.from || filter.to)) {
        ctx.addIssue({ code: "custom", path: [filter.from ? "from" : "to"], message: `Choose “Custom days” to use this day; showing ${RANGE_LABELS[filter.range].toLowerCase()}.` });
      }
    });

export type UsageFilterInput = z.output<ReturnType<typeof usageFilterSchema>>;

/** The filter with its days settled: `from` and `to` are calendar days in the team's zone, both counted. */
export type UsageFilter = Omit<UsageFilterInput, "range" | "from" | "to"> & { range: RangePreset; from: string; to: string };

/** The days a preset covers, counted back from `today` (a calendar day in the team's zone). */
export function presetDays(preset: Exclude<RangePreset, "custom">, today: string): { from: string; to: string } {
  const day = Temporal.PlainDate.from(today);
  switch (preset) {
    case "this-month":
      return { from: day.with({ day: 1 }).toString(), to: today };
    case "last-month": {
      const first = day.with({ day: 1 }).subtract({ months: 1 });
      return { from: first.toString(), to: first.add({ months: 1 }).subtract({ days: 1 }).toString() };
    }
    case "30d":
      return { from: day.subtract({ days: 29 }).toString(), to: today };
    case "90d":
      return { from: day.subtract({ days: 89 }).toString(), to: today };
  }
}

/** Today in the team's zone. */
export function todayIn(timeZone: string, now: Date): string {
  return Temporal.Instant.fromEpochMilliseconds(now.getTime()).toZonedDateTimeISO(timeZone).toPlainDate().toString();
}

/**
 * The Usage filter from the URL. Bad values get a message at their field and are left out; days typed
 * without a preset are a custom range; a custom range without an end runs to today.
 */
export function readUsageFilter(query: UrlQuery, team: UsageDirectory, today: string): UrlFilter<UsageFilterInput> & { usage: UsageFilter } {
  const read = readUrlFilter(usageFilterSchema(team), query);
  const { range: asked, from, to, ...rest } = read.filter;
  const range: RangePreset = asked ?? (from || to ? "custom" : DEFAULT_RANGE);
  // Custom days without a first day: the 30 days up to the last (or today), and a word at the field.
  if (range === "custom" && !from && !read.errors.from) read.errors.from = "Choose the first day of the range; showing the 30 days up to the last.";
  let days: { from: string; to: string };
  if (range !== "custom") days = presetDays(range, today);
  else if (from) days = { from, to: to ?? (from > today ? from : today) };
  // Only an end day (or a custom range whose start was refused): the 30 days up to it.
  else days = presetDays("30d", to ?? today);
  return { ...read, usage: { ...rest, range, ...days } };
}

export const CHART_BUCKETS = ["day", "week", "month"] as const;
export type ChartBucket = (typeof CHART_BUCKETS)[number];
export const CHART_STACKS = ["type", "project", "model", "member"] as const;
export type ChartStack = (typeof CHART_STACKS)[number];
export const RUN_SORTS = ["newest", "oldest", "credits", "cheapest"] as const;
export type RunSort = (typeof RUN_SORTS)[number];
export const USAGE_TABS = ["runs", "transactions"] as const;
export type UsageTab = (typeof USAGE_TABS)[number];

/** How the page shows the filter: chart grouping, table, sort. Unknown values fall back to the default quietly: they change no figure. */
export type UsageView = {
  by: ChartBucket;
  stack: ChartStack;
  tab: UsageTab;
  sort: RunSort;
  /** The columns hidden in each table, as the tables wrote them ("" shows every column; null: as at first). */
  hide: string | null;
  hideEntries: string | null;
};

// Column ids joined by commas: anything else is not a choice the tables made, and is dropped.
const COLUMN_LIST = /^[A-Za-z,]{0,300}$/;
const columnList = (value: string | string[] | undefined) => {
  if (value === undefined) return null;
  const text = firstValue(value);
  return COLUMN_LIST.test(text) ? text : null;
};

function oneOf<T extends string>(values: readonly T[], value: string, fallback: T): T {
  return (values as readonly string[]).includes(value) ? (value as T) : fallback;
}

export function readUsageView(query: UrlQuery, days: { from: string; to: string }): UsageView {
  const span = Temporal.PlainDate.from(days.from).until(Temporal.PlainDate.from(days.to)).days;
  return {
    by: oneOf(CHART_BUCKETS, firstValue(query.by), span > 120 ? "month" : span > 45 ? "week" : "day"),
    stack: oneOf(CHART_STACKS, firstValue(query.stack), "type"),
    tab: oneOf(USAGE_TABS, firstValue(query.tab), "runs"),
    sort: oneOf(RUN_SORTS, firstValue(query.sort), "newest"),
    hide: columnList(query.hide),
    hideEntries: columnList(query.hideEntries),
  };
}

/** The view as query parameters, so a filter, a page or a tab keeps the chart, the sort and the columns chosen. */
export function viewSearch(view: UsageView): [string, string][] {
  const pairs: [string, string][] = [
    ["by", view.by],
    ["stack", view.stack],
    ["tab", view.tab],
    ["sort", view.sort],
  ];
  if (view.hide !== null) pairs.push(["hide", view.hide]);
  if (view.hideEntries !== null) pairs.push(["hideEntries", view.hideEntries]);
  return pairs;
}

/** The query string of a filter as applied (its days spelled out only for a custom range), for links and exports. */
export function usageSearch(filter: UsageFilter): URLSearchParams {
  const search = new URLSearchParams();
  const { range, from, to, ...rest } = filter;
  for (const [key, value] of Object.entries(rest)) if (value) search.set(key, String(value));
  if (range !== DEFAULT_RANGE) search.set("range", range);
  if (range === "custom") {
    search.set("from", from);
    search.set("to", to);
  }
  return search;
}
