// Budget periods (lifetime, calendar month, calendar week) in a team's time zone: pure date logic for budgets and member limits.
import { TZDate, tz, tzOffset } from "@date-fns/tz";
import { addDays, addMonths, format, startOfMonth, startOfWeek } from "date-fns";

export const BUDGET_PERIODS = ["lifetime", "month", "week"] as const;
export type BudgetPeriod = (typeof BUDGET_PERIODS)[number];

/** 0 = Sunday, 1 = Monday, … 6 = Saturday (as `Date#getDay`). */
export type WeekStart = 0 | 1 | 2 | 3 | 4 | 5 | 6;

export type PeriodOptions = {
  period: BudgetPeriod;
  /** IANA name, e.g. "America/New_York". */
  timeZone: string;
  /** Only used for weeks; defaults to Monday. */
  weekStartsOn?: WeekStart;
};

export type Period = {
  /** Inclusive UTC instant; null for lifetime. */
  start: Date | null;
  /** Exclusive UTC instant; null for lifetime. */
  end: Date | null;
  /** Stable and unique per period: "lifetime", "2026-03", "week-of-2026-03-02". */
  key: string;
  /** For people: "All time", "March 2026", "Week of 2 Mar 2026". */
  label: string;
};

export const DEFAULT_WEEK_START: WeekStart = 1;

// The server must run with TZ=UTC: @date-fns/tz setters go through the host zone and, near the
// host's own clock changes, can land an hour off, even for team zones without daylight saving
// (date-fns/tz#40; seen with hosts in Europe/London and America/Havana). With TZ=UTC, 240,000
// random instants, zones and periods from 2000 to 2100 found no such case.

// Newer runtimes let Intl accept "+05:00"; a team zone must be a named zone so
// it follows daylight saving, and the answer must not depend on the Node version.
const OFFSET_ZONE = /^[+-]\d/;

// Building an Intl formatter costs more than the period math itself, and a server sees few zones.
const knownTimeZones = new Set<string>();

export function isValidTimeZone(timeZone: string): boolean {
  if (typeof timeZone !== "string" || timeZone.trim() === "" || OFFSET_ZONE.test(timeZone)) return false;
  if (knownTimeZones.has(timeZone)) return true;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone });
  } catch {
    return false;
  }
  knownTimeZones.add(timeZone);
  return true;
}

/**
 * The budget period containing `at`, counted in `timeZone`.
 * Throws a RangeError for an unknown time zone, an invalid date or week start:
 * callers validate the team's settings with `isValidTimeZone` before storing them.
 */
export function periodAt(at: Date, opts: PeriodOptions): Period {
  assertValidInstant(at);
  // Checked for every period so a bad team setting fails the same way whatever the budget counts.
  const inZone = tz(assertValidTimeZone(opts.timeZone));
  const weekStartsOn = assertValidWeekStart(opts.weekStartsOn ?? DEFAULT_WEEK_START);
  const { period } = opts;
  if (period === "lifetime") return { start: null, end: null, key: "lifetime", label: "All time" };
  if (period === "month") {
    const start = firstOccurrence(startOfMonth(at, { in: inZone }));
    const end = firstOccurrence(startOfMonth(addMonths(start, 1), { in: inZone }));
    return {
      ...bounds(at, start, end),
      key: format(start, "yyyy-MM"),
      label: format(start, "MMMM yyyy"),
    };
  }
  if (period === "week") {
    const start = firstOccurrence(startOfWeek(at, { in: inZone, weekStartsOn }));
    // Re-anchor at the next start of week rather than adding 7 × 24 hours, so weeks with
    // a daylight-saving change are 167 or 169 hours long.
    const end = firstOccurrence(startOfWeek(addDays(start, 7), { in: inZone, weekStartsOn }));
    // The start date alone is unique: its weekday already says which day weeks start on.
    return {
      ...bounds(at, start, end),
      key: `week-of-${format(start, "yyyy-MM-dd")}`,
      label: `Week of ${format(start, "d MMM yyyy")}`,
    };
  }
  throw new RangeError(`Unknown budget period: ${String(period)}`);
}

/** Start of the period after the one containing `at` (its exclusive end); null for lifetime. */
export function nextPeriodStart(at: Date, opts: PeriodOptions): Date | null {
  return periodAt(at, opts).end;
}

function assertValidTimeZone(timeZone: string): string {
  if (!isValidTimeZone(timeZone)) {
    throw new RangeError(`Unknown time zone "${timeZone}": expected an IANA name such as "Europe/Berlin"`);
  }
  return timeZone;
}

function assertValidInstant(at: Date): void {
  if (!(at instanceof Date) || Number.isNaN(at.getTime())) throw new RangeError("Invalid date: cannot find its budget period");
}

function assertValidWeekStart(weekStartsOn: number): WeekStart {
  if (!Number.isInteger(weekStartsOn) || weekStartsOn < 0 || weekStartsOn > 6) {
    throw new RangeError(`Week start must be a weekday from 0 (Sunday) to 6 (Saturday), got ${weekStartsOn}`);
  }
  return weekStartsOn as WeekStart;
}

const MINUTE_MS = 60_000;
const LONGEST_FALL_BACK_MS = 2 * 60 * MINUTE_MS;

// Where clocks fall back across midnight (America/Havana, Atlantic/Azores), midnight happens
// twice and TZDate picks either one depending on the zone and on the server's own zone
// (date-fns/tz#40). A period starts at the first; else the hour between would count in the wrong one.
function firstOccurrence(date: TZDate): TZDate {
  const { timeZone } = date;
  if (!timeZone) return date;
  const fallBackMinutes = tzOffset(timeZone, new Date(date.getTime() - LONGEST_FALL_BACK_MS)) - tzOffset(timeZone, date);
  if (fallBackMinutes <= 0) return date;
  const earlier = new TZDate(date.getTime() - fallBackMinutes * MINUTE_MS, timeZone);
  return sameWallTime(earlier, date) ? earlier : date;
}

function sameWallTime(a: Date, b: Date): boolean {
  return (
    a.getFullYear() === b.getFullYear() &&
    a.getMonth() === b.getMonth() &&
    a.getDate() === b.getDate() &&
    a.getHours() === b.getHours() &&
    a.getMinutes() === b.getMinutes()
  );
}

// Callers get plain Dates: a TZDate would print and serialize in the team zone.
function bounds(at: Date, start: Date, end: Date): { start: Date; end: Date } {
  // Budgets trust these bounds, so a wrong answer from the date library (it mishandles
  // offsets with seconds, used before 1972) must fail loudly rather than miscount.
  if (!(start.getTime() <= at.getTime() && at.getTime() < end.getTime())) {
    throw new Error(`Budget period bounds [${start.toISOString()}, ${end.toISOString()}) do not contain ${at.toISOString()}`);
  }
  return { start: new Date(start.getTime()), end: new Date(end.getTime()) };
}
