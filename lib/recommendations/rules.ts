// The rules over one planned item (test cheap, match purpose, skip unnecessary steps…): each reads the item and the team's
// price list and answers with at most one finding whose figures come from lib/pricing. Pure.
import { formatCredits, formatNumber } from "@/lib/format";
import { findEntry } from "@/lib/pricing/estimate";
import type { CatalogEntry, OutputType, PriceList, Tier } from "@/lib/pricing/types";
import {
  cheapest,
  cheapestOfTier,
  cheapestOfType,
  enabledEntry,
  isMusicModel,
  isUpscaler,
  rank,
  type Candidate,
} from "./catalog";
import { estimateItem, type ItemEstimate } from "./estimate";
import { RULES } from "./explanations";
import type { Finding, ItemPlan, PlannedItem, PlanStep, Purpose, RuleId } from "./types";

type Priced = Extract<ItemEstimate, { ok: true }>;

/** What every rule reads: the item, its estimate as planned, and the fingerprint its findings' keys carry. */
export type ItemContext = {
  priceList: PriceList;
  item: PlannedItem;
  estimate: Priced;
  /** Computed only for an item that has a finding. */
  hash: () => string;
  /**
   * True for a single run checked on its own (approvals): there is no plan around it to add a final to.
   * False for a batch item, whose tests-only plan delivers its last iteration.
   */
  single: boolean;
};

/** The tiers each purpose calls for, highest last (the seed's "match quality to purpose"); web has no tier of its own. */
export const PURPOSE_TIERS: Record<Purpose, Tier[] | null> = {
  internal_review: ["budget"],
  client_draft: ["mid"],
  final_delivery: ["premium"],
  social_media: ["mid", "premium"],
  print: ["premium"],
  web: null,
};

/**
 * A check, not a deliverable: the asset is for the team's own eyes (purpose internal review), so nothing about it
 * needs a premium model. A tests-only plan with any other purpose delivers its last iteration (the seed's five
 * premium iterations), so it is not a check: it gets "test cheap" with a final, never a downgrade of the deliverable.
 */
export function isCheck(item: PlannedItem): boolean {
  return item.purpose === "internal_review";
}

type Draft = {
  rule: RuleId;
  plan: ItemPlan | null;
  outputType?: OutputType;
  title?: string;
  changeText: string;
  explanation: string;
  kind: Finding["kind"];
};

/** Prices the proposed plan and builds the finding; null when it cannot be priced or a "saving" would not save. */
export function toFinding(ctx: ItemContext, draft: Draft): Finding | null {
  const before = ctx.estimate.credits;
  let after = before;
  if (draft.plan !== null) {
    const estimate = estimateItem(ctx.priceList, draft.plan);
    if (!estimate.ok) return null;
    after = estimate.credits;
  }
  const saved = before - after;
  if (draft.kind === "saving" && saved <= 0) return null;
  const change =
    draft.plan === null
      ? null
      : { items: [draft.outputType === undefined ? { itemId: ctx.item.id, plan: draft.plan } : { itemId: ctx.item.id, plan: draft.plan, outputType: draft.outputType }] };
  return {
    rule: draft.rule,
    itemId: ctx.item.id,
    key: `${draft.rule}:${ctx.item.id}:${ctx.hash()}`,
    title: draft.title ?? RULES[draft.rule].title,
    changeText: draft.changeText,
    explanation: draft.explanation,
    change,
    before,
    after,
    saved,
    kind: draft.kind,
  };
}

function stepEntry(ctx: ItemContext, step: PlanStep | null): CatalogEntry | undefined {
  return step === null ? undefined : enabledEntry(ctx.priceList, step.modelId);
}

function runs(count: number, word: string): string {
  return count === 1 ? `the ${word}` : `the ${formatNumber(count)} ${word}s`;
}

// ——— Test cheap, finalize premium ———

export type TestCheapOutcome =
  | { changed: true; plan: ItemPlan; budget: Candidate; from: CatalogEntry; fromPerUnit: number; finalEntry: CatalogEntry | null; addsFinal: boolean; reason: string }
  | { changed: false; reason: string };

/**
 * Moves tests above the budget tier to the cheapest enabled budget model of the same kind, keeping every test and
 * the finals; a tests-only plan that delivers its last iteration gets one final at the tests' model and settings.
 * Explains itself either way: the Pricing page shows the reason when nothing cheaper makes sense.
 */
