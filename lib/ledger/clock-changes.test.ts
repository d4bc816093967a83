// Budget periods and calendar days at and around every clock change of the team's zone and of the host's, whatever zone the host runs in.
import { describe, expect, it } from "vitest";
import {
  assertHostZone,
  type DayNumber,
  dayBegun,
  dayParts,
  firstInstantOf,
  isoDay,
  type Transition,
  transitions,
} from "@/test/zones";
import { endOfDayIn, startOfDayIn } from "./dates";
import { type PeriodOptions, periodAt, type WeekStart } from "./periods";

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const FROM = Date.UTC(2020, 0, 1);
const TO = Date.UTC(2036, 0, 1);
// Periods reach a month either side of an instant; their bounds are checked against changes there too.
const MARGIN = 40 * DAY_MS;

// The host zone this file runs under (see vitest.config.ts); test/host-zone.ts has checked it is real.
const HOST = process.env.HOST_TIME_ZONE ?? "";

// Team zones: daylight saving at different hours and sides of UTC, clocks changing at midnight
// (Havana, Santiago, Asuncion, Cairo, Beirut), the first midnight of a day repeated (Havana, Azores),
// 30-minute and 2-hour changes (Lord Howe, Troll), half-hour and date-line offsets (Kolkata, Apia,
// Kiritimati), and UTC. Each also sees the host zone's changes.
const TEAM_ZONES: { zone: string; extra?: [number, number] }[] = [
  { zone: "UTC" },
  { zone: "Europe/Berlin" },
  { zone: "Europe/London" },
  { zone: "America/New_York" },
  { zone: "America/Havana" },
  { zone: "America/Santiago" },
  { zone: "America/Asuncion" },
  { zone: "Atlantic/Azores" },
  { zone: "Africa/Cairo" },
  { zone: "Asia/Beirut" },
  { zone: "Asia/Amman" },
  { zone: "Asia/Kolkata" },
  { zone: "Australia/Lord_Howe" },
  { zone: "Antarctica/Troll" },
  { zone: "Pacific/Kiritimati" },
  // Samoa skipped 30 December 2011 to move west of the date line.
  { zone: "Pacific/Apia", extra: [Date.UTC(2011, 11, 1), Date.UTC(2012, 0, 15)] },
];

const MONTH_NAMES = Array.from({ length: 12 }, (_, m) =>
  new Intl.DateTimeFormat("en-US", { month: "long", timeZone: "UTC" }).format(Date.UTC(2000, m, 1)),
);
const SHORT_MONTH_NAMES = MONTH_NAMES.map((name) => name.slice(0, 3));
const pad = (n: number) => String(n).padStart(2, "0");

type Expected = { key: string; label: string; first: DayNumber; next: DayNumber };

// What the period must be, from the calendar day alone.
function expectedPeriod(day: DayNumber, opts: PeriodOptions): Expected {
  const { year, month, weekday } = dayParts(day);
  if (opts.period === "month") {
    const first = Date.UTC(year, month - 1, 1) / DAY_MS;
    const next = Date.UTC(year, month, 1) / DAY_MS;
    return { key: `${year}-${pad(month)}`, label: `${MONTH_NAMES[month - 1]} ${year}`, first, next };
  }
  const first = day - ((weekday - (opts.weekStartsOn ?? 1) + 7) % 7);
  const start = dayParts(first);
  return {
    key: `week-of-${isoDay(first)}`,
    label: `Week of ${start.day} ${SHORT_MONTH_NAMES[start.month - 1]} ${start.year}`,
    first,
    next: first + 7,
  };
}

const clocks = new Map<string, ReturnType<typeof readClock>>();

function zoneClock(zone: string, extra?: [number, number]) {
  if (!clocks.has(zone)) clocks.set(zone, readClock(zone, extra));
  return clocks.get(zone)!;
}

function readClock(zone: string, extra?: [number, number]) {
  const changes = [...(extra ? transitions(zone, extra[0] - MARGIN, extra[1] + MARGIN) : []), ...transitions(zone, FROM - MARGIN, TO + MARGIN)];
  // Period bounds recur from one check to the next: read each instant's day once.
  const days = new Map<number, DayNumber>();
  const begun = (ms: number) => {
    let day = days.get(ms);
    if (day === undefined) days.set(ms, (day = dayBegun(zone, ms, changes)));
    return day;
  };
  // A day's real start, whatever the clocks did.
  const startOf = (day: DayNumber, near: number) => firstInstantOf(zone, day, near, changes);
  const within = (t: Transition, from: number, to: number) => t.at >= from && t.at < to;
  const own = changes.filter((t) => within(t, FROM, TO) || (extra !== undefined && within(t, extra[0], extra[1])));
  return { changes, own, begun, startOf };
}

const hostChanges = HOST ? transitions(HOST, FROM, TO) : [];

