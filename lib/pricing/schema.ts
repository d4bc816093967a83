// The price list file format (export and import): strict validation, plain-word errors with line numbers.

import * as z from "zod";
import { formatNumber } from "../format";
import { locateJson, type JsonPath } from "./json-locate";
import { ceilProduct, isPositiveWhole, isValidFactor } from "./rational";
import { OUTPUT_TYPES, TIERS, type CatalogEntry, type Factor, type PriceList, type SettingDef } from "./types";

export const PRICE_LIST_FORMAT = "creditwise.price-list";
export const PRICE_LIST_FILE_VERSION = 1;

// Generous ceilings that still keep every product of credits and factors far from float trouble.
export const MAX_ENTRY_CREDITS = 10_000_000;
export const MAX_FACTOR_PART = 10_000;
export const MAX_ENTRIES = 1_000;

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const SETTING_KEY = /^[a-z][a-zA-Z0-9_]*$/;

function text(what: string, max: number) {
  const message = `must be ${what} of 1 to ${max} characters`;
  return z
    .string({ error: message })
    .max(max, { error: message })
    .regex(/\S/, { error: message });
}

function optionalText(max: number) {
  return z.string({ error: "must be text" }).max(max, { error: `must be at most ${max} characters` });
}

function wholeCredits() {
  const message = "must be a whole number of credits, at least 1";
  return z
    .number({ error: message })
    .int({ error: message })
    .min(1, { error: message })
    .max(MAX_ENTRY_CREDITS, { error: `must be at most ${formatNumber(MAX_ENTRY_CREDITS)} credits` });
}

function factorPart() {
  const message = `must be a whole number from 1 to ${formatNumber(MAX_FACTOR_PART)}`;
  return z.number({ error: message }).int({ error: message }).min(1, { error: message }).max(MAX_FACTOR_PART, { error: message });
}

export const factorSchema = z.strictObject(
  { num: factorPart(), den: factorPart() },
  { error: "must be a factor such as { \"num\": 6, \"den\": 8 }" },
);

export const settingOptionSchema = z.strictObject(
  {
    value: text("a value", 40),
    label: text("a label", 60),
    factor: factorSchema,
  },
  { error: "must be an option with value, label and factor" },
);

export const settingDefSchema = z
  .strictObject(
    {
      key: z
        .string({ error: "must be a key such as duration" })
        .max(40, { error: "must be at most 40 characters" })
        .regex(SETTING_KEY, { error: "must start with a lowercase letter and use only letters, digits and _, such as duration" }),
      label: text("a label", 60),
      default: z.string({ error: "must be the value of one of the options" }),
      options: z
        .array(settingOptionSchema, { error: "must be a list of options" })
        .min(1, { error: "must list at least one option" })
        .max(50, { error: "must list at most 50 options" }),
    },
    { error: "must be a setting with key, label, default and options" },
  )
  .superRefine((setting, ctx) => {
    // Zod runs refinements even after range errors inside, so read defensively.
    if (!Array.isArray(setting.options)) return;
    const values = setting.options.map((option) => option?.value);
    values.forEach((value, index) => {
      if (values.indexOf(value) !== index) {
        ctx.addIssue({ code: "custom", message: `the value “${value}” is listed twice`, path: ["options", index, "value"] });
      }
    });
    if (!values.includes(setting.default)) {
      ctx.addIssue({
        code: "custom",
        message: `“${setting.default}” is not one of the options (${values.join(", ")})`,
        path: ["default"],
      });
    }
  });

export const catalogEntrySchema = z
  .strictObject(
    {
      id: z
        .string({ error: "must be an id such as flux-2-pro" })
        .max(64, { error: "must be at most 64 characters" })
        .regex(SLUG, { error: "must use only lowercase letters, digits and single hyphens, such as flux-2-pro" }),
      name: text("a name", 100),
      outputType: z.enum(OUTPUT_TYPES, { error: "must be image, video, audio or tool" }),
      tier: z.enum(TIERS, { error: "must be budget, mid or premium (or null for a tool)" }).nullable(),
      credits: wholeCredits(),
      unit: text("a unit such as image or clip,", 40),
      minimumCharge: wholeCredits().optional(),
      useFor: optionalText(500),
      note: optionalText(500).optional(),
      enabled: z.boolean({ error: "must be true or false" }),
      settings: z.array(settingDefSchema, { error: "must be a list of settings" }).max(10, { error: "must list at most 10 settings" }),
    },
    { error: "must be a model with id, name, outputType, tier, credits, unit, useFor, enabled and settings" },
  )
  .superRefine((entry, ctx) => {
    if (entry.tier === null && entry.outputType !== "tool") {
      ctx.addIssue({ code: "custom", message: "only tools may have no tier; choose budget, mid or premium", path: ["tier"] });
    }
    if (!Array.isArray(entry.settings)) return;
    const keys = entry.settings.map((setting) => setting?.key);
    keys.forEach((key, index) => {
      if (keys.indexOf(key) !== index) {
        ctx.addIssue({ code: "custom", message: `the setting “${key}” is listed twice`, path: ["settings", index, "key"] });
      }
    });
    const dearest = dearestPerUnit(entry.credits, entry.settings);
    if (dearest !== null && dearest > MAX_ENTRY_CREDITS) {
      ctx.addIssue({
        code: "custom",
        message: `at its dearest settings this would cost ${formatNumber(dearest)} credits per ${entry.unit || "unit"}, more than the ${formatNumber(MAX_ENTRY_CREDITS)} allowed`,
        path: ["credits"],
      });
    }
  });

