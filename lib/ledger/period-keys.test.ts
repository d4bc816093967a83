// Period keys for the database functions, and their words for people.
import { describe, expect, it } from "vitest";
import { describePeriodKey, periodKeysAt } from "./period-keys";

describe("periodKeysAt", () => {
  it("names the month and the week for every week start, in the team's zone", () => {
    const keys = periodKeysAt(new Date("2026-04-01T03:30:00Z"), "America/New_York");
    expect(keys.month).toBe("2026-03");
    expect(keys["week-1"]).toBe("week-of-2026-03-30");
    expect(keys["week-0"]).toBe("week-of-2026-03-29");
    expect(periodKeysAt(new Date("2026-04-01T04:00:00Z"), "America/New_York").month).toBe("2026-04");
  });
});

describe("describePeriodKey", () => {
  it("reads months, weeks and the whole life", () => {
    expect(describePeriodKey("2026-11")).toBe("in November 2026");
    expect(describePeriodKey("week-of-2026-03-02")).toBe("in the week of 2 Mar 2026");
    expect(describePeriodKey("lifetime")).toBe("in total");
  });
});
