// Insights from a team's past runs: best value per model, where credits were wasted, prompts that work first time,
// expensive patterns, days of unusual spend and when credits run out. Plain aggregated rows in, findings out; every
// saving is priced with the team's own price list (the version each run was charged at). Pure.
import { Temporal } from "temporal-polyfill";
import { formatCredits, formatNumber } from "@/lib/format";
import { findEntry } from "@/lib/pricing/estimate";
import type { CatalogEntry, PriceList } from "@/lib/pricing/types";
import { cheapestOfTier, isUpscaler } from "./catalog";

/** Days of the trailing window the forecast's rate and an anomaly's norm are taken over. */
export const TRAILING_DAYS = 28;
/** A model is compared on value only with at least this many settled runs of its output type and tier in the period. */
export const BEST_VALUE_MIN_RUNS = 10;
/** A day is unusual when its spend is above the trailing mean + SIGMAS standard deviations, at least MULTIPLE × the mean, and at least FLOOR credits. */
export const ANOMALY = { sigmas: 3, multiple: 2, floor: 1_000 } as const;
/** A run-out farther away than this many days is shown as "not within ten years". */
export const FORECAST_HORIZON_DAYS = 3_650;
/** How many prompts and patterns each list shows. */
export const LISTED = 10;

export type Stage = "test" | "draft" | "final";
export type Outcome = "accepted" | "rejected" | "needs_edit" | "failed";

/** Settled runs of the period grouped by member, model, stage and outcome (from the daily totals). charged = actual − refunded. */
export type UsageRow = {
  userId: string;
  modelId: string;
  outputType: string;
  /** null for a tool. */
  tier: string | null;
  stage: Stage;
  outcome: Outcome | null;
  runs: number;
  charged: number;
};

/** Settled runs that share what their price depends on (model, settings, quantity, price list version) and what a waste rule reads. */
export type RunGroup = {
  modelId: string;
  outputType: string;
  tier: string | null;
  stage: Stage;
  purpose: string;
  outcome: Outcome | null;
  settings: Record<string, string>;
  quantity: number;
  priceListVersion: number;
  runs: number;
  charged: number;
};

/** One normalized prompt's settled runs in the period, in the order they were made. */
export type PromptStat = {
  key: string;
  /** The prompt as its first run wrote it. */
  text: string;
  /** Who made its first run. */
  authorId: string;
  runs: number;
  charged: number;
  /** The attempt (1 = the first run) that was first accepted; null when none was. */
  acceptedAttempt: number | null;
  /** What the runs before the first accepted one cost (all of them when none was accepted). */
  chargedBefore: number;
};

export type DayCharge = { day: string; charged: number };

export type HistoryInput = {
  /** First and last day of the period, in the team's zone ("YYYY-MM-DD"), inclusive. */
  from: string;
  to: string;
  usage: UsageRow[];
  /** Settled runs a waste rule may be about (premium tests and iterations, rejected or failed finals, tools used for the web). */
  waste: RunGroup[];
  /** Runs made again with the same prompt right after a run of it came out "needs edit". */
  regenerations: RunGroup[];
  prompts: { total: number; firstTime: number; rows: PromptStat[] };
  /** Charged credits per day, from TRAILING_DAYS before `from` to `to`; days without spend may be left out. */
  days: DayCharge[];
  /** The first day the scope spent anything, however long ago; null for none. */
  firstDay: string | null;
  /** The team's price list versions by number (the runs' own, and the one in force now last for names). */
  priceLists: Map<number, PriceList>;
};

export const HISTORY_RULES = {
  "best-value": { title: "Best value for accepted outputs" },
  "premium-tests": { title: "Premium models used for tests" },
  "failed-finals": { title: "Finals that were rejected or failed" },
  "upscale-web": { title: "Upscales of web-only assets" },
  regenerations: { title: "Regenerated where an edit would do" },
  "premium-video-iterations": { title: "Iterations on premium video" },
} as const;
export type HistoryRuleId = keyof typeof HISTORY_RULES;

export type HistoryFinding = {
  rule: HistoryRuleId;
  key: string;
  title: string;
  /** What to change: "Tests: Flux 2 Pro → Qwen Image". */
  changeText: string;
  /** The figures behind it, in words. */
  explanation: string;
  runs: number;
  /** What those runs cost. */
  spent: number;
  /** What they would have cost as changed. */
  after: number;
  /** spent − after, whole credits, > 0. */
  saved: number;
};