// Bounding the dearest combination means no imported list can ever price a run beyond safe integers.
function dearestPerUnit(credits: unknown, settings: readonly SettingDef[]): number | null {
  if (!isPositiveWhole(credits)) return null;
  const factors: Factor[] = [];
  for (const setting of settings) {
    if (!Array.isArray(setting?.options) || setting.options.length === 0) return null;
    let largest: Factor | undefined;
    for (const option of setting.options) {
      if (!isValidFactor(option?.factor)) return null;
      if (!largest || option.factor.num * largest.den > largest.num * option.factor.den) largest = option.factor;
    }
    factors.push(largest!);
  }
  return ceilProduct(credits, factors).value;
}

/** The entries of a price list, with unique ids; also for validating a list before it is stored. */
export const priceListEntriesSchema = z
  .array(catalogEntrySchema, { error: "must be a list of models" })
  .max(MAX_ENTRIES, { error: `must list at most ${formatNumber(MAX_ENTRIES)} models` })
  .superRefine((entries, ctx) => {
    const firstIndex = new Map<string, number>();
    entries.forEach((entry, index) => {
      if (typeof entry?.id !== "string") return;
      const first = firstIndex.get(entry.id);
      if (first === undefined) firstIndex.set(entry.id, index);
      else ctx.addIssue({ code: "custom", message: `the id “${entry.id}” is already used by entries[${first}]`, path: [index, "id"] });
    });
  });

export const priceListSchema = z.strictObject(
  {
    format: z.literal(PRICE_LIST_FORMAT, { error: `must be “${PRICE_LIST_FORMAT}”; this does not look like a Creditwise price list` }),
    version: z.literal(PRICE_LIST_FILE_VERSION, {
      error: `must be ${PRICE_LIST_FILE_VERSION}; this file was written by another version of Creditwise`,
    }),
    entries: priceListEntriesSchema,
  },
  { error: "the file must hold one JSON object with format, version and entries" },
);

export type PriceListFile = z.infer<typeof priceListSchema>;

export interface PriceListFileError {
  /** What is wrong, in plain words; show `line` beside it when present. */
  message: string;
  line?: number;
  column?: number;
}

export type ParsePriceListFileResult = { ok: true; priceList: PriceList } | { ok: false; error: PriceListFileError };

/** entries[3].settings[0].key */
export function formatIssuePath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else out += out === "" ? String(part) : `.${String(part)}`;
  }
  return out;
}

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let current = data;
  for (const part of path) {
    if (typeof current !== "object" || current === null || !Object.hasOwn(current, part)) return undefined;
    current = (current as Record<PropertyKey, unknown>)[part];
  }
  return current;
}

function describeIssue(issue: z.core.$ZodIssue, data: unknown): { path: JsonPath; message: string } {
  const path = issue.path.filter((part): part is string | number => typeof part !== "symbol");
  if (issue.code === "unrecognized_keys") {
    const names = issue.keys.map((key) => `“${key}”`).join(", ");
    const message = `${issue.keys.length === 1 ? "unknown field" : "unknown fields"} ${names}`;
    return { path: [...path, issue.keys[0]], message: path.length ? `${formatIssuePath(path)}: ${message}` : message };
  }
  const missing = issue.code === "invalid_type" && path.length > 0 && valueAt(data, path) === undefined;
  const reason = missing ? "is missing" : issue.message;
  return { path, message: path.length ? `${formatIssuePath(path)}: ${reason}` : reason[0].toUpperCase() + reason.slice(1) };
}

/**
 * Reads an exported price list. A JSON syntax error reports its line and column;
 * a schema error reports the first problem with the line of the offending value
 * (or of its entry when the value is missing).
 */
export function parsePriceListFile(text: string): ParsePriceListFileResult {
  // Editors on Windows often save a byte order mark, which JSON.parse rejects.
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let data: unknown;
  try {
    data = JSON.parse(source);
  } catch {
    const located = locateJson(source);
    if (located.ok) return { ok: false, error: { message: "The file is not valid JSON." } };
    return {
      ok: false,
      error: { message: `The file is not valid JSON: ${located.message}.`, line: located.line, column: located.column },
    };
  }

  const parsed = priceListSchema.safeParse(data);
  if (parsed.success) {
    const entries: CatalogEntry[] = parsed.data.entries;
    return { ok: true, priceList: { entries } };
  }
  const issues = parsed.error.issues;
  const first = describeIssue(issues[0], data);
  const located = locateJson(source);
  const line = located.ok ? located.lineOf(first.path) : undefined;
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more ${issues.length === 2 ? "problem" : "problems"})` : "";
  const message = `${first.message}${more}`;
  return { ok: false, error: line === undefined ? { message } : { message, line } };
}

/** Pretty JSON (2 spaces) in the file format, fields in a fixed order so exports diff cleanly. */
export function serializePriceList(priceList: PriceList): string {
  const file: PriceListFile = {
    format: PRICE_LIST_FORMAT,
    version: PRICE_LIST_FILE_VERSION,
    entries: priceList.entries.map((entry) => ({
      id: entry.id,
      name: entry.name,
      outputType: entry.outputType,
      tier: entry.tier,
      credits: entry.credits,
      unit: entry.unit,
      ...(entry.minimumCharge === undefined ? {} : { minimumCharge: entry.minimumCharge }),
      useFor: entry.useFor,
      ...(entry.note === undefined ? {} : { note: entry.note }),
      enabled: entry.enabled,
      settings: entry.settings.map((setting) => ({
        key: setting.key,
        label: setting.label,
        default: setting.default,
        options: setting.options.map((option) => ({
          value: option.value,
          label: option.label,
          factor: { num: option.factor.num, den: option.factor.den },
        })),
      })),
    })),
  };
  return `${JSON.stringify(file, null, 2)}\n`;
}
