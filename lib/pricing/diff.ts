// Describes what changed between two price lists, one readable line per change, for the version history.

import { DEFAULT_PRICE_LIST } from "./default-price-list";
import { settingName } from "./estimate";
import { formatCredits, formatNumber } from "../format";
import { formatFactor } from "./rational";
import { sameFactor } from "./rational";
import type { CatalogEntry, PriceList, SettingDef, Tier } from "./types";

const STOCK_IDS = new Set(DEFAULT_PRICE_LIST.entries.map((entry) => entry.id));

function tierText(tier: Tier | null): string {
  return tier ?? "no tier";
}

function summary(entry: CatalogEntry): string {
  const parts: string[] = [entry.outputType];
  if (entry.tier !== null) parts.push(entry.tier);
  parts.push(formatCredits(entry.credits));
  if (!entry.enabled) parts.push("disabled");
  return parts.join(", ");
}

function quoted(text: string | undefined): string {
  return text === undefined || text === "" ? "none" : `“${text}”`;
}

function byId<T extends { id: string }>(items: readonly T[]): Map<string, T> {
  const map = new Map<string, T>();
  // The first of duplicated ids wins, as in lookups by the estimator.
  for (const item of items) if (!map.has(item.id)) map.set(item.id, item);
  return map;
}

function optionLabel(setting: SettingDef, value: string): string {
  return setting.options.find((option) => option.value === value)?.label ?? value;
}

function diffSetting(name: string, before: SettingDef, after: SettingDef): string[] {
  const lines: string[] = [];
  const subject = `${name} ${settingName(after)}`;
  if (before.label !== after.label) lines.push(`${name}: setting ${before.label} renamed to ${after.label}`);
  const oldOptions = new Map(before.options.map((option) => [option.value, option]));
  const newValues = new Set(after.options.map((option) => option.value));
  for (const option of after.options) {
    const old = oldOptions.get(option.value);
    if (!old) {
      lines.push(`${subject}: added option ${option.label} (factor ${formatFactor(option.factor)})`);
      continue;
    }
    if (old.label !== option.label) lines.push(`${subject}: option ${old.label} renamed to ${option.label}`);
    if (!sameFactor(old.factor, option.factor)) {
      lines.push(`${subject} ${option.label} factor ${formatFactor(old.factor)} → ${formatFactor(option.factor)}`);
    }
  }
  for (const option of before.options) {
    if (!newValues.has(option.value)) lines.push(`${subject}: removed option ${option.label}`);
  }
  if (before.default !== after.default) {
    lines.push(`${subject} default ${optionLabel(before, before.default)} → ${optionLabel(after, after.default)}`);
  }
  return lines;
}

function diffEntry(before: CatalogEntry, after: CatalogEntry): string[] {
  const lines: string[] = [];
  const name = after.name;
  if (before.name !== after.name) lines.push(`Renamed ${before.name} to ${after.name}`);
  if (before.outputType !== after.outputType) lines.push(`${name}: output type ${before.outputType} → ${after.outputType}`);
  if (before.tier !== after.tier) lines.push(`${name}: tier ${tierText(before.tier)} → ${tierText(after.tier)}`);
  if (before.credits !== after.credits) lines.push(`${name}: ${formatNumber(before.credits)} → ${formatCredits(after.credits)}`);
  if (before.minimumCharge !== after.minimumCharge) {
    const text = (value: number | undefined) => (value === undefined ? "none" : formatCredits(value));
    lines.push(`${name}: minimum charge ${text(before.minimumCharge)} → ${text(after.minimumCharge)}`);
  }
  if (before.unit !== after.unit) lines.push(`${name}: unit ${before.unit} → ${after.unit}`);
  if (before.useFor !== after.useFor) lines.push(`${name}: use for ${quoted(before.useFor)} → ${quoted(after.useFor)}`);
  if ((before.note ?? "") !== (after.note ?? "")) lines.push(`${name}: note ${quoted(before.note)} → ${quoted(after.note)}`);

  const oldSettings = new Map(before.settings.map((setting) => [setting.key, setting]));
  const newKeys = new Set(after.settings.map((setting) => setting.key));
  for (const setting of after.settings) {
    const old = oldSettings.get(setting.key);
    if (old) {
      lines.push(...diffSetting(name, old, setting));
    } else {
      const options = setting.options.map((option) => `${option.label} ${formatFactor(option.factor)}`).join(", ");
      lines.push(`${name}: new setting ${setting.label} (${options}; default ${optionLabel(setting, setting.default)})`);
    }
  }
  for (const setting of before.settings) {
    if (!newKeys.has(setting.key)) lines.push(`${name}: removed setting ${setting.label}`);
  }

  if (before.enabled !== after.enabled) lines.push(`${after.enabled ? "Enabled" : "Disabled"} ${name}`);
  return lines;
}

/**
 * Readable lines for every change from `before` to `after`, in the order of the
 * new list, removals last. Identical lists give no lines. Factors are compared
 * by value, so rewriting 6/8 as 3/4 is not reported as a change.
 */
export function diffPriceLists(before: PriceList, after: PriceList): string[] {
  const oldEntries = byId(before.entries);
  const newEntries = byId(after.entries);
  const lines: string[] = [];
  for (const entry of newEntries.values()) {
    const old = oldEntries.get(entry.id);
    if (old) {
      lines.push(...diffEntry(old, entry));
    } else {
      const kind = STOCK_IDS.has(entry.id) ? "" : entry.outputType === "tool" ? "custom tool " : "custom model ";
      lines.push(`Added ${kind}${entry.name} (${summary(entry)})`);
    }
  }
  for (const entry of oldEntries.values()) {
    if (!newEntries.has(entry.id)) lines.push(`Removed ${entry.name} (${summary(entry)})`);
  }
  return lines;
}
