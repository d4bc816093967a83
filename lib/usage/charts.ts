// Chart data of the Usage area from its series: the largest keys as their own bars, the rest together as "Other", and labels for days, weeks and months. Pure.
import { Temporal } from "temporal-polyfill";
import type { ChartBucket } from "./filters";

export const OTHER_KEY = "__other";
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** "6 Dec", "Week of 30 Nov", "Dec 2026"; the year on days and weeks only when the chart spans more than one. */
export function bucketLabel(bucket: string, by: ChartBucket, withYear: boolean): string {
  const [year, month, day] = bucket.split("-").map(Number);
  const short = `${day} ${MONTHS[month - 1]}${withYear ? ` ${year}` : ""}`;
  if (by === "month") return `${MONTHS[month - 1]} ${year}`;
  return by === "week" ? `Week of ${short}` : short;
}

export type SeriesPoint = { bucket: string; key: string; credits: number };

/** The first day of the bucket a day falls in: itself, its week's Monday, or its month's first day (as the SQL buckets). */
export function bucketOf(day: string, by: ChartBucket): string {
  const date = Temporal.PlainDate.from(day);
  if (by === "day") return day;
  if (by === "week") return date.subtract({ days: date.dayOfWeek - 1 }).toString();
  return date.with({ day: 1 }).toString();
}

/** Every bucket from the one holding `from` to the one holding `to`: days without spend are on the axis too, as 0. */
export function bucketsBetween(from: string, to: string, by: ChartBucket): string[] {
  const step = by === "day" ? { days: 1 } : by === "week" ? { weeks: 1 } : { months: 1 };
  const last = bucketOf(to, by);
  const buckets: string[] = [];
  // A range of years per day is thousands of points at most: the filter's days are bounded by the calendar.
  for (let bucket = bucketOf(from, by); bucket <= last; bucket = Temporal.PlainDate.from(bucket).add(step).toString()) buckets.push(bucket);
  return buckets;
}

/**
 * The points of a stacked chart: at most `max` keys (the largest by credits over the whole chart) each
 * as a series, every other key added into "Other", so the figures still add up to the totals.
 */
export function stackSeries(rows: SeriesPoint[], by: ChartBucket, max: number, days?: { from: string; to: string }) {
  const byKey = new Map<string, number>();
  for (const row of rows) byKey.set(row.key, (byKey.get(row.key) ?? 0) + row.credits);
  const ranked = [...byKey.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([key]) => key);
  const kept = new Set(ranked.length > max ? ranked.slice(0, max - 1) : ranked);
  const keys = ranked.filter((key) => kept.has(key));
  if (ranked.length > kept.size) keys.push(OTHER_KEY);
  const buckets = days ? bucketsBetween(days.from, days.to, by) : [];
  const withYear = new Set([...rows.map((row) => row.bucket.slice(0, 4)), ...buckets.map((bucket) => bucket.slice(0, 4))]).size > 1;
  const points = new Map<string, { bucket: string; label: string; values: Record<string, number>; total: number }>();
  for (const bucket of buckets) points.set(bucket, { bucket, label: bucketLabel(bucket, by, withYear), values: {}, total: 0 });
  for (const row of rows) {
    const point = points.get(row.bucket) ?? { bucket: row.bucket, label: bucketLabel(row.bucket, by, withYear), values: {}, total: 0 };
    const key = kept.has(row.key) ? row.key : OTHER_KEY;
    point.values[key] = (point.values[key] ?? 0) + row.credits;
    point.total += row.credits;
    points.set(row.bucket, point);
  }
  return { keys, points: [...points.values()].sort((a, b) => a.bucket.localeCompare(b.bucket)) };
}

/** a / b as a whole percentage, or null when there is nothing to divide by (shown as "—", never 0). */
export function share(part: number, whole: number): number | null {
  return whole > 0 ? Math.round((part * 100) / whole) : null;
}

/** Credits per accepted output, rounded to a whole credit; null when nothing was accepted. */
export function perAccepted(credits: number, accepted: number): number | null {
  return accepted > 0 ? Math.round(credits / accepted) : null;
}
