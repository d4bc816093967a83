// Model comparison: one job priced on every model of a type, with fallbacks and best-in-tier.

import { describe, expect, it } from "vitest";
import { compareModels } from "./compare";
import { DEFAULT_PRICE_LIST } from "./default-price-list";
import type { PriceList } from "./types";

const list = DEFAULT_PRICE_LIST;

function rows(result: ReturnType<typeof compareModels>) {
  if (!result.ok) throw new Error(result.error.message);
  return result.rows;
}

describe("compareModels", () => {
  it("prices every enabled image model for the same job, cheapest first", () => {
    const table = rows(compareModels(list, "image", {}, 5));
    expect(table.map((row) => [row.modelId, row.credits, row.tier, row.bestInTier])).toEqual([
      ["qwen-image", 100, "budget", true],
      ["sdxl", 200, "mid", true],
      ["flux-2-dev", 250, "mid", false],
      ["flux-2-pro", 600, "premium", true],
      ["nano-banana-pro", 3000, "premium", false],
    ]);
    expect(table.every((row) => row.note === null && row.adjustments.length === 0)).toBe(true);
  });

  it("falls back to a model's default when it does not offer a setting, and says so", () => {
    const table = rows(compareModels(list, "image", { resolution: "4k" }, 1));
    const byId = Object.fromEntries(table.map((row) => [row.modelId, row]));
    expect(byId["nano-banana-pro"]).toMatchObject({ credits: 1200, settings: { resolution: "4k" }, note: null });
    expect(byId["sdxl"]).toMatchObject({
      credits: 40,
      settings: { resolution: "1k" },
      adjustments: [{ key: "resolution", requested: "4k", used: "1k" }],
      note: "SDXL does not offer resolution “4k”; priced at its default, 1K.",
    });
  });

  it("ignores a setting a model does not have, and says so", () => {
    const table = rows(compareModels(list, "audio", { duration: "120" }, 1));
    expect(table.map((row) => [row.modelId, row.credits, row.bestInTier])).toEqual([
      ["speech-turbo", 8, true],
      ["speech-hd", 40, true],
      ["music-1-5", 96, true],
    ]);
    expect(table[0].adjustments).toEqual([
      { key: "duration", requested: "120", used: null, message: "Speech Turbo has no duration setting; ignored." },
    ]);
    expect(table[2].note).toBeNull();
  });

  it("marks the cheapest of each tier on a video job", () => {
    const table = rows(compareModels(list, "video", { duration: "10", resolution: "1080p" }, 1));
    expect(table.map((row) => [row.modelId, row.credits, row.bestInTier])).toEqual([
      ["wan-2-5-fast", 180, true],
      ["seedance-fast", 1000, true],
      ["seedance-lite", 1200, false],
      ["veo-3-1", 4000, true],
      ["sora-2-pro", 4000, false],
    ]);
  });

  it("groups untiered tools together", () => {
    const table = rows(compareModels(list, "tool", {}, 1));
    expect(table.map((row) => [row.modelId, row.bestInTier])).toEqual([
      ["bg-remover", true],
      ["crystal-upscaler", false],
    ]);
  });

  it("leaves out disabled models and lists broken prices apart, never as 0", () => {
    const edited: PriceList = {
      entries: list.entries.map((entry) =>
        entry.id === "sdxl" ? { ...entry, enabled: false } : entry.id === "flux-2-dev" ? { ...entry, credits: 0 } : entry,
      ),
    };
    const result = compareModels(edited, "image", {}, 1);
    expect(result.ok && result.rows.map((row) => row.modelId)).toEqual(["qwen-image", "flux-2-pro", "nano-banana-pro"]);
    expect(result.ok && result.unpriced.map(({ entry, error }) => [entry.id, error.code])).toEqual([["flux-2-dev", "missing_price"]]);
  });

  it("refuses an invalid quantity", () => {
    expect(compareModels(list, "image", {}, 0)).toMatchObject({ ok: false, error: { code: "invalid_quantity" } });
  });
});
