import { describe, expect, it } from "vitest";
import { OTHER_KEY, bucketLabel, perAccepted, share, stackSeries } from "./charts";

describe("usage charts", () => {
  it("keeps the largest keys and adds the rest into Other, so every bar still adds up", () => {
    const rows = [
      { bucket: "2026-03-01", key: "a", credits: 50 },
      { bucket: "2026-03-01", key: "b", credits: 30 },
      { bucket: "2026-03-01", key: "c", credits: 5 },
      { bucket: "2026-03-02", key: "d", credits: 4 },
      { bucket: "2026-03-02", key: "a", credits: 10 },
    ];
    const { keys, points } = stackSeries(rows, "day", 3);
    expect(keys).toEqual(["a", "b", OTHER_KEY]);
    expect(points).toEqual([
      { bucket: "2026-03-01", label: "1 Mar", values: { a: 50, b: 30, [OTHER_KEY]: 5 }, total: 85 },
      { bucket: "2026-03-02", label: "2 Mar", values: { [OTHER_KEY]: 4, a: 10 }, total: 14 },
    ]);
    // With room for every key there is no Other.
    expect(stackSeries(rows, "day", 4).keys).toEqual(["a", "b", "c", "d"]);
  });

  it("puts every day, week or month of the range on the axis, those without spend as 0", () => {
    const rows = [{ bucket: "2026-11-09", key: "image", credits: 40 }];
    const days = stackSeries(rows, "day", 8, { from: "2026-11-07", to: "2026-11-10" });
    expect(days.points.map((point) => [point.bucket, point.total])).toEqual([
      ["2026-11-07", 0],
      ["2026-11-08", 0],
      ["2026-11-09", 40],
      ["2026-11-10", 0],
    ]);
    // Weeks start on Monday, as date_trunc('week') does; months on the first.
    expect(stackSeries([], "week", 8, { from: "2026-11-07", to: "2026-11-20" }).points.map((point) => point.bucket)).toEqual(["2026-11-02", "2026-11-09", "2026-11-16"]);
    expect(stackSeries([], "month", 8, { from: "2025-12-31", to: "2026-02-01" }).points.map((point) => point.label)).toEqual(["Dec 2025", "Jan 2026", "Feb 2026"]);
  });

  it("labels days, weeks and months, with the year when the chart spans two", () => {
    expect(bucketLabel("2026-11-30", "week", false)).toBe("Week of 30 Nov");
    expect(bucketLabel("2026-12-01", "month", false)).toBe("Dec 2026");
    expect(bucketLabel("2025-12-31", "day", true)).toBe("31 Dec 2025");
    const { points } = stackSeries([{ bucket: "2025-12-31", key: "a", credits: 1 }, { bucket: "2026-01-01", key: "a", credits: 1 }], "day", 8);
    expect(points.map((point) => point.label)).toEqual(["31 Dec 2025", "1 Jan 2026"]);
  });

  it("never shows 0 for a share or a rate with nothing to divide by", () => {
    expect(share(1, 3)).toBe(33);
    expect(share(0, 0)).toBeNull();
    expect(perAccepted(1_000, 3)).toBe(333);
    expect(perAccepted(500, 0)).toBeNull();
  });
});
