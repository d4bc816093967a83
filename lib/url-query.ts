// A page's URL query read into a validated filter: each field checked by the domain's zod schema, errors kept per field. Pure.
import type { z } from "zod";

/** What Next hands a page as `searchParams`. */
export type UrlQuery = Record<string, string | string[] | undefined>;

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
