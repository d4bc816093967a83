// The Pricing page's suggestion comes from the engine and says exactly what the pricing library's plan suggestion said.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DEFAULT_PRICE_LIST } from "@/lib/pricing/default-price-list";
import { cheapestSensiblePlan, type PlanInput, type StageInput } from "@/lib/pricing/plans";
import type { CatalogEntry, PriceList } from "@/lib/pricing/types";
import { planSuggestion } from "./index";

const list = DEFAULT_PRICE_LIST;

describe("planSuggestion", () => {
  it("turns the seed's five premium iterations into five budget tests and one premium final", () => {
    const proposal = planSuggestion(list, { tests: { modelId: "flux-2-pro", count: 5 }, finals: { modelId: "flux-2-pro", count: 0 } });
    expect(proposal).toMatchObject({
      ok: true,
      changed: true,
      proposal: { tests: { modelId: "qwen-image", count: 5 }, finals: { modelId: "flux-2-pro", count: 1 } },
      saving: 380,
      savingPercent: 63,
      reason: "Run the 5 tests on Qwen Image (20 credits each) instead of Flux 2 Pro (120 credits each), and make the final on Flux 2 Pro.",
    });
  });

  it("explains why nothing changes, and returns the plan's own errors", () => {
    const cheap = { tests: { modelId: "qwen-image", count: 5 }, finals: { modelId: "flux-2-pro", count: 1 } };
    expect(planSuggestion(list, cheap)).toMatchObject({ ok: true, changed: false, saving: 0, proposal: cheap, reason: "The tests already run on a budget model, Qwen Image." });
    expect(planSuggestion(list, { tests: { modelId: "flux-2-pro", count: 1 }, finals: { modelId: "flux-2-pro", count: 0 } })).toMatchObject({
      ok: true,
      changed: false,
      reason: "A test on Qwen Image and the final on Flux 2 Pro would cost 140 credits, more than the 120 credits of the plan as written.",
    });
    expect(planSuggestion(list, { tests: { modelId: "nope", count: 1 }, finals: { modelId: "flux-2-pro", count: 1 } })).toMatchObject({
      ok: false,
      error: { code: "unknown_model", stage: "tests" },
    });
  });

  // Tiers stay as the seed has them; prices and switches are shuffled.
  const priceList: fc.Arbitrary<PriceList> = fc
    .array(fc.record({ credits: fc.integer({ min: 1, max: 5000 }), enabled: fc.constantFrom(true, true, false), keep: fc.boolean() }), {
      minLength: list.entries.length,
      maxLength: list.entries.length,
    })
    .map((changes) => ({
      entries: list.entries.map((entry, i): CatalogEntry => (changes[i].keep ? entry : { ...entry, credits: changes[i].credits, enabled: changes[i].enabled })),
    }));
  const stage = (maxCount: number): fc.Arbitrary<StageInput> =>
    fc.constantFrom(...list.entries).chain((entry) =>
      fc.record({
        modelId: fc.constant(entry.id),
        settings: fc.record(
          Object.fromEntries(entry.settings.map((setting) => [setting.key, fc.constantFrom(...setting.options.map((option) => option.value))])),
          { requiredKeys: [] },
        ) as fc.Arbitrary<Record<string, string>>,
        count: fc.integer({ min: 0, max: maxCount }),
      }),
    );
  const plan: fc.Arbitrary<PlanInput> = fc.record({ tests: stage(20), finals: stage(3) });

  it("answers exactly as cheapestSensiblePlan for any plan and prices, except that music is never tested on a voice model", () => {
    expect(planSuggestion(list, { tests: { modelId: "music-1-5", count: 3 }, finals: { modelId: "music-1-5", count: 1 } })).toMatchObject({
      ok: true,
      changed: false,
      reason: "No budget audio model makes a track like Music 1.5, so the tests stay on it.",
    });
    fc.assert(
      fc.property(priceList, plan, (prices, written) => {
        const tests = list.entries.find((entry) => entry.id === written.tests.modelId)!;
        const suggestion = planSuggestion(prices, written);
        if (list.entries.some((entry) => entry.outputType === tests.outputType && entry.unit !== tests.unit)) {
          // Audio mixes voiceovers and music: the engine only moves tests to a budget model that makes the same thing.
          if (suggestion.ok && suggestion.changed) {
            expect(list.entries.find((entry) => entry.id === suggestion.proposal.tests.modelId)?.unit).toBe(tests.unit);
          }
          return;
        }
        expect(suggestion).toEqual(cheapestSensiblePlan(prices, written));
      }),
      { numRuns: 500 },
    );
  });
});
