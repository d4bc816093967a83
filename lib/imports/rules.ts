// Reading an imported usage file: its layout from the header, each row's values, the row's fingerprint, and who and what its names stand for. Pure.
import { createHash } from "node:crypto";
import { Temporal } from "temporal-polyfill";
import { RUN_OUTCOMES, RUN_STAGES } from "@/lib/ledger/schema";
import type { CatalogEntry } from "@/lib/pricing/types";

export type Stage = (typeof RUN_STAGES)[number];
export type Outcome = (typeof RUN_OUTCOMES)[number];

/** The two layouts an import reads: the platform's analytics export, and a runs file. */
export const LAYOUTS = {
  platform: {
    label: "the platform's analytics export",
    short: "Platform export",
    columns: {
      date: "date",
      user: "user",
      eventType: "event type",
      amount: "amount",
      balanceAfter: "balance after",
      description: "description",
    },
    required: ["date", "user", "eventType", "amount", "description"],
  },
  runs: {
    label: "a runs file",
    short: "Runs file",
    columns: {
      date: "date",
      user: "user email",
      model: "model",
      settings: "settings",
      quantity: "quantity",
      credits: "credits",
      stage: "stage",
      outcome: "outcome",
      project: "project",
      prompt: "prompt",
      externalId: "external id",
    },
    required: ["date", "user", "model", "quantity", "credits"],
  },
} as const;

export type LayoutName = keyof typeof LAYOUTS;
export type Field = keyof (typeof LAYOUTS)["platform"]["columns"] | keyof (typeof LAYOUTS)["runs"]["columns"];

/** A row's values by field, as written in the file (trimmed). */
export type RowValues = Partial<Record<Field, string>>;

/** "User_Email", " user-email " and "USER EMAIL" are the same column. */
export function normalizeHeader(name: string): string {
  return name
    .replace(/^\uFEFF/, "")
    .trim()
    .toLowerCase()
    .replace(/[\s_-]+/g, " ");
}

export type DetectedLayout = {
  layout: LayoutName;
  /** For each field the file has, the index of its column. */
  positions: Partial<Record<Field, number>>;
  /** Columns of the file this layout does not use, as written. */
  ignored: string[];
};

export type LayoutAnswer = { ok: true; detected: DetectedLayout } | { ok: false; error: string };

function columnNames(layout: LayoutName, fields: readonly Field[]): string {
  const columns = LAYOUTS[layout].columns as Partial<Record<Field, string>>;
  return fields.map((field) => `“${columns[field]}”`).join(", ");
}

/** Which layout a header is, or a message saying what is missing for each. */
export function detectLayout(header: string[]): LayoutAnswer {
  const names = header.map(normalizeHeader);
  const misses: string[] = [];
  // The runs layout first: its "user email" column is the stronger sign, and a file with both sets of columns is a runs file.
  for (const layout of ["runs", "platform"] as const) {
    const columns = LAYOUTS[layout].columns as Partial<Record<Field, string>>;
    const positions: Partial<Record<Field, number>> = {};
    for (const [field, column] of Object.entries(columns) as [Field, string][]) {
      const index = names.indexOf(column);
      if (index >= 0) positions[field] = index;
    }
    const missing = (LAYOUTS[layout].required as readonly Field[]).filter((field) => positions[field] === undefined);
    if (missing.length === 0) {
      const used = new Set(Object.values(positions));
      return { ok: true, detected: { layout, positions, ignored: header.filter((_, i) => !used.has(i) && names[i] !== "") } };
    }
    misses.push(`for ${LAYOUTS[layout].label}, ${columnNames(layout, missing)}`);
  }
  return {
    ok: false,
    error: `The first line must name the columns of one of the two layouts this import reads. Missing ${misses.join("; ")}.`,
  };
}

/** A record of the file as values by field, and why it cannot be read when it has a different number of values than the header. */
export function readValues(detected: DetectedLayout, record: string[], headerLength: number): { values: RowValues; error: string | null } {
  const values: RowValues = {};
  for (const [field, index] of Object.entries(detected.positions) as [Field, number][]) values[field] = (record[index] ?? "").trim();
  if (record.length !== headerLength) {
    return { values, error: `This line has ${record.length} ${record.length === 1 ? "value" : "values"}; the first line names ${headerLength} columns.` };
  }
  return { values, error: null };
}

// --- dates ---------------------------------------------------------------------------------------------------------

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const LOCAL = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?$/;
const WITH_OFFSET = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/i;

/** The earliest usage an import takes: a date before it is a typo or a misread format, not the platform's usage. */
export const EARLIEST_DATE = new Date("2000-01-01T00:00:00Z");

