// Prices a stage plan (test runs, then final runs) and works out what a cheaper plan would save.

import { priceWithAdaptedSettings } from "./compare";
import { checkQuantity, estimateRun } from "./estimate";
import { formatCredits, formatNumber } from "../format";
import type { CatalogEntry, EstimateOk, PriceList, PricingError } from "./types";

export type PlanStage = "tests" | "finals";

export interface StageInput {
  modelId: string;
  settings?: Record<string, string>;
  /** 0 means the stage is skipped. */
  count: number;
}

export interface PlanInput {
  tests: StageInput;
  finals: StageInput;
}

export interface StageEstimate {
  stage: PlanStage;
  modelId: string;
  count: number;
  credits: number;
  /** Null when the stage has no runs. */
  estimate: EstimateOk | null;
  breakdown: string;
}

export interface PlanEstimateOk {
  ok: true;
  credits: number;
  tests: StageEstimate;
  finals: StageEstimate;
  breakdown: string;
}

export interface PlanError extends PricingError {
  /** Which stage the problem is in; absent when it concerns the plan as a whole. */
  stage?: PlanStage;
}

export type PlanEstimate = PlanEstimateOk | { ok: false; error: PlanError };

const STAGE_NAMES: Record<PlanStage, { title: string; none: string }> = {
  tests: { title: "Tests", none: "No test runs" },
  finals: { title: "Finals", none: "No final runs" },
};

function estimateStage(
  priceList: PriceList,
  stage: PlanStage,
  input: StageInput,
): { ok: true; value: StageEstimate } | { ok: false; error: PlanError } {
  const { title, none } = STAGE_NAMES[stage];
  // An empty stage charges nothing, so its model is not checked: forms may leave it unset.
  if (input.count === 0) {
    return { ok: true, value: { stage, modelId: input.modelId, count: 0, credits: 0, estimate: null, breakdown: none } };
  }
  const quantityError = checkQuantity(input.count);
  if (quantityError) return { ok: false, error: { ...quantityError, message: `${title}: ${quantityError.message}`, stage } };
  const estimate = estimateRun(priceList, { modelId: input.modelId, settings: input.settings, quantity: input.count });
  if (!estimate.ok) return { ok: false, error: { ...estimate.error, message: `${title}: ${estimate.error.message}`, stage } };
  return {
    ok: true,
    value: { stage, modelId: input.modelId, count: input.count, credits: estimate.credits, estimate, breakdown: estimate.breakdown },
  };
}

/** Credits for the test runs, the final runs and both together. Either stage may be 0, not both. */
export function estimatePlan(priceList: PriceList, plan: PlanInput): PlanEstimate {
  const tests = estimateStage(priceList, "tests", plan.tests);
  if (!tests.ok) return tests;
  const finals = estimateStage(priceList, "finals", plan.finals);
  if (!finals.ok) return finals;
  if (tests.value.count === 0 && finals.value.count === 0) {
    return {
      ok: false,
      error: { code: "invalid_quantity", message: "A plan needs at least one test or final run.", field: "quantity" },
    };
  }
  const credits = tests.value.credits + finals.value.credits;
  return {
    ok: true,
    credits,
    tests: tests.value,
    finals: finals.value,
    breakdown: `tests ${formatNumber(tests.value.credits)} + finals ${formatNumber(finals.value.credits)} = ${formatCredits(credits)}`,
  };
}

export interface PlanComparison<P extends { credits: number } = PlanEstimateOk> {
  asWritten: P;
  alternative: P;
  /** Negative when the alternative costs more. */
  saving: number;
  /** Saving as a share of the plan as written, rounded to a whole percent, halves up. */
  savingPercent: number;
}

// floor(a / b) for b > 0; BigInt division truncates toward zero.
function floorDiv(a: bigint, b: bigint): bigint {
  const quotient = a / b;
  return a % b !== 0n && a < 0n ? quotient - 1n : quotient;
}

/** The whole percent part / whole is, halves rounded up; integer arithmetic so 62.5 never becomes 62. */
export function wholePercent(part: number, whole: number): number {
  if (!Number.isFinite(part) || !Number.isFinite(whole) || whole <= 0) return 0;
  const n = BigInt(Math.round(part)) * 200n + BigInt(Math.round(whole));
  return Number(floorDiv(n, BigInt(Math.round(whole)) * 2n));
}