export type ModelValue = {
  modelId: string;
  name: string;
  runs: number;
  accepted: number;
  charged: number;
  /** Credits per accepted output rounded to one decimal; null with nothing accepted. */
  perAccepted: number | null;
  /** Enough runs to be compared. */
  compared: boolean;
  best: boolean;
};

export type BestValueGroup = { outputType: string; tier: string; models: ModelValue[] };

export type Pattern = { userId: string; modelId: string; modelName: string; stage: Stage; runs: number; charged: number; percent: number };

export type Anomaly = { day: string; charged: number; mean: number; threshold: number };

export type HistoryInsights = {
  from: string;
  to: string;
  runs: number;
  charged: number;
  findings: HistoryFinding[];
  saved: number;
  bestValue: BestValueGroup[];
  patterns: Pattern[];
  prompts: { total: number; firstTime: number; firstTimeList: PromptStat[]; mostAttempts: PromptStat[] };
  anomalies: Anomaly[];
};

// ——— Prompts and days ———

/** A prompt as history compares it: trimmed, lower-case, runs of white space as one space (the SQL does the same). */
export function normalizePrompt(prompt: string): string {
  return prompt.replace(/\s+/g, " ").trim().toLowerCase();
}

function plainDay(day: string): Temporal.PlainDate {
  return Temporal.PlainDate.from(day);
}

/** "YYYY-MM-DD" `days` after (or before, negative) a day. */
export function addDays(day: string, days: number): string {
  return plainDay(day).add({ days }).toString();
}

/** The calendar day of an instant in a time zone. */
export function dayIn(at: Date, timeZone: string): string {
  return Temporal.Instant.fromEpochMilliseconds(at.getTime()).toZonedDateTimeISO(timeZone).toPlainDate().toString();
}

// ——— Names ———

function entryOf(priceLists: Map<number, PriceList>, modelId: string, version?: number): CatalogEntry | undefined {
  if (version !== undefined) {
    const list = priceLists.get(version);
    const entry = list && findEntry(list, modelId);
    if (entry) return entry;
  }
  const versions = [...priceLists.keys()].sort((a, b) => b - a);
  for (const v of versions) {
    const entry = findEntry(priceLists.get(v)!, modelId);
    if (entry) return entry;
  }
  return undefined;
}

export function modelName(priceLists: Map<number, PriceList>, modelId: string): string {
  return entryOf(priceLists, modelId)?.name ?? modelId;
}

// ——— Where credits are wasted ———

type Alternative = { entry: CatalogEntry; credits: number };

/** The same job (settings carried over, same quantity) on the cheapest enabled budget model of the same kind, in the run's price list. */
function budgetAlternative(priceLists: Map<number, PriceList>, group: RunGroup): { from: CatalogEntry; to: Alternative } | null {
  const list = priceLists.get(group.priceListVersion);
  if (!list) return null;
  const from = findEntry(list, group.modelId);
  if (!from) return null;
  const candidate = cheapestOfTier(list, from, "budget", { modelId: group.modelId, settings: group.settings ?? {}, count: group.quantity });
  if (!candidate || candidate.entry.id === from.id) return null;
  return { from, to: { entry: candidate.entry, credits: candidate.credits } };
}

type Tally = { rule: HistoryRuleId; modelId: string; fromName: string; toName: string | null; runs: number; spent: number; after: number; saved: number };

function tallyInto(tallies: Map<string, Tally>, rule: HistoryRuleId, fromId: string, fromName: string, toName: string | null, group: RunGroup, after: number) {
  const saved = group.charged - after;
  // A group that cost no more than the change would have (refunds, a cheap setting) saves nothing: it is left out.
  if (saved <= 0) return;
  const key = `${rule}:${fromId}:${toName ?? ""}`;
  const tally = tallies.get(key) ?? { rule, modelId: fromId, fromName, toName, runs: 0, spent: 0, after: 0, saved: 0 };
  tally.runs += group.runs;
  tally.spent += group.charged;
  tally.after += after;
  tally.saved += saved;
  tallies.set(key, tally);
}