export type DateReading = { ok: true; at: Date } | { ok: false; error: string };

/**
 * The instant a date cell names, or why it names none. With an offset ("Z", "+01:00") it is that instant; without one
 * it is a time on the team's clock — refused when that clock skipped it or showed it twice (a change of daylight-saving
 * time), as only an offset says which instant was meant; a day alone is the start of that day in the team's zone.
 */
export function readDateCell(text: string, timeZone: string): DateReading {
  const value = text.trim();
  const notADate: DateReading = { ok: false, error: `“${value}” is not a date. ${DATE_HELP}` };
  try {
    if (DATE_ONLY.test(value)) return { ok: true, at: new Date(Temporal.PlainDate.from(value, { overflow: "reject" }).toZonedDateTime(timeZone).epochMilliseconds) };
    if (WITH_OFFSET.test(value)) return { ok: true, at: new Date(Temporal.Instant.from(value.replace(" ", "T").toUpperCase()).epochMilliseconds) };
    if (!LOCAL.test(value)) return notADate;
    const local = Temporal.PlainDateTime.from(value.replace(" ", "T"), { overflow: "reject" });
    const earlier = local.toZonedDateTime(timeZone, { disambiguation: "earlier" });
    const later = local.toZonedDateTime(timeZone, { disambiguation: "later" });
    if (earlier.epochNanoseconds === later.epochNanoseconds) return { ok: true, at: new Date(earlier.epochMilliseconds) };
    const written = local.toString();
    if (earlier.toPlainDateTime().equals(local)) {
      return {
        ok: false,
        error: `${value} happened twice in ${timeZone} (the clocks went back that night); write it with its offset, ${written}${earlier.offset} or ${written}${later.offset}.`,
      };
    }
    return {
      ok: false,
      error: `${value} never happened in ${timeZone} (the clocks skipped that hour); write the date with the offset it was recorded in, e.g. ${written}${earlier.offset}.`,
    };
  } catch {
    return notADate;
  }
}

/**
 * Why usage dated `at` cannot be taken, or null: before EARLIEST_DATE (a typo or a misread format), or after `now`
 * (usage that has not happened yet). Imported rows and usage events sent through the API answer by the same rule.
 */
export function usageDateProblem(at: Date, now: Date): "too_early" | "future" | null {
  if (at.getTime() < EARLIEST_DATE.getTime()) return "too_early";
  if (at.getTime() > now.getTime()) return "future";
  return null;
}

/** The instant a date cell names (readDateCell), or null. */
export function readDate(text: string, timeZone: string): Date | null {
  const reading = readDateCell(text, timeZone);
  return reading.ok ? reading.at : null;
}

const DATE_HELP = "Write dates as 2026-11-03, 2026-11-03 14:05 (the team's time zone) or 2026-11-03T14:05:00Z.";

// --- numbers -------------------------------------------------------------------------------------------------------

const MAX_CREDITS = 1_000_000_000;
const WHOLE = /^[+-]?(\d+|\d{1,3}(,\d{3})+)$/;

/** A whole number as written ("1200", "1,200", "-120"), or null. Decimals are not credits. */
export function readWhole(text: string): number | null {
  const value = text.trim();
  if (!WHOLE.test(value)) return null;
  const number = Number(value.replace(/,/g, ""));
  return Number.isSafeInteger(number) ? number : null;
}

// --- stage and outcome ---------------------------------------------------------------------------------------------

function word(text: string): string {
  return text.trim().toLowerCase().replace(/[\s_-]+/g, "_");
}

export function readStage(text: string): Stage | null {
  const value = word(text);
  return (RUN_STAGES as readonly string[]).includes(value) ? (value as Stage) : null;
}

export function readOutcome(text: string): Outcome | null {
  const value = word(text);
  return (RUN_OUTCOMES as readonly string[]).includes(value) ? (value as Outcome) : null;
}

/** "resolution=2k; duration=10", or a JSON object of the same. */
export function readSettings(text: string): { ok: true; settings: Record<string, string> } | { ok: false; error: string } {
  const value = text.trim();
  if (value === "") return { ok: true, settings: {} };
  if (value.startsWith("{")) {
    try {
      const parsed: unknown = JSON.parse(value);
      if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) {
        return { ok: true, settings: Object.fromEntries(Object.entries(parsed).map(([key, v]) => [key.trim().toLowerCase(), String(v).trim().toLowerCase()])) };
      }
    } catch {
      // Falls through to the message below.
    }
    return { ok: false, error: "The settings are not a JSON object; write them as resolution=2k; duration=10." };
  }
  const settings: Record<string, string> = {};
  for (const part of value.split(/[;|]/)) {
    if (part.trim() === "") continue;
    const [key, ...rest] = part.split(/[=:]/);
    if (rest.length === 0 || key.trim() === "" || rest.join("=").trim() === "") {
      return { ok: false, error: `“${part.trim()}” is not a setting; write settings as resolution=2k; duration=10.` };
    }
    settings[key.trim().toLowerCase()] = rest.join("=").trim().toLowerCase();
  }
  return { ok: true, settings };
}

