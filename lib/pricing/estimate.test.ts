// Seed figures, breakdown text, rounding and every error code of estimateRun.

import { describe, expect, it } from "vitest";
import { DEFAULT_PRICE_LIST } from "./default-price-list";
import { MAX_QUANTITY, defaultSettings, estimateRun, findEntry } from "./estimate";
import type { CatalogEntry, EstimateResult, PriceList, PricingErrorCode } from "./types";

const list = DEFAULT_PRICE_LIST;

function credits(result: EstimateResult): number {
  if (!result.ok) throw new Error(`expected an estimate, got ${result.error.code}: ${result.error.message}`);
  return result.credits;
}

function errorCode(result: EstimateResult): PricingErrorCode {
  if (result.ok) throw new Error(`expected an error, got ${result.credits} credits`);
  return result.error.code;
}

function entry(overrides: Partial<CatalogEntry> = {}): CatalogEntry {
  return {
    id: "test-model",
    name: "Test Model",
    outputType: "image",
    tier: "mid",
    credits: 20,
    unit: "image",
    settings: [],
    useFor: "",
    enabled: true,
    ...overrides,
  };
}

const priceListOf = (...entries: CatalogEntry[]): PriceList => ({ entries });

describe("the default price list", () => {
  const seedFigures: [string, string, number][] = [
    ["qwen-image", "Qwen Image", 20],
    ["sdxl", "SDXL", 40],
    ["flux-2-dev", "Flux 2 Dev", 50],
    ["flux-2-pro", "Flux 2 Pro", 120],
    ["nano-banana-pro", "Nano Banana Pro", 600],
    ["wan-2-5-fast", "Wan 2.5 Fast", 60],
    ["seedance-lite", "Seedance Lite", 300],
    ["seedance-fast", "Seedance Fast", 500],
    ["veo-3-1", "Veo 3.1", 4000],
    ["sora-2-pro", "Sora 2 Pro", 4000],
    ["speech-turbo", "Speech Turbo", 8],
    ["music-1-5", "Music 1.5", 48],
    ["speech-hd", "Speech HD", 40],
    ["bg-remover", "BG Remover", 20],
    ["crystal-upscaler", "Crystal Upscaler", 1000],
  ];

  it("holds exactly the fifteen models of the seed guide", () => {
    expect(list.entries.map((item) => item.id)).toEqual(seedFigures.map(([id]) => id));
  });

  it.each(seedFigures)("prices one %s (%s) at %i credits with default settings", (id, name, figure) => {
    expect(findEntry(list, id)?.name).toBe(name);
    expect(findEntry(list, id)?.credits).toBe(figure);
    expect(credits(estimateRun(list, { modelId: id, quantity: 1 }))).toBe(figure);
    expect(credits(estimateRun(list, { modelId: id, settings: defaultSettings(findEntry(list, id)!), quantity: 1 }))).toBe(
      figure,
    );
  });

  it("gives the tiers of the guide, and none to tools", () => {
    const tiers = Object.fromEntries(list.entries.map((item) => [item.id, item.tier]));
    expect(tiers).toEqual({
      "qwen-image": "budget",
      sdxl: "mid",
      "flux-2-dev": "mid",
      "flux-2-pro": "premium",
      "nano-banana-pro": "premium",
      "wan-2-5-fast": "budget",
      "seedance-lite": "mid",
      "seedance-fast": "mid",
      "veo-3-1": "premium",
      "sora-2-pro": "premium",
      "speech-turbo": "budget",
      "music-1-5": "mid",
      "speech-hd": "premium",
      "bg-remover": null,
      "crystal-upscaler": null,
    });
  });

  it("is frozen, so no request can change the prices every team starts from", () => {
    expect(() => {
      (list.entries[0] as { credits: number }).credits = 1;
    }).toThrow(TypeError);
    expect(list.entries[0].credits).toBe(20);
  });

  it("prices the guide's shorter premium clips at the low end of its 2,000–4,000 range", () => {
    expect(credits(estimateRun(list, { modelId: "veo-3-1", settings: { duration: "4" }, quantity: 1 }))).toBe(2000);
    expect(credits(estimateRun(list, { modelId: "sora-2-pro", settings: { duration: "4" }, quantity: 1 }))).toBe(2000);
  });
});

