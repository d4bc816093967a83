// The pure rules behind price list edits: factor text, effective dates on the team's clock, entry edits and error placement.
import { describe, expect, it } from "vitest";
import { DEFAULT_PRICE_LIST } from "@/lib/pricing/default-price-list";
import type { CatalogEntry } from "@/lib/pricing/types";
import {
  addEntry,
  applyEntryUpdate,
  checkEntries,
  factorText,
  localInputValue,
  nextMidnightInputValue,
  parseFactorText,
  readFactorFieldName,
  resolveEffectiveFrom,
} from "./rules";

const entries = (): CatalogEntry[] => structuredClone(DEFAULT_PRICE_LIST.entries) as CatalogEntry[];

describe("parseFactorText", () => {
  it("reads whole numbers, fractions as written and decimals as exact fractions", () => {
    expect(parseFactorText("2")).toEqual({ ok: true, value: { num: 2, den: 1 } });
    expect(parseFactorText(" 6 / 8 ")).toEqual({ ok: true, value: { num: 6, den: 8 } });
    expect(parseFactorText("1.5")).toEqual({ ok: true, value: { num: 3, den: 2 } });
    expect(parseFactorText("0.25")).toEqual({ ok: true, value: { num: 1, den: 4 } });
    expect(parseFactorText(".5")).toEqual({ ok: true, value: { num: 1, den: 2 } });
  });

  it("refuses zero, negatives, words and parts out of range", () => {
    for (const text of ["", "0", "0/3", "-1", "abc", "1/0", "2.", "1.23456", "10001", "1/10001", "."]) {
      expect(parseFactorText(text).ok, text).toBe(false);
    }
    expect(parseFactorText("0")).toMatchObject({ message: expect.stringContaining("switch it off") });
    expect(parseFactorText("0/4")).toMatchObject({ message: expect.stringContaining("more than 0") });
    expect(parseFactorText("20000")).toMatchObject({ message: "Keep each part of the factor from 1 to 10,000." });
    expect(parseFactorText("six")).toMatchObject({ message: "Write a factor such as 2, 1.5 or 6/8." });
  });

  it("writes factors back without thousands separators so they parse again", () => {
    expect(factorText({ num: 1500, den: 1000 })).toBe("1500/1000");
    expect(factorText({ num: 2, den: 1 })).toBe("2");
    expect(parseFactorText(factorText({ num: 1500, den: 1000 }))).toEqual({ ok: true, value: { num: 1500, den: 1000 } });
  });

  it("splits factor field names at the setting key, keeping dots in option values", () => {
    expect(readFactorFieldName("factor.duration.6")).toEqual({ settingKey: "duration", optionValue: "6" });
    expect(readFactorFieldName("factor.speed.1.5x")).toEqual({ settingKey: "speed", optionValue: "1.5x" });
    expect(readFactorFieldName("credits")).toBeNull();
  });
});

describe("effective dates on the team's clock", () => {
  const now = new Date("2026-03-10T14:30:20Z");

  it("takes now as now", () => {
    expect(resolveEffectiveFrom({ effective: "now" }, "Europe/Berlin", now)).toEqual({ ok: true, value: now });
  });

  it("reads a later wall time in the team's zone", () => {
    const result = resolveEffectiveFrom({ effective: "later", effectiveAt: "2026-04-01T00:00" }, "Europe/Berlin", now);
    // Berlin is on summer time (UTC+2) by 1 April.
    expect(result).toEqual({ ok: true, value: new Date("2026-03-31T22:00:00Z") });
    const newYork = resolveEffectiveFrom({ effective: "later", effectiveAt: "2026-04-01T00:00" }, "America/New_York", now);
    expect(newYork).toEqual({ ok: true, value: new Date("2026-04-01T04:00:00Z") });
  });

  it("refuses a moment that has passed, but counts the current minute as now", () => {
    const past = resolveEffectiveFrom({ effective: "later", effectiveAt: "2026-03-10T15:29" }, "Europe/Berlin", now);
    expect(past).toMatchObject({ ok: false, field: "effectiveAt", message: expect.stringContaining("has passed") });
    const thisMinute = resolveEffectiveFrom({ effective: "later", effectiveAt: "2026-03-10T15:30" }, "Europe/Berlin", now);
    expect(thisMinute).toEqual({ ok: true, value: now });
  });

  it("refuses a missing or malformed time and one the clocks skip", () => {
    expect(resolveEffectiveFrom({ effective: "later" }, "Europe/Berlin", now)).toMatchObject({ ok: false, field: "effectiveAt" });
    expect(resolveEffectiveFrom({ effective: "later", effectiveAt: "1 April" }, "Europe/Berlin", now)).toMatchObject({ ok: false });
    // 02:30 on 29 March 2026 does not happen in Berlin: clocks jump from 02:00 to 03:00.
    const gap = resolveEffectiveFrom({ effective: "later", effectiveAt: "2026-03-29T02:30" }, "Europe/Berlin", now);
    expect(gap).toMatchObject({ ok: false, field: "effectiveAt", message: expect.stringContaining("does not exist") });
  });

  it("formats inputs on the team's clock and offers the next midnight", () => {
    expect(localInputValue(now, "Europe/Berlin")).toBe("2026-03-10T15:30");
    expect(localInputValue(now, "Asia/Tokyo")).toBe("2026-03-10T23:30");
    expect(nextMidnightInputValue(now, "Europe/Berlin")).toBe("2026-03-11T00:00");
    expect(nextMidnightInputValue(now, "Asia/Tokyo")).toBe("2026-03-11T00:00");
    expect(nextMidnightInputValue(new Date("2026-03-10T23:30:00Z"), "Europe/Berlin")).toBe("2026-03-12T00:00");
  });
});