export function testCheap(priceList: PriceList, item: PlannedItem, estimate: Priced, addFinal: boolean): TestCheapOutcome {
  const tests = item.plan.tests;
  const testStep = estimate.steps.find((step) => step.stage === "tests");
  if (tests === null || testStep === undefined) return { changed: false, reason: "There are no test runs to move to a cheaper model." };
  const current = enabledEntry(priceList, tests.modelId);
  if (!current) return { changed: false, reason: "There are no test runs to move to a cheaper model." };
  if (current.tier === "budget") return { changed: false, reason: `The tests already run on a budget model, ${current.name}.` };
  const budget = cheapestOfTier(priceList, current, "budget", tests);
  if (!budget) {
    // A budget model of another kind (a voiceover model for music tests) is no stand-in, and the reason says so.
    const otherKind = priceList.entries.some((entry) => entry.enabled && entry.tier === "budget" && entry.outputType === current.outputType);
    return {
      changed: false,
      reason: otherKind
        ? `No budget ${current.outputType} model makes a ${current.unit} like ${current.name}, so the tests stay on it.`
        : `No budget ${current.outputType} model is available for the tests.`,
    };
  }
  if (budget.credits >= testStep.credits) {
    return { changed: false, reason: `${current.name} is already the cheapest sensible model for these tests.` };
  }
  const addsFinal = addFinal && item.plan.finals === null;
  const finals: PlanStep | null = addsFinal ? { modelId: tests.modelId, settings: tests.settings, count: 1 } : item.plan.finals;
  const plan: ItemPlan = { tests: budget.step, finals, tools: item.plan.tools };
  const after = estimateItem(priceList, plan);
  const finalEntry = finals === null ? null : (enabledEntry(priceList, finals.modelId) ?? null);
  if (!after.ok) return { changed: false, reason: after.error.message };
  if (after.credits >= estimate.credits) {
    const testsText = tests.count === 1 ? "A test" : `${formatNumber(tests.count)} tests`;
    return {
      changed: false,
      reason:
        `${testsText} on ${budget.entry.name} and the final on ${finalEntry?.name ?? current.name} would cost ` +
        `${formatCredits(after.credits)}, more than the ${formatCredits(estimate.credits)} of the plan as written.`,
    };
  }
  const finalWord = finals !== null && finals.count === 1 ? "final" : "finals";
  const finalsNote =
    finalEntry === null ? "" : addsFinal ? `, and make the final on ${finalEntry.name}` : `, and keep the ${finalWord} on ${finalEntry.name}`;
  const reason =
    `Run the ${formatNumber(tests.count)} ${tests.count === 1 ? "test" : "tests"} on ${budget.entry.name} ` +
    `(${formatCredits(budget.perUnit)} each) instead of ${current.name} (${formatCredits(testStep.perUnit)} each)${finalsNote}.`;
  return { changed: true, plan, budget, from: current, fromPerUnit: testStep.perUnit, finalEntry, addsFinal, reason };
}

function testCheapText(outcome: Extract<TestCheapOutcome, { changed: true }>): string {
  const finals = outcome.finalEntry === null ? "" : outcome.addsFinal ? `; add 1 final on ${outcome.finalEntry.name}` : `; finals stay on ${outcome.finalEntry.name}`;
  return `Tests: ${outcome.from.name} → ${outcome.budget.entry.name}${finals}`;
}

export function testCheapRule(ctx: ItemContext): Finding | null {
  const outcome = testCheap(ctx.priceList, ctx.item, ctx.estimate, !ctx.single && !isCheck(ctx.item));
  if (!outcome.changed) return null;
  return toFinding(ctx, {
    rule: "test-cheap",
    plan: outcome.plan,
    changeText: testCheapText(outcome),
    explanation: `${outcome.reason} ${RULES["test-cheap"].explanation}`,
    kind: "saving",
  });
}

