// Pricing a planned item and a batch: per step, per item, per model and in total, and errors at the field.
import { describe, expect, it } from "vitest";
import { DEFAULT_PRICE_LIST } from "@/lib/pricing/default-price-list";
import { estimateBatch, estimateItem } from "./index";
import { plan, plannedItem, step, withEntry } from "./test-items";

const list = DEFAULT_PRICE_LIST;

describe("estimateItem", () => {
  it("adds tests, finals and tool steps, each step with its model and figures", () => {
    const estimate = estimateItem(list, plan(step("qwen-image", 5), step("flux-2-pro", 1, { resolution: "2k" }), [step("crystal-upscaler", 1, { scale: "2x" })]));
    expect(estimate).toMatchObject({ ok: true, credits: 100 + 240 + 500, tests: 100, finals: 240, tools: 500 });
    expect(estimate.ok && estimate.steps[1]).toEqual({
      stage: "finals",
      index: 0,
      modelId: "flux-2-pro",
      modelName: "Flux 2 Pro",
      outputType: "image",
      tier: "premium",
      count: 1,
      perUnit: 240,
      credits: 240,
    });
  });

  it("names the field of each problem the way the plan editor does", () => {
    expect(estimateItem(list, plan(null, null))).toEqual({ ok: false, error: { message: "A plan needs test runs, final runs, or both.", field: "plan" } });
    expect(estimateItem(list, plan(step("nope", 1), null))).toMatchObject({ ok: false, error: { field: "tests.modelId" } });
    expect(estimateItem(list, plan(null, step("flux-2-pro", 0)))).toMatchObject({ ok: false, error: { field: "finals.count", message: "Finals: The quantity must be at least 1." } });
    expect(estimateItem(list, plan(null, step("flux-2-pro", 1), [step("bg-remover", 1), step("crystal-upscaler", 1, { scale: "8x" })]))).toMatchObject({
      ok: false,
      error: { field: "tools.1.settings.scale" },
    });
    expect(estimateItem(withEntry(list, "qwen-image", { enabled: false }), plan(step("qwen-image", 1), null))).toMatchObject({
      ok: false,
      error: { field: "tests.modelId", message: "Tests: Qwen Image is switched off in this price list." },
    });
  });
});

describe("estimateBatch", () => {
  it("totals the items, groups by model (credits first) and lists the items it cannot price, never as 0", () => {
    const items = [
      plannedItem({ id: "a", plan: plan(step("qwen-image", 5), step("flux-2-pro", 1)) }),
      plannedItem({ id: "b", plan: plan(step("qwen-image", 2), step("flux-2-pro", 2)) }),
      plannedItem({ id: "c", plan: plan(step("nope", 1), null) }),
      plannedItem({ id: "d", status: "dropped", plan: plan(null, step("nano-banana-pro", 1)) }),
      plannedItem({ id: "e", status: "done", plan: plan(null, step("sdxl", 1)) }),
    ];
    const batch = estimateBatch(list, items);
    expect(batch.credits).toBe(220 + 280 + 40);
    expect(batch.unpricedItemIds).toEqual(["c"]);
    expect(batch.items.d).toMatchObject({ ok: true, credits: 600 });
    expect(batch.byModel).toEqual([
      { modelId: "flux-2-pro", modelName: "Flux 2 Pro", outputType: "image", tier: "premium", itemIds: ["a", "b"], runs: 3, credits: 360 },
      { modelId: "qwen-image", modelName: "Qwen Image", outputType: "image", tier: "budget", itemIds: ["a", "b"], runs: 7, credits: 140 },
      { modelId: "sdxl", modelName: "SDXL", outputType: "image", tier: "mid", itemIds: ["e"], runs: 1, credits: 40 },
    ]);
  });
});
