// Days typed by people become the right instants in the team's time zone.
import { describe, expect, it } from "vitest";
import { endOfDayIn, startOfDayIn } from "./dates";

describe("calendar days in a time zone", () => {
  it("starts and ends a day at local midnight", () => {
    expect(startOfDayIn("2026-03-31", "America/New_York").toISOString()).toBe("2026-03-31T04:00:00.000Z");
    expect(endOfDayIn("2026-03-31", "America/New_York").toISOString()).toBe("2026-04-01T04:00:00.000Z");
    expect(endOfDayIn("2026-12-31", "Asia/Tokyo").toISOString()).toBe("2026-12-31T15:00:00.000Z");
  });

  it("gives a day with a daylight-saving change its real length", () => {
    const start = startOfDayIn("2026-03-29", "Europe/Berlin");
    const end = endOfDayIn("2026-03-29", "Europe/Berlin");
    expect((end.getTime() - start.getTime()) / 3_600_000).toBe(23);
  });
});
