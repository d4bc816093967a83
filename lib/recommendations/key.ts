// A short, stable fingerprint of plain data, so a finding's key changes exactly when what it was about changes. Pure.
import type { ItemPlan, PlannedItem, PlanStep } from "./types";

/** A step's shape as text: model, count and settings in key order (a value that is not text is marked, so 1 and "1" differ). */
export function stepKey(step: PlanStep): string {
  let key = `${String(step.modelId)}\u0000${String(step.count)}`;
  const settings = step.settings ?? {};
  let names: string[] | null = null;
  for (const name in settings) {
    if (Object.hasOwn(settings, name) && settings[name] !== undefined) (names ??= []).push(name);
  }
  if (names === null) return key;
  if (names.length > 1) names.sort();
  for (const name of names) {
    const value: unknown = settings[name];
    key += `\u0000${name}=${typeof value === "string" ? value : `\u0008${JSON.stringify(value)}`}`;
  }
  return key;
}

/** A plan as text, step by step: equal exactly when two plans price and run the same. */
export function planKey(plan: ItemPlan): string {
  let key = `${plan.tests ? stepKey(plan.tests) : "-"}\u0001${plan.finals ? stepKey(plan.finals) : "-"}`;
  for (const tool of plan.tools) key += `\u0001${stepKey(tool)}`;
  return key;
}

/** What an item's findings are about: its plan, flags and output type (a dismissal lasts while these stay the same). */
export function itemKey(item: PlannedItem): string {
  const { flags } = item;
  const bits = [flags.webOnly, flags.willBeEdited, flags.stillWouldDo, flags.backgroundMusic, flags.editExisting].map((flag) => (flag ? 1 : 0)).join("");
  return `${planKey(item.plan)}\u0002${bits}\u0002${item.outputType}`;
}

// JSON with object keys sorted, so {a, b} and {b, a} (settings typed in another order) read the same.
function canonical(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record)
    .filter((key) => record[key] !== undefined)
    .sort();
  return `{${keys.map((key) => `${JSON.stringify(key)}:${canonical(record[key])}`).join(",")}}`;
}

/** FNV-1a over the canonical JSON (or the text itself), in base 36: not a security hash, only a fingerprint. */
export function shortHash(value: unknown): string {
  const text = typeof value === "string" ? value : canonical(value);
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(36);
}
