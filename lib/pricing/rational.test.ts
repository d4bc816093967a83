// Factors as written for people, and the exact rational arithmetic under the estimator.

import { describe, expect, it } from "vitest";
import { ceilProduct, formatFactor, sameFactor } from "./rational";

describe("formatFactor", () => {
  it("writes factors as entered, and whole factors without a denominator", () => {
    expect([formatFactor({ num: 6, den: 8 }), formatFactor({ num: 2, den: 1 }), formatFactor({ num: 10000, den: 3 })]).toEqual(["6/8", "2", "10,000/3"]);
  });
});

describe("exact arithmetic", () => {
  it("rounds up only when there is a fraction", () => {
    expect(ceilProduct(4000, [{ num: 6, den: 8 }])).toEqual({ value: 3000, roundedUp: false });
    expect(ceilProduct(20, [{ num: 1, den: 3 }])).toEqual({ value: 7, roundedUp: true });
    expect(ceilProduct(7, [])).toEqual({ value: 7, roundedUp: false });
  });

  it("switches to big integers rather than lose precision", () => {
    // 2^53 + 1 cannot be held by a double; the exact answer needs BigInt.
    expect(ceilProduct(2 ** 26, [{ num: 2 ** 27 + 1, den: 1 }, { num: 3, den: 3 }]).value).toBe(Number(2n ** 53n + 2n ** 26n));
    expect(ceilProduct(3, [{ num: 2 ** 52, den: 1 }, { num: 1, den: 2 ** 52 }])).toEqual({ value: 3, roundedUp: false });
  });

  it("compares factors by value", () => {
    expect(sameFactor({ num: 6, den: 8 }, { num: 3, den: 4 })).toBe(true);
    expect(sameFactor({ num: 6, den: 8 }, { num: 7, den: 8 })).toBe(false);
  });
});
