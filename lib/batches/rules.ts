// Pure batch logic: checking a stage plan against the price list, reading pasted items (lines or CSV), and which status moves are allowed.
import { parse } from "csv-parse/sync";
import { defaultSettings, estimateRun, findEntry } from "@/lib/pricing/estimate";
import { OUTPUT_TYPES, type OutputType, type PriceList } from "@/lib/pricing/types";
import { estimateItem } from "@/lib/recommendations";
import { NO_FLAGS, PURPOSES, type ItemFlags, type ItemPlan, type ItemStatus, type PlannedItem, type PlanStep, type Purpose } from "@/lib/recommendations/types";
import { readWholeNumber } from "@/lib/whole-number";
import { FLAG_WORDS, MAX_STEP_COUNT, MAX_TOOL_STEPS, PASTE_COLUMNS, type ItemFields } from "./schema";

export type PlanProblem = { field: string; message: string };

const TYPE_WORDS: Record<OutputType, string> = { image: "an image", video: "a video", audio: "an audio", tool: "a tool" };

/**
 * Why a plan cannot be priced for an item of this output type, or null. Tests and finals use models of the
 * item's own output type, tool steps use tools; every step must be priced by the team's list. Fields are
 * dotted paths inside the plan ("tests.modelId", "tools.0.count").
 */
export function planProblem(priceList: PriceList, outputType: OutputType, plan: ItemPlan): PlanProblem | null {
  if (!plan.tests && !plan.finals && plan.tools.length === 0) return { field: "plan", message: "Plan at least one step: tests, a final or a tool." };
  const steps: [string, PlanStep | null, OutputType][] = [
    ["tests", plan.tests, outputType],
    ["finals", plan.finals, outputType],
    ...plan.tools.map((step, i): [string, PlanStep, OutputType] => [`tools.${i}`, step, "tool"]),
  ];
  for (const [path, step, type] of steps) {
    if (!step) continue;
    const entry = findEntry(priceList, step.modelId);
    if (entry && entry.outputType !== type) {
      return { field: `${path}.modelId`, message: `${entry.name} makes ${TYPE_WORDS[entry.outputType]} output; this step needs ${TYPE_WORDS[type]} model.` };
    }
  }
  const estimate = estimateItem(priceList, plan);
  return estimate.ok ? null : { field: estimate.error.field, message: estimate.error.message };
}

// --- status ----------------------------------------------------------------------------------------------------

/**
 * People move an item along freely (forward, or back when a final needs another round) and may drop it from
 * anywhere; "done" needs a final run that was settled, since done means delivered. Planned → testing also
 * happens by itself on the first test run.
 */
export function statusChangeProblem(from: ItemStatus, to: ItemStatus, hasSettledFinal: boolean): string | null {
  if (from === to) return "The item already has this status.";
  if (to === "done" && !hasSettledFinal) return "Record and settle a final run for this item before marking it done.";
  return null;
}

// --- paste -----------------------------------------------------------------------------------------------------

export type PasteDefaults = { outputType: OutputType; purpose: Purpose; plan: ItemPlan };
export type PastedItem = ItemFields;
export type PasteResult = { ok: true; items: PastedItem[] } | { ok: false; line: number; message: string };

const TITLE_WORDS = 8;
const TITLE_CHARS = 80;

/** A title from the first words of a prompt. */
export function titleFromPrompt(prompt: string): string {
  const words = prompt.trim().split(/\s+/).slice(0, TITLE_WORDS).join(" ");
  return words.length > TITLE_CHARS ? `${words.slice(0, TITLE_CHARS - 1).trimEnd()}…` : words;
}

class LineError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(message);
  }
}

function finishItem(priceList: PriceList, line: number, item: PastedItem): PastedItem {
  if (item.title === "") throw new LineError(line, "give the item a title or a prompt.");
  if (item.title.length > 200) throw new LineError(line, "the title is longer than 200 characters.");
  if (item.prompt.length > 4000) throw new LineError(line, "the prompt is longer than 4,000 characters.");
  const problem = planProblem(priceList, item.outputType, item.plan);
  if (problem) throw new LineError(line, `${problem.field === "plan" ? "" : `${problem.field}: `}${problem.message}`);
  return item;
}