// --- the platform's event types ------------------------------------------------------------------------------------

const CREDIT_EVENT = /purchase|top.?up|grant|bonus|subscription|renewal|allocation|reset|transfer|expir|credit/;
const REFUND_EVENT = /refund/;
const USAGE_EVENT = /generat|usage|spend|charge|debit|consum|tool|upscal|render|image|video|audio|speech|music|run/;

export type EventKind = "usage" | "credit" | "refund" | "unknown";

/** What an event of the platform's export is: only usage becomes a run. */
export function eventKind(eventType: string): EventKind {
  const value = eventType.trim().toLowerCase();
  if (REFUND_EVENT.test(value)) return "refund";
  if (CREDIT_EVENT.test(value)) return "credit";
  if (USAGE_EVENT.test(value)) return "usage";
  return "unknown";
}

// --- a row, read -----------------------------------------------------------------------------------------------------

/** What a row says, before its names are resolved against the team. */
export type ReadRow = {
  at: Date;
  /** The person as the file names them (an email or a name). */
  person: string;
  /** Runs layout: the model as written; platform layout: the description, the model is found in it. */
  model: string;
  settings: Record<string, string>;
  /** Null in the platform layout when the description does not say: one output. */
  quantity: number | null;
  credits: number;
  stage: Stage | null;
  outcome: Outcome | null;
  project: string;
  prompt: string;
  externalId: string;
};

export type RowReading = { kind: "row"; row: ReadRow } | { kind: "skip"; reason: string } | { kind: "error"; reason: string };

/** A row's values read and checked on their own: dates, numbers, words; names are resolved later. */
export function readRow(layout: LayoutName, values: RowValues, timeZone: string, now: Date): RowReading {
  const errors: string[] = [];
  const dateText = values.date ?? "";
  const date = dateText === "" ? null : readDateCell(dateText, timeZone);
  const at = date?.ok ? date.at : null;
  const when = date?.ok ? usageDateProblem(date.at, now) : null;
  if (!date) errors.push("The date is empty.");
  else if (!date.ok) errors.push(date.error);
  else if (when === "too_early") errors.push(`${dateText} is before the year 2000; check the date and its format. ${DATE_HELP}`);
  else if (when === "future") errors.push(`${dateText} is in the future; only usage that happened can be imported.`);
  const person = values.user ?? "";
  if (person === "") errors.push(layout === "runs" ? "The user email is empty." : "The user is empty.");

  if (layout === "platform") {
    const kind = eventKind(values.eventType ?? "");
    const eventType = values.eventType ?? "";
    if (eventType === "") return { kind: "error", reason: "The event type is empty." };
    if (kind === "credit") {
      return { kind: "skip", reason: `“${eventType}” is credits coming in, not usage; add them under Credits if Creditwise should count them.` };
    }
    if (kind === "refund") {
      return { kind: "skip", reason: `“${eventType}” gives credits back; record it as a refund on its run, which this file cannot name.` };
    }
    if (kind === "unknown") {
      return { kind: "error", reason: `Event type “${eventType}” is not usage this import knows (generations and tool runs are).` };
    }
    const amountText = values.amount ?? "";
    const amount = amountText === "" ? null : readWhole(amountText);
    if (amountText === "") errors.push("The amount is empty.");
    else if (amount === null) errors.push(`The amount “${amountText}” is not a whole number of credits.`);
    else if (Math.abs(amount) > MAX_CREDITS) errors.push("The amount is more than one run can cost (1,000,000,000 credits).");
    const description = values.description ?? "";
    if (description === "") errors.push("The description is empty; it names the model.");
    if (errors.length > 0) return { kind: "error", reason: errors.join(" ") };
    return {
      kind: "row",
      row: {
        at: at!,
        person,
        model: description,
        settings: {},
        quantity: quantityIn(description),
        // Spending is written negative in the export; either sign is the credits the run cost.
        credits: Math.abs(amount!),
        stage: null,
        outcome: null,
        project: "",
        prompt: "",
        externalId: "",
      },
    };
  }

  const model = values.model ?? "";
  if (model === "") errors.push("The model is empty.");
  const settings = readSettings(values.settings ?? "");
  if (!settings.ok) errors.push(settings.error);
  const quantityText = values.quantity ?? "";
  const quantity = quantityText === "" ? null : readWhole(quantityText);
  if (quantityText === "") errors.push("The quantity is empty.");
  else if (quantity === null || quantity < 1 || quantity > 10_000) errors.push(`The quantity “${quantityText}” is not a whole number from 1 to 10,000.`);
  const creditsText = values.credits ?? "";
  const credits = creditsText === "" ? null : readWhole(creditsText);
  if (creditsText === "") errors.push("The credits are empty.");
  else if (credits === null || credits < 0 || credits > MAX_CREDITS) errors.push(`The credits “${creditsText}” are not a whole number from 0 to 1,000,000,000.`);
  const stageText = values.stage ?? "";
  const stage = stageText === "" ? null : readStage(stageText);
  if (stageText !== "" && !stage) errors.push(`Stage “${stageText}” is not one of test, draft, final.`);
  const outcomeText = values.outcome ?? "";
  const outcome = outcomeText === "" ? null : readOutcome(outcomeText);
  if (outcomeText !== "" && !outcome) errors.push(`Outcome “${outcomeText}” is not one of accepted, rejected, needs edit, failed.`);
  const externalId = values.externalId ?? "";
  if (externalId.length > 200) errors.push("The external id is longer than 200 characters.");
  if (errors.length > 0) return { kind: "error", reason: errors.join(" ") };
  return {
    kind: "row",
    row: {
      at: at!,
      person,
      model,
      settings: settings.ok ? settings.settings : {},
      quantity,
      credits: credits!,
      stage,
      outcome,
      project: values.project ?? "",
      // A run keeps at most 4,000 characters of prompt; the usage itself must not be lost over a long one.
      prompt: (values.prompt ?? "").slice(0, 4000),
      externalId,
    },
  };
}