describe("don't over-engineer: the swaps of the guide, priced", () => {
  const price = (modelId: string) => credits(estimateRun(list, { modelId, quantity: 1 }));

  it("a quick test costs 120 on Flux 2 Pro and 20 on Qwen Image", () => {
    expect([price("flux-2-pro"), price("qwen-image")]).toEqual([120, 20]);
  });

  it("a concept check costs 4,000 on Veo 3.1 and 60 on Wan 2.5 Fast", () => {
    expect([price("veo-3-1"), price("wan-2-5-fast")]).toEqual([4000, 60]);
  });

  it("a draft voiceover costs 40 on Speech HD and 8 on Speech Turbo", () => {
    expect([price("speech-hd"), price("speech-turbo")]).toEqual([40, 8]);
  });

  it("a shorter Veo clip costs less", () => {
    const six = credits(estimateRun(list, { modelId: "veo-3-1", settings: { duration: "6" }, quantity: 1 }));
    const eight = credits(estimateRun(list, { modelId: "veo-3-1", settings: { duration: "8" }, quantity: 1 }));
    expect(six).toBe(3000);
    expect(six).toBeLessThan(eight);
  });
});

describe("estimateRun", () => {
  it("multiplies factors, then the quantity, and explains the sum", () => {
    const result = estimateRun(list, { modelId: "veo-3-1", settings: { duration: "6", resolution: "1080p" }, quantity: 2 });
    expect(result).toMatchObject({
      ok: true,
      credits: 6000,
      perUnit: 3000,
      quantity: 2,
      settings: { duration: "6", resolution: "1080p" },
      breakdown: "Veo 3.1 · 6 s · 1080p: 4,000 × 6/8 = 3,000 credits × 2 = 6,000 credits",
      steps: [
        { label: "Duration 6 s", factor: { num: 6, den: 8 } },
        { label: "Resolution 1080p", factor: { num: 1, den: 1 } },
      ],
      roundedUp: false,
      minimumApplied: false,
    });
    if (result.ok) expect(result.entry.id).toBe("veo-3-1");
  });

  it("fills in defaults for settings that were not given", () => {
    const result = estimateRun(list, { modelId: "veo-3-1", settings: { duration: "4" }, quantity: 1 });
    expect(result.ok && result.settings).toEqual({ duration: "4", resolution: "1080p" });
    expect(result.ok && result.breakdown).toBe("Veo 3.1 · 4 s · 1080p: 4,000 × 4/8 = 2,000 credits");
  });

  it("treats a setting given as undefined as not given", () => {
    const settings = { duration: undefined } as unknown as Record<string, string>;
    expect(credits(estimateRun(list, { modelId: "veo-3-1", settings, quantity: 1 }))).toBe(4000);
  });

  it("writes short breakdowns when nothing is multiplied", () => {
    const one = estimateRun(list, { modelId: "flux-2-pro", quantity: 1 });
    const five = estimateRun(list, { modelId: "flux-2-pro", quantity: 5 });
    const tool = estimateRun(list, { modelId: "bg-remover", quantity: 1 });
    expect(one.ok && one.breakdown).toBe("Flux 2 Pro · 1K: 120 credits");
    expect(five.ok && five.breakdown).toBe("Flux 2 Pro · 1K: 120 credits × 5 = 600 credits");
    expect(tool.ok && tool.breakdown).toBe("BG Remover: 20 credits");
  });

  it("multiplies several factors exactly", () => {
    const result = estimateRun(list, { modelId: "wan-2-5-fast", settings: { duration: "10", resolution: "1080p" }, quantity: 3 });
    expect(result.ok && result.credits).toBe(540);
    expect(result.ok && result.breakdown).toBe(
      "Wan 2.5 Fast · 10 s · 1080p: 60 × 2 × 3/2 = 180 credits × 3 = 540 credits",
    );
  });

  it("prints thousands separators whatever the locale", () => {
    const result = estimateRun(list, { modelId: "veo-3-1", quantity: 10_000 });
    expect(result.ok && result.breakdown).toBe("Veo 3.1 · 8 s · 1080p: 4,000 credits × 10,000 = 40,000,000 credits");
  });

  it("prices the remaining default settings as expected", () => {
    const cases: [string, Record<string, string>, number][] = [
      ["qwen-image", { resolution: "2k" }, 30],
      ["flux-2-pro", { resolution: "2k" }, 240],
      ["nano-banana-pro", { resolution: "2k" }, 600],
      ["nano-banana-pro", { resolution: "4k" }, 1200],
      ["wan-2-5-fast", { resolution: "480p" }, 30],
      ["seedance-fast", { resolution: "480p" }, 125],
      ["sora-2-pro", { duration: "12", resolution: "720p" }, 3600],
      ["veo-3-1", { resolution: "4k" }, 6000],
      ["speech-hd", { characters: "5000" }, 200],
      ["music-1-5", { duration: "30" }, 24],
      ["music-1-5", { duration: "240" }, 192],
      ["crystal-upscaler", { scale: "2x" }, 500],
    ];
    for (const [modelId, settings, expected] of cases) {
      expect(credits(estimateRun(list, { modelId, settings, quantity: 1 })), `${modelId} ${JSON.stringify(settings)}`).toBe(
        expected,
      );
    }
  });
});

