// The one formatter for figures people read: credits, signed movements, percentages.
import { describe, expect, it } from "vitest";
import { formatCredits, formatNumber, formatPercent, formatSignedNumber } from "./format";

describe("formatNumber", () => {
  it("groups thousands with commas, independent of the locale", () => {
    expect([0, 8, 999, 1000, 4000, 12345, 1234567, 2.5, 12345.25].map(formatNumber)).toEqual([
      "0",
      "8",
      "999",
      "1,000",
      "4,000",
      "12,345",
      "1,234,567",
      "2.5",
      "12,345.25",
    ]);
  });

  it("writes negative figures with a true minus sign, never a hyphen", () => {
    expect([-1, -250, -4000, -1234567, -2.5].map(formatNumber)).toEqual(["−1", "−250", "−4,000", "−1,234,567", "−2.5"]);
    expect(formatNumber(-250).charCodeAt(0)).toBe(0x2212);
    expect(formatNumber(-0)).toBe("0");
  });
});

describe("formatCredits", () => {
  it("says credit or credits", () => {
    expect([formatCredits(1), formatCredits(4000), formatCredits(0), formatCredits(-1), formatCredits(-250)]).toEqual([
      "1 credit",
      "4,000 credits",
      "0 credits",
      "−1 credit",
      "−250 credits",
    ]);
  });
});

describe("formatSignedNumber", () => {
  it("shows the direction of a movement", () => {
    expect([formatSignedNumber(10000), formatSignedNumber(-600), formatSignedNumber(0)]).toEqual(["+10,000", "−600", "0"]);
  });
});

describe("formatPercent", () => {
  it("puts a space before the sign", () => {
    expect([formatPercent(63), formatPercent(-50)]).toEqual(["63 %", "−50 %"]);
  });
});