const QUANTITY = /(\d{1,5})\s*(?:×|x\b|images?\b|clips?\b|videos?\b|outputs?\b|tracks?\b|files?\b|operations?\b|generations?\b)/i;

/** "Flux 2 Pro — 4 images, 2K" → 4; null when the description does not say. */
export function quantityIn(description: string): number | null {
  const match = QUANTITY.exec(description);
  if (!match) return null;
  const quantity = Number(match[1]);
  return quantity >= 1 && quantity <= 10_000 ? quantity : null;
}

// --- fingerprints --------------------------------------------------------------------------------------------------

/** The same text, however it was spaced or cased. */
export function normalizeName(text: string): string {
  return text.trim().replace(/\s+/g, " ").toLowerCase();
}

/**
 * A date cell as written, in one spelling: a day or a time on a clock stays that (never resolved through the team's
 * time zone, which may change between two imports of the same file); a time with an offset is the instant, in UTC.
 */
export function normalizeDateText(text: string): string {
  const value = text.trim();
  try {
    if (DATE_ONLY.test(value)) return Temporal.PlainDate.from(value, { overflow: "reject" }).toString();
    if (WITH_OFFSET.test(value)) return new Date(Temporal.Instant.from(value.replace(" ", "T").toUpperCase()).epochMilliseconds).toISOString();
    if (LOCAL.test(value)) return Temporal.PlainDateTime.from(value.replace(" ", "T"), { overflow: "reject" }).toString();
  } catch {
    return value;
  }
  return value;
}

/**
 * What makes a row the same row in another file: its layout and fields in a fixed order (so column order does not
 * matter), trimmed, spaced and — except the prompt and description — cased alike, and the date as written
 * (normalizeDateText), so the same file is the same rows whatever the team's time zone is when it comes again.
 */
export function contentHash(layout: LayoutName, values: RowValues): string {
  const fields = Object.keys(LAYOUTS[layout].columns) as Field[];
  const parts = fields.map((field) => {
    const value = (values[field] ?? "").trim().replace(/\s+/g, " ");
    if (field === "date") return normalizeDateText(value);
    if (field === "prompt" || field === "description") return value;
    return value.toLowerCase();
  });
  return createHash("sha256").update(JSON.stringify([layout, ...parts])).digest("hex");
}

/**
 * A row's fingerprint: its external id when it has one; otherwise its content and how many rows of the same content
 * came before it in the file — two identical rows of one file are two runs, and a file that overlaps it meets the
 * same fingerprints for the rows they share.
 */