describe("rational rounding", () => {
  const third = entry({
    credits: 20,
    settings: [
      {
        key: "scale",
        label: "Scale",
        default: "full",
        options: [
          { value: "third", label: "1/3", factor: { num: 1, den: 3 } },
          { value: "full", label: "full", factor: { num: 1, den: 1 } },
        ],
      },
    ],
  });

  it("rounds a 1/3 factor up once per unit, not once per job", () => {
    const result = estimateRun(priceListOf(third), { modelId: "test-model", settings: { scale: "third" }, quantity: 3 });
    // 20/3 = 6.67 → 7 per unit; three units are 21, not ⌈20⌉ = 20.
    expect(result).toMatchObject({ ok: true, perUnit: 7, credits: 21, roundedUp: true });
    expect(result.ok && result.breakdown).toBe("Test Model · 1/3: 20 × 1/3 = 7 credits (rounded up) × 3 = 21 credits");
  });

  it("rounds the exact product, not each factor: 20 × 11/10 is 22, never 23", () => {
    const tenPercent = entry({
      credits: 20,
      settings: [
        {
          key: "quality",
          label: "Quality",
          default: "high",
          options: [{ value: "high", label: "high", factor: { num: 11, den: 10 } }],
        },
      ],
    });
    expect(estimateRun(priceListOf(tenPercent), { modelId: "test-model", quantity: 1 })).toMatchObject({
      ok: true,
      credits: 22,
      roundedUp: false,
    });
  });

  it("rounds once after multiplying all factors: 10 × 1/3 × 3 is 10, not 12", () => {
    const both = entry({
      credits: 10,
      settings: [
        { key: "a", label: "A", default: "x", options: [{ value: "x", label: "x", factor: { num: 1, den: 3 } }] },
        { key: "b", label: "B", default: "y", options: [{ value: "y", label: "y", factor: { num: 3, den: 1 } }] },
      ],
    });
    expect(estimateRun(priceListOf(both), { modelId: "test-model", quantity: 1 })).toMatchObject({ ok: true, credits: 10 });
  });

  it("never rounds a tiny fraction down to zero", () => {
    const tiny = entry({
      credits: 1,
      settings: [{ key: "a", label: "A", default: "x", options: [{ value: "x", label: "x", factor: { num: 1, den: 10_000 } }] }],
    });
    expect(estimateRun(priceListOf(tiny), { modelId: "test-model", quantity: 1 })).toMatchObject({ ok: true, credits: 1 });
  });

  it("applies the minimum charge per unit, after rounding", () => {
    const minimum = { ...third, minimumCharge: 10 };
    const result = estimateRun(priceListOf(minimum), { modelId: "test-model", settings: { scale: "third" }, quantity: 2 });
    expect(result).toMatchObject({ ok: true, perUnit: 10, credits: 20, minimumApplied: true });
    expect(result.ok && result.breakdown).toBe(
      "Test Model · 1/3: 20 × 1/3 = 7 credits (rounded up) → minimum charge 10 credits × 2 = 20 credits",
    );
    const above = estimateRun(priceListOf(minimum), { modelId: "test-model", quantity: 2 });
    expect(above).toMatchObject({ ok: true, perUnit: 20, credits: 40, minimumApplied: false });
  });

  it("stays exact with factors too large for plain floating point", () => {
    const huge = entry({
      credits: 9_999_991,
      settings: [
        { key: "a", label: "A", default: "x", options: [{ value: "x", label: "x", factor: { num: 99_999_989, den: 99_999_971 } }] },
        { key: "b", label: "B", default: "y", options: [{ value: "y", label: "y", factor: { num: 99_999_971, den: 99_999_989 } }] },
      ],
    });
    expect(estimateRun(priceListOf(huge), { modelId: "test-model", quantity: 1 })).toMatchObject({ ok: true, credits: 9_999_991 });
  });
});

