// The key of every budget period containing an instant, for the database functions to pick from by each budget's settings.
import { MONTH_NAMES, periodAt, type WeekStart } from "./periods";

export type PeriodKeys = { month: string } & Record<`week-${WeekStart}`, string>;

const WEEK_STARTS: WeekStart[] = [0, 1, 2, 3, 4, 5, 6];

// The keys stay the same from the latest start to the earliest end of the periods they name (at most a
// day): each zone keeps the keys it computed last with that stretch, so a server working through the day,
// or history played back in order, computes them about once a day.
const recent = new Map<string, { from: number; until: number; keys: PeriodKeys }>();

export function periodKeysAt(at: Date, timeZone: string): PeriodKeys {
  const time = at.getTime();
  const cached = recent.get(timeZone);
  if (cached && cached.from <= time && time < cached.until) return cached.keys;
  const computed = computeKeys(at, timeZone);
  if (recent.size > 1000) recent.clear();
  recent.set(timeZone, computed);
  return computed.keys;
}

function computeKeys(at: Date, timeZone: string) {
  const periods = [periodAt(at, { period: "month", timeZone }), ...WEEK_STARTS.map((weekStartsOn) => periodAt(at, { period: "week", timeZone, weekStartsOn }))];
  const keys = { month: periods[0].key } as PeriodKeys;
  WEEK_STARTS.forEach((weekStartsOn, i) => (keys[`week-${weekStartsOn}`] = periods[i + 1].key));
  return {
    keys,
    from: Math.max(...periods.map((period) => period.start!.getTime())),
    until: Math.min(...periods.map((period) => period.end!.getTime())),
  };
}

/** A period key as words: "in November 2026", "in the week of 2 Mar 2026", "in total". */
export function describePeriodKey(key: string): string {
  const month = /^(\d{4})-(\d{2})$/.exec(key);
  if (month) return `in ${MONTH_NAMES[Number(month[2]) - 1]} ${month[1]}`;
  const week = /^week-of-(\d{4})-(\d{2})-(\d{2})$/.exec(key);
  if (week) return `in the week of ${Number(week[3])} ${MONTH_NAMES[Number(week[2]) - 1].slice(0, 3)} ${week[1]}`;
  return key === "lifetime" ? "in total" : `in ${key}`;
}
