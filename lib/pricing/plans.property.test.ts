// Properties of the cheaper-plan suggestion, over generated price lists and plans: it never drops a final and never costs more.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DEFAULT_PRICE_LIST } from "./default-price-list";
import { cheapestSensiblePlan, estimatePlan, type PlanInput, type StageInput } from "./plans";
import type { CatalogEntry, PriceList, Tier } from "./types";

/** The default list with prices, tiers and switches shuffled: budget models that are dearer, missing, or switched off. */
const priceList: fc.Arbitrary<PriceList> = fc
  .array(
    fc.record({
      credits: fc.integer({ min: 1, max: 5000 }),
      tier: fc.constantFrom<Tier>("budget", "mid", "premium"),
      enabled: fc.constantFrom(true, true, true, false),
      keepOriginal: fc.boolean(),
    }),
    { minLength: DEFAULT_PRICE_LIST.entries.length, maxLength: DEFAULT_PRICE_LIST.entries.length },
  )
  .map((changes) => ({
    entries: DEFAULT_PRICE_LIST.entries.map((entry, index): CatalogEntry => {
      const change = changes[index];
      if (change.keepOriginal) return entry;
      return { ...entry, credits: change.credits, tier: entry.tier === null ? null : change.tier, enabled: change.enabled };
    }),
  }));

/** A stage on any model of the default list, with some of its settings chosen (or a value it does not offer). */
function stage(maxCount: number): fc.Arbitrary<StageInput> {
  return fc.constantFrom(...DEFAULT_PRICE_LIST.entries).chain((entry) =>
    fc.record({
      modelId: fc.constant(entry.id),
      settings: fc.record(
        Object.fromEntries(entry.settings.map((setting) => [setting.key, fc.constantFrom(...setting.options.map((option) => option.value))])),
        { requiredKeys: [] },
      ) as fc.Arbitrary<Record<string, string>>,
      count: fc.integer({ min: 0, max: maxCount }),
    }),
  );
}

const plan: fc.Arbitrary<PlanInput> = fc.record({ tests: stage(40), finals: stage(4) });

describe("cheapestSensiblePlan properties", () => {
  it("never drops a final, never drops a test, and never costs more than the plan as written", () => {
    fc.assert(
      fc.property(priceList, plan, (list, written) => {
        const result = cheapestSensiblePlan(list, written);
        if (!result.ok) {
          // Only a plan that cannot be priced is refused, with the same error.
          expect(estimatePlan(list, written)).toEqual(result);
          return;
        }
        const { proposal } = result;
        expect(result.alternative.credits).toBeLessThanOrEqual(result.asWritten.credits);
        expect(result.saving).toBeGreaterThanOrEqual(0);
        expect(proposal.tests.count).toBe(written.tests.count);
        expect(proposal.finals.count).toBeGreaterThanOrEqual(written.finals.count);
        if (written.finals.count > 0) {
          // The finals stay exactly as written: same model, same settings, same number.
          expect(proposal.finals).toEqual(written.finals);
        }
        // What is offered prices to the figure shown.
        const repriced = estimatePlan(list, proposal);
        expect(repriced.ok && repriced.credits).toBe(result.alternative.credits);
        if (!result.changed) {
          expect(proposal).toEqual(written);
          return;
        }
        expect(result.alternative.credits).toBeLessThan(result.asWritten.credits);
        // Something was delivered as written (a final, or premium iterations): a final is still delivered.
        expect(proposal.finals.count).toBeGreaterThanOrEqual(1);
        if (written.finals.count === 0) {
          // The iterations were the deliverable: one final at their model and settings.
          expect(proposal.finals).toEqual({ modelId: written.tests.modelId, settings: written.tests.settings, count: 1 });
        }
        const testModel = list.entries.find((entry) => entry.id === proposal.tests.modelId);
        const writtenModel = list.entries.find((entry) => entry.id === written.tests.modelId);
        expect(testModel?.tier).toBe("budget");
        expect(testModel?.enabled).toBe(true);
        expect(testModel?.outputType).toBe(writtenModel?.outputType);
      }),
      { numRuns: 2000 },
    );
  });
});