/** Which waste rule a group of settled runs belongs to, if any: each run counts under one rule only. */
export function wasteRule(group: RunGroup, entry: CatalogEntry | undefined): HistoryRuleId | null {
  if (group.outputType === "video" && group.tier === "premium" && (group.stage === "test" || group.stage === "draft")) return "premium-video-iterations";
  if (group.stage === "test" && group.tier === "premium") return "premium-tests";
  if (group.stage === "final" && (group.outcome === "rejected" || group.outcome === "failed")) return "failed-finals";
  if (group.purpose === "web" && entry !== undefined && isUpscaler(entry)) return "upscale-web";
  return null;
}

function runsWord(count: number, word: string): string {
  return `${formatNumber(count)} ${word}${count === 1 ? "" : "s"}`;
}

function wasteFinding(tally: Tally): HistoryFinding {
  const { rule, fromName, toName, runs, spent, after, saved } = tally;
  const cost = `${runsWord(runs, "run")} cost ${formatCredits(spent)}`;
  const texts: Record<HistoryRuleId, { change: string; why: string }> = {
    "premium-tests": {
      change: `Tests: ${fromName} → ${toName}`,
      why: `${cost} as tests on ${fromName}; on ${toName} they would have cost ${formatCredits(after)}. A test only shows whether the prompt works: keep the premium model for the final.`,
    },
    "premium-video-iterations": {
      change: `Iterations: ${fromName} → ${toName}`,
      why: `${cost} as tests and drafts on ${fromName}; on ${toName} they would have cost ${formatCredits(after)}. Find the motion and framing on a budget video model, then make one premium final.`,
    },
    "failed-finals": {
      change: `Check the prompt with a test on ${toName} before a final on ${fromName}`,
      why: `${cost} as finals on ${fromName} that were rejected or failed; as tests on ${toName} they would have cost ${formatCredits(after)}.`,
    },
    "upscale-web": {
      change: `Drop ${fromName} for web-only assets`,
      why: `${cost} upscaling assets whose purpose is the web, where the extra pixels are never seen.`,
    },
    regenerations: {
      change: `Edit the output instead of generating again on ${fromName}`,
      why: `${cost} making a prompt again right after its output came out "needs edit"; as edits on ${toName} they would have cost ${formatCredits(after)}.`,
    },
    "best-value": { change: "", why: "" },
  };
  return {
    rule,
    key: `${rule}:${tally.modelId}`,
    title: HISTORY_RULES[rule].title,
    changeText: texts[rule].change,
    explanation: texts[rule].why,
    runs,
    spent,
    after,
    saved,
  };
}

/** Premium tests, premium video iterations, rejected or failed finals, web upscales, and regenerations after "needs edit". */
export function wasteFindings(waste: RunGroup[], regenerations: RunGroup[], priceLists: Map<number, PriceList>): HistoryFinding[] {
  const tallies = new Map<string, Tally>();
  for (const group of waste) {
    const list = priceLists.get(group.priceListVersion);
    const entry = list && findEntry(list, group.modelId);
    const rule = wasteRule(group, entry);
    if (rule === null || entry === undefined) continue;
    if (rule === "upscale-web") {
      tallyInto(tallies, rule, entry.id, entry.name, null, group, 0);
      continue;
    }
    const alternative = budgetAlternative(priceLists, group);
    if (!alternative) continue;
    tallyInto(tallies, rule, entry.id, entry.name, alternative.to.entry.name, group, alternative.to.credits * group.runs);
  }
  for (const group of regenerations) {
    const alternative = budgetAlternative(priceLists, group);
    if (!alternative) continue;
    tallyInto(tallies, "regenerations", alternative.from.id, alternative.from.name, alternative.to.entry.name, group, alternative.to.credits * group.runs);
  }
  return [...tallies.values()].map(wasteFinding);
}

// ——— Best value ———

// a/b < c/d for non-negative counts, exactly (products of large sums leave the safe-integer range).
function lessRatio(a: number, b: number, c: number, d: number): boolean {
  return BigInt(a) * BigInt(d) < BigInt(c) * BigInt(b);
}

/** ceil(a × b / c) exactly, c > 0. */
function ceilProduct(a: number, b: number, c: number): number {
  const product = BigInt(a) * BigInt(b);
  const divisor = BigInt(c);
  return Number((product + divisor - 1n) / divisor);
}

