// Whole numbers as people type them: an empty field is never 0, "1e3" is not a whole number as typed, and bounds name their figure.
import { describe, expect, it } from "vitest";
import { readWholeNumber } from "@/lib/whole-number";
import { MAX_CREDITS, adjustCreditsSchema, setBudgetSchema, wholeNumber } from "./schema";

const credits = wholeNumber({ label: "the actual cost", min: 0, max: MAX_CREDITS });
const message = (value: unknown) => {
  const parsed = credits.safeParse(value);
  return parsed.success ? parsed.data : parsed.error.issues[0].message;
};

describe("wholeNumber", () => {
  it("reads digits, a sign and thousands commas", () => {
    expect(message("250")).toBe(250);
    expect(message(" 1,000 ")).toBe(1000);
    expect(message("+7")).toBe(7);
    expect(message(42)).toBe(42);
    expect(message("1000000000")).toBe(MAX_CREDITS);
  });

  it("reads a number typed as the app writes it, true minus sign included, and nothing else", () => {
    expect(readWholeNumber("\u2212250")).toBe(-250);
    expect(readWholeNumber("-1,000")).toBe(-1000);
    for (const text of ["", " ", "1e3", "0x78", "12.0", "1_000", "--5"]) expect(readWholeNumber(text)).toBeNaN();
    expect(message("\u221250")).toBe("The actual cost cannot be negative.");
  });

  it("never reads an empty or missing field as 0", () => {
    for (const value of ["", "   ", undefined, null]) expect(message(value)).toBe("Enter the actual cost in credits.");
  });

  it("refuses what is not a whole number as typed", () => {
    for (const value of ["1e3", "1.0", "0x10", "1,00", "12,5000", "ten", "١٢", 7.5, Number.NaN, Infinity]) {
      expect(message(value)).toBe("Enter the actual cost as a whole number of credits, like 250.");
    }
    expect(message(["5", "6"])).toBe("Enter the actual cost once, as one whole number.");
  });

  it("names the bound it breaks", () => {
    expect(message("-5")).toBe("The actual cost cannot be negative.");
    expect(message("1000000001")).toBe("The actual cost can be at most 1,000,000,000 credits.");
    expect(message("99999999999999999999999")).toBe("The actual cost can be at most 1,000,000,000 credits.");
  });

  it("takes a week start only from Sunday to Saturday, Monday when absent", () => {
    const budget = (weekStartsOn: unknown) => setBudgetSchema.safeParse({ projectId: "p", credits: "100", period: "week", weekStartsOn });
    expect(budget(undefined).data?.weekStartsOn).toBe(1);
    expect(budget("0").data?.weekStartsOn).toBe(0);
    expect(budget("").error?.issues[0].message).toBe("Choose the day weeks start on.");
    expect(budget("7").error?.issues[0].message).toBe("Choose the day weeks start on.");
  });

  it("refuses a correction of 0 and takes a confirmed figure below zero", () => {
    expect(adjustCreditsSchema.safeParse({ amount: "0", reason: "Nothing at all" }).error?.issues[0].message).toBe("A correction of 0 changes nothing.");
    expect(adjustCreditsSchema.safeParse({ amount: "-250", reason: "Double top-up", confirmAvailable: "-99,989,468" }).data).toMatchObject({
      amount: -250,
      confirmAvailable: -99_989_468,
    });
  });
});
