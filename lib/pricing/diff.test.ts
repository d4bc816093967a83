// Version-history lines produced by diffPriceLists.

import { describe, expect, it } from "vitest";
import { DEFAULT_PRICE_LIST } from "./default-price-list";
import { diffPriceLists } from "./diff";
import type { CatalogEntry, PriceList } from "./types";

const before = DEFAULT_PRICE_LIST;
const copy = (): PriceList => structuredClone(before) as PriceList;
const find = (list: PriceList, id: string) => list.entries.find((entry) => entry.id === id)!;

describe("diffPriceLists", () => {
  it("finds nothing between identical lists", () => {
    expect(diffPriceLists(before, copy())).toEqual([]);
  });

  it("describes price, enabled, factor, added and removed changes", () => {
    const after = copy();
    find(after, "flux-2-pro").credits = 150;
    find(after, "sdxl").enabled = false;
    find(after, "veo-3-1").settings[0].options[1].factor = { num: 7, den: 8 };
    const custom: CatalogEntry = {
      id: "house-style",
      name: "House Style",
      outputType: "image",
      tier: "mid",
      credits: 75,
      unit: "image",
      settings: [],
      useFor: "Images in the studio's own look",
      enabled: true,
    };
    after.entries.push(custom);
    after.entries = after.entries.filter((entry) => entry.id !== "bg-remover");

    expect(diffPriceLists(before, after)).toEqual([
      "Disabled SDXL",
      "Flux 2 Pro: 120 → 150 credits",
      "Veo 3.1 duration 6 s factor 6/8 → 7/8",
      "Added custom model House Style (image, mid, 75 credits)",
      "Removed BG Remover (tool, 20 credits)",
    ]);
  });

  it("describes tier, unit, note, use, minimum charge, name and re-enabling", () => {
    const middle = copy();
    find(middle, "sdxl").enabled = false;
    const after = copy();
    const sdxl = find(after, "sdxl");
    sdxl.tier = "budget";
    sdxl.unit = "picture";
    sdxl.note = "Cheaper since March";
    sdxl.useFor = "Quick tests";
    sdxl.minimumCharge = 10;
    sdxl.name = "SDXL 1.0";
    expect(diffPriceLists(middle, after)).toEqual([
      "Renamed SDXL to SDXL 1.0",
      "SDXL 1.0: tier mid → budget",
      "SDXL 1.0: minimum charge none → 10 credits",
      "SDXL 1.0: unit image → picture",
      "SDXL 1.0: use for “Everyday images in many established styles” → “Quick tests”",
      "SDXL 1.0: note none → “Cheaper since March”",
      "Enabled SDXL 1.0",
    ]);
  });

  it("describes setting changes: options added, removed, relabelled, defaults and whole settings", () => {
    const after = copy();
    const veo = find(after, "veo-3-1");
    veo.settings[0].options.push({ value: "12", label: "12 s", factor: { num: 12, den: 8 } });
    veo.settings[0].default = "6";
    veo.settings[1].options = veo.settings[1].options.filter((option) => option.value !== "4k");
    veo.settings[1].options[0].label = "HD";
    veo.settings.push({
      key: "audio",
      label: "Audio",
      default: "on",
      options: [
        { value: "off", label: "off", factor: { num: 1, den: 2 } },
        { value: "on", label: "on", factor: { num: 1, den: 1 } },
      ],
    });
    find(after, "crystal-upscaler").settings = [];
    expect(diffPriceLists(before, after)).toEqual([
      "Veo 3.1 duration: added option 12 s (factor 12/8)",
      "Veo 3.1 duration default 8 s → 6 s",
      "Veo 3.1 resolution: option 720p renamed to HD",
      "Veo 3.1 resolution: removed option 4K",
      "Veo 3.1: new setting Audio (off 1/2, on 1; default on)",
      "Crystal Upscaler: removed setting Scale",
    ]);
  });

  it("treats equal factors written differently as unchanged", () => {
    const after = copy();
    find(after, "veo-3-1").settings[0].options[1].factor = { num: 3, den: 4 };
    expect(diffPriceLists(before, after)).toEqual([]);
  });

  it("names a re-added stock model without calling it custom, and custom tools as tools", () => {
    const without: PriceList = { entries: before.entries.filter((entry) => entry.id !== "sdxl") };
    const withTool = copy();
    withTool.entries.push({
      id: "vectorizer",
      name: "Vectorizer",
      outputType: "tool",
      tier: null,
      credits: 30,
      unit: "image",
      settings: [],
      useFor: "",
      enabled: false,
    });
    expect(diffPriceLists(without, withTool)).toEqual([
      "Added SDXL (image, mid, 40 credits)",
      "Added custom tool Vectorizer (tool, 30 credits, disabled)",
    ]);
  });
});
