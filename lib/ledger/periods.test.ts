import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  BUDGET_PERIODS,
  type BudgetPeriod,
  isValidTimeZone,
  type Period,
  periodAt,
  type WeekStart,
} from "./periods";

const utc = (iso: string) => new Date(iso);
const iso = (date: Date | null) => date?.toISOString() ?? null;
const hours = (p: Period) => (p.end!.getTime() - p.start!.getTime()) / 3_600_000;
const span = (p: Period) => ({ start: iso(p.start), end: iso(p.end), key: p.key, label: p.label });

describe("periodAt: month", () => {
  const ny = { period: "month", timeZone: "America/New_York" } as const;

  it("keeps 23:30 on 31 March in New York in March, though it is already April in UTC", () => {
    // 2026-03-31T23:30 EDT (UTC−4)
    expect(span(periodAt(utc("2026-04-01T03:30:00Z"), ny))).toEqual({
      start: "2026-03-01T05:00:00.000Z", // midnight EST, before the 8 March change
      end: "2026-04-01T04:00:00.000Z", // midnight EDT
      key: "2026-03",
      label: "March 2026",
    });
  });

  it("starts April at local midnight on 1 April", () => {
    expect(span(periodAt(utc("2026-04-01T04:00:00Z"), ny))).toEqual({
      start: "2026-04-01T04:00:00.000Z",
      end: "2026-05-01T04:00:00.000Z",
      key: "2026-04",
      label: "April 2026",
    });
    expect(periodAt(utc("2026-04-01T03:59:59.999Z"), ny).key).toBe("2026-03");
  });

  it("is one hour short or long when it contains a daylight-saving change", () => {
    expect(hours(periodAt(utc("2026-03-15T12:00:00Z"), ny))).toBe(31 * 24 - 1);
    const november = periodAt(utc("2026-11-15T12:00:00Z"), ny);
    expect(span(november)).toMatchObject({ start: "2026-11-01T04:00:00.000Z", end: "2026-12-01T05:00:00.000Z" });
    expect(hours(november)).toBe(30 * 24 + 1);

    const berlin = { period: "month", timeZone: "Europe/Berlin" } as const;
    const march = periodAt(utc("2026-03-29T01:30:00Z"), berlin);
    expect(span(march)).toMatchObject({ start: "2026-02-28T23:00:00.000Z", end: "2026-03-31T22:00:00.000Z" });
    expect(hours(march)).toBe(31 * 24 - 1);
    const october = periodAt(utc("2026-10-25T01:30:00Z"), berlin);
    expect(span(october)).toMatchObject({ start: "2026-09-30T22:00:00.000Z", end: "2026-10-31T23:00:00.000Z" });
    expect(hours(october)).toBe(31 * 24 + 1);
  });

  it("starts on the previous UTC day in zones ahead of UTC", () => {
    const tokyo = { period: "month", timeZone: "Asia/Tokyo" } as const;
    expect(span(periodAt(utc("2026-03-31T15:00:00Z"), tokyo))).toEqual({
      start: "2026-03-31T15:00:00.000Z",
      end: "2026-04-30T15:00:00.000Z",
      key: "2026-04",
      label: "April 2026",
    });
    expect(periodAt(utc("2026-03-31T14:59:59.999Z"), tokyo).key).toBe("2026-03");

    // Sydney is on daylight time (UTC+11) until 5 April 2026.
    const sydney = { period: "month", timeZone: "Australia/Sydney" } as const;
    expect(span(periodAt(utc("2026-02-28T13:00:00Z"), sydney))).toEqual({
      start: "2026-02-28T13:00:00.000Z",
      end: "2026-03-31T13:00:00.000Z",
      key: "2026-03",
      label: "March 2026",
    });
    expect(periodAt(utc("2026-02-28T12:59:59.999Z"), sydney).key).toBe("2026-02");
  });

  it("crosses the year", () => {
    expect(span(periodAt(utc("2027-01-01T04:59:59.999Z"), ny))).toEqual({
      start: "2026-12-01T05:00:00.000Z",
      end: "2027-01-01T05:00:00.000Z",
      key: "2026-12",
      label: "December 2026",
    });
  });
});

