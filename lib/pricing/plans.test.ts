// Stage plans, the seed's worked saving, and the cheaper plan proposal.

import { describe, expect, it } from "vitest";
import { DEFAULT_PRICE_LIST } from "./default-price-list";
import { cheapestSensiblePlan, comparePlans, estimatePlan, wholePercent, type PlanEstimate, type PlanEstimateOk } from "./plans";
import type { PriceList } from "./types";

const list = DEFAULT_PRICE_LIST;

function ok(plan: PlanEstimate): PlanEstimateOk {
  if (!plan.ok) throw new Error(plan.error.message);
  return plan;
}

describe("the guide's worked saving", () => {
  const premiumIterations = ok(
    estimatePlan(list, { tests: { modelId: "flux-2-pro", count: 5 }, finals: { modelId: "flux-2-pro", count: 0 } }),
  );
  const testCheap = ok(
    estimatePlan(list, { tests: { modelId: "qwen-image", count: 5 }, finals: { modelId: "flux-2-pro", count: 1 } }),
  );

  it("prices 5 iterations on Flux 2 Pro at 600 credits", () => {
    expect(premiumIterations.credits).toBe(600);
  });

  it("prices 5 tests on Qwen Image and 1 final on Flux 2 Pro at 220 credits", () => {
    expect(testCheap.credits).toBe(220);
    expect(testCheap.tests.credits).toBe(100);
    expect(testCheap.finals.credits).toBe(120);
    expect(testCheap.breakdown).toBe("tests 100 + finals 120 = 220 credits");
    expect(testCheap.tests.breakdown).toBe("Qwen Image · 1K: 20 credits × 5 = 100 credits");
  });

  it("saves 380 credits, 63 %", () => {
    const comparison = comparePlans(premiumIterations, testCheap);
    expect(comparison.asWritten.credits).toBe(600);
    expect(comparison.alternative.credits).toBe(220);
    expect(comparison.saving).toBe(380);
    expect(comparison.savingPercent).toBe(63);
  });

  it("comes out the same when the fifth premium iteration is counted as the final", () => {
    const written = ok(estimatePlan(list, { tests: { modelId: "flux-2-pro", count: 4 }, finals: { modelId: "flux-2-pro", count: 1 } }));
    expect(comparePlans(written, testCheap)).toMatchObject({ saving: 380, savingPercent: 63 });
  });
});

describe("estimatePlan", () => {
  it("allows a plan without tests, but not one without any run", () => {
    const finalsOnly = ok(estimatePlan(list, { tests: { modelId: "", count: 0 }, finals: { modelId: "veo-3-1", count: 1 } }));
    expect(finalsOnly.credits).toBe(4000);
    expect(finalsOnly.tests).toMatchObject({ count: 0, credits: 0, estimate: null, breakdown: "No test runs" });

    const empty = estimatePlan(list, { tests: { modelId: "qwen-image", count: 0 }, finals: { modelId: "flux-2-pro", count: 0 } });
    expect(empty).toEqual({
      ok: false,
      error: { code: "invalid_quantity", message: "A plan needs at least one test or final run.", field: "quantity" },
    });
  });

  it("passes settings through to each stage", () => {
    const plan = ok(
      estimatePlan(list, {
        tests: { modelId: "wan-2-5-fast", settings: { resolution: "480p" }, count: 4 },
        finals: { modelId: "veo-3-1", settings: { duration: "6" }, count: 1 },
      }),
    );
    expect([plan.tests.credits, plan.finals.credits, plan.credits]).toEqual([120, 3000, 3120]);
  });

  it("says which stage an error is in", () => {
    const badFinal = estimatePlan(list, { tests: { modelId: "qwen-image", count: 3 }, finals: { modelId: "veo-3-1", settings: { duration: "9" }, count: 1 } });
    expect(badFinal).toMatchObject({ ok: false, error: { code: "invalid_setting", stage: "finals", field: "settings.duration" } });
    expect(!badFinal.ok && badFinal.error.message).toMatch(/^Finals: Veo 3.1 does not offer duration/);

    const badTests = estimatePlan(list, { tests: { modelId: "qwen-image", count: -1 }, finals: { modelId: "flux-2-pro", count: 1 } });
    expect(badTests).toMatchObject({ ok: false, error: { code: "invalid_quantity", stage: "tests", field: "quantity" } });

    const fractional = estimatePlan(list, { tests: { modelId: "qwen-image", count: 2 }, finals: { modelId: "flux-2-pro", count: 0.5 } });
    expect(fractional).toMatchObject({ ok: false, error: { code: "invalid_quantity", stage: "finals" } });

    const unknown = estimatePlan(list, { tests: { modelId: "nope", count: 2 }, finals: { modelId: "flux-2-pro", count: 1 } });
    expect(unknown).toMatchObject({ ok: false, error: { code: "unknown_model", stage: "tests", field: "modelId" } });
  });
});

