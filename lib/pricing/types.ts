// The data shapes of a price list and of the results the pricing functions hand back.

export const OUTPUT_TYPES = ["image", "video", "audio", "tool"] as const;
export type OutputType = (typeof OUTPUT_TYPES)[number];

export const TIERS = ["budget", "mid", "premium"] as const;
export type Tier = (typeof TIERS)[number];

/**
 * An exact ratio of two positive integers. Prices are multiplied by these
 * instead of decimals so that, say, 20 × 11/10 is exactly 22 and never 22.000000000000004.
 */
export interface Factor {
  num: number;
  den: number;
}

export interface SettingOption {
  value: string;
  label: string;
  factor: Factor;
}

export interface SettingDef {
  key: string;
  label: string;
  default: string;
  options: SettingOption[];
}

/**
 * One model or tool in a price list.
 *
 * `tier` is null only for tools: a background remover or an upscaler does one
 * operation and has no cheaper or dearer sibling to test on, so the budget /
 * mid / premium ladder does not apply. Admins may still give a tool a tier.
 */
export interface CatalogEntry {
  id: string;
  name: string;
  outputType: OutputType;
  tier: Tier | null;
  /** Whole credits for one unit at the default settings. */
  credits: number;
  unit: string;
  settings: SettingDef[];
  /** Whole credits charged per unit at least, whatever the settings. */
  minimumCharge?: number;
  useFor: string;
  note?: string;
  enabled: boolean;
}

export interface PriceList {
  entries: CatalogEntry[];
}

export type PricingErrorCode =
  | "unknown_model"
  | "disabled_model"
  | "invalid_setting"
  | "unknown_setting"
  | "invalid_quantity"
  | "missing_price";

export type PricingErrorField = "modelId" | "quantity" | `settings.${string}`;

export interface PricingError {
  code: PricingErrorCode;
  /** Written for the person filling in the form. */
  message: string;
  field?: PricingErrorField;
}

export interface RunInput {
  modelId: string;
  settings?: Record<string, string>;
  quantity: number;
}

export interface EstimateStep {
  label: string;
  factor: Factor;
}

export interface EstimateOk {
  ok: true;
  credits: number;
  perUnit: number;
  quantity: number;
  entry: CatalogEntry;
  /** Every setting of the model, defaults filled in. */
  settings: Record<string, string>;
  breakdown: string;
  steps: EstimateStep[];
  /** True when the exact per-unit figure had a fraction and was rounded up. */
  roundedUp: boolean;
  /** True when the entry's minimum charge raised the per-unit figure. */
  minimumApplied: boolean;
}

export interface EstimateFailure {
  ok: false;
  error: PricingError;
}

export type EstimateResult = EstimateOk | EstimateFailure;
