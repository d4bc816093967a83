// The key of every budget period containing an instant, for the database functions to pick from by each budget's settings.
import { MONTH_NAMES, periodAt, type WeekStart } from "./periods";

export type PeriodKeys = { month: string } & Record<`week-${WeekStart}`, string>;

const WEEK_STARTS: WeekStart[] = [0, 1, 2, 3, 4, 5, 6];

// Every zone's offset is a whole number of minutes today, so one UTC minute lies in one local day:
// the keys of a minute can be reused for every request in it.
const recent = new Map<string, PeriodKeys>();

export function periodKeysAt(at: Date, timeZone: string): PeriodKeys {
  const cacheKey = `${timeZone}|${Math.floor(at.getTime() / 60_000)}`;
  const cached = recent.get(cacheKey);
  if (cached) return cached;
  const keys = computeKeys(at, timeZone);
  if (recent.size > 1000) recent.clear();
  recent.set(cacheKey, keys);
  return keys;
}

function computeKeys(at: Date, timeZone: string): PeriodKeys {
  const keys = { month: periodAt(at, { period: "month", timeZone }).key } as PeriodKeys;
  for (const weekStartsOn of WEEK_STARTS) keys[`week-${weekStartsOn}`] = periodAt(at, { period: "week", timeZone, weekStartsOn }).key;
  return keys;
}

/** A period key as words: "in November 2026", "in the week of 2 Mar 2026", "in total". */
export function describePeriodKey(key: string): string {
  const month = /^(\d{4})-(\d{2})$/.exec(key);
  if (month) return `in ${MONTH_NAMES[Number(month[2]) - 1]} ${month[1]}`;
  const week = /^week-of-(\d{4})-(\d{2})-(\d{2})$/.exec(key);
  if (week) return `in the week of ${Number(week[3])} ${MONTH_NAMES[Number(week[2]) - 1].slice(0, 3)} ${week[1]}`;
  return key === "lifetime" ? "in total" : `in ${key}`;
}
