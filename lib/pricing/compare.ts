// Prices one job on every model of an output type, so people can see what a cheaper choice would save.

import { checkQuantity, findOption, priceChosen, settingName, type ChosenOption } from "./estimate";
import type { CatalogEntry, EstimateOk, OutputType, PriceList, PricingError, Tier } from "./types";

/** A requested setting a model could not honour, and what was priced instead. */
export interface SettingAdjustment {
  key: string;
  requested: string;
  /** The value priced instead, or null when the model has no such setting. */
  used: string | null;
  message: string;
}

export interface AdaptedSettings {
  chosen: ChosenOption[];
  /** Only the requested settings the model accepts; leave the rest to its defaults. */
  kept: Record<string, string>;
  adjustments: SettingAdjustment[];
}

/**
 * Carries a job's settings over to another model: values it accepts are kept,
 * anything else falls back to its default and is reported. Returns null if the
 * entry's own default is broken (the entry cannot be priced at all).
 */
export function adaptSettings(entry: CatalogEntry, requested: Record<string, string>): AdaptedSettings | null {
  const chosen: ChosenOption[] = [];
  const kept: Record<string, string> = {};
  const adjustments: SettingAdjustment[] = [];
  for (const key of Object.keys(requested)) {
    const value = requested[key];
    if (value === undefined || entry.settings.some((setting) => setting.key === key)) continue;
    adjustments.push({ key, requested: value, used: null, message: `${entry.name} has no ${key} setting; ignored.` });
  }
  for (const setting of entry.settings) {
    const fallback = findOption(setting, setting.default);
    if (!fallback) return null;
    const value = Object.hasOwn(requested, setting.key) ? requested[setting.key] : undefined;
    if (value === undefined) {
      chosen.push({ setting, option: fallback });
      continue;
    }
    const option = findOption(setting, value);
    if (option) {
      chosen.push({ setting, option });
      kept[setting.key] = value;
      continue;
    }
    chosen.push({ setting, option: fallback });
    adjustments.push({
      key: setting.key,
      requested: value,
      used: fallback.value,
      message: `${entry.name} does not offer ${settingName(setting)} “${value}”; priced at its default, ${fallback.label}.`,
    });
  }
  return { chosen, kept, adjustments };
}

export interface ModelComparisonRow {
  entry: CatalogEntry;
  modelId: string;
  name: string;
  tier: Tier | null;
  credits: number;
  perUnit: number;
  /** Every setting as priced, defaults filled in. */
  settings: Record<string, string>;
  breakdown: string;
  adjustments: SettingAdjustment[];
  /** One sentence about the adjustments, or null when the job was priced as asked. */
  note: string | null;
  /** The cheapest row of its tier (tools without a tier form one group). */
  bestInTier: boolean;
}

export type ModelComparison =
  | { ok: true; rows: ModelComparisonRow[]; unpriced: { entry: CatalogEntry; error: PricingError }[] }
  | { ok: false; error: PricingError };

/**
 * Every enabled model of the output type priced for the same job, cheapest first.
 * Models whose price is broken are listed apart in `unpriced` rather than shown as 0.
 */
export function compareModels(
  priceList: PriceList,
  outputType: OutputType,
  settings: Record<string, string>,
  quantity: number,
): ModelComparison {
  const quantityError = checkQuantity(quantity);
  if (quantityError) return { ok: false, error: quantityError };

  const rows: ModelComparisonRow[] = [];
  const unpriced: { entry: CatalogEntry; error: PricingError }[] = [];
  for (const entry of priceList.entries) {
    if (!entry.enabled || entry.outputType !== outputType) continue;
    const priced = priceWithAdaptedSettings(entry, settings ?? {}, quantity);
    if (!priced.ok) {
      unpriced.push({ entry, error: priced.error });
      continue;
    }
    const { estimate, adapted } = priced;
    rows.push({
      entry,
      modelId: entry.id,
      name: entry.name,
      tier: entry.tier,
      credits: estimate.credits,
      perUnit: estimate.perUnit,
      settings: estimate.settings,
      breakdown: estimate.breakdown,
      adjustments: adapted.adjustments,
      note: adapted.adjustments.length === 0 ? null : adapted.adjustments.map((item) => item.message).join(" "),
      bestInTier: false,
    });
  }

  // Stable sort: equal prices keep the price list's order.
  rows.sort((a, b) => a.credits - b.credits);
  const seenTiers = new Set<Tier | null>();
  for (const row of rows) {
    if (seenTiers.has(row.tier)) continue;
    seenTiers.add(row.tier);
    row.bestInTier = true;
  }
  return { ok: true, rows, unpriced };
}

/** Prices an entry with settings carried over from another model's job. */
export function priceWithAdaptedSettings(
  entry: CatalogEntry,
  settings: Record<string, string>,
  quantity: number,
): { ok: true; estimate: EstimateOk; adapted: AdaptedSettings } | { ok: false; error: PricingError } {
  const adapted = adaptSettings(entry, settings);
  if (!adapted) {
    return {
      ok: false,
      error: {
        code: "missing_price",
        message: `${entry.name} has a setting whose default is not one of its options; ask an admin to fix the price list.`,
        field: "modelId",
      },
    };
  }
  const estimate = priceChosen(entry, adapted.chosen, quantity);
  if (!estimate.ok) return estimate;
  return { ok: true, estimate, adapted };
}
