// Names and groupings of price list entries for the pricing pages; pure, shared by server and client components.
import { formatFactor } from "@/lib/pricing/rational";
import { OUTPUT_TYPES, TIERS, type CatalogEntry, type OutputType, type PriceList, type Tier } from "@/lib/pricing/types";

export const OUTPUT_TYPE_LABELS: Record<OutputType, string> = { image: "Images", video: "Video", audio: "Audio", tool: "Tools" };

export function tierLabel(tier: Tier | null): string {
  return tier === null ? "No tier" : tier === "mid" ? "Mid" : tier === "budget" ? "Budget" : "Premium";
}

export type TierGroup = { tier: Tier | null; entries: CatalogEntry[] };
export type OutputTypeGroup = { outputType: OutputType; entries: CatalogEntry[]; tiers: TierGroup[] };

/** Entries by output type, then tier (budget → premium, untiered last), keeping the list's order inside a tier. */
export function groupEntries(entries: readonly CatalogEntry[]): OutputTypeGroup[] {
  return OUTPUT_TYPES.map((outputType) => {
    const ofType = entries.filter((entry) => entry.outputType === outputType);
    const tiers = [...TIERS, null]
      .map((tier) => ({ tier, entries: ofType.filter((entry) => entry.tier === tier) }))
      .filter((group) => group.entries.length > 0);
    return { outputType, entries: ofType, tiers };
  }).filter((group) => group.entries.length > 0);
}

/** "Duration: 5 s ×1, 10 s ×2" per setting, so the factors behind a price are visible at a glance. */
export function settingsSummary(entry: CatalogEntry): string[] {
  return entry.settings.map(
    (setting) => `${setting.label}: ${setting.options.map((option) => `${option.label} ×${formatFactor(option.factor)}`).join(", ")}`,
  );
}

export function enabledEntries(priceList: PriceList): CatalogEntry[] {
  return priceList.entries.filter((entry) => entry.enabled);
}

// "4k" outranks "1080p", and "10" (seconds) outranks "5", so choices read smallest to largest.
function rank(value: string): number {
  const number = Number.parseFloat(value);
  if (Number.isNaN(number)) return Number.POSITIVE_INFINITY;
  return /k$/i.test(value) ? number * 1000 : number;
}

export type SettingChoice = { key: string; label: string; default: string; options: { value: string; label: string }[] };

/**
 * The settings a job of this output type can ask for: every key any enabled model
 * offers, with every value any of them accepts. The default is the value most
 * models start from, so a comparison begins where most of them are priced.
 */
export function settingChoices(priceList: PriceList, outputType: OutputType): SettingChoice[] {
  const choices = new Map<string, { label: string; options: Map<string, string>; defaults: Map<string, number> }>();
  for (const entry of enabledEntries(priceList)) {
    if (entry.outputType !== outputType) continue;
    for (const setting of entry.settings) {
      const choice = choices.get(setting.key) ?? { label: setting.label, options: new Map(), defaults: new Map() };
      for (const option of setting.options) if (!choice.options.has(option.value)) choice.options.set(option.value, option.label);
      choice.defaults.set(setting.default, (choice.defaults.get(setting.default) ?? 0) + 1);
      choices.set(setting.key, choice);
    }
  }
  return [...choices].map(([key, choice]) => {
    const options = [...choice.options].map(([value, label]) => ({ value, label }));
    options.sort((a, b) => rank(a.value) - rank(b.value));
    let preferred = options[0]?.value ?? "";
    let most = 0;
    for (const [value, count] of choice.defaults) {
      if (count > most) {
        preferred = value;
        most = count;
      }
    }
    return { key, label: choice.label, default: preferred, options };
  });
}