/** Iterating on premium video: the same change as test cheap, named for what it is, for more than one premium video test. */
export function premiumVideoIterationsRule(ctx: ItemContext): Finding | null {
  const tests = ctx.item.plan.tests;
  const entry = stepEntry(ctx, tests);
  if (!tests || !entry || entry.outputType !== "video" || entry.tier !== "premium" || tests.count <= 1) return null;
  const outcome = testCheap(ctx.priceList, ctx.item, ctx.estimate, !ctx.single && !isCheck(ctx.item));
  if (!outcome.changed) return null;
  return toFinding(ctx, {
    rule: "premium-video-iterations",
    plan: outcome.plan,
    changeText: testCheapText(outcome),
    explanation: `${outcome.reason} ${RULES["premium-video-iterations"].explanation}`,
    kind: "saving",
  });
}

// ——— Match quality to purpose ———

/**
 * Finals above the highest tier the purpose calls for → the cheapest model of that tier, of the same kind. Where the
 * price list has no model of that kind in the tier (no mid-tier voiceover model), the next tier down is taken.
 */
export function matchPurposeRule(ctx: ItemContext): Finding | null {
  const tiers = PURPOSE_TIERS[ctx.item.purpose];
  const finals = ctx.item.plan.finals;
  const entry = stepEntry(ctx, finals);
  if (!tiers || !finals || !entry) return null;
  const target = tiers[tiers.length - 1];
  if (rank(entry.tier) <= rank(target)) return null;
  let choice: Candidate | null = null;
  for (let r = rank(target); r >= 0 && choice === null; r--) {
    const tier = (["budget", "mid", "premium"] as const)[r];
    choice = cheapestOfTier(ctx.priceList, entry, tier, finals);
  }
  if (!choice) return null;
  const purpose = PURPOSE_WORDS[ctx.item.purpose];
  return toFinding(ctx, {
    rule: "match-purpose",
    plan: { ...ctx.item.plan, finals: choice.step },
    changeText: `Finals: ${entry.name} → ${choice.entry.name}`,
    explanation: `${purpose} calls for ${target === "budget" ? "a budget" : `a ${target}-tier`} model; ${entry.name} is ${entry.tier}. ${choice.entry.name} costs ${formatCredits(choice.perUnit)} a run instead of ${formatCredits(ctx.estimate.steps.find((step) => step.stage === "finals")?.perUnit ?? 0)}.`,
    kind: "saving",
  });
}

export const PURPOSE_WORDS: Record<Purpose, string> = {
  internal_review: "Internal review",
  client_draft: "A client draft",
  final_delivery: "Final delivery",
  social_media: "Social media",
  print: "Print",
  web: "Web use",
};

/** Print without an upscale: a quality warning that adds the cheapest enabled upscaler, one per final, and its cost. */
export function printUpscaleRule(ctx: ItemContext): Finding | null {
  const { item } = ctx;
  // An image still to be edited is upscaled after the edits, not now.
  if (item.purpose !== "print" || item.outputType !== "image" || item.flags.willBeEdited) return null;
  if (item.plan.tools.some((tool) => isUpscalerId(ctx, tool.modelId))) return null;
  const count = item.plan.finals?.count ?? 1;
  const upscaler = cheapest(ctx.priceList, { modelId: "", settings: {}, count }, isUpscaler);
  if (!upscaler) return null;
  return toFinding(ctx, {
    rule: "print-upscale",
    plan: { ...item.plan, tools: [...item.plan.tools, upscaler.step] },
    changeText: `Add ${upscaler.entry.name} to ${runs(count, "final")}`,
    explanation: `${RULES["print-upscale"].explanation} ${upscaler.entry.name} adds ${formatCredits(upscaler.credits)}.`,
    kind: "quality",
  });
}

function findAny(ctx: ItemContext, modelId: string): CatalogEntry | undefined {
  return findEntry(ctx.priceList, modelId);
}

function isUpscalerId(ctx: ItemContext, modelId: string): boolean {
  const entry = findAny(ctx, modelId);
  return entry !== undefined && isUpscaler(entry);
}

// ——— Don't over-engineer ———

