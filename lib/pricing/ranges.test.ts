// costRanges: every output type's spread computed the same way from the price list, at default settings and across settings.
import { describe, expect, it } from "vitest";
import { DEFAULT_PRICE_LIST } from "./default-price-list";
import { estimateRun } from "./estimate";
import { costRanges } from "./ranges";
import type { CatalogEntry, PriceList } from "./types";

const list = DEFAULT_PRICE_LIST;

describe("costRanges", () => {
  it("gives the default list's spread per output type, at default settings and with every setting", () => {
    expect(costRanges(list)).toEqual([
      // Qwen Image 20 … Nano Banana Pro 600; with settings up to Nano Banana Pro at 4K, 1,200.
      { outputType: "image", models: 5, atDefaults: { min: 20, max: 600 }, withSettings: { min: 20, max: 1200 } },
      // Wan 2.5 Fast 60 … Veo 3.1 and Sora 2 Pro 4,000; Wan at 480p is 30, Veo at 4K and Sora at 12 s 6,000.
      { outputType: "video", models: 5, atDefaults: { min: 60, max: 4000 }, withSettings: { min: 30, max: 6000 } },
      // Speech Turbo 8 … Music 1.5 48; a 5,000-character script on Speech HD is 200.
      { outputType: "audio", models: 3, atDefaults: { min: 8, max: 48 }, withSettings: { min: 8, max: 200 } },
      // BG Remover 20 … Crystal Upscaler 1,000 (4×); at 2× the upscaler is 500, still above 20.
      { outputType: "tool", models: 2, atDefaults: { min: 20, max: 1000 }, withSettings: { min: 20, max: 1000 } },
    ]);
  });

  it("matches what the estimator charges for the cheapest and dearest runs", () => {
    const price = (modelId: string, settings: Record<string, string>) => {
      const result = estimateRun(list, { modelId, settings, quantity: 1 });
      if (!result.ok) throw new Error(result.error.message);
      return result.credits;
    };
    const [image, video, audio] = costRanges(list);
    expect(image.withSettings.max).toBe(price("nano-banana-pro", { resolution: "4k" }));
    expect(video.withSettings.min).toBe(price("wan-2-5-fast", { duration: "5", resolution: "480p" }));
    expect(video.withSettings.max).toBe(price("sora-2-pro", { duration: "12", resolution: "1080p" }));
    expect(audio.withSettings.max).toBe(price("speech-hd", { characters: "5000" }));
    expect(audio.atDefaults.max).toBe(price("music-1-5", {}));
  });

  it("follows the team's own list: edited prices, switched-off models, minimum charges and rounding", () => {
    const edited: PriceList = {
      entries: list.entries.map((entry): CatalogEntry => {
        if (entry.id === "nano-banana-pro") return { ...entry, enabled: false };
        if (entry.id === "qwen-image") return { ...entry, credits: 25, minimumCharge: 30 };
        if (entry.id === "flux-2-pro") return { ...entry, credits: 121 };
        return entry;
      }),
    };
    const image = costRanges(edited).find((range) => range.outputType === "image");
    // Qwen's minimum charge lifts it to 30; Flux 2 Pro 121 at 2K is 242; Nano Banana Pro no longer counts.
    expect(image).toEqual({ outputType: "image", models: 4, atDefaults: { min: 30, max: 121 }, withSettings: { min: 30, max: 242 } });
  });

  it("leaves out a type with no enabled model and a model that cannot be priced", () => {
    const noTools: PriceList = {
      entries: list.entries.map((entry) =>
        entry.outputType === "tool" ? { ...entry, enabled: false } : entry.id === "sdxl" ? { ...entry, credits: 0 } : entry,
      ),
    };
    const ranges = costRanges(noTools);
    expect(ranges.map((range) => range.outputType)).toEqual(["image", "video", "audio"]);
    expect(ranges[0].models).toBe(4);
    expect(costRanges({ entries: [] })).toEqual([]);
  });
});
