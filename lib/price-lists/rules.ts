// Pure rules for editing a price list: factor text, effective dates in the team's zone, entry edits and where a problem belongs in a form.
import { Temporal } from "temporal-polyfill";
import { formatNumber } from "@/lib/format";
import { MAX_FACTOR_PART, priceListEntriesSchema } from "@/lib/pricing/schema";
import type { CatalogEntry, Factor, OutputType, Tier } from "@/lib/pricing/types";

/** A problem with one form field, or with the form as a whole when `field` is "form". */
export type FieldProblem = { field: string; message: string };

export type Outcome<T> = { ok: true; value: T } | ({ ok: false } & FieldProblem);

function problem(field: string, message: string): { ok: false } & FieldProblem {
  return { ok: false, field, message };
}

// ── Factors ────────────────────────────────────────────────────────────────

const FACTOR_HINT = "Write a factor such as 2, 1.5 or 6/8.";
const ZERO = "A factor must be more than 0; to stop a model being used, switch it off.";
const FACTOR_RANGE = `Keep each part of the factor from 1 to ${formatNumber(MAX_FACTOR_PART)}.`;

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

function withinParts(num: number, den: number): boolean {
  return Number.isSafeInteger(num) && Number.isSafeInteger(den) && num >= 1 && den >= 1 && num <= MAX_FACTOR_PART && den <= MAX_FACTOR_PART;
}

/**
 * Reads a factor as an admin types it: "2", "6/8" or "1.5". Fractions stay as
 * written (6/8 reads against an 8-second default); decimals become the smallest
 * exact fraction, so 1.5 is 3/2 and never a float.
 */
export function parseFactorText(text: string): Outcome<Factor> {
  const source = text.trim();
  const fraction = /^(\d+)\s*\/\s*(\d+)$/.exec(source);
  if (fraction) {
    const num = Number(fraction[1]);
    const den = Number(fraction[2]);
    return withinParts(num, den) ? { ok: true, value: { num, den } } : problem("factor", num === 0 ? ZERO : FACTOR_RANGE);
  }
  const decimal = /^(\d*)(?:\.(\d{1,4}))?$/.exec(source);
  if (!decimal || source === "" || source === ".") return problem("factor", FACTOR_HINT);
  const places = decimal[2]?.length ?? 0;
  const scale = 10 ** places;
  const scaled = Number(decimal[1] || "0") * scale + Number(decimal[2] ?? "0");
  if (scaled === 0) return problem("factor", ZERO);
  const divisor = gcd(scaled, scale);
  const num = scaled / divisor;
  const den = scale / divisor;
  return withinParts(num, den) ? { ok: true, value: { num, den } } : problem("factor", FACTOR_RANGE);
}

/** The text an admin edits: "6/8" or "2", without thousands separators so it parses back. */
export function factorText(factor: Factor): string {
  return factor.den === 1 ? String(factor.num) : `${factor.num}/${factor.den}`;
}

/** Form field name of one setting option's factor, e.g. "factor.duration.6". */
export function factorFieldName(settingKey: string, optionValue: string): string {
  return `factor.${settingKey}.${optionValue}`;
}

/** Splits a factor field name; option values may contain dots, setting keys never do. */
export function readFactorFieldName(name: string): { settingKey: string; optionValue: string } | null {
  const match = /^factor\.([^.]+)\.(.+)$/.exec(name);
  return match ? { settingKey: match[1], optionValue: match[2] } : null;
}

// ── Effective dates ────────────────────────────────────────────────────────

export type EffectiveInput = { effective: "now" | "later"; effectiveAt?: string };

const LOCAL_INPUT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/;
const MINUTE_MS = 60_000;

function pad(value: number, width = 2): string {
  return String(value).padStart(width, "0");
}