describe(`host zone ${HOST}`, () => {
  it("is the zone Date computes local time in, also at each of its own clock changes", () => {
    const instants = hostChanges.flatMap((t) => [t.at - 1, t.at, t.at + 1]);
    expect(() => assertHostZone(HOST, [Date.UTC(2026, 0, 15, 12), Date.UTC(2026, 6, 15, 12), ...instants])).not.toThrow();
  });
});

describe("the transitions found by scanning Intl", () => {
  it("are the ones tzdata has", () => {
    const sizes = (zone: string) => zoneClock(zone).own.map((t) => t.after - t.before);
    // Two changes a year, 2020 to 2035.
    for (const zone of ["Europe/Berlin", "America/New_York", "America/Havana", "Australia/Lord_Howe", "Antarctica/Troll"]) {
      expect(sizes(zone), zone).toHaveLength(32);
    }
    expect(new Set(sizes("Australia/Lord_Howe").map(Math.abs))).toEqual(new Set([30]));
    expect(new Set(sizes("Antarctica/Troll").map(Math.abs))).toEqual(new Set([120]));
    for (const zone of ["UTC", "Asia/Kolkata", "Pacific/Kiritimati"]) expect(sizes(zone), zone).toEqual([]);
    // Samoa moved 24 hours forward at the end of 29 December 2011.
    expect(zoneClock("Pacific/Apia", TEAM_ZONES.at(-1)!.extra).own[0]).toEqual({ at: Date.UTC(2011, 11, 30, 10), before: -600, after: 840 });
  });
});

describe.each(TEAM_ZONES)("clock changes in $zone", ({ zone, extra }) => {
  // A period that starts when its first day begins and ends when the next period's first day begins
  // leaves no gap and no overlap with its neighbours; the instants around midnights check both sides.
  it("put every instant around them in the period of its local day, bounded by the days' first instants", () => {
    const clock = zoneClock(zone, extra);
    const problems: string[] = [];
    let checked = 0;

    const check = (at: number, opts: PeriodOptions) => {
      checked++;
      const problem = (text: string) =>
        problems.push(`${new Date(at).toISOString()} ${opts.period}${opts.period === "week" ? ` from day ${opts.weekStartsOn}` : ""}: ${text}`);
      try {
        const period = periodAt(new Date(at), opts);
        const want = expectedPeriod(clock.begun(at), opts);
        const start = period.start!.getTime();
        const end = period.end!.getTime();
        if (period.key !== want.key || period.label !== want.label) {
          problem(`${period.key} "${period.label}", expected ${want.key} "${want.label}"`);
        }
        if (!(start <= at && at < end)) problem(`[${period.start!.toISOString()}, ${period.end!.toISOString()}) misses it`);
        if (!(clock.begun(start) >= want.first && clock.begun(start - 1) < want.first)) {
          problem(`starts at ${period.start!.toISOString()}, not when ${isoDay(want.first)} begins`);
        }
        if (!(clock.begun(end) >= want.next && clock.begun(end - 1) < want.next)) {
          problem(`ends at ${period.end!.toISOString()}, not when ${isoDay(want.next)} begins`);
        }
      } catch (error) {
        problem(`threw ${(error as Error).message}`);
      }
    };

    // A zone without changes, in a host without any, gets the turn of each UTC year instead.
    const anchors = [...clock.own, ...hostChanges].map((t) => t.at);
    if (anchors.length === 0) anchors.push(...Array.from({ length: 16 }, (_, i) => Date.UTC(2020 + i, 0, 1)));
    for (const at of anchors) {
      const day = clock.begun(at);
      const dayStart = clock.startOf(day, at);
      const nextDayStart = clock.startOf(day + 1, at + DAY_MS);
      const instants = [
        at - HOUR_MS,
        at - 1,
        at,
        at + 1,
        at + HOUR_MS,
        dayStart - 1,
        dayStart,
        nextDayStart - 1,
        nextDayStart,
      ];
      // Weeks that start on the day of the change, and weeks that end on it.
      const { weekday } = dayParts(day);
      const options: PeriodOptions[] = [
        { period: "month", timeZone: zone },
        { period: "week", timeZone: zone, weekStartsOn: weekday as WeekStart },
        { period: "week", timeZone: zone, weekStartsOn: ((weekday + 1) % 7) as WeekStart },
      ];
      for (const at of instants) for (const opts of options) check(at, opts);

      const date = isoDay(day);
      if (startOfDayIn(date, zone).getTime() !== dayStart) problems.push(`startOfDayIn(${date}) is ${startOfDayIn(date, zone).toISOString()}`);
      if (endOfDayIn(date, zone).getTime() !== nextDayStart) problems.push(`endOfDayIn(${date}) is ${endOfDayIn(date, zone).toISOString()}`);
    }

    expect(checked).toBeGreaterThan(0);
    expect({ zone, host: HOST, failed: problems.length, of: checked, first: problems.slice(0, 12) }).toEqual({
      zone,
      host: HOST,
      failed: 0,
      of: checked,
      first: [],
    });
  });
});
