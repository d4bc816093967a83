// Budget periods (lifetime, calendar month, calendar week) in a team's time zone: pure date logic for budgets and member limits.
import { Temporal } from "temporal-polyfill";

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

const DEFAULT_WEEK_START: WeekStart = 1;

/** For labels and descriptions of periods. */
export const MONTH_NAMES = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"] as const;

// Temporal computes a zone's calendar from the zone's rules alone; Date and date libraries built
// on it read some fields through the host's zone, which near the host's own clock changes moved
// periods by an hour (date-fns/tz#40). clock-changes.test.ts checks every change under five host zones.

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
  const timeZone = assertValidTimeZone(opts.timeZone);
  const weekStartsOn = assertValidWeekStart(opts.weekStartsOn ?? DEFAULT_WEEK_START);
  const { period } = opts;
  if (period === "lifetime") return { start: null, end: null, key: "lifetime", label: "All time" };
  const today = Temporal.Instant.fromEpochMilliseconds(at.getTime()).toZonedDateTimeISO(timeZone).toPlainDate();
  if (period === "month") {
    const first = today.with({ day: 1 });
    return {
      ...bounds(at, startOfDay(first, timeZone), startOfDay(first.add({ months: 1 }), timeZone)),
      key: `${year(first)}-${pad(first.month)}`,
      label: `${MONTH_NAMES[first.month - 1]} ${year(first)}`,
    };
  }
  if (period === "week") {
    // dayOfWeek runs from 1 (Monday) to 7 (Sunday); a week start from 0 (Sunday) to 6.
    const first = today.subtract({ days: (today.dayOfWeek - weekStartsOn + 7) % 7 });
    // The week ends where the next one begins, not 7 × 24 hours later: weeks with a
    // daylight-saving change are 167 or 169 hours long. The start date alone is a unique
    // key: its weekday already says which day weeks start on.
    return {
      ...bounds(at, startOfDay(first, timeZone), startOfDay(first.add({ days: 7 }), timeZone)),
      key: `week-of-${year(first)}-${pad(first.month)}-${pad(first.day)}`,
      label: `Week of ${first.day} ${MONTH_NAMES[first.month - 1].slice(0, 3)} ${year(first)}`,
    };
  }
  throw new RangeError(`Unknown budget period: ${String(period)}`);
}

function pad(value: number): string {
  return String(value).padStart(2, "0");
}

function year(date: Temporal.PlainDate): string {
  return String(date.year).padStart(4, "0");
}

// A day begins at its first midnight: where clocks fall back across midnight (America/Havana,
// Atlantic/Azores) it happens twice, and the hour between belongs to the new day. Where clocks
// skip midnight (America/Santiago, America/Havana in spring) the day begins when they land.
function startOfDay(date: Temporal.PlainDate, timeZone: string): number {
  return date.toZonedDateTime(timeZone).epochMilliseconds;
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

// Callers get plain Dates.
function bounds(at: Date, start: number, end: number): { start: Date; end: Date } {
  // Budgets trust these bounds, so a period that does not contain its instant must fail loudly rather than miscount.
  if (!(start <= at.getTime() && at.getTime() < end)) {
    throw new Error(`Budget period bounds [${new Date(start).toISOString()}, ${new Date(end).toISOString()}) do not contain ${at.toISOString()}`);
  }
  return { start: new Date(start), end: new Date(end) };
}
