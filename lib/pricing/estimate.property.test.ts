// Properties of estimateRun that must hold for every input, checked with generated data.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DEFAULT_PRICE_LIST } from "./default-price-list";
import { MAX_QUANTITY, estimateRun } from "./estimate";
import type { CatalogEntry, Factor, PriceList, SettingDef } from "./types";

const list = DEFAULT_PRICE_LIST;
const enabledEntries = list.entries.filter((entry) => entry.enabled);

/** A model of the default list with any valid choice of its settings (some left to their defaults). */
const validRun = fc
  .constantFrom(...enabledEntries)
  .chain((entry) =>
    fc.record({
      entry: fc.constant(entry),
      settings: fc.record(
        Object.fromEntries(entry.settings.map((setting) => [setting.key, fc.constantFrom(...setting.options.map((o) => o.value))])),
        { requiredKeys: [] },
      ) as fc.Arbitrary<Record<string, string>>,
      quantity: fc.integer({ min: 1, max: MAX_QUANTITY }),
    }),
  );

const factor = fc.record({ num: fc.integer({ min: 1, max: 100 }), den: fc.integer({ min: 1, max: 100 }) });
const byValue = (a: Factor, b: Factor) => a.num * b.den - b.num * a.den;

/** Settings whose options are listed cheapest first, as resolutions and durations are. */
const ascendingSetting = (key: string): fc.Arbitrary<SettingDef> =>
  fc.array(factor, { minLength: 1, maxLength: 5 }).chain((factors) => {
    const sorted = [...factors].sort(byValue);
    return fc.integer({ min: 0, max: sorted.length - 1 }).map((defaultIndex) => ({
      key,
      label: key,
      default: `v${defaultIndex}`,
      options: sorted.map((f, index) => ({ value: `v${index}`, label: `option ${index}`, factor: f })),
    }));
  });

/** An arbitrary but valid entry: realistic bounds keep a full quantity within safe integers. */
const arbitraryEntry: fc.Arbitrary<CatalogEntry> = fc.record({
  id: fc.constant("generated"),
  name: fc.constant("Generated"),
  outputType: fc.constantFrom("image", "video", "audio", "tool" as const),
  tier: fc.constantFrom("budget", "mid", "premium" as const),
  credits: fc.integer({ min: 1, max: 100_000 }),
  unit: fc.constant("unit"),
  settings: fc.tuple(ascendingSetting("resolution"), ascendingSetting("duration")).map(([a, b]) => [a, b]),
  minimumCharge: fc.option(fc.integer({ min: 1, max: 1000 }), { nil: undefined }),
  useFor: fc.constant(""),
  enabled: fc.constant(true),
});

const single = (entry: CatalogEntry): PriceList => ({ entries: [entry] });

