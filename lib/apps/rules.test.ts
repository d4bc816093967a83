// An app's cost per run — per step and in total for the default inputs, and its range over what the inputs allow —
// and the plan one output follows, with the default price list (figures from the platform's guide).
import { describe, expect, it } from "vitest";
import { DEFAULT_PRICE_LIST } from "@/lib/pricing/default-price-list";
import type { PriceList } from "@/lib/pricing/types";
import { PRODUCT_SHOT_STEPS } from "@/test/apps";
import { appCostRange, appFindings, appRunCost, definitionProblem, MAX_COMBINATIONS, outputsOf, planFor, readValues, valuesProblem, type AppDefinition } from "./rules";

/** Generate on Flux 2 Dev at 2K → remove the background → upscale ×2 for print. */
const productShot: AppDefinition = {
  steps: structuredClone(PRODUCT_SHOT_STEPS),
  inputs: [
    { kind: "prompt", key: "prompt", label: "Prompt", default: "A red kite on white", maxLength: 2000 },
    { kind: "setting", key: "resolution", label: "Resolution", step: 0, setting: "resolution", options: ["1k", "2k"], default: "2k" },
    { kind: "outputs", key: "variants", label: "Variants", min: 1, max: 4, default: 2 },
  ],
};

describe("an app's cost per run", () => {
  it("prices each step for every output, and the whole run, for the default inputs", () => {
    const cost = appRunCost(DEFAULT_PRICE_LIST, productShot, { prompt: "A red kite", resolution: "2k", variants: 2 });
    if (!cost.ok) throw new Error(cost.error.message);
    // Flux 2 Dev at 2K: 100; BG Remover: 20; Crystal Upscaler at 2×: 500 — 620 an output, two outputs.
    expect(cost.steps.map((step) => [step.modelId, step.count, step.credits])).toEqual([
      ["flux-2-dev", 2, 200],
      ["bg-remover", 2, 40],
      ["crystal-upscaler", 2, 1000],
    ]);
    expect(cost).toMatchObject({ credits: 1240, perOutput: 620, outputs: 2 });
  });

  it("follows the inputs: a setting input changes its step, the outputs multiply every step", () => {
    const cost = appRunCost(DEFAULT_PRICE_LIST, productShot, { prompt: "A red kite", resolution: "1k", variants: 3 });
    expect(cost).toMatchObject({ ok: true, credits: 3 * (50 + 20 + 500), perOutput: 570, outputs: 3 });
  });

  it("ranges from the cheapest to the dearest run the inputs allow", () => {
    expect(appCostRange(DEFAULT_PRICE_LIST, productShot)).toEqual({ ok: true, min: 570, max: 4 * 620, combinations: 2 });
  });

  it("prices an app with no inputs at one output", () => {
    const fixed: AppDefinition = { steps: [{ modelId: "qwen-image", settings: {} }], inputs: [] };
    expect(appRunCost(DEFAULT_PRICE_LIST, fixed, {})).toMatchObject({ ok: true, credits: 20, outputs: 1 });
    expect(appCostRange(DEFAULT_PRICE_LIST, fixed)).toEqual({ ok: true, min: 20, max: 20, combinations: 1 });
  });

  it("refuses values the app does not allow, at the input", () => {
    expect(valuesProblem(productShot, { prompt: "", resolution: "2k", variants: 1 })).toEqual({ field: "prompt", message: "Write the prompt." });
    expect(valuesProblem(productShot, { prompt: "x", resolution: "4k", variants: 1 })).toMatchObject({ field: "resolution" });
    expect(valuesProblem(productShot, { prompt: "x", resolution: "2k", variants: 5 })).toMatchObject({ field: "variants", message: "Choose a whole number from 1 to 4." });
    expect(valuesProblem(productShot, { prompt: "x", seed: "42" })).toEqual({ field: "seed", message: "This app does not take this input." });
    expect(appRunCost(DEFAULT_PRICE_LIST, productShot, { prompt: "x", variants: 2.5 })).toMatchObject({ ok: false, error: { field: "variants" } });
  });

  it("says which step cannot be priced when the price list changed under it", () => {
    const withoutUpscaler: PriceList = { entries: DEFAULT_PRICE_LIST.entries.filter((entry) => entry.id !== "crystal-upscaler") };
    const cost = appRunCost(withoutUpscaler, productShot, { prompt: "x", resolution: "2k", variants: 1 });
    expect(cost).toMatchObject({ ok: false, error: { field: "tools.1.modelId" } });
    expect(appCostRange(withoutUpscaler, productShot).ok).toBe(false);
  });

  it("plans one output as a final on the first step with the others as tools", () => {
    expect(planFor(productShot, { resolution: "1k" }, 3)).toEqual({
      tests: null,
      finals: { modelId: "flux-2-dev", settings: { resolution: "1k" }, count: 3 },
      tools: [
        { modelId: "bg-remover", settings: {}, count: 3 },
        { modelId: "crystal-upscaler", settings: { scale: "2x" }, count: 3 },
      ],
    });
  });

  it("finds the exact bounds past the combinations it enumerates, one input at a time", () => {
    // Nine setting inputs of two options each on one step: 512 combinations, more than are enumerated.
    const settings = Array.from({ length: 9 }, (_, i) => `s${i}`);
    const list: PriceList = {
      entries: [
        {
          id: "many",
          name: "Many",
          outputType: "image",
          tier: "mid",
          credits: 10,
          unit: "image",
          settings: settings.map((key) => ({
            key,
            label: key,
            default: "a",
            options: [
              { value: "a", label: "A", factor: { num: 1, den: 1 } },
              { value: "b", label: "B", factor: { num: 2, den: 1 } },
            ],
          })),
          useFor: "",
          enabled: true,
        },
      ],
    };
    const app: AppDefinition = {
      steps: [{ modelId: "many", settings: {} }],
      inputs: settings.map((key) => ({ kind: "setting" as const, key, label: key, step: 0, setting: key, options: ["b", "a"], default: "a" })),
    };
    expect(2 ** settings.length).toBeGreaterThan(MAX_COMBINATIONS);
    expect(appCostRange(list, app)).toEqual({ ok: true, min: 10, max: 10 * 2 ** 9, combinations: 2 });
  });
});