/** A check (internal review) on a premium model: every step above budget → the cheapest budget model of its kind. */
export function overEngineeredRule(ctx: ItemContext): Finding | null {
  if (!isCheck(ctx.item)) return null;
  const plan: ItemPlan = { ...ctx.item.plan };
  const changes: string[] = [];
  let premium = false;
  for (const stage of ["tests", "finals"] as const) {
    const step = plan[stage];
    const entry = stepEntry(ctx, step);
    if (!step || !entry || rank(entry.tier) <= 0) continue;
    if (entry.tier === "premium") premium = true;
    // A check needs no more than the budget model's standard output: settings left at the premium model's defaults
    // (say Veo's 8 s at 1080p) are not a request for the same on the budget model, only what was chosen on purpose is.
    const budget = cheapestOfTier(ctx.priceList, entry, "budget", { ...step, settings: chosenSettings(entry, step.settings) });
    if (!budget) continue;
    plan[stage] = budget.step;
    changes.push(`${stage === "tests" ? "Tests" : "Finals"}: ${entry.name} → ${budget.entry.name} (${formatNumber(perUnitOf(ctx, stage))} → ${formatCredits(budget.perUnit)} a run)`);
  }
  if (!premium || changes.length === 0) return null;
  return toFinding(ctx, {
    rule: "over-engineered",
    plan,
    changeText: changes.join("; "),
    explanation: RULES["over-engineered"].explanation,
    kind: "saving",
  });
}

/** The settings of a step that differ from its model's defaults: what the person chose rather than took. */
function chosenSettings(entry: CatalogEntry, settings: Record<string, string>): Record<string, string> {
  const chosen: Record<string, string> = {};
  for (const [key, value] of Object.entries(settings)) {
    if (entry.settings.find((setting) => setting.key === key)?.default !== value) chosen[key] = value;
  }
  return chosen;
}

function perUnitOf(ctx: ItemContext, stage: "tests" | "finals"): number {
  return ctx.estimate.steps.find((step) => step.stage === stage)?.perUnit ?? 0;
}

// ——— Avoid unnecessary steps ———

function withoutUpscales(ctx: ItemContext): { tools: PlanStep[]; dropped: string[] } | null {
  const tools: PlanStep[] = [];
  const dropped: string[] = [];
  for (const tool of ctx.item.plan.tools) {
    if (isUpscalerId(ctx, tool.modelId)) dropped.push(findAny(ctx, tool.modelId)!.name);
    else tools.push(tool);
  }
  return dropped.length === 0 ? null : { tools, dropped };
}

export function upscaleWebRule(ctx: ItemContext): Finding | null {
  const { item } = ctx;
  const web = item.flags.webOnly || item.purpose === "web" || item.purpose === "social_media";
  if (!web || item.purpose === "print") return null;
  const without = withoutUpscales(ctx);
  if (!without) return null;
  return toFinding(ctx, {
    rule: "upscale-web",
    plan: { ...item.plan, tools: without.tools },
    changeText: `Drop ${without.dropped.join(", ")}`,
    explanation: RULES["upscale-web"].explanation,
    kind: "saving",
  });
}

export function upscaleBeforeEditRule(ctx: ItemContext): Finding | null {
  const { item } = ctx;
  if (!item.flags.willBeEdited) return null;
  const without = withoutUpscales(ctx);
  if (!without) return null;
  return toFinding(ctx, {
    rule: "upscale-before-edit",
    plan: { ...item.plan, tools: without.tools },
    changeText: `Drop ${without.dropped.join(", ")} until the edits are done`,
    explanation: RULES["upscale-before-edit"].explanation,
    kind: "saving",
  });
}

/**
 * A video item that says a still would do → an image item: tests on the cheapest budget image model, finals on the
 * cheapest image model of the finals' tier (mid at least: the still replaces a finished clip). A tests-only plan
 * that delivers its last iteration keeps that iteration's tier. The only rule that changes the output type.
 */
export function stillWouldDoRule(ctx: ItemContext): Finding | null {
  const { item } = ctx;
  if (!item.flags.stillWouldDo || item.outputType !== "video") return null;
  const plan: ItemPlan = { ...item.plan };
  const changes: string[] = [];
  const tests = item.plan.tests;
  const testEntry = stepEntry(ctx, tests);
  if (tests && testEntry) {
    const deliversTests = item.plan.finals === null && !isCheck(item);
    const choice = deliversTests ? stillOfTier(ctx, testEntry, tests) : cheapestOfType(ctx.priceList, "image", "budget", tests);
    if (!choice) return null;
    plan.tests = choice.step;
    changes.push(`Tests: ${testEntry.name} → ${choice.entry.name}`);
  }
  const finals = item.plan.finals;
  const finalEntry = stepEntry(ctx, finals);
  if (finals && finalEntry) {
    const choice = stillOfTier(ctx, finalEntry, finals);
    if (!choice) return null;
    plan.finals = choice.step;
    changes.push(`Finals: ${finalEntry.name} → ${choice.entry.name}`);
  }
  if (changes.length === 0) return null;
  return toFinding(ctx, {
    rule: "still-would-do",
    plan,
    outputType: "image",
    changeText: `Make an image instead of a video. ${changes.join("; ")}`,
    explanation: RULES["still-would-do"].explanation,
    kind: "saving",
  });
}