function fromLines(priceList: PriceList, text: string, defaults: PasteDefaults): PastedItem[] {
  const items: PastedItem[] = [];
  // The same line ends the paste form counts by, old Mac ones included (CSV reads them too).
  text.split(/\r\n|\r|\n/).forEach((raw, i) => {
    const prompt = raw.trim();
    if (prompt === "") return;
    items.push(
      finishItem(priceList, i + 1, {
        title: titleFromPrompt(prompt),
        prompt,
        outputType: defaults.outputType,
        purpose: defaults.purpose,
        plan: structuredClone(defaults.plan),
        flags: { ...NO_FLAGS },
      }),
    );
  });
  return items;
}

function count(line: number, column: string, text: string): number {
  const value = readWholeNumber(text);
  if (!Number.isInteger(value) || value < 0 || value > MAX_STEP_COUNT) {
    throw new LineError(line, `${column} “${text}” is not a whole number from 0 to ${MAX_STEP_COUNT.toLocaleString("en-US")}.`);
  }
  return value;
}

function model(priceList: PriceList, line: number, column: string, modelId: string) {
  const entry = findEntry(priceList, modelId);
  if (!entry) throw new LineError(line, `${column}: there is no model “${modelId}” in the team's price list.`);
  if (!entry.enabled) throw new LineError(line, `${column}: ${entry.name} is switched off in the team's price list.`);
  return entry;
}

/** A test or final step from its two columns; empty columns keep the default step, a count of 0 means none. */
function stageStep(priceList: PriceList, line: number, stage: "test" | "final", modelId: string, countText: string, fallback: PlanStep | null): PlanStep | null {
  if (modelId === "" && countText === "") return fallback && structuredClone(fallback);
  const n = countText === "" ? 1 : count(line, `${stage}_count`, countText);
  if (n === 0) return null;
  if (modelId === "") {
    if (!fallback) throw new LineError(line, `${stage}_count is given but ${stage}_model is empty, and the defaults plan no ${stage} step.`);
    return { ...structuredClone(fallback), count: n };
  }
  const entry = model(priceList, line, `${stage}_model`, modelId);
  return { modelId: entry.id, settings: defaultSettings(entry), count: n };
}

/** The header as csv-parse read it (quotes, blank lines and line ends handled there), checked against the columns paste knows. */
function checkColumns(columns: string[]): string[] {
  const unknown = columns.filter((column) => !(PASTE_COLUMNS as readonly string[]).includes(column));
  if (unknown.length > 0) throw new LineError(1, `unknown column “${unknown[0]}”. The columns are ${PASTE_COLUMNS.join(", ")}.`);
  if (!columns.includes("title") && !columns.includes("prompt")) throw new LineError(1, "the header needs a title or a prompt column.");
  return columns;
}