describe("what people fill in", () => {
  const emptyPrompt: AppDefinition = { ...productShot, inputs: productShot.inputs.map((input) => (input.kind === "prompt" ? { ...input, default: "" } : input)) };

  it("prices an app whose default prompt is left for each person to write, but refuses a run without one", () => {
    const priced = appRunCost(DEFAULT_PRICE_LIST, emptyPrompt, { prompt: "", resolution: "2k", variants: 2 });
    expect(priced).toEqual(appRunCost(DEFAULT_PRICE_LIST, productShot, { prompt: "A red kite", resolution: "2k", variants: 2 }));
    expect(definitionProblem(DEFAULT_PRICE_LIST, "image", emptyPrompt)).toBeNull();
    expect(valuesProblem(emptyPrompt, { prompt: "  ", resolution: "2k", variants: 2 })).toEqual({ field: "prompt", message: "Write the prompt." });
  });

  it("reads only the values' own keys: an input keyed like an object's own members takes its default", () => {
    const odd: AppDefinition = {
      steps: structuredClone(PRODUCT_SHOT_STEPS),
      inputs: [
        { kind: "prompt", key: "constructor", label: "Prompt", default: "A red kite", maxLength: 100 },
        { kind: "outputs", key: "valueof", label: "Variants", min: 1, max: 4, default: 3 },
        { kind: "setting", key: "tostring", label: "Scale", step: 2, setting: "scale", options: ["2x", "4x"], default: "2x" },
      ],
    };
    expect(valuesProblem(odd, {})).toBeNull();
    expect(outputsOf(odd, {})).toBe(3);
    expect(planFor(odd, {}).tools[1].settings.scale).toBe("2x");
    expect(readValues(odd, {})).toEqual({});
  });

  it("reads the number of outputs as typed: digits are a number, empty or a fraction are not", () => {
    expect(readValues(productShot, { prompt: "x", variants: "3" })).toEqual({ prompt: "x", variants: 3 });
    expect(valuesProblem(productShot, readValues(productShot, { prompt: "x", variants: "" }))).toMatchObject({ field: "variants" });
    expect(valuesProblem(productShot, readValues(productShot, { prompt: "x", variants: "2.5" }))).toMatchObject({ field: "variants" });
    expect(readValues(productShot, { prompt: "3" })).toEqual({ prompt: "3" });
  });
});

describe("an app's findings", () => {
  it("finds an upscale wasted on an app for the web, and none of that for print", () => {
    const web = appFindings(DEFAULT_PRICE_LIST, { name: "Shot", outputType: "image", purpose: "web" }, productShot);
    expect(web.map((finding) => finding.rule)).toContain("upscale-web");
    const saving = web.find((finding) => finding.rule === "upscale-web")!;
    // Over every output of a run with the default inputs (two).
    expect(saving.before).toBe(1240);
    expect(saving.after).toBeLessThan(saving.before);
    const print = appFindings(DEFAULT_PRICE_LIST, { name: "Shot", outputType: "image", purpose: "print" }, productShot);
    expect(print.map((finding) => finding.rule)).not.toContain("upscale-web");
  });
});