export function fingerprintOf(externalId: string, hash: string, occurrence: number): string {
  return externalId.trim() !== "" ? externalIdFingerprint(externalId) : `${hash}#${occurrence}`;
}

/**
 * The fingerprint of a run that names its own id: an imported row's external id, or a usage event's id sent through
 * the API — one namespace, so the same usage imported from a file and sent as an event is one run.
 */
export function externalIdFingerprint(externalId: string): string {
  return `x:${externalId.trim()}`;
}

// --- the report ----------------------------------------------------------------------------------------------------

const plural = (count: number, one: string, many: string) => `${count.toLocaleString("en-US")} ${count === 1 ? one : many}`;

/** The title of a finished import's card, by what it did: "Imported 9 rows", "Nothing new: all 12 rows were already present". */
export function reportTitle(counts: { imported: number; present: number; skipped: number; refused: number }): string {
  const { imported, present, skipped, refused } = counts;
  if (imported > 0) return `Imported ${plural(imported, "row", "rows")}${present > 0 ? `; ${plural(present, "was", "were")} already present` : ""}`;
  if (present > 0 && skipped + refused === 0) return `Nothing new: ${present === 1 ? "the row was" : `all ${plural(present, "row", "rows")} were`} already present`;
  const others = [skipped > 0 ? `${skipped.toLocaleString("en-US")} skipped` : "", refused > 0 ? `${refused.toLocaleString("en-US")} refused` : ""].filter(Boolean).join(", ");
  if (present > 0) return `Nothing new: ${plural(present, "row", "rows")} already present, ${others}`;
  return "Nothing imported: every row was skipped or refused";
}

// --- names -----------------------------------------------------------------------------------------------------------

export type Member = { id: string; email: string; name: string };

/** "Flux 2 Pro", "flux-2-pro" and "FLUX_2_PRO" are the same model. */
export function modelKey(text: string): string {
  return text
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9.]+/g, "-")
    .replace(/\./g, "-")
    .replace(/^-+|-+$/g, "");
}

/** The member a file's person is, by email, then by name when only one member has it. */
export function matchMember(person: string, members: Member[]): Member | null {
  const key = normalizeName(person);
  const byEmail = members.find((member) => member.email.toLowerCase() === key);
  if (byEmail) return byEmail;
  const byName = members.filter((member) => normalizeName(member.name) === key);
  return byName.length === 1 ? byName[0] : null;
}

/** The catalog model a runs file's model cell names, by id or by name. */
export function matchModel(model: string, entries: Pick<CatalogEntry, "id" | "name">[]): string | null {
  const key = modelKey(model);
  const entry = entries.find((candidate) => candidate.id === key || modelKey(candidate.name) === key);
  return entry ? entry.id : null;
}

const DESCRIPTION_SEPARATOR = /\s+[—–-]\s+|[,:;(·|]/;

/**
 * The model in a description of the platform's export: the longest catalog name (or remembered name) it contains as
 * whole words; if none, the name it starts with ("Kling 2 — 2 clips" → "Kling 2"), for the importer to map.
 */
export function modelInDescription(
  description: string,
  entries: Pick<CatalogEntry, "id" | "name">[],
  remembered: Record<string, string> = {},
): { name: string; modelId: string | null } {
  const text = ` ${modelKey(description).replace(/-/g, " ")} `;
  let best: { name: string; modelId: string; length: number } | null = null;
  const candidates: [string, string][] = [
    ...entries.map((entry): [string, string] => [entry.name, entry.id]),
    ...Object.entries(remembered),
  ];
  for (const [name, modelId] of candidates) {
    const key = ` ${modelKey(name).replace(/-/g, " ")} `;
    if (key.trim() !== "" && text.includes(key) && (!best || key.length > best.length)) best = { name, modelId, length: key.length };
  }
  if (best) return { name: normalizeName(best.name), modelId: best.modelId };
  return { name: normalizeName(description.split(DESCRIPTION_SEPARATOR)[0] ?? description), modelId: null };
}

/** The settings a description names by an option's label or value ("2K", "1080p", "10 s"). */
export function settingsInDescription(description: string, entry: Pick<CatalogEntry, "settings">): Record<string, string> {
  const tokens = description
    .split(/[,;·|()—–]/)
    .map((part) => part.trim().toLowerCase())
    .filter(Boolean);
  const settings: Record<string, string> = {};
  for (const setting of entry.settings) {
    const option = setting.options.find((candidate) => tokens.includes(candidate.label.toLowerCase()) || tokens.includes(candidate.value.toLowerCase()));
    if (option) settings[setting.key] = option.value;
  }
  return settings;
}