describe("errors are values with a message, never zero", () => {
  const cases: [string, PriceList, Parameters<typeof estimateRun>[1], PricingErrorCode, string | undefined][] = [
    ["an unknown model", list, { modelId: "midjourney-9", quantity: 1 }, "unknown_model", "modelId"],
    ["an empty model id", list, { modelId: "", quantity: 1 }, "unknown_model", "modelId"],
    [
      "a disabled model",
      priceListOf(entry({ enabled: false })),
      { modelId: "test-model", quantity: 1 },
      "disabled_model",
      "modelId",
    ],
    ["a setting value the model does not offer", list, { modelId: "veo-3-1", settings: { duration: "7" }, quantity: 1 }, "invalid_setting", "settings.duration"],
    ["an empty setting value", list, { modelId: "veo-3-1", settings: { duration: "" }, quantity: 1 }, "invalid_setting", "settings.duration"],
    ["a setting the model does not have", list, { modelId: "qwen-image", settings: { duration: "5" }, quantity: 1 }, "unknown_setting", "settings.duration"],
    ["a prototype key as setting", list, { modelId: "qwen-image", settings: JSON.parse('{"__proto__": "x"}'), quantity: 1 }, "unknown_setting", "settings.__proto__"],
    ["a quantity of zero", list, { modelId: "qwen-image", quantity: 0 }, "invalid_quantity", "quantity"],
    ["a negative quantity", list, { modelId: "qwen-image", quantity: -3 }, "invalid_quantity", "quantity"],
    ["a fractional quantity", list, { modelId: "qwen-image", quantity: 1.5 }, "invalid_quantity", "quantity"],
    ["a NaN quantity", list, { modelId: "qwen-image", quantity: Number.NaN }, "invalid_quantity", "quantity"],
    ["an infinite quantity", list, { modelId: "qwen-image", quantity: Number.POSITIVE_INFINITY }, "invalid_quantity", "quantity"],
    ["an absurd quantity", list, { modelId: "qwen-image", quantity: MAX_QUANTITY + 1 }, "invalid_quantity", "quantity"],
    ["a quantity given as text", list, { modelId: "qwen-image", quantity: "2" as unknown as number }, "invalid_quantity", "quantity"],
    ["a price of zero", priceListOf(entry({ credits: 0 })), { modelId: "test-model", quantity: 1 }, "missing_price", "modelId"],
    ["a negative price", priceListOf(entry({ credits: -20 })), { modelId: "test-model", quantity: 1 }, "missing_price", "modelId"],
    ["a fractional price", priceListOf(entry({ credits: 19.5 })), { modelId: "test-model", quantity: 1 }, "missing_price", "modelId"],
    ["a missing price", priceListOf(entry({ credits: undefined as unknown as number })), { modelId: "test-model", quantity: 1 }, "missing_price", "modelId"],
    ["a NaN price", priceListOf(entry({ credits: Number.NaN })), { modelId: "test-model", quantity: 1 }, "missing_price", "modelId"],
    ["a zero minimum charge", priceListOf(entry({ minimumCharge: 0 })), { modelId: "test-model", quantity: 1 }, "missing_price", "modelId"],
    [
      "a zero factor",
      priceListOf(entry({ settings: [{ key: "a", label: "A", default: "x", options: [{ value: "x", label: "x", factor: { num: 0, den: 1 } }] }] })),
      { modelId: "test-model", quantity: 1 },
      "missing_price",
      "settings.a",
    ],
    [
      "a default that is not an option",
      priceListOf(entry({ settings: [{ key: "a", label: "A", default: "z", options: [{ value: "x", label: "x", factor: { num: 1, den: 1 } }] }] })),
      { modelId: "test-model", quantity: 1 },
      "missing_price",
      "settings.a",
    ],
    [
      "a per-unit price beyond what can be counted",
      priceListOf(
        entry({
          credits: 9_000_000,
          settings: [{ key: "a", label: "A", default: "x", options: [{ value: "x", label: "x", factor: { num: 9_000_000_000, den: 1 } }] }],
        }),
      ),
      { modelId: "test-model", quantity: 1 },
      "missing_price",
      "modelId",
    ],
    [
      "a total beyond what can be counted",
      priceListOf(entry({ credits: 4_000_000_000_000 })),
      { modelId: "test-model", quantity: 10_000 },
      "invalid_quantity",
      "quantity",
    ],
  ];

  it.each(cases)("refuses %s", (_, priceList, input, code, field) => {
    const result = estimateRun(priceList, input);
    expect(errorCode(result)).toBe(code);
    expect(result).not.toHaveProperty("credits");
    if (!result.ok) {
      expect(result.error.field).toBe(field);
      expect(result.error.message.length).toBeGreaterThan(10);
    }
  });

  it("covers every error code", () => {
    const codes = new Set(cases.map(([, , , code]) => code));
    expect([...codes].sort()).toEqual(
      ["disabled_model", "invalid_quantity", "invalid_setting", "missing_price", "unknown_model", "unknown_setting"].sort(),
    );
  });

  it("writes messages for a person", () => {
    const messages = [
      estimateRun(list, { modelId: "veo-3-1", settings: { duration: "7" }, quantity: 1 }),
      estimateRun(list, { modelId: "qwen-image", settings: { duration: "5" }, quantity: 1 }),
      estimateRun(list, { modelId: "bg-remover", settings: { scale: "2x" }, quantity: 1 }),
      estimateRun(list, { modelId: "qwen-image", quantity: 20_000 }),
      estimateRun(priceListOf(entry({ credits: 0 })), { modelId: "test-model", quantity: 1 }),
      estimateRun(priceListOf(entry({ enabled: false })), { modelId: "test-model", quantity: 1 }),
    ].map((result) => (result.ok ? "" : result.error.message));
    expect(messages).toEqual([
      "Veo 3.1 does not offer duration “7”. Choose 4 s (“4”), 6 s (“6”) or 8 s (“8”).",
      "Qwen Image has no “duration” setting. Its only setting is resolution.",
      "BG Remover has no “scale” setting. It has no settings.",
      "At most 10,000 can be estimated at once; split a larger job into several runs.",
      "Test Model has no valid price. It cannot be estimated or charged until an admin sets one in the price list.",
      "Test Model is switched off in this price list.",
    ]);
  });

  it("checks the model before its settings, and the settings before the quantity", () => {
    expect(errorCode(estimateRun(list, { modelId: "nope", settings: { x: "y" }, quantity: 0 }))).toBe("unknown_model");
    expect(errorCode(estimateRun(list, { modelId: "veo-3-1", settings: { duration: "7" }, quantity: 0 }))).toBe("invalid_setting");
  });
});