describe("periodAt: week", () => {
  const ny = (weekStartsOn?: WeekStart) => ({ period: "week", timeZone: "America/New_York", weekStartsOn }) as const;

  it("starts on Monday by default", () => {
    // Sunday 1 March 2026, noon in New York
    const sunday = utc("2026-03-01T17:00:00Z");
    expect(span(periodAt(sunday, ny()))).toEqual({
      start: "2026-02-23T05:00:00.000Z",
      end: "2026-03-02T05:00:00.000Z",
      key: "week-of-2026-02-23",
      label: "Week of 23 Feb 2026",
    });
    expect(periodAt(sunday, ny(1))).toEqual(periodAt(sunday, ny()));
  });

  it("starts on Sunday when the team says so", () => {
    expect(span(periodAt(utc("2026-03-01T17:00:00Z"), ny(0)))).toEqual({
      start: "2026-03-01T05:00:00.000Z",
      end: "2026-03-08T05:00:00.000Z",
      key: "week-of-2026-03-01",
      label: "Week of 1 Mar 2026",
    });
  });

  it("starts on any weekday", () => {
    // Saturday-start week containing Sunday 1 March
    expect(span(periodAt(utc("2026-03-01T17:00:00Z"), ny(6)))).toMatchObject({
      start: "2026-02-28T05:00:00.000Z",
      end: "2026-03-07T05:00:00.000Z",
      key: "week-of-2026-02-28",
    });
  });

  it("uses the local day, not the UTC day, at the boundary", () => {
    // Sunday 8 March 23:30 EDT is Monday 03:30 UTC: still the Monday-start week of 2 March.
    expect(periodAt(utc("2026-03-09T03:30:00Z"), ny()).key).toBe("week-of-2026-03-02");
    expect(periodAt(utc("2026-03-09T04:00:00Z"), ny()).key).toBe("week-of-2026-03-09");
  });

  it("is 167 hours long when US daylight time starts (8 March 2026)", () => {
    const monday = periodAt(utc("2026-03-08T12:00:00Z"), ny(1));
    expect(span(monday)).toMatchObject({ start: "2026-03-02T05:00:00.000Z", end: "2026-03-09T04:00:00.000Z" });
    expect(hours(monday)).toBe(167);

    const sunday = periodAt(utc("2026-03-08T12:00:00Z"), ny(0));
    expect(span(sunday)).toMatchObject({
      start: "2026-03-08T05:00:00.000Z",
      end: "2026-03-15T04:00:00.000Z",
      key: "week-of-2026-03-08",
    });
    expect(hours(sunday)).toBe(167);
  });

  it("is 169 hours long when US daylight time ends (1 November 2026)", () => {
    const monday = periodAt(utc("2026-11-01T12:00:00Z"), ny(1));
    expect(span(monday)).toMatchObject({ start: "2026-10-26T04:00:00.000Z", end: "2026-11-02T05:00:00.000Z" });
    expect(hours(monday)).toBe(169);

    const sunday = periodAt(utc("2026-11-01T12:00:00Z"), ny(0));
    expect(span(sunday)).toMatchObject({ start: "2026-11-01T04:00:00.000Z", end: "2026-11-08T05:00:00.000Z" });
    expect(hours(sunday)).toBe(169);
  });

  it("handles the changes in Europe/Berlin (29 March and 25 October 2026)", () => {
    const berlin = { period: "week", timeZone: "Europe/Berlin", weekStartsOn: 1 } as const;
    const spring = periodAt(utc("2026-03-29T01:30:00Z"), berlin);
    expect(span(spring)).toEqual({
      start: "2026-03-22T23:00:00.000Z",
      end: "2026-03-29T22:00:00.000Z",
      key: "week-of-2026-03-23",
      label: "Week of 23 Mar 2026",
    });
    expect(hours(spring)).toBe(167);

    const autumn = periodAt(utc("2026-10-25T12:00:00Z"), berlin);
    expect(span(autumn)).toMatchObject({ start: "2026-10-18T22:00:00.000Z", end: "2026-10-25T23:00:00.000Z" });
    expect(hours(autumn)).toBe(169);
    // 02:30 happens twice on 25 October; both belong to the same week.
    expect(periodAt(utc("2026-10-25T00:30:00Z"), berlin)).toEqual(autumn);
    expect(periodAt(utc("2026-10-25T01:30:00Z"), berlin)).toEqual(autumn);
  });

  it("handles zones ahead of UTC, including a half-hour change", () => {
    const sydney = periodAt(utc("2026-04-05T12:00:00Z"), { period: "week", timeZone: "Australia/Sydney" });
    expect(span(sydney)).toMatchObject({
      start: "2026-03-29T13:00:00.000Z", // Monday 30 March, midnight AEDT: the previous UTC day
      end: "2026-04-05T14:00:00.000Z", // Monday 6 April, midnight AEST
      key: "week-of-2026-03-30",
    });
    expect(hours(sydney)).toBe(169);

    // Lord Howe Island moves its clocks by 30 minutes.
    expect(hours(periodAt(utc("2026-04-05T12:00:00Z"), { period: "week", timeZone: "Australia/Lord_Howe" }))).toBe(168.5);
  });

  it("gives different keys to different week starts", () => {
    const at = utc("2026-03-04T12:00:00Z");
    const keys = ([0, 1, 2, 3, 4, 5, 6] as const).map((w) => periodAt(at, ny(w)).key);
    expect(new Set(keys).size).toBe(7);
  });
});

