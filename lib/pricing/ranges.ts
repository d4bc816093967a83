// What one output of each type costs across a price list: at default settings, and across every setting; pure.

import { findOption, priceChosen, type ChosenOption } from "./estimate";
import { isValidFactor } from "./rational";
import { OUTPUT_TYPES, type CatalogEntry, type OutputType, type PriceList, type SettingOption } from "./types";

export interface CreditRange {
  min: number;
  max: number;
}

export interface OutputTypeCosts {
  outputType: OutputType;
  /** Enabled models of the type that can be priced. */
  models: number;
  /** One output (one image, one clip…) on each model at its default settings: the figures the price list shows. */
  atDefaults: CreditRange;
  /** One output on each model at its cheapest and at its dearest combination of settings. */
  withSettings: CreditRange;
}

type Pick = "default" | "cheapest" | "dearest";

function chosenOptions(entry: CatalogEntry, pick: Pick): ChosenOption[] | null {
  const chosen: ChosenOption[] = [];
  for (const setting of entry.settings) {
    let option: SettingOption | undefined;
    if (pick === "default") {
      option = findOption(setting, setting.default);
    } else {
      for (const candidate of setting.options) {
        // A broken option leaves the entry unpriceable at some setting, so its range is unknown.
        if (!isValidFactor(candidate.factor)) return null;
        if (!option) {
          option = candidate;
          continue;
        }
        // Compared as exact fractions.
        const difference = candidate.factor.num * option.factor.den - option.factor.num * candidate.factor.den;
        if (pick === "cheapest" ? difference < 0 : difference > 0) option = candidate;
      }
    }
    if (!option) return null;
    chosen.push({ setting, option });
  }
  return chosen;
}

/** One output priced the same way a run is (exact factors, rounded up once, minimum charge), or null if it cannot be. */
function perOutput(entry: CatalogEntry, pick: Pick): number | null {
  const chosen = chosenOptions(entry, pick);
  if (!chosen) return null;
  const priced = priceChosen(entry, chosen, 1);
  return priced.ok ? priced.perUnit : null;
}

function widen(range: CreditRange | null, low: number, high: number): CreditRange {
  return range ? { min: Math.min(range.min, low), max: Math.max(range.max, high) } : { min: low, max: high };
}

/**
 * The spread of credits per output type over the enabled models of a price list.
 * Every range is computed the same way, from the list itself; a type with no
 * enabled, priceable model is left out.
 */
export function costRanges(priceList: PriceList): OutputTypeCosts[] {
  const result: OutputTypeCosts[] = [];
  for (const outputType of OUTPUT_TYPES) {
    let models = 0;
    let atDefaults: CreditRange | null = null;
    let withSettings: CreditRange | null = null;
    for (const entry of priceList.entries) {
      if (!entry.enabled || entry.outputType !== outputType) continue;
      const standard = perOutput(entry, "default");
      const cheapest = perOutput(entry, "cheapest");
      const dearest = perOutput(entry, "dearest");
      if (standard === null || cheapest === null || dearest === null) continue;
      models += 1;
      atDefaults = widen(atDefaults, standard, standard);
      withSettings = widen(withSettings, cheapest, dearest);
    }
    if (atDefaults && withSettings) result.push({ outputType, models, atDefaults, withSettings });
  }
  return result;
}
