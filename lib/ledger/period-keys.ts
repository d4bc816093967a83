// The key of every budget period containing an instant, for the database functions to pick from by each budget's settings.
import { periodAt, type WeekStart } from "./periods";

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
