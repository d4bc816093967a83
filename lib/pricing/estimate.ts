// Prices one run — a model, its settings and a quantity — in whole credits, or says why it cannot.

import { formatCredits, formatNumber } from "../format";
import { ceilProduct, formatFactor, isPositiveWhole, isUnitFactor, isValidFactor } from "./rational";
import type {
  CatalogEntry,
  EstimateResult,
  EstimateStep,
  Factor,
  PriceList,
  PricingError,
  PricingErrorField,
  RunInput,
  SettingDef,
  SettingOption,
} from "./types";

/** Above this a quantity is almost certainly a typo, and a real job of that size should be split. */
export const MAX_QUANTITY = 10_000;

export function findEntry(priceList: PriceList, modelId: string): CatalogEntry | undefined {
  // A plain loop: it runs for every estimate and beats find() with a closure by a wide margin.
  const entries = priceList.entries;
  for (let i = 0; i < entries.length; i++) if (entries[i].id === modelId) return entries[i];
  return undefined;
}

/** Every setting of the entry at its default value. */
export function defaultSettings(entry: CatalogEntry): Record<string, string> {
  const settings: Record<string, string> = {};
  for (const setting of entry.settings) settings[setting.key] = setting.default;
  return settings;
}

export function findOption(setting: SettingDef, value: string): SettingOption | undefined {
  const options = setting.options;
  for (let i = 0; i < options.length; i++) if (options[i].value === value) return options[i];
  return undefined;
}

function failure(code: PricingError["code"], message: string, field?: PricingErrorField): EstimateResult {
  return { ok: false, error: field === undefined ? { code, message } : { code, message, field } };
}

function listLabels(labels: string[], conjunction: "or" | "and" = "or"): string {
  if (labels.length <= 1) return labels.join("");
  return `${labels.slice(0, -1).join(", ")} ${conjunction} ${labels[labels.length - 1]}`;
}

function lowerFirst(text: string): string {
  // Keep acronyms such as "FPS" as they are.
  return /^[A-Z][a-z]/.test(text) ? text[0].toLowerCase() + text.slice(1) : text;
}

/** Settings text as used in sentences: "duration", "script length". */
export function settingName(setting: SettingDef): string {
  return lowerFirst(setting.label || setting.key);
}

/** An error for a quantity that is not a whole number from 1 to MAX_QUANTITY, or null. */
export function checkQuantity(quantity: unknown): PricingError | null {
  const field = "quantity";
  if (typeof quantity !== "number" || Number.isNaN(quantity)) {
    return {
      code: "invalid_quantity",
      message: `Enter a quantity: a whole number from 1 to ${formatNumber(MAX_QUANTITY)}.`,
      field,
    };
  }
  if (quantity > MAX_QUANTITY) {
    return {
      code: "invalid_quantity",
      message: `At most ${formatNumber(MAX_QUANTITY)} can be estimated at once; split a larger job into several runs.`,
      field,
    };
  }
  if (quantity < 1) return { code: "invalid_quantity", message: "The quantity must be at least 1.", field };
  if (!Number.isInteger(quantity)) {
    return { code: "invalid_quantity", message: `The quantity must be a whole number, not ${quantity}.`, field };
  }
  return null;
}

/** Why the entry itself cannot be charged (no usable price), or null. */
export function checkEntryPrice(entry: CatalogEntry): PricingError | null {
  const field = "modelId";
  const askAdmin = "It cannot be estimated or charged until an admin sets one in the price list.";
  if (!isPositiveWhole(entry.credits)) {
    return { code: "missing_price", message: `${entry.name} has no valid price. ${askAdmin}`, field };
  }
  if (entry.minimumCharge !== undefined && !isPositiveWhole(entry.minimumCharge)) {
    return { code: "missing_price", message: `${entry.name} has an invalid minimum charge. ${askAdmin}`, field };
  }
  return null;
}

/** A setting together with the option a run uses. */
export interface ChosenOption {
  setting: SettingDef;
  option: SettingOption;
}

function brokenSetting(entry: CatalogEntry, setting: SettingDef, problem: string): EstimateResult {
  return failure(
    "missing_price",
    `${entry.name}: the ${settingName(setting)} setting ${problem}, so no price can be worked out. Ask an admin to fix the price list.`,
    `settings.${setting.key}`,
  );
}

/**
 * Prices an entry for options already chosen. Shared by the strict estimate and by
 * the lenient model comparison so that both charge exactly the same way.
 */
export function priceChosen(entry: CatalogEntry, chosen: readonly ChosenOption[], quantity: number): EstimateResult {
  const priceError = checkEntryPrice(entry);
  if (priceError) return { ok: false, error: priceError };
  const quantityError = checkQuantity(quantity);
  if (quantityError) return { ok: false, error: quantityError };
  const factors: Factor[] = [];
  for (const { setting, option } of chosen) {
    if (!isValidFactor(option.factor)) return brokenSetting(entry, setting, `option “${option.label}” has no valid factor`);
    factors.push(option.factor);
  }

  const exact = ceilProduct(entry.credits, factors);
  const minimum = entry.minimumCharge ?? 1;
  const minimumApplied = exact.value < minimum;
  const perUnit = minimumApplied ? minimum : exact.value;
  if (!Number.isSafeInteger(perUnit)) {
    return failure(
      "missing_price",
      `${entry.name} at these settings comes to more credits than can be charged. Ask an admin to check its factors.`,
      "modelId",
    );
  }
  const credits = perUnit * quantity;
  if (!Number.isSafeInteger(credits)) {
    return failure("invalid_quantity", "That quantity comes to more credits than can be charged; lower it.", "quantity");
  }

  const settings: Record<string, string> = {};
  const steps: EstimateStep[] = [];
  for (const { setting, option } of chosen) {
    settings[setting.key] = option.value;
    steps.push({ label: `${setting.label} ${option.label}`, factor: option.factor });
  }

  return {
    ok: true,
    credits,
    perUnit,
    quantity,
    entry,
    settings,
    breakdown: describe(entry, chosen, exact.value, exact.roundedUp, minimumApplied, perUnit, quantity, credits),
    steps,
    roundedUp: exact.roundedUp,
    minimumApplied,
  };
}