describe("periodAt: midnight that happens twice", () => {
  // Clocks fall back from 01:00 to 00:00, so the period starts at the first midnight.
  it("starts November 2026 in Havana at the first midnight", () => {
    const havana = { period: "month", timeZone: "America/Havana" } as const;
    const november = periodAt(utc("2026-11-15T12:00:00Z"), havana);
    expect(span(november)).toMatchObject({ start: "2026-11-01T04:00:00.000Z", end: "2026-12-01T05:00:00.000Z" });
    expect(iso(periodAt(utc("2026-10-15T12:00:00Z"), havana).end)).toBe("2026-11-01T04:00:00.000Z");
    // 00:30 the second time round is still 1 November.
    expect(periodAt(utc("2026-11-01T05:30:00Z"), havana).key).toBe("2026-11");
  });

  it("starts the Sunday week of 25 October 2026 in the Azores at the first midnight", () => {
    const azores = { period: "week", timeZone: "Atlantic/Azores", weekStartsOn: 0 } as const;
    expect(span(periodAt(utc("2026-10-27T12:00:00Z"), azores))).toMatchObject({
      start: "2026-10-25T00:00:00.000Z",
      end: "2026-11-01T01:00:00.000Z",
      key: "week-of-2026-10-25",
    });
    expect(iso(periodAt(utc("2026-10-22T12:00:00Z"), azores).end)).toBe("2026-10-25T00:00:00.000Z");
  });

  it("does the same east of UTC (Amman, 29 October 2021, weeks from Friday)", () => {
    const amman = { period: "week", timeZone: "Asia/Amman", weekStartsOn: 5 } as const;
    const week = periodAt(utc("2021-10-29T12:00:00Z"), amman);
    expect(span(week)).toMatchObject({ start: "2021-10-28T21:00:00.000Z", end: "2021-11-04T22:00:00.000Z", key: "week-of-2021-10-29" });
    expect(hours(week)).toBe(169);
    expect(iso(periodAt(utc("2021-10-28T20:59:59.999Z"), amman).end)).toBe("2021-10-28T21:00:00.000Z");
  });
});

describe("periodAt: lifetime", () => {
  it("has no bounds and one key", () => {
    const opts = { period: "lifetime", timeZone: "Asia/Tokyo" } as const;
    expect(periodAt(utc("2026-03-04T12:00:00Z"), opts)).toEqual({ start: null, end: null, key: "lifetime", label: "All time" });
    expect(periodAt(utc("1999-12-31T23:59:59Z"), opts).key).toBe("lifetime");
  });
});

describe("time zones", () => {
  it("accepts IANA names", () => {
    for (const zone of ["America/New_York", "Europe/Berlin", "Asia/Tokyo", "Australia/Sydney", "UTC"]) {
      expect(isValidTimeZone(zone)).toBe(true);
    }
  });

  it("rejects unknown names, empty strings and bare offsets", () => {
    for (const zone of ["Mars/Olympus_Mons", "", "  ", "+05:00", "-0800", "New York"]) {
      expect(isValidTimeZone(zone)).toBe(false);
    }
  });

  it("makes periodAt throw a clear error for every period", () => {
    for (const period of BUDGET_PERIODS) {
      expect(() => periodAt(utc("2026-03-04T12:00:00Z"), { period, timeZone: "Mars/Olympus_Mons" })).toThrow(
        new RangeError('Unknown time zone "Mars/Olympus_Mons": expected an IANA name such as "Europe/Berlin"'),
      );
    }
  });

  it("makes periodAt throw for an invalid date or week start", () => {
    expect(() => periodAt(new Date(Number.NaN), { period: "month", timeZone: "UTC" })).toThrow(RangeError);
    expect(() => periodAt(utc("2026-03-04T12:00:00Z"), { period: "week", timeZone: "UTC", weekStartsOn: 7 as WeekStart })).toThrow(
      /Week start must be a weekday/,
    );
  });
});

// Runs under every host zone of vitest.config.ts, like the rest of this file.
describe("properties", () => {
  const zones = Intl.supportedValuesOf("timeZone");
  const arbitraries = {
    // Including the local mean times with odd seconds that zones used before standard time.
    at: fc.date({ min: utc("1850-01-01T00:00:00Z"), max: utc("2200-01-01T00:00:00Z"), noInvalidDate: true }),
    timeZone: fc.constantFrom(...zones),
    period: fc.constantFrom<BudgetPeriod>("month", "week"),
    weekStartsOn: fc.constantFrom<WeekStart>(0, 1, 2, 3, 4, 5, 6),
  };

  it("every instant lies in its period, and periods tile time", () => {
    fc.assert(
      fc.property(arbitraries.at, arbitraries.timeZone, arbitraries.period, arbitraries.weekStartsOn, (at, timeZone, period, weekStartsOn) => {
        const opts = { period, timeZone, weekStartsOn };
        const current = periodAt(at, opts);
        const start = current.start!;
        const end = current.end!;

        expect(start.getTime()).toBeLessThanOrEqual(at.getTime());
        expect(at.getTime()).toBeLessThan(end.getTime());

        expect(periodAt(start, opts)).toEqual(current);
        expect(periodAt(new Date(end.getTime() - 1), opts)).toEqual(current);

        const next = periodAt(end, opts);
        expect(next.start).toEqual(end);
        expect(next.key > current.key).toBe(true);
        const previous = periodAt(new Date(start.getTime() - 1), opts);
        expect(previous.end).toEqual(start);
        expect(previous.key < current.key).toBe(true);
      }),
      // Per host zone; clock-changes.test.ts checks every change systematically.
      { numRuns: 500 },
    );
  });
});
