import { describe, expect, it } from "vitest";
import { millisSetting } from "./settings";

describe("millisSetting", () => {
  it("reads whole milliseconds and keeps the default for anything else", () => {
    expect(millisSetting("2500", 10)).toBe(2500);
    expect(millisSetting(" 2500 ", 10)).toBe(2500);
    for (const wrong of [undefined, "", "0", "30s", "1e4", "-5", "2.5", "3000000000"]) expect(millisSetting(wrong, 10)).toBe(10);
    expect(millisSetting("4000", 10, 5_000)).toBe(10);
  });
});