// Reads like the sum a person would do: "Veo 3.1 · 6 s · 1080p: 4,000 × 6/8 = 3,000 credits × 2 = 6,000 credits".
function describe(
  entry: CatalogEntry,
  chosen: readonly ChosenOption[],
  product: number,
  roundedUp: boolean,
  minimumApplied: boolean,
  perUnit: number,
  quantity: number,
  credits: number,
): string {
  let title = entry.name;
  let multiplied = "";
  for (const { option } of chosen) {
    title += ` · ${option.label}`;
    if (!isUnitFactor(option.factor)) multiplied += ` × ${formatFactor(option.factor)}`;
  }
  let sum =
    multiplied === ""
      ? formatCredits(product)
      : `${formatNumber(entry.credits)}${multiplied} = ${formatCredits(product)}`;
  if (roundedUp) sum += " (rounded up)";
  if (minimumApplied) sum += ` → minimum charge ${formatCredits(perUnit)}`;
  if (quantity !== 1) sum += ` × ${formatNumber(quantity)} = ${formatCredits(credits)}`;
  return `${title}: ${sum}`;
}

/** Looks the model up and refuses models that are missing or switched off. */
export function lookupEntry(
  priceList: PriceList,
  modelId: string,
): { ok: true; entry: CatalogEntry } | { ok: false; error: PricingError } {
  const entry = typeof modelId === "string" ? findEntry(priceList, modelId) : undefined;
  if (!entry) {
    const message =
      typeof modelId === "string" && modelId.trim() !== ""
        ? `There is no model “${modelId}” in this price list.`
        : "Choose a model.";
    return { ok: false, error: { code: "unknown_model", message, field: "modelId" } };
  }
  if (!entry.enabled) {
    return {
      ok: false,
      error: { code: "disabled_model", message: `${entry.name} is switched off in this price list.`, field: "modelId" },
    };
  }
  return { ok: true, entry };
}

function hasSetting(entry: CatalogEntry, key: string): boolean {
  for (let i = 0; i < entry.settings.length; i++) if (entry.settings[i].key === key) return true;
  return false;
}

function resolveSettings(
  entry: CatalogEntry,
  requested: Record<string, string>,
): { ok: true; chosen: ChosenOption[] } | { ok: false; result: EstimateResult } {
  for (const key in requested) {
    if (!Object.hasOwn(requested, key) || requested[key] === undefined) continue;
    if (!hasSetting(entry, key)) {
      const known = entry.settings.map(settingName);
      const hint =
        known.length === 0
          ? "It has no settings."
          : known.length === 1
            ? `Its only setting is ${known[0]}.`
            : `Its settings are ${listLabels(known, "and")}.`;
      return {
        ok: false,
        result: failure("unknown_setting", `${entry.name} has no “${key}” setting. ${hint}`, `settings.${key}`),
      };
    }
  }
  const chosen: ChosenOption[] = [];
  for (const setting of entry.settings) {
    const value = Object.hasOwn(requested, setting.key) ? requested[setting.key] : undefined;
    if (value === undefined) {
      const option = findOption(setting, setting.default);
      if (!option) return { ok: false, result: brokenSetting(entry, setting, "has a default that is not one of its options") };
      chosen.push({ setting, option });
      continue;
    }
    const option = typeof value === "string" ? findOption(setting, value) : undefined;
    if (!option) {
      // The label a person reads, and the value to send where it differs (a script sends "2k", the form shows "2K").
      const choices = listLabels(setting.options.map((choice) => (choice.label === choice.value ? choice.label : `${choice.label} (“${choice.value}”)`)));
      return {
        ok: false,
        result: failure(
          "invalid_setting",
          `${entry.name} does not offer ${settingName(setting)} “${String(value)}”. Choose ${choices}.`,
          `settings.${setting.key}`,
        ),
      };
    }
    chosen.push({ setting, option });
  }
  return { ok: true, chosen };
}

/**
 * The credits one run costs. Factors multiply exactly, the product is rounded up
 * to a whole credit once per unit, the minimum charge applies per unit, then the
 * quantity multiplies. Every failure is an error value; the figure is never 0 or NaN.
 */
export function estimateRun(priceList: PriceList, input: RunInput): EstimateResult {
  const found = lookupEntry(priceList, input.modelId);
  if (!found.ok) return found;
  const { entry } = found;
  const priceError = checkEntryPrice(entry);
  if (priceError) return { ok: false, error: priceError };
  const resolved = resolveSettings(entry, input.settings ?? {});
  if (!resolved.ok) return resolved.result;
  return priceChosen(entry, resolved.chosen, input.quantity);
}