describe("applyEntryUpdate", () => {
  it("changes only what the update names, on a copy", () => {
    const base = entries();
    const result = applyEntryUpdate(base, {
      modelId: "veo-3-1",
      credits: 4400,
      enabled: false,
      note: "Raised by the platform in May",
      factors: { "factor.duration.6": { num: 7, den: 8 } },
    });
    if (!result.ok) throw new Error(result.message);
    const veo = result.value.find((entry) => entry.id === "veo-3-1")!;
    expect(veo).toMatchObject({ credits: 4400, enabled: false, note: "Raised by the platform in May", tier: "premium", unit: "clip" });
    expect(veo.settings[0].options.find((option) => option.value === "6")!.factor).toEqual({ num: 7, den: 8 });
    expect(base.find((entry) => entry.id === "veo-3-1")!.credits).toBe(4000);
    expect(result.value.filter((entry) => entry.id !== "veo-3-1")).toEqual(base.filter((entry) => entry.id !== "veo-3-1"));
  });

  it("removes a note or minimum charge when asked", () => {
    const base = entries();
    base[0].note = "old";
    base[0].minimumCharge = 25;
    const result = applyEntryUpdate(base, { modelId: base[0].id, note: "", minimumCharge: null });
    if (!result.ok) throw new Error(result.message);
    expect(result.value[0]).not.toHaveProperty("note");
    expect(result.value[0]).not.toHaveProperty("minimumCharge");
  });

  it("refuses an unknown model or setting option at its field", () => {
    expect(applyEntryUpdate(entries(), { modelId: "nope" })).toMatchObject({ ok: false, field: "modelId" });
    expect(applyEntryUpdate(entries(), { modelId: "sdxl", factors: { "factor.resolution.8k": { num: 2, den: 1 } } })).toMatchObject({
      ok: false,
      field: "factor.resolution.8k",
    });
  });
});

describe("addEntry and checkEntries", () => {
  const denoiser = { id: "denoiser", name: "Denoiser", outputType: "tool" as const, tier: null, credits: 30, unit: "image", useFor: "Cleaning scans" };

  it("appends a custom entry without settings, enabled", () => {
    const result = addEntry(entries(), denoiser);
    if (!result.ok) throw new Error(result.message);
    expect(result.value.at(-1)).toEqual({ ...denoiser, settings: [], enabled: true });
    expect(checkEntries(result.value).ok).toBe(true);
  });

  it("refuses an id or a name already in the list", () => {
    expect(addEntry(entries(), { ...denoiser, id: "sdxl" })).toMatchObject({ ok: false, field: "id" });
    expect(addEntry(entries(), { ...denoiser, name: "bg remover" })).toMatchObject({ ok: false, field: "name" });
  });

  it("puts a schema problem at the field it came from", () => {
    const list = entries();
    list[1].credits = 0;
    expect(checkEntries(list)).toMatchObject({ ok: false, field: "credits" });
    const factors = entries();
    factors[0].settings[0].options[1].factor = { num: 0, den: 1 };
    expect(checkEntries(factors)).toMatchObject({ ok: false, field: "factor.resolution.2k" });
    const tiers = entries();
    tiers[0].tier = null;
    expect(checkEntries(tiers)).toMatchObject({ ok: false, field: "tier", message: expect.stringContaining("Only tools") });
  });
});
