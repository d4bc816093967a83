// A page's URL query read into a validated filter: each field checked by the domain's zod schema, errors kept per field; and the fields filters share. Pure.
import { z } from "zod";

/** What Next hands a page as `searchParams`. */
export type UrlQuery = Record<string, string | string[] | undefined>;

/** A request's query as Next hands a page its `searchParams` (a repeated key as a list), so a route reads it as the page does. */
export function urlQueryOf(url: string): UrlQuery {
  const query: UrlQuery = {};
  const search = new URL(url).searchParams;
  for (const key of new Set(search.keys())) {
    const values = search.getAll(key);
    query[key] = values.length === 1 ? values[0] : values;
  }
  return query;
}

/** The first value of a query parameter, trimmed; "" when it is absent. */
export function firstValue(value: string | string[] | undefined): string {
  return (Array.isArray(value) ? value[0] : value)?.trim() ?? "";
}

// Longer than any id, date or name a filter takes; a longer value is refused before any schema sees it.
const MAX_VALUE_LENGTH = 200;

export type UrlFilter<T extends Record<string, unknown>> = {
  /** Each field as it was typed, to put back in the form. */
  values: Record<keyof T & string, string>;
  /** Only the fields that passed; a refused field is left out, never guessed. */
  filter: Partial<T>;
  /** A message per refused field, to show next to it. */
  errors: Partial<Record<keyof T & string, string>>;
};

/**
 * Reads the fields of `schema` from the query. Every field is parsed on its own, so one bad value
 * leaves the others applied; an empty field means "no filter". Then the whole object is checked with
 * the valid fields, so rules across fields (a date range that ends before it starts) report at the
 * field their issue names, and that field is left out too.
 */
export function readUrlFilter<S extends z.ZodObject>(schema: S, query: UrlQuery): UrlFilter<z.output<S>> {
  type Key = keyof z.output<S> & string;
  const keys = Object.keys(schema.shape) as Key[];
  const values = {} as Record<Key, string>;
  const errors: Partial<Record<Key, string>> = {};
  const valid: Record<string, string> = {};
  for (const key of keys) {
    const value = firstValue(query[key]);
    values[key] = value;
    if (!value) continue;
    if (value.length > MAX_VALUE_LENGTH) {
      errors[key] = "This value is too long to be a filter.";
      continue;
    }
    const field = (schema.shape[key] as z.ZodType).safeParse(value);
    if (field.success) valid[key] = value;
    else errors[key] = field.error.issues[0]?.message ?? "This value cannot be used.";
  }
  // Whole-object rules see only valid fields; each issue they raise takes its field out (a rule that
  // names no field takes out the first), so this ends after at most one round per field.
  for (;;) {
    const whole = schema.safeParse(valid);
    if (whole.success) return { values, filter: whole.data as Partial<z.output<S>>, errors };
    const issue = whole.error.issues[0];
    const named = issue.path[0];
    const key = typeof named === "string" && named in valid ? named : Object.keys(valid)[0];
    if (key === undefined) return { values, filter: {}, errors };
    errors[key as Key] = issue.message;
    delete valid[key];
  }
}

/** The query string of the applied filter (refused fields left out), for links that keep it. */
export function filterSearch(filter: Record<string, unknown>): URLSearchParams {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(filter)) {
    if (value !== undefined && value !== null && value !== "") search.set(key, String(value));
  }
  return search;
}

// Fields that filters of several pages share (the ledger, a project's runs, the audit log, usage).

/** The team's projects and people, so an id from elsewhere is refused rather than shown as "no match". */
export type TeamDirectory = { projects: ReadonlySet<string>; people: ReadonlySet<string> };

// "2026-02-31" has the right shape but is no day; the calendar must give the same date back.
export function isCalendarDay(date: string): boolean {
  const parsed = new Date(`${date}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === date;
}

/** A calendar day, of a year the database can store and a person might mean. */
export const calendarDay = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "Enter a date like 2026-12-31.")
  .refine(isCalendarDay, { error: (issue) => `${String(issue.input)} is not a day in the calendar.` })
  .refine((date) => date >= "1970-01-01", { error: (issue) => `${String(issue.input)} is before 1970; choose a later day.` });

/** A calendar day as a date input sends it, read later in the team's time zone. */
export const dayField = calendarDay.optional();

export const projectField = (team: Pick<TeamDirectory, "projects">) =>
  z.string().refine((id) => team.projects.has(id), "That project is not in this team.").optional();

export const personField = (team: Pick<TeamDirectory, "people">) =>
  z.string().refine((id) => team.people.has(id), "That person is not in this team.").optional();

/** A from–to range of days: the end may not come before the start. */
export function checkDayRange(range: { from?: string; to?: string }, ctx: z.RefinementCtx): void {
  if (range.from && range.to && range.from > range.to) {
    ctx.addIssue({ code: "custom", path: ["to"], message: "The end date is before the start date." });
  }
}