/**
 * Per output type and tier (tools aside), credits per accepted output of each model over the period's settled runs.
 * Models with at least BEST_VALUE_MIN_RUNS runs are compared; the one with the fewest credits per accepted output is
 * the best, and each other compared model's saving is what its accepted outputs would have cost at the best's rate
 * (rounded up, so a saving is never overstated) subtracted from what it cost.
 */
export function bestValue(usage: UsageRow[], priceLists: Map<number, PriceList>): { groups: BestValueGroup[]; findings: HistoryFinding[] } {
  const byGroup = new Map<string, Map<string, { runs: number; accepted: number; charged: number }>>();
  for (const row of usage) {
    if (row.outputType === "tool" || row.tier === null || row.tier === "") continue;
    const groupKey = `${row.outputType}\u0000${row.tier}`;
    const models = byGroup.get(groupKey) ?? new Map();
    const model = models.get(row.modelId) ?? { runs: 0, accepted: 0, charged: 0 };
    model.runs += row.runs;
    model.charged += row.charged;
    if (row.outcome === "accepted") model.accepted += row.runs;
    models.set(row.modelId, model);
    byGroup.set(groupKey, models);
  }
  const groups: BestValueGroup[] = [];
  const findings: HistoryFinding[] = [];
  for (const [groupKey, models] of [...byGroup].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const [outputType, tier] = groupKey.split("\u0000");
    const rows: ModelValue[] = [...models].map(([modelId, m]) => ({
      modelId,
      name: modelName(priceLists, modelId),
      runs: m.runs,
      accepted: m.accepted,
      charged: m.charged,
      perAccepted: m.accepted === 0 ? null : Math.round((m.charged * 10) / m.accepted) / 10,
      compared: m.runs >= BEST_VALUE_MIN_RUNS,
      best: false,
    }));
    const compared = rows.filter((row) => row.compared && row.accepted > 0);
    let best: ModelValue | null = null;
    for (const row of compared) {
      if (best === null || lessRatio(row.charged, row.accepted, best.charged, best.accepted) || (!lessRatio(best.charged, best.accepted, row.charged, row.accepted) && row.modelId < best.modelId)) {
        best = row;
      }
    }
    rows.sort((a, b) => (a.perAccepted ?? Infinity) - (b.perAccepted ?? Infinity) || b.runs - a.runs || (a.modelId < b.modelId ? -1 : 1));
    groups.push({ outputType, tier, models: rows });
    if (best === null || rows.filter((row) => row.compared).length < 2) continue;
    best.best = true;
    let runs = 0;
    let spent = 0;
    let after = 0;
    let accepted = 0;
    const others: string[] = [];
    for (const row of rows) {
      if (row === best || !row.compared) continue;
      const atBest = ceilProduct(row.accepted, best.charged, best.accepted);
      if (row.charged - atBest <= 0) continue;
      runs += row.runs;
      spent += row.charged;
      after += atBest;
      accepted += row.accepted;
      others.push(row.name);
    }
    if (spent - after <= 0) continue;
    findings.push({
      rule: "best-value",
      key: `best-value:${outputType}:${tier}`,
      title: `${HISTORY_RULES["best-value"].title}: ${tier} ${outputType}`,
      changeText: `Prefer ${best.name} for ${tier}-tier ${outputType}`,
      explanation:
        `${best.name} cost ${formatCredits(best.perAccepted ?? 0)} per accepted output over ${runsWord(best.runs, "run")}. ` +
        `${others.join(", ")} cost ${formatCredits(spent)} over ${runsWord(runs, "run")} for ${runsWord(accepted, "accepted output")}; at ${best.name}'s rate those would have cost ${formatCredits(after)}.`,
      runs,
      spent,
      after,
      saved: spent - after,
    });
  }
  return { groups, findings };
}

// ——— Expensive patterns ———