describe("comparePlans", () => {
  it("reports a negative saving when the alternative costs more", () => {
    expect(comparePlans({ credits: 200 }, { credits: 300 })).toEqual({
      asWritten: { credits: 200 },
      alternative: { credits: 300 },
      saving: -100,
      savingPercent: -50,
    });
  });

  it("rounds the percent to a whole number, halves up", () => {
    expect(wholePercent(1, 8)).toBe(13); // 12.5
    expect(wholePercent(1, 3)).toBe(33); // 33.3
    expect(wholePercent(2, 3)).toBe(67); // 66.7
    expect(wholePercent(5, 1000)).toBe(1); // 0.5
    expect(wholePercent(-1, 8)).toBe(-12); // -12.5 rounds up, towards +∞
    expect(wholePercent(0, 600)).toBe(0);
    expect(wholePercent(10, 0)).toBe(0);
    expect(wholePercent(Number.NaN, 10)).toBe(0);
  });
});

describe("cheapestSensiblePlan", () => {
  it("turns the guide's five premium iterations into five budget tests and one premium final: 600 → 220, saving 380 = 63 %", () => {
    const proposal = cheapestSensiblePlan(list, {
      tests: { modelId: "flux-2-pro", count: 5 },
      finals: { modelId: "flux-2-pro", count: 0 },
    });
    expect(proposal).toMatchObject({
      ok: true,
      changed: true,
      proposal: { tests: { modelId: "qwen-image", count: 5 }, finals: { modelId: "flux-2-pro", count: 1 } },
      saving: 380,
      savingPercent: 63,
      reason: "Run the 5 tests on Qwen Image (20 credits each) instead of Flux 2 Pro (120 credits each), and make the final on Flux 2 Pro.",
    });
    expect(proposal.ok && [proposal.asWritten.credits, proposal.alternative.credits]).toEqual([600, 220]);
  });

  it("keeps the final at the quality the iterations had, settings included", () => {
    const proposal = cheapestSensiblePlan(list, {
      tests: { modelId: "veo-3-1", settings: { duration: "4", resolution: "4k" }, count: 3 },
      finals: { modelId: "veo-3-1", count: 0 },
    });
    expect(proposal).toMatchObject({
      ok: true,
      changed: true,
      proposal: { finals: { modelId: "veo-3-1", settings: { duration: "4", resolution: "4k" }, count: 1 } },
    });
    // 3 × Veo 4 s 4K = 3 × 3,000; 3 × Wan 5 s 1080p = 180 plus the 3,000 final.
    expect(proposal.ok && [proposal.asWritten.credits, proposal.alternative.credits]).toEqual([9000, 3180]);
  });

  it("offers nothing when a single premium run, the final itself, would only gain a test", () => {
    const plan = { tests: { modelId: "flux-2-pro", count: 1 }, finals: { modelId: "flux-2-pro", count: 0 } };
    const result = cheapestSensiblePlan(list, plan);
    expect(result).toMatchObject({ ok: true, changed: false, saving: 0, proposal: plan });
    expect(result.ok && result.reason).toBe(
      "A test on Qwen Image and the final on Flux 2 Pro would cost 140 credits, more than the 120 credits of the plan as written.",
    );
  });

  it("moves premium tests to the cheapest budget model and keeps the finals", () => {
    const proposal = cheapestSensiblePlan(list, {
      tests: { modelId: "flux-2-pro", count: 5 },
      finals: { modelId: "flux-2-pro", count: 1 },
    });
    expect(proposal).toMatchObject({
      ok: true,
      changed: true,
      proposal: { tests: { modelId: "qwen-image", count: 5 }, finals: { modelId: "flux-2-pro", count: 1 } },
      saving: 500,
      savingPercent: 69,
      reason: "Run the 5 tests on Qwen Image (20 credits each) instead of Flux 2 Pro (120 credits each), and keep the final on Flux 2 Pro.",
    });
    expect(proposal.ok && [proposal.asWritten.credits, proposal.alternative.credits]).toEqual([720, 220]);
  });

  it("carries over settings the budget model accepts and drops the rest", () => {
    const twoK = cheapestSensiblePlan(list, {
      tests: { modelId: "flux-2-pro", settings: { resolution: "2k" }, count: 4 },
      finals: { modelId: "flux-2-pro", settings: { resolution: "2k" }, count: 1 },
    });
    expect(twoK).toMatchObject({ ok: true, proposal: { tests: { settings: { resolution: "2k" } } }, saving: 840 });

    const video = cheapestSensiblePlan(list, {
      tests: { modelId: "veo-3-1", settings: { duration: "6" }, count: 3 },
      finals: { modelId: "veo-3-1", settings: { duration: "6" }, count: 1 },
    });
    // Wan 2.5 Fast has no 6 s clip, so its default 5 s is proposed: 3 × 60 instead of 3 × 3,000.
    expect(video).toMatchObject({ ok: true, changed: true, proposal: { tests: { modelId: "wan-2-5-fast", settings: {} } } });
    expect(video.ok && [video.asWritten.credits, video.alternative.credits, video.saving, video.savingPercent]).toEqual([
      12000, 3180, 8820, 74,
    ]);
  });

  it("moves mid-tier tests too, e.g. a draft voiceover from Speech HD to Speech Turbo", () => {
    const audio = cheapestSensiblePlan(list, { tests: { modelId: "speech-hd", count: 3 }, finals: { modelId: "speech-hd", count: 1 } });
    expect(audio).toMatchObject({ ok: true, changed: true, proposal: { tests: { modelId: "speech-turbo" } }, saving: 96 });
    const mid = cheapestSensiblePlan(list, { tests: { modelId: "sdxl", count: 2 }, finals: { modelId: "flux-2-pro", count: 1 } });
    expect(mid).toMatchObject({ ok: true, changed: true, proposal: { tests: { modelId: "qwen-image" } }, saving: 40 });
  });

  it("changes nothing when the tests already run on a budget model", () => {
    const plan = { tests: { modelId: "qwen-image", count: 5 }, finals: { modelId: "flux-2-pro", count: 1 } };
    const result = cheapestSensiblePlan(list, plan);
    expect(result).toMatchObject({ ok: true, changed: false, saving: 0, savingPercent: 0, proposal: plan });
    expect(result.ok && result.alternative.credits).toBe(220);
  });

  it("changes nothing without tests, without a budget model, or when the budget model is no cheaper", () => {
    const noTests = cheapestSensiblePlan(list, { tests: { modelId: "", count: 0 }, finals: { modelId: "flux-2-pro", count: 1 } });
    expect(noTests).toMatchObject({ ok: true, changed: false, saving: 0 });

    const tools = cheapestSensiblePlan(list, { tests: { modelId: "crystal-upscaler", count: 2 }, finals: { modelId: "crystal-upscaler", count: 1 } });
    expect(tools).toMatchObject({ ok: true, changed: false, saving: 0, reason: "No budget tool model is available for the tests." });

    const pricey: PriceList = {
      entries: list.entries.map((entry) => (entry.id === "qwen-image" ? { ...entry, credits: 500 } : entry)),
    };
    const noCheaper = cheapestSensiblePlan(pricey, { tests: { modelId: "flux-2-pro", count: 2 }, finals: { modelId: "flux-2-pro", count: 1 } });
    expect(noCheaper).toMatchObject({ ok: true, changed: false, saving: 0 });
  });

  it("ignores disabled budget models", () => {
    const withoutQwen: PriceList = {
      entries: list.entries.map((entry) => (entry.id === "qwen-image" ? { ...entry, enabled: false } : entry)),
    };
    const result = cheapestSensiblePlan(withoutQwen, { tests: { modelId: "flux-2-pro", count: 5 }, finals: { modelId: "flux-2-pro", count: 1 } });
    expect(result).toMatchObject({ ok: true, changed: false });
  });

  it("returns the plan's error when it cannot be priced", () => {
    expect(cheapestSensiblePlan(list, { tests: { modelId: "nope", count: 1 }, finals: { modelId: "flux-2-pro", count: 1 } })).toMatchObject({
      ok: false,
      error: { code: "unknown_model", stage: "tests" },
    });
  });
});
