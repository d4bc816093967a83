// The key of every budget period containing an instant, for the database functions to pick from by each budget's settings.
import { periodAt, type WeekStart } from "./periods";

export type PeriodKeys = { month: string } & Record<`week-${WeekStart}`, string>;

const WEEK_STARTS: WeekStart[] = [0, 1, 2, 3, 4, 5, 6];

export function periodKeysAt(at: Date, timeZone: string): PeriodKeys {
  const keys = { month: periodAt(at, { period: "month", timeZone }).key } as PeriodKeys;
  for (const weekStartsOn of WEEK_STARTS) keys[`week-${weekStartsOn}`] = periodAt(at, { period: "week", timeZone, weekStartsOn }).key;
  return keys;
}
