// Properties of the engine over generated price lists and batches: exact figures, no dearer savings, nothing dropped.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DEFAULT_PRICE_LIST } from "@/lib/pricing/default-price-list";
import { estimateRun } from "@/lib/pricing/estimate";
import type { CatalogEntry, OutputType, PriceList, Tier } from "@/lib/pricing/types";
import { applyAllSavings, applyFinding, batchFindings, estimateBatch, estimateItem, itemFindings } from "./index";
import { ITEM_STATUSES, PURPOSES, type PlannedItem, type PlanStep } from "./types";

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

const ofType = (type: OutputType) => DEFAULT_PRICE_LIST.entries.filter((entry) => entry.outputType === type);

function stepOf(entries: CatalogEntry[], maxCount: number): fc.Arbitrary<PlanStep> {
  return fc.constantFrom(...entries).chain((entry) =>
    fc.record({
      modelId: fc.constant(entry.id),
      settings: fc.record(
        Object.fromEntries(entry.settings.map((setting) => [setting.key, fc.constantFrom(...setting.options.map((option) => option.value))])),
        { requiredKeys: [] },
      ) as fc.Arbitrary<Record<string, string>>,
      count: fc.integer({ min: 1, max: maxCount }),
    }),
  );
}

function item(id: string): fc.Arbitrary<PlannedItem> {
  return fc.constantFrom<OutputType>("image", "video", "audio").chain((outputType) =>
    fc.record({
      id: fc.constant(id),
      title: fc.constant(`Item ${id}`),
      outputType: fc.constant(outputType),
      purpose: fc.constantFrom(...PURPOSES),
      prompt: fc.constantFrom("", "A lighthouse at dusk"),
      status: fc.constantFrom(...ITEM_STATUSES),
      plan: fc
        .record({
          tests: fc.option(stepOf(ofType(outputType), 12), { nil: null }),
          finals: fc.option(stepOf(ofType(outputType), 3), { nil: null }),
          tools: fc.array(stepOf(ofType("tool"), 3), { maxLength: 2 }),
        })
        .filter((plan) => plan.tests !== null || plan.finals !== null),
      flags: fc.record({
        webOnly: fc.boolean(),
        willBeEdited: fc.boolean(),
        stillWouldDo: fc.boolean(),
        backgroundMusic: fc.boolean(),
        editExisting: fc.boolean(),
      }),
    }),
  );
}

const batch: fc.Arbitrary<PlannedItem[]> = fc.integer({ min: 1, max: 8 }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => item(`i${i}`))));

const RUNS = { numRuns: 300 };

describe("recommendations engine properties", () => {
  it("every finding's figures are exact, savings save, and its change prices on enabled models only", () => {
    fc.assert(
      fc.property(priceList, batch, (list, items) => {
        for (const finding of batchFindings(list, items)) {
          expect(finding.saved).toBe(finding.before - finding.after);
          expect(Number.isInteger(finding.before) && Number.isInteger(finding.after)).toBe(true);
          if (finding.kind === "saving") expect(finding.saved).toBeGreaterThan(0);
          if (finding.kind === "quality") expect(finding.change).not.toBeNull();
          for (const change of finding.change?.items ?? []) {
            const original = items.find((candidate) => candidate.id === change.itemId)!;
            expect(original.status === "done" || original.status === "dropped").toBe(false);
            const steps = [change.plan.tests, change.plan.finals, ...change.plan.tools].filter((step) => step !== null);
            for (const step of steps) {
              const entry = list.entries.find((candidate) => candidate.id === step.modelId)!;
              expect(entry.enabled).toBe(true);
              expect(estimateRun(list, { modelId: step.modelId, settings: step.settings, quantity: step.count }).ok).toBe(true);
            }
            // A plan with finals keeps them; the output type changes only for "a still image would do".
            if (original.plan.finals !== null) expect(change.plan.finals?.count ?? 0).toBeGreaterThanOrEqual(1);
            if (finding.rule !== "still-would-do") expect(change.outputType).toBeUndefined();
            else expect([original.outputType, change.outputType]).toEqual(["video", "image"]);
          }
          if (finding.itemId !== null) {
            const original = items.find((candidate) => candidate.id === finding.itemId)!;
            const asPlanned = estimateItem(list, original.plan);
            expect(asPlanned.ok && asPlanned.credits).toBe(finding.before);
            if (finding.change) {
              const after = estimateItem(list, finding.change.items[0].plan);
              expect(after.ok && after.credits).toBe(finding.after);
            }
          }
        }
      }),
      RUNS,
    );
  });

  it("applying a saving finding lowers the batch by exactly its saving; applying all never costs more than planned", () => {
    fc.assert(
      fc.property(priceList, batch, (list, items) => {
        const total = estimateBatch(list, items).credits;
        for (const finding of batchFindings(list, items)) {
          if (finding.kind !== "saving") continue;
          expect(estimateBatch(list, applyFinding(items, finding)).credits).toBe(total - finding.saved);
        }
        const all = applyAllSavings(list, items);
        expect(all.before).toBe(total);
        expect(all.after).toBeLessThanOrEqual(all.before);
        expect(all.saved).toBe(all.before - all.after);
        expect(all.after).toBe(estimateBatch(list, all.items).credits);
        // Nothing saving is left over, and items that were done or dropped are untouched.
        expect(batchFindings(list, all.items).filter((finding) => finding.kind === "saving")).toEqual([]);
        all.items.forEach((after, i) => {
          if (items[i].status === "done" || items[i].status === "dropped") expect(after).toBe(items[i]);
        });
      }),
      RUNS,
    );
  });

  it("is deterministic: the same input gives deep-equal output", () => {
    fc.assert(
      fc.property(priceList, batch, (list, items) => {
        const copy = structuredClone(items);
        expect(batchFindings(list, items)).toEqual(batchFindings(list, copy));
        expect(applyAllSavings(list, items)).toEqual(applyAllSavings(list, copy));
        // What is remembered per price list answers as a price list seen for the first time does.
        expect(batchFindings(structuredClone(list), copy)).toEqual(batchFindings(list, items));
        expect(applyAllSavings(structuredClone(list), copy)).toEqual(applyAllSavings(list, items));
        for (const one of items) expect(itemFindings(list, one)).toEqual(itemFindings(structuredClone(list), structuredClone(one)));
      }),
      { numRuns: 100 },
    );
  });
});