/** The combinations of member, model and stage that cost most, largest first (ties by member, model, stage). */
export function expensivePatterns(usage: UsageRow[], priceLists: Map<number, PriceList>): Pattern[] {
  const total = usage.reduce((sum, row) => sum + row.charged, 0);
  const byKey = new Map<string, Pattern>();
  for (const row of usage) {
    const key = `${row.userId}\u0000${row.modelId}\u0000${row.stage}`;
    const pattern = byKey.get(key) ?? { userId: row.userId, modelId: row.modelId, modelName: modelName(priceLists, row.modelId), stage: row.stage, runs: 0, charged: 0, percent: 0 };
    pattern.runs += row.runs;
    pattern.charged += row.charged;
    byKey.set(key, pattern);
  }
  const order = (p: Pattern) => `${p.userId}\u0000${p.modelId}\u0000${p.stage}`;
  return [...byKey.values()]
    .filter((pattern) => pattern.charged > 0)
    .sort((a, b) => b.charged - a.charged || (order(a) < order(b) ? -1 : 1))
    .slice(0, LISTED)
    .map((pattern) => ({ ...pattern, percent: total > 0 ? Math.round((pattern.charged * 100) / total) : 0 }));
}

// ——— Prompts ———

/** Attempts a prompt took: up to its first accepted run, or all its runs when none was accepted. */
export function attemptsOf(stat: PromptStat): number {
  return stat.acceptedAttempt ?? stat.runs;
}

/** The order each list is cut in; the SQL cuts its rows in the same order (lib/usage/insights.ts). */
export function byFirstTime(a: PromptStat, b: PromptStat): number {
  return b.runs - a.runs || b.charged - a.charged || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
}

export function byAttempts(a: PromptStat, b: PromptStat): number {
  return attemptsOf(b) - attemptsOf(a) || b.chargedBefore - a.chargedBefore || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
}

export function promptLists(rows: PromptStat[]): { firstTimeList: PromptStat[]; mostAttempts: PromptStat[] } {
  return {
    firstTimeList: rows.filter((row) => row.acceptedAttempt === 1).sort(byFirstTime).slice(0, LISTED),
    mostAttempts: rows.filter((row) => attemptsOf(row) >= 2).sort(byAttempts).slice(0, LISTED),
  };
}

// ——— Anomalies ———

/**
 * Days of the period whose spend is far above their norm. The norm of a day is the TRAILING_DAYS days before it (days
 * without spend count as 0), and a day is judged only when the scope had spent something at least TRAILING_DAYS days
 * before it. A day is unusual when its spend is more than the mean + 3 standard deviations (population) of those days,
 * at least twice the mean, and at least ANOMALY.floor credits. Exact: compared in integers.
 */
export function findAnomalies(days: DayCharge[], from: string, to: string, firstDay: string | null): Anomaly[] {
  if (firstDay === null) return [];
  const charged = new Map<string, number>();
  for (const { day, charged: c } of days) charged.set(day, (charged.get(day) ?? 0) + c);
  const anomalies: Anomaly[] = [];
  const n = BigInt(TRAILING_DAYS);
  const last = plainDay(to);
  for (let day = plainDay(from); Temporal.PlainDate.compare(day, last) <= 0; day = day.add({ days: 1 })) {
    const text = day.toString();
    const spend = charged.get(text) ?? 0;
    if (spend < ANOMALY.floor) continue;
    if (addDays(firstDay, TRAILING_DAYS) > text) continue;
    let sum = 0n;
    let squares = 0n;
    for (let back = 1; back <= TRAILING_DAYS; back++) {
      const value = BigInt(charged.get(day.subtract({ days: back }).toString()) ?? 0);
      sum += value;
      squares += value * value;
    }
    const x = BigInt(spend);
    // spend ≥ 2 × mean  ⇔  n·x ≥ 2·sum;  spend > mean + 3σ  ⇔  n·x − sum > 0 and (n·x − sum)² > 9 (n·Σx² − sum²).
    const above = n * x - sum;
    if (n * x < BigInt(ANOMALY.multiple) * sum) continue;
    if (above <= 0n || above * above <= BigInt(ANOMALY.sigmas ** 2) * (n * squares - sum * sum)) continue;
    const mean = Number(sum) / TRAILING_DAYS;
    const variance = Math.max(0, Number(squares) / TRAILING_DAYS - mean * mean);
    anomalies.push({
      day: text,
      charged: spend,
      mean: Math.round(mean),
      threshold: Math.max(ANOMALY.floor, Math.ceil(Math.max(mean + ANOMALY.sigmas * Math.sqrt(variance), ANOMALY.multiple * mean))),
    });
  }
  return anomalies;
}

