// Reading the team's price list the way the rules need it: tiers, "the same kind of model", upscalers, music, cheapest choice. Pure.
import { priceWithAdaptedSettings } from "@/lib/pricing/compare";
import { findEntry } from "@/lib/pricing/estimate";
import type { CatalogEntry, OutputType, PriceList, Tier } from "@/lib/pricing/types";
import { remember } from "./memo";
import type { PlanStep } from "./types";

export const TIER_RANK: Record<Tier, number> = { budget: 0, mid: 1, premium: 2 };

/** A tier's rank; a tool without a tier ranks below budget, so no rule calls it "above" anything. */
export function rank(tier: Tier | null): number {
  return tier === null ? -1 : TIER_RANK[tier];
}

export function enabledEntry(priceList: PriceList, modelId: string): CatalogEntry | undefined {
  const entry = findEntry(priceList, modelId);
  return entry && entry.enabled ? entry : undefined;
}

/**
 * Models of the same kind make the same thing: same output type and same unit. A voiceover model ("voiceover")
 * and a music model ("track") are both audio, yet one never stands in for the other.
 */
export function sameKind(a: CatalogEntry, b: CatalogEntry): boolean {
  return a.outputType === b.outputType && a.unit === b.unit;
}

export function isUpscaler(entry: CatalogEntry): boolean {
  return entry.outputType === "tool" && (entry.id.toLowerCase().includes("upscal") || entry.name.toLowerCase().includes("upscal"));
}

export function isMusicModel(entry: CatalogEntry): boolean {
  if (entry.outputType !== "audio") return false;
  return [entry.id, entry.name, entry.useFor].some((text) => text.toLowerCase().includes("music"));
}

export type Candidate = { entry: CatalogEntry; step: PlanStep; credits: number; perUnit: number };

/**
 * The cheapest enabled, priceable entry that passes `accept`, for a step's job: its settings carried over where the
 * entry offers them (the rest at its defaults), the same count. Equal prices keep the price list's order.
 */
export function cheapest(priceList: PriceList, step: PlanStep, accept: (entry: CatalogEntry) => boolean): Candidate | null {
  return fresh(findCheapest(priceList, step, accept));
}

// Remembered choices are shared between calls; each caller gets its own step, so a plan never shares one with another.
function fresh(candidate: Candidate | null): Candidate | null {
  return candidate && { ...candidate, step: { ...candidate.step, settings: { ...candidate.step.settings } } };
}

function findCheapest(priceList: PriceList, step: PlanStep, accept: (entry: CatalogEntry) => boolean): Candidate | null {
  let best: Candidate | null = null;
  for (const entry of priceList.entries) {
    if (!entry.enabled || !accept(entry)) continue;
    const priced = priceWithAdaptedSettings(entry, step.settings ?? {}, step.count);
    if (!priced.ok) continue;
    if (best === null || priced.estimate.credits < best.credits) {
      best = {
        entry,
        step: { modelId: entry.id, settings: priced.adapted.kept, count: step.count },
        credits: priced.estimate.credits,
        perUnit: priced.estimate.perUnit,
      };
    }
  }
  return best;
}

/** The cheapest model of the same kind as `like` in one tier. */
export function cheapestOfTier(priceList: PriceList, like: CatalogEntry, tier: Tier, step: PlanStep): Candidate | null {
  const kind = `tier\u0000${tier}\u0000${like.outputType}\u0000${like.unit}`;
  return fresh(remember(priceList, kind, step, () => findCheapest(priceList, step, (entry) => entry.tier === tier && sameKind(entry, like))));
}

/** The cheapest model of an output type in one tier, whatever its unit (for a change of output type). */
export function cheapestOfType(priceList: PriceList, outputType: OutputType, tier: Tier, step: PlanStep): Candidate | null {
  const kind = `type\u0000${tier}\u0000${outputType}`;
  return fresh(remember(priceList, kind, step, () => findCheapest(priceList, step, (entry) => entry.tier === tier && entry.outputType === outputType)));
}