function fromCsv(priceList: PriceList, text: string, defaults: PasteDefaults): PastedItem[] {
  let records: { record: Record<string, string>; info: { lines: number } }[];
  try {
    records = parse(text, { columns: checkColumns, skip_empty_lines: true, trim: true, info: true, bom: true }) as typeof records;
  } catch (error) {
    if (error instanceof LineError) throw error;
    const line = (error as { lines?: number }).lines ?? 1;
    const reason = error instanceof Error ? error.message.replace(/^Invalid [^:]*:\s*/, "") : "it could not be read";
    throw new LineError(line, `the CSV could not be read (${reason}).`);
  }

  return records.map(({ record, info }) => {
    const line = info.lines;
    const cell = (column: (typeof PASTE_COLUMNS)[number]) => (record[column] ?? "").trim();
    const outputType = (cell("output_type") || defaults.outputType) as OutputType;
    if (!(OUTPUT_TYPES as readonly string[]).includes(outputType)) {
      throw new LineError(line, `output_type “${outputType}” is not one of ${OUTPUT_TYPES.join(", ")}.`);
    }
    const purpose = (cell("purpose") || defaults.purpose) as Purpose;
    if (!(PURPOSES as readonly string[]).includes(purpose)) throw new LineError(line, `purpose “${purpose}” is not one of ${PURPOSES.join(", ")}.`);
    const tests = stageStep(priceList, line, "test", cell("test_model"), cell("test_count"), defaults.plan.tests);
    const finals = stageStep(priceList, line, "final", cell("final_model"), cell("final_count"), defaults.plan.finals);
    const toolIds = cell("tools") === "" ? null : cell("tools").split("+").map((id) => id.trim()).filter(Boolean);
    if (toolIds && toolIds.length > MAX_TOOL_STEPS) throw new LineError(line, `use at most ${MAX_TOOL_STEPS} tools.`);
    // A tool works on each final: as many tool runs as finals.
    const tools = toolIds
      ? toolIds.map((id) => {
          const entry = model(priceList, line, "tools", id);
          return { modelId: entry.id, settings: defaultSettings(entry), count: finals?.count ?? 1 };
        })
      : structuredClone(defaults.plan.tools);
    const flags: ItemFlags = { ...NO_FLAGS };
    for (const word of cell("flags") === "" ? [] : cell("flags").split("+").map((w) => w.trim())) {
      const key = FLAG_WORDS[word];
      if (!key) throw new LineError(line, `flag “${word}” is not one of ${Object.keys(FLAG_WORDS).join(", ")}.`);
      flags[key] = true;
    }
    const prompt = cell("prompt");
    return finishItem(priceList, line, { title: cell("title") || titleFromPrompt(prompt), prompt, outputType, purpose, plan: { tests, finals, tools }, flags });
  });
}

/** Every pasted item, or the first bad line: all or nothing. */
export function parsePastedItems(priceList: PriceList, text: string, format: "lines" | "csv", defaults: PasteDefaults): PasteResult {
  try {
    const items = format === "lines" ? fromLines(priceList, text, defaults) : fromCsv(priceList, text, defaults);
    if (items.length === 0) return { ok: false, line: 1, message: "Line 1: there is nothing to add." };
    return { ok: true, items };
  } catch (error) {
    if (error instanceof LineError) return { ok: false, line: error.line, message: `Line ${error.line}: ${error.message}` };
    throw error;
  }
}

// --- stored rows -----------------------------------------------------------------------------------------------

type StoredItem = { id: string; title: string; outputType: string; purpose: string; prompt: string; status: string; plan: unknown; flags: unknown };

/** A stored item as the engine reads it. Plans and flags were checked when written; flags missing from older rows are off. */
export function toPlannedItem(row: StoredItem): PlannedItem {
  const plan = (row.plan ?? {}) as Partial<ItemPlan>;
  return {
    id: row.id,
    title: row.title,
    outputType: row.outputType as OutputType,
    purpose: row.purpose as Purpose,
    prompt: row.prompt,
    status: row.status as ItemStatus,
    plan: { tests: plan.tests ?? null, finals: plan.finals ?? null, tools: plan.tools ?? [] },
    flags: { ...NO_FLAGS, ...((row.flags ?? {}) as Partial<ItemFlags>) },
  };
}

/** Settings as the price list resolves them (defaults filled in), in one order: what two runs are compared by. */
function resolvedSettings(priceList: PriceList, modelId: string, settings: Record<string, string>): string | null {
  const estimate = estimateRun(priceList, { modelId, settings, quantity: 1 });
  if (!estimate.ok) return null;
  return JSON.stringify(Object.entries(estimate.settings).sort(([a], [b]) => a.localeCompare(b)));
}

/**
 * Why a run cannot be made of an item of an app's batch, or null: such an item follows the app, so a run of it is its
 * final or one of the tool steps on the final, each on the plan's model at the plan's settings.
 */
export function appItemRunProblem(priceList: PriceList, plan: ItemPlan, run: { modelId: string; settings: Record<string, string>; stage: string }): string | null {
  const steps = [plan.finals, ...plan.tools].filter((step): step is PlanStep => step !== null);
  const wanted = resolvedSettings(priceList, run.modelId, run.settings);
  const matches = steps.some((step) => step.modelId === run.modelId && wanted !== null && resolvedSettings(priceList, step.modelId, step.settings) === wanted);
  if (run.stage === "final" && matches) return null;
  return "This item was made by an app: a run of it is its final or a tool step on the final, on the app's model and settings.";
}