/** The definition of an unusual day, as the app says it wherever it shows one. */
export function anomalyDefinition(): string {
  return (
    `A day's spend is unusual when it is more than the mean plus ${ANOMALY.sigmas} standard deviations of the ${TRAILING_DAYS} days before it, ` +
    `at least ${ANOMALY.multiple} times that mean, and at least ${formatCredits(ANOMALY.floor)}; days are judged once there are ${TRAILING_DAYS} days of history before them.`
  );
}

// ——— All of it ———

/** Every insight of a period, findings largest saving first. */
export function historyInsights(input: HistoryInput): HistoryInsights {
  const value = bestValue(input.usage, input.priceLists);
  const findings = [...value.findings, ...wasteFindings(input.waste, input.regenerations, input.priceLists)].sort(
    (a, b) => b.saved - a.saved || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0),
  );
  return {
    from: input.from,
    to: input.to,
    runs: input.usage.reduce((sum, row) => sum + row.runs, 0),
    charged: input.usage.reduce((sum, row) => sum + row.charged, 0),
    findings,
    saved: findings.reduce((sum, finding) => sum + finding.saved, 0),
    bestValue: value.groups,
    patterns: expensivePatterns(input.usage, input.priceLists),
    prompts: { total: input.prompts.total, firstTime: input.prompts.firstTime, ...promptLists(input.prompts.rows) },
    anomalies: findAnomalies(input.days, input.from, input.to, input.firstDay),
  };
}

// ——— Forecast ———

export type RunOut = {
  /** Mean charged credits per day over the trailing window, one decimal (for people). */
  perDay: number;
  /** The day what is left is used up at that rate; null when nothing is being spent ("no run-out at this rate") or farOff. */
  day: string | null;
  /** More than FORECAST_HORIZON_DAYS away: the rate says nothing useful about so distant a day. */
  farOff: boolean;
  /** That day is on or before the last day of the period. */
  beforePeriodEnd: boolean;
};

/**
 * When `left` credits run out at the trailing rate (`trailing` credits charged over TRAILING_DAYS days up to and
 * including today): the first day at whose end nothing is left, spending from tomorrow at that rate — today plus
 * ceil(left ÷ rate) days, exactly. Nothing left: today. No spend: never. `periodLastDay` null (a lifetime budget): never
 * before the period's end.
 */
export function runOut(left: number, trailing: number, today: string, periodLastDay: string | null): RunOut {
  const perDay = Math.round((trailing * 10) / TRAILING_DAYS) / 10;
  if (left <= 0) return { perDay, day: today, farOff: false, beforePeriodEnd: periodLastDay !== null };
  if (trailing <= 0) return { perDay, day: null, farOff: false, beforePeriodEnd: false };
  const days = ceilProduct(left, TRAILING_DAYS, trailing);
  if (days > FORECAST_HORIZON_DAYS) return { perDay, day: null, farOff: true, beforePeriodEnd: false };
  const day = addDays(today, days);
  return { perDay, day, farOff: false, beforePeriodEnd: periodLastDay !== null && day <= periodLastDay };
}

export type BudgetForecastInput = {
  projectId: string;
  projectName: string;
  credits: number;
  used: number;
  periodKey: string;
  periodLabel: string;
  /** Last day of the budget's current period, in the team's zone; null for a lifetime budget. */
  periodLastDay: string | null;
  /** The project's charged credits over the trailing window. */
  trailing: number;
};

export type Forecast = {
  today: string;
  team: RunOut & { available: number; periodKey: string; periodLabel: string; periodLastDay: string; trailing: number };
  budgets: (RunOut & BudgetForecastInput & { remaining: number })[];
};

export function forecast(input: {
  today: string;
  available: number;
  trailing: number;
  periodKey: string;
  periodLabel: string;
  periodLastDay: string;
  budgets: BudgetForecastInput[];
}): Forecast {
  return {
    today: input.today,
    team: {
      ...runOut(input.available, input.trailing, input.today, input.periodLastDay),
      available: input.available,
      trailing: input.trailing,
      periodKey: input.periodKey,
      periodLabel: input.periodLabel,
      periodLastDay: input.periodLastDay,
    },
    budgets: input.budgets.map((budget) => {
      const remaining = budget.credits - budget.used;
      return { ...budget, remaining, ...runOut(remaining, budget.trailing, input.today, budget.periodLastDay) };
    }),
  };
}