describe("estimateRun properties", () => {
  it("gives a whole number of credits, at least 1, for every valid run of the default list", () => {
    fc.assert(
      fc.property(validRun, ({ entry, settings, quantity }) => {
        const result = estimateRun(list, { modelId: entry.id, settings, quantity });
        expect(result.ok).toBe(true);
        if (!result.ok) return;
        expect(Number.isSafeInteger(result.credits)).toBe(true);
        expect(result.credits).toBeGreaterThanOrEqual(1);
        expect(result.credits).toBe(result.perUnit * quantity);
      }),
    );
  });

  it("gives a whole number ≥ 1 for any valid entry, whatever its factors", () => {
    fc.assert(
      fc.property(arbitraryEntry, fc.nat(4), fc.nat(4), fc.integer({ min: 1, max: MAX_QUANTITY }), (entry, r, d, quantity) => {
        const settings = {
          resolution: entry.settings[0].options[r % entry.settings[0].options.length].value,
          duration: entry.settings[1].options[d % entry.settings[1].options.length].value,
        };
        const result = estimateRun(single(entry), { modelId: entry.id, settings, quantity });
        expect(result.ok && Number.isSafeInteger(result.credits) && result.credits >= 1).toBe(true);
        expect(result.ok && result.perUnit >= (entry.minimumCharge ?? 1)).toBe(true);
      }),
    );
  });

  it("never charges less for a larger quantity", () => {
    fc.assert(
      fc.property(validRun, fc.integer({ min: 1, max: MAX_QUANTITY }), ({ entry, settings, quantity }, other) => {
        const [small, large] = quantity <= other ? [quantity, other] : [other, quantity];
        const a = estimateRun(list, { modelId: entry.id, settings, quantity: small });
        const b = estimateRun(list, { modelId: entry.id, settings, quantity: large });
        expect(a.ok && b.ok && a.credits <= b.credits).toBe(true);
      }),
    );
  });

  it("never charges less for a higher resolution or a longer duration (any entry with ordered options)", () => {
    fc.assert(
      fc.property(
        arbitraryEntry,
        fc.constantFrom(0, 1),
        fc.nat(4),
        fc.nat(4),
        fc.nat(4),
        fc.integer({ min: 1, max: 100 }),
        (entry, which, i, j, other, quantity) => {
          const varied = entry.settings[which];
          const fixed = entry.settings[1 - which];
          const n = varied.options.length;
          const [low, high] = [Math.min(i % n, j % n), Math.max(i % n, j % n)];
          const fixedValue = fixed.options[other % fixed.options.length].value;
          const price = (index: number) =>
            estimateRun(single(entry), {
              modelId: entry.id,
              settings: { [varied.key]: varied.options[index].value, [fixed.key]: fixedValue },
              quantity,
            });
          const a = price(low);
          const b = price(high);
          expect(a.ok && b.ok && a.credits <= b.credits).toBe(true);
        },
      ),
    );
  });

  it("never charges less for a later resolution, duration, script length or scale of a default model", () => {
    const withSettings = enabledEntries.filter((entry) => entry.settings.length > 0);
    fc.assert(
      fc.property(fc.constantFrom(...withSettings), fc.nat(), fc.nat(), fc.nat(), fc.nat(), (entry, which, i, j, other) => {
        const varied = entry.settings[which % entry.settings.length];
        const n = varied.options.length;
        const [low, high] = [Math.min(i % n, j % n), Math.max(i % n, j % n)];
        const base: Record<string, string> = {};
        for (const setting of entry.settings) base[setting.key] = setting.options[other % setting.options.length].value;
        const price = (index: number) =>
          estimateRun(list, { modelId: entry.id, settings: { ...base, [varied.key]: varied.options[index].value }, quantity: 1 });
        const a = price(low);
        const b = price(high);
        expect(a.ok && b.ok && a.credits <= b.credits).toBe(true);
      }),
    );
  });

  it("lists resolutions, durations, script lengths and scales of the default list cheapest first", () => {
    const ordered = new Set(["resolution", "duration", "characters", "scale"]);
    for (const entry of list.entries) {
      for (const setting of entry.settings) {
        expect(ordered.has(setting.key), `${entry.id}.${setting.key}`).toBe(true);
        for (let index = 1; index < setting.options.length; index++) {
          expect(byValue(setting.options[index - 1].factor, setting.options[index].factor)).toBeLessThanOrEqual(0);
        }
      }
    }
  });

  it("gives the same figure for the same input, every time", () => {
    fc.assert(
      fc.property(validRun, ({ entry, settings, quantity }) => {
        const input = { modelId: entry.id, settings, quantity };
        expect(estimateRun(list, input)).toEqual(estimateRun(list, { ...input, settings: { ...settings } }));
      }),
    );
  });

  it("refuses any model id that is not in the list", () => {
    const ids = new Set(list.entries.map((entry) => entry.id));
    fc.assert(
      fc.property(
        fc.string().filter((id) => !ids.has(id)),
        fc.integer({ min: 1, max: 100 }),
        (modelId, quantity) => {
          const result = estimateRun(list, { modelId, quantity });
          expect(result.ok).toBe(false);
          expect(result.ok || result.error.code).toBe("unknown_model");
          expect(result).not.toHaveProperty("credits");
        },
      ),
    );
  });

  it("refuses any setting value the model does not offer", () => {
    const withSettings = enabledEntries.filter((entry) => entry.settings.length > 0);
    fc.assert(
      fc.property(fc.constantFrom(...withSettings), fc.nat(), fc.string(), (entry, index, value) => {
        const setting = entry.settings[index % entry.settings.length];
        fc.pre(!setting.options.some((option) => option.value === value));
        const result = estimateRun(list, { modelId: entry.id, settings: { [setting.key]: value }, quantity: 1 });
        expect(result.ok || result.error.code).toBe("invalid_setting");
      }),
    );
  });

  it("refuses any setting key the model does not have", () => {
    fc.assert(
      fc.property(fc.constantFrom(...enabledEntries), fc.string({ minLength: 1 }), fc.string(), (entry, key, value) => {
        fc.pre(!entry.settings.some((setting) => setting.key === key));
        const result = estimateRun(list, { modelId: entry.id, settings: { [key]: value }, quantity: 1 });
        expect(result.ok || result.error.code).toBe("unknown_setting");
      }),
    );
  });

  it("refuses any quantity that is not a whole number from 1 to the maximum", () => {
    const badQuantity = fc.oneof(
      fc.integer({ max: 0 }),
      fc.integer({ min: MAX_QUANTITY + 1 }),
      fc.double({ noNaN: false }).filter((q) => !Number.isInteger(q) || q < 1 || q > MAX_QUANTITY),
      fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0, 0.5, 1.0000001),
    );
    fc.assert(
      fc.property(validRun, badQuantity, ({ entry, settings }, quantity) => {
        const result = estimateRun(list, { modelId: entry.id, settings, quantity });
        expect(result.ok || result.error.code).toBe("invalid_quantity");
        expect(result).not.toHaveProperty("credits");
      }),
    );
  });
});