function stillOfTier(ctx: ItemContext, entry: CatalogEntry, step: PlanStep): Candidate | null {
  const wanted: Tier = entry.tier === "premium" ? "premium" : "mid";
  const other: Tier = wanted === "premium" ? "mid" : "premium";
  return cheapestOfType(ctx.priceList, "image", wanted, step) ?? cheapestOfType(ctx.priceList, "image", other, step);
}

/** Background music on a premium audio model → the price list's music model (an enabled audio model for music). */
export function backgroundMusicRule(ctx: ItemContext): Finding | null {
  const { item } = ctx;
  if (!item.flags.backgroundMusic || item.outputType !== "audio") return null;
  const plan: ItemPlan = { ...item.plan };
  const changes: string[] = [];
  for (const stage of ["tests", "finals"] as const) {
    const step = plan[stage];
    const entry = stepEntry(ctx, step);
    if (!step || !entry || entry.outputType !== "audio" || entry.tier !== "premium") continue;
    const music = cheapest(ctx.priceList, step, (candidate) => isMusicModel(candidate) && candidate.tier !== "premium");
    if (!music) return null;
    plan[stage] = music.step;
    changes.push(`${stage === "tests" ? "Tests" : "Finals"}: ${entry.name} → ${music.entry.name}`);
  }
  if (changes.length === 0) return null;
  const priced = estimateItem(ctx.priceList, plan);
  // Made on the model built for music even where it costs more: then it is a quality warning, not a saving.
  const kind = priced.ok && priced.credits < ctx.estimate.credits ? "saving" : "quality";
  return toFinding(ctx, {
    rule: "background-music",
    plan,
    changeText: changes.join("; "),
    explanation: RULES["background-music"].explanation,
    kind,
  });
}

/**
 * "Edit the existing output": the test iterations that would search for the image again are not needed; the final
 * run is the edit. Without tests there is nothing to take out, so it is advice: use the platform's edit on the
 * existing output rather than generating a new one.
 */
export function editNotRegenerateRule(ctx: ItemContext): Finding | null {
  const { item } = ctx;
  if (!item.flags.editExisting || item.plan.finals === null) return null;
  const tests = item.plan.tests;
  const testEntry = stepEntry(ctx, tests);
  if (tests && testEntry) {
    return toFinding(ctx, {
      rule: "edit-not-regenerate",
      plan: { ...item.plan, tests: null },
      changeText: `Drop ${runs(tests.count, "test")} on ${testEntry.name}; the final edits the existing output`,
      explanation: RULES["edit-not-regenerate"].explanation,
      kind: "saving",
    });
  }
  return toFinding(ctx, {
    rule: "edit-not-regenerate",
    plan: null,
    changeText: "Edit the existing output instead of generating a new one",
    explanation: RULES["edit-not-regenerate"].explanation,
    kind: "advice",
  });
}

/**
 * Every item rule, in the order that decides which of two findings with the same resulting plan is kept:
 * the more specific name first (a check over-engineered, premium video iterations) before the general one.
 */
export const ITEM_RULES: ((ctx: ItemContext) => Finding | null)[] = [
  overEngineeredRule,
  premiumVideoIterationsRule,
  matchPurposeRule,
  testCheapRule,
  stillWouldDoRule,
  backgroundMusicRule,
  upscaleWebRule,
  upscaleBeforeEditRule,
  editNotRegenerateRule,
  printUpscaleRule,
];

/** The rules a single run is checked against: no plan around it, so only the model choice for its stage and purpose. */
export const RUN_RULES: ((ctx: ItemContext) => Finding | null)[] = [overEngineeredRule, premiumVideoIterationsRule, matchPurposeRule, testCheapRule];