// Temporal reads the zone's rules alone: Date-based zone libraries read some fields through the
// host's zone and were an hour off near the host's own clock changes.
function onTeamClock(at: Date, timeZone: string): Temporal.ZonedDateTime {
  return Temporal.Instant.fromEpochMilliseconds(at.getTime()).toZonedDateTimeISO(timeZone);
}

/** The value of a datetime-local input showing `at` on the team's wall clock: "2026-05-01T09:00". */
export function localInputValue(at: Date, timeZone: string): string {
  const local = onTeamClock(at, timeZone);
  return `${pad(local.year, 4)}-${pad(local.month)}-${pad(local.day)}T${pad(local.hour)}:${pad(local.minute)}`;
}

/** Midnight at the start of the team's next day (or when its clocks land, where they skip midnight): the usual moment a platform's new prices begin. */
export function nextMidnightInputValue(now: Date, timeZone: string): string {
  const tomorrow = onTeamClock(now, timeZone).toPlainDate().add({ days: 1 });
  return localInputValue(new Date(tomorrow.toZonedDateTime(timeZone).epochMilliseconds), timeZone);
}

/**
 * The instant a new version takes effect. "now" is `now`; "later" reads a
 * datetime-local value on the team's clock. A moment earlier than the current
 * minute is refused (a price list never rewrites the past); the current minute
 * itself counts as now, since the input cannot say anything finer.
 */
export function resolveEffectiveFrom(input: EffectiveInput, timeZone: string, now: Date): Outcome<Date> {
  if (input.effective === "now") return { ok: true, value: now };
  const text = input.effectiveAt?.trim() ?? "";
  const match = LOCAL_INPUT.exec(text);
  const missing = problem("effectiveAt", "Enter the date and time the new prices start, or choose “Now”.");
  if (!match) return missing;
  const [year, month, day, hour, minute] = match.slice(1).map(Number);
  let wallTime: Temporal.PlainDateTime;
  try {
    wallTime = Temporal.PlainDateTime.from({ year, month, day, hour, minute }, { overflow: "reject" });
  } catch {
    return missing; // 30 February, 24:00 and the like
  }
  // A wall time the clocks run twice means its first run. One they skip comes back shifted past the
  // gap: say so rather than move it silently.
  const at = wallTime.toZonedDateTime(timeZone, { disambiguation: "compatible" }).epochMilliseconds;
  if (localInputValue(new Date(at), timeZone) !== text) {
    return problem("effectiveAt", `That time does not exist in ${timeZone} (the clocks skip it); choose another.`);
  }
  const startOfThisMinute = Math.floor(now.getTime() / MINUTE_MS) * MINUTE_MS;
  if (at < startOfThisMinute) {
    return problem("effectiveAt", "That moment has passed. New prices start now or later; choose “Now” or a later time.");
  }
  return { ok: true, value: at <= now.getTime() ? now : new Date(at) };
}

// ── Editing entries ────────────────────────────────────────────────────────

/** An admin's edit of one entry; a field left undefined keeps its current value. */
export type EntryUpdate = {
  modelId: string;
  credits?: number;
  tier?: Tier | null;
  enabled?: boolean;
  unit?: string;
  useFor?: string;
  /** "" removes the note. */
  note?: string;
  /** null removes the minimum charge. */
  minimumCharge?: number | null;
  /** Keyed by factorFieldName(setting, option). */
  factors?: Record<string, Factor>;
};

/** A custom model or tool as the add form describes it; custom entries start without settings. */
export type NewEntry = {
  id: string;
  name: string;
  outputType: OutputType;
  tier: Tier | null;
  credits: number;
  unit: string;
  useFor: string;
  note?: string;
  minimumCharge?: number | null;
};

