// Remembers prices per price list, so a batch of a thousand items that share a few dozen step shapes prices each once. Pure.
import { estimateRun } from "@/lib/pricing/estimate";
import type { CatalogEntry, PriceList, PricingError } from "@/lib/pricing/types";
import { stepKey } from "./key";
import type { PlanStep } from "./types";

export type PricedStep = { ok: true; entry: CatalogEntry; perUnit: number; credits: number } | { ok: false; error: PricingError };

type Cache = { steps: Map<string, PricedStep>; choices: Map<string, unknown> };

function makeRoom(cache: Cache): void {
  if (cache.steps.size + cache.choices.size < MAX_KEYS) return;
  cache.steps.clear();
  cache.choices.clear();
}

// Keyed by the price list object: a price list is a value (the default one is frozen, a team's is read per request),
// never edited in place once priced. Capped so a long-lived list cannot grow the cache without bound.
const caches = new WeakMap<PriceList, Cache>();
const MAX_KEYS = 20_000;

function cacheOf(priceList: PriceList): Cache {
  let cache = caches.get(priceList);
  if (!cache) caches.set(priceList, (cache = { steps: new Map(), choices: new Map() }));
  return cache;
}

/** estimateRun for a plan step, remembered. */
export function priceStep(priceList: PriceList, step: PlanStep): PricedStep {
  const cache = cacheOf(priceList);
  const key = stepKey(step);
  let priced = cache.steps.get(key);
  if (priced === undefined) {
    const result = estimateRun(priceList, { modelId: step.modelId, settings: step.settings, quantity: step.count });
    priced = result.ok ? { ok: true, entry: result.entry, perUnit: result.perUnit, credits: result.credits } : { ok: false, error: result.error };
    makeRoom(cache);
    cache.steps.set(key, priced);
  }
  return priced;
}

/**
 * A choice (such as "the cheapest budget image model for this step") computed once per price list, kind of choice and
 * step (or a key the caller built).
 */
export function remember<T>(priceList: PriceList, kind: string, about: PlanStep | string, compute: () => T): T {
  const cache = cacheOf(priceList);
  const key = `${kind}\u0001${typeof about === "string" ? about : stepKey(about)}`;
  // One lookup in the common case; a remembered undefined (rare) needs the second.
  const known = cache.choices.get(key);
  if (known !== undefined || cache.choices.has(key)) return known as T;
  const value = compute();
  makeRoom(cache);
  cache.choices.set(key, value);
  return value;
}
