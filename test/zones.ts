// Clock facts for zone tests, read from Intl alone so they do not share a code path with the date library under test.

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formatters.set(timeZone, format);
  }
  return format;
}

/** The wall clock in `timeZone` at `ms`, as milliseconds of a UTC clock showing the same figures. */
export function wallClock(timeZone: string, ms: number): number {
  const fields: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(ms)) if (part.type !== "literal") fields[part.type] = Number(part.value);
  const wholeSecond = Math.floor(ms / 1000) * 1000;
  return Date.UTC(fields.year, fields.month - 1, fields.day, fields.hour, fields.minute, fields.second) + (ms - wholeSecond);
}

/** Minutes ahead of UTC in `timeZone` at `ms`. */
export function offsetMinutes(timeZone: string, ms: number): number {
  return (wallClock(timeZone, ms) - ms) / 60_000;
}

/** The zone's name as this runtime spells it ("Asia/Kolkata" may read back as "Asia/Calcutta"). */
export function canonicalZone(timeZone: string): string {
  return new Intl.DateTimeFormat("en-US", { timeZone }).resolvedOptions().timeZone;
}

export type Transition = { at: number; before: number; after: number };

/**
 * Every instant in [from, to) where the zone's offset changes (offsets in minutes). Scans in steps
 * shorter than any two changes have ever been apart in this century, then bisects to the millisecond.
 */
export function transitions(timeZone: string, from: number, to: number, step = 5 * DAY_MS): Transition[] {
  const found: Transition[] = [];
  let low = from;
  let lowOffset = offsetMinutes(timeZone, low);
  while (low < to) {
    const high = Math.min(low + step, to);
    const highOffset = offsetMinutes(timeZone, high);
    if (highOffset !== lowOffset) {
      let a = low;
      let b = high;
      while (b - a > 1) {
        const mid = Math.floor((a + b) / 2);
        if (offsetMinutes(timeZone, mid) === lowOffset) a = mid;
        else b = mid;
      }
      found.push({ at: b, before: lowOffset, after: offsetMinutes(timeZone, b) });
    }
    low = high;
    lowOffset = highOffset;
  }
  return found;
}

/** A calendar day as a count of days since 1970-01-01, so arithmetic on it needs no zone. */
export type DayNumber = number;

export function dayNumber(year: number, month: number, day: number): DayNumber {
  return Date.UTC(year, month - 1, day) / DAY_MS;
}

export function dayParts(day: DayNumber): { year: number; month: number; day: number; weekday: number } {
  const date = new Date(day * DAY_MS);
  return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate(), weekday: date.getUTCDay() };
}

export function isoDay(day: DayNumber): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/**
 * The latest calendar day that has begun in `timeZone` by `ms`: the local date, except in an hour
 * that a fall-back repeats across midnight, where the new day has already begun and stays begun.
 * `changes` must hold the zone's transitions around `ms`.
 */
export function dayBegun(timeZone: string, ms: number, changes: readonly Transition[]): DayNumber {
  let wall = wallClock(timeZone, ms);
  for (const change of changes) {
    if (change.after < change.before && change.at <= ms && ms - change.at < (change.before - change.after) * 60_000) {
      wall = Math.max(wall, wallClock(timeZone, change.at - 1));
    }
  }
  return Math.floor(wall / DAY_MS);
}

/** The first instant by which `day` has begun in `timeZone`, searched within three days of `near`. */
export function firstInstantOf(timeZone: string, day: DayNumber, near: number, changes: readonly Transition[]): number {
  let low = near - 3 * DAY_MS;
  let high = near + 3 * DAY_MS;
  if (!(dayBegun(timeZone, low, changes) < day && dayBegun(timeZone, high, changes) >= day)) {
    throw new Error(`${timeZone}: ${isoDay(day)} does not begin near ${new Date(near).toISOString()}`);
  }
  while (high - low > 1) {
    const mid = Math.floor((low + high) / 2);
    if (dayBegun(timeZone, mid, changes) >= day) high = mid;
    else low = mid;
  }
  return high;
}

/**
 * Throws unless this process really computes local time in `expected`: Intl's default zone and
 * Date's local offset at each given instant must both be that zone's.
 */
export function assertHostZone(expected: string | undefined, instants: readonly number[]): void {
  if (!expected) throw new Error("HOST_TIME_ZONE is not set: run zone tests through a host-zone project of vitest.config.ts");
  const actual = Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (actual !== canonicalZone(expected)) throw new Error(`This process runs in ${actual}, not in the host zone ${expected} it should`);
  for (const ms of instants) {
    const dateOffset = -new Date(ms).getTimezoneOffset();
    const intlOffset = Math.trunc(offsetMinutes(expected, ms));
    if (dateOffset !== intlOffset) {
      throw new Error(`Date reads offset ${dateOffset} min at ${new Date(ms).toISOString()}, but ${expected} has ${intlOffset}`);
    }
  }
}