/** Applies an edit to a copy of the entries; the entries given are never changed. */
export function applyEntryUpdate(entries: readonly CatalogEntry[], update: EntryUpdate): Outcome<CatalogEntry[]> {
  const index = entries.findIndex((entry) => entry.id === update.modelId);
  if (index === -1) return problem("modelId", "That model is not in the team's price list; reload the page and try again.");
  const entry: CatalogEntry = structuredClone(entries[index]);
  if (update.credits !== undefined) entry.credits = update.credits;
  if (update.tier !== undefined) entry.tier = update.tier;
  if (update.enabled !== undefined) entry.enabled = update.enabled;
  if (update.unit !== undefined) entry.unit = update.unit;
  if (update.useFor !== undefined) entry.useFor = update.useFor;
  if (update.note !== undefined) {
    if (update.note === "") delete entry.note;
    else entry.note = update.note;
  }
  if (update.minimumCharge !== undefined) {
    if (update.minimumCharge === null) delete entry.minimumCharge;
    else entry.minimumCharge = update.minimumCharge;
  }
  for (const [name, factor] of Object.entries(update.factors ?? {})) {
    const target = readFactorFieldName(name);
    const option = entry.settings
      .find((setting) => setting.key === target?.settingKey)
      ?.options.find((candidate) => candidate.value === target?.optionValue);
    if (!option) return problem(name, `${entry.name} has no such setting option; reload the page and try again.`);
    option.factor = { num: factor.num, den: factor.den };
  }
  const next = entries.map((existing) => existing);
  next[index] = entry;
  return { ok: true, value: next };
}

/** Appends a custom entry, refusing an id or a name the list already uses. */
export function addEntry(entries: readonly CatalogEntry[], added: NewEntry): Outcome<CatalogEntry[]> {
  if (entries.some((entry) => entry.id === added.id)) {
    return problem("id", `The id “${added.id}” is already used by ${entries.find((entry) => entry.id === added.id)!.name}; choose another.`);
  }
  const sameName = entries.find((entry) => entry.name.trim().toLowerCase() === added.name.trim().toLowerCase());
  if (sameName) return problem("name", `The price list already has ${sameName.name}; edit it instead, or choose another name.`);
  const entry: CatalogEntry = {
    id: added.id,
    name: added.name,
    outputType: added.outputType,
    tier: added.tier,
    credits: added.credits,
    unit: added.unit,
    settings: [],
    ...(added.minimumCharge ? { minimumCharge: added.minimumCharge } : {}),
    useFor: added.useFor,
    ...(added.note ? { note: added.note } : {}),
    enabled: true,
  };
  return { ok: true, value: [...entries, entry] };
}

/**
 * Where a problem found by the price list schema belongs in the entry forms:
 * entries[i].credits → "credits", a factor → its factor field, anything else → the form.
 */
export function formFieldOfIssue(entries: readonly CatalogEntry[], path: readonly PropertyKey[]): string {
  const [index, field, settingIndex, optionsWord, optionIndex] = path;
  if (typeof index !== "number" || typeof field !== "string") return "form";
  if (field === "settings" && typeof settingIndex === "number" && optionsWord === "options" && typeof optionIndex === "number") {
    const setting = entries[index]?.settings[settingIndex];
    const option = setting?.options[optionIndex];
    return setting && option ? factorFieldName(setting.key, option.value) : "form";
  }
  return ["id", "name", "outputType", "tier", "credits", "unit", "useFor", "note", "minimumCharge"].includes(field) ? field : "form";
}

/** Validates a whole list before it is stored; a problem comes back with the form field it belongs to. */
export function checkEntries(entries: CatalogEntry[]): Outcome<CatalogEntry[]> {
  const parsed = priceListEntriesSchema.safeParse(entries);
  if (parsed.success) return { ok: true, value: parsed.data };
  const issue = parsed.error.issues[0];
  const field = formFieldOfIssue(entries, issue.path);
  const name = typeof issue.path[0] === "number" ? entries[issue.path[0]]?.name : undefined;
  const message = issue.message.charAt(0).toUpperCase() + issue.message.slice(1);
  return problem(field, field === "form" && name ? `${name}: ${issue.message}.` : `${message}.`);
}
