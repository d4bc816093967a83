import { describe, expect, it } from "vitest";
import { presetDays, readUsageFilter, readUsageView, usageSearch, viewSearch, type UsageDirectory } from "./filters";

const team: UsageDirectory = { projects: new Set(["p1"]), people: new Set(["u1"]), models: new Set(["flux-2-pro"]), batches: new Set(["b1"]) };
const TODAY = "2026-12-06";

describe("the Usage filter from the URL", () => {
  it("reads the presets as days in the team's calendar", () => {
    expect(presetDays("this-month", TODAY)).toEqual({ from: "2026-12-01", to: TODAY });
    expect(presetDays("last-month", "2026-03-31")).toEqual({ from: "2026-02-01", to: "2026-02-28" });
    expect(presetDays("30d", TODAY)).toEqual({ from: "2026-11-07", to: TODAY });
    expect(readUsageFilter({}, team, TODAY).usage).toEqual({ range: "30d", from: "2026-11-07", to: TODAY });
  });

  it("takes typed days as custom days, to today when the end is empty", () => {
    expect(readUsageFilter({ from: "2026-10-01" }, team, TODAY).usage).toMatchObject({ range: "custom", from: "2026-10-01", to: TODAY });
    expect(readUsageFilter({ range: "custom" }, team, TODAY).errors).toEqual({ from: "Choose the first day of the range; showing the 30 days up to the last." });
    expect(readUsageFilter({ range: "custom", to: "2026-10-31" }, team, TODAY).usage).toMatchObject({ from: "2026-10-02", to: "2026-10-31" });
  });

  it("says at the field when days are typed beside a preset, rather than ignoring them", () => {
    const read = readUsageFilter({ range: "90d", from: "2026-10-01", to: "2026-10-05" }, team, TODAY);
    expect(read.errors.from).toMatch(/Choose “Custom days” to use this day; showing last 90 days/);
    expect(read.errors.to).toMatch(/Custom days/);
    expect(read.usage).toMatchObject({ range: "90d", from: "2026-09-08", to: TODAY });
  });

  it("keeps the chart, sort and chosen columns in links, and drops what no table wrote", () => {
    const view = readUsageView({ stack: "model", sort: "credits", hide: "notes,prompt", hideEntries: "<script>" }, { from: "2026-11-07", to: TODAY });
    expect(viewSearch(view)).toEqual([
      ["by", "day"],
      ["stack", "model"],
      ["tab", "runs"],
      ["sort", "credits"],
      ["hide", "notes,prompt"],
    ]);
    expect(usageSearch({ range: "custom", from: "2026-10-01", to: "2026-10-31", project: "p1" }).toString()).toBe("project=p1&range=custom&from=2026-10-01&to=2026-10-31");
  });
});