export function comparePlans<P extends { credits: number }>(asWritten: P, alternative: P): PlanComparison<P> {
  const saving = asWritten.credits - alternative.credits;
  return { asWritten, alternative, saving, savingPercent: wholePercent(saving, asWritten.credits) };
}

export type PlanProposal =
  | (PlanComparison<PlanEstimateOk> & {
      ok: true;
      /** The plan to offer; the same as the input when nothing cheaper makes sense. */
      proposal: PlanInput;
      changed: boolean;
      reason: string;
    })
  | { ok: false; error: PlanError };

function unchanged(plan: PlanInput, priced: PlanEstimateOk, reason: string): PlanProposal {
  return { ok: true, ...comparePlans(priced, priced), proposal: plan, changed: false, reason };
}

/**
 * The finals a plan needs. A plan written as premium iterations without a
 * final stage still delivers its last iteration, so it needs one final at the
 * quality (model and settings) of those iterations; a plan with finals keeps
 * them exactly as written.
 */
function finalsNeeded(plan: PlanInput): StageInput {
  if (plan.finals.count > 0 || plan.tests.count === 0) return plan.finals;
  return { modelId: plan.tests.modelId, settings: plan.tests.settings, count: 1 };
}

/**
 * Test cheap, finalize premium: when the tests run on a model above the budget
 * tier, move them to the cheapest enabled budget model of the same output type.
 * A suggestion never drops work: it keeps every test, keeps the finals the plan
 * needs at their quality, and is only offered when it costs less than the plan
 * as written.
 */
export function cheapestSensiblePlan(priceList: PriceList, plan: PlanInput): PlanProposal {
  const asWritten = estimatePlan(priceList, plan);
  if (!asWritten.ok) return asWritten;
  const testEstimate = asWritten.tests.estimate;
  if (!testEstimate) return unchanged(plan, asWritten, "There are no test runs to move to a cheaper model.");
  const current = testEstimate.entry;
  if (current.tier === "budget") return unchanged(plan, asWritten, `The tests already run on a budget model, ${current.name}.`);

  let best: { entry: CatalogEntry; estimate: EstimateOk; kept: Record<string, string> } | undefined;
  for (const entry of priceList.entries) {
    if (!entry.enabled || entry.tier !== "budget" || entry.outputType !== current.outputType) continue;
    const priced = priceWithAdaptedSettings(entry, plan.tests.settings ?? {}, plan.tests.count);
    if (!priced.ok) continue;
    if (!best || priced.estimate.credits < best.estimate.credits) {
      best = { entry, estimate: priced.estimate, kept: priced.adapted.kept };
    }
  }
  if (!best) return unchanged(plan, asWritten, `No budget ${current.outputType} model is available for the tests.`);
  if (best.estimate.credits >= asWritten.tests.credits) {
    return unchanged(plan, asWritten, `${current.name} is already the cheapest sensible model for these tests.`);
  }

  const finals = finalsNeeded(plan);
  const proposal: PlanInput = {
    tests: { modelId: best.entry.id, settings: best.kept, count: plan.tests.count },
    finals,
  };
  const alternative = estimatePlan(priceList, proposal);
  // The tests were just priced and the finals are the plan's own or its tests' model, already priced: kept for type safety.
  if (!alternative.ok) return alternative;
  const finalsEstimate = alternative.finals.estimate;
  const addsFinal = finals !== plan.finals;
  if (alternative.credits >= asWritten.credits) {
    const tests = plan.tests.count === 1 ? "A test" : `${formatNumber(plan.tests.count)} tests`;
    return unchanged(
      plan,
      asWritten,
      `${tests} on ${best.entry.name} and the final on ${finalsEstimate?.entry.name ?? current.name} would cost ` +
        `${formatCredits(alternative.credits)}, more than the ${formatCredits(asWritten.credits)} of the plan as written.`,
    );
  }
  const finalWord = finals.count === 1 ? "final" : "finals";
  const finalsNote =
    finalsEstimate === null
      ? ""
      : addsFinal
        ? `, and make the final on ${finalsEstimate.entry.name}`
        : `, and keep the ${finalWord} on ${finalsEstimate.entry.name}`;
  const reason =
    `Run the ${formatNumber(plan.tests.count)} ${plan.tests.count === 1 ? "test" : "tests"} on ${best.entry.name} ` +
    `(${formatCredits(best.estimate.perUnit)} each) instead of ${current.name} (${formatCredits(testEstimate.perUnit)} each)${finalsNote}.`;
  return { ok: true, ...comparePlans(asWritten, alternative), proposal, changed: true, reason };
}
