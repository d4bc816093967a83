// Benchmark of the pricing library: estimates per second against a plain lookup, and a what-if over 1,000,000 runs.
// Run with `npx tsx scripts/bench-pricing.ts`. Everything is seeded, so two runs price the same data.

import { cpus } from "node:os";
import { formatNumber, formatSignedNumber } from "../lib/format";
import { DEFAULT_PRICE_LIST, estimateRun, type PriceList, type RunInput } from "../lib/pricing";
import { randomFrom } from "../lib/random";

const WARM_UP_MS = 500;
const MEASURE_MS = 2_500;
const RECORDED_RUNS = 1_000_000;

// How often a creative team reaches for each model: cheap tests dominate, premium finals are rarer.
const MODEL_WEIGHTS: Record<string, number> = {
  "qwen-image": 15,
  sdxl: 8,
  "flux-2-dev": 10,
  "flux-2-pro": 10,
  "nano-banana-pro": 5,
  "wan-2-5-fast": 8,
  "seedance-lite": 4,
  "seedance-fast": 3,
  "veo-3-1": 2,
  "sora-2-pro": 2,
  "speech-turbo": 8,
  "music-1-5": 5,
  "speech-hd": 4,
  "bg-remover": 8,
  "crystal-upscaler": 2,
};

/**
 * Settings objects come from a small pool (every combination each model offers,
 * with each setting either chosen or left to its default) so that a million runs
 * share them, as rows read from a database would share their few shapes.
 */
function settingsPool(priceList: PriceList): Map<string, Record<string, string>[]> {
  const pool = new Map<string, Record<string, string>[]>();
  for (const entry of priceList.entries) {
    let combos: Record<string, string>[] = [{}];
    for (const setting of entry.settings) {
      const next: Record<string, string>[] = [];
      for (const combo of combos) {
        next.push(combo);
        for (const option of setting.options) next.push({ ...combo, [setting.key]: option.value });
      }
      combos = next;
    }
    pool.set(entry.id, combos);
  }
  return pool;
}

function workload(priceList: PriceList, count: number, seed: number): RunInput[] {
  const random = randomFrom(seed);
  const pool = settingsPool(priceList);
  const ids = Object.keys(MODEL_WEIGHTS);
  const total = ids.reduce((sum, id) => sum + MODEL_WEIGHTS[id], 0);
  const runs: RunInput[] = new Array(count);
  for (let i = 0; i < count; i++) {
    let pick = random() * total;
    let modelId = ids[ids.length - 1];
    for (const id of ids) {
      pick -= MODEL_WEIGHTS[id];
      if (pick < 0) {
        modelId = id;
        break;
      }
    }
    const combos = pool.get(modelId)!;
    const settings = combos[Math.floor(random() * combos.length)];
    const roll = random();
    const quantity = roll < 0.6 ? 1 : roll < 0.9 ? 2 + Math.floor(random() * 3) : 5 + Math.floor(random() * 6);
    runs[i] = { modelId, settings, quantity };
  }
  return runs;
}

/** Calls `step` over the inputs until the time is up; returns calls per second and a checksum that keeps the work alive. */
function measure(inputs: RunInput[], step: (input: RunInput) => number, durationMs: number): { perSecond: number; checksum: number } {
  let calls = 0;
  let checksum = 0;
  const start = performance.now();
  let now = start;
  while (now - start < durationMs) {
    for (let i = 0; i < inputs.length; i++) checksum += step(inputs[i]);
    calls += inputs.length;
    now = performance.now();
  }
  return { perSecond: (calls * 1000) / (now - start), checksum };
}

function megabytes(bytes: number): string {
  return `${formatNumber(Math.round(bytes / 1024 / 1024))} MB`;
}

function throughput(): void {
  const priceList = DEFAULT_PRICE_LIST;
  const inputs = workload(priceList, 4_096, 42);
  const flatPrices = new Map(priceList.entries.map((entry) => [entry.id, entry.credits]));

  const estimate = (input: RunInput) => {
    const result = estimateRun(priceList, input);
    return result.ok ? result.credits : 0;
  };
  const baseline = (input: RunInput) => flatPrices.get(input.modelId)! * input.quantity;

  measure(inputs, estimate, WARM_UP_MS);
  measure(inputs, baseline, WARM_UP_MS);
  const full = measure(inputs, estimate, MEASURE_MS);
  const plain = measure(inputs, baseline, MEASURE_MS);

  console.log("1. Estimates per second (one JavaScript thread, realistic mix of 15 models and their settings)");
  console.log(`   estimateRun (settings, exact factors, breakdown text)  ${formatNumber(Math.round(full.perSecond)).padStart(13)} /s`);
  console.log(`   baseline: credits × quantity from a Map               ${formatNumber(Math.round(plain.perSecond)).padStart(13)} /s`);
  console.log(`   estimateRun costs ${(plain.perSecond / full.perSecond).toFixed(1)}× the baseline, ${(1e6 / full.perSecond).toFixed(2)} µs per estimate`);
  console.log(`   (checksums ${full.checksum > 0 && plain.checksum > 0 ? "non-zero" : "ZERO: something is wrong"})`);
}

/** The list after an admin's edit: a dearer Flux 2 Pro, a 6 s Veo factor raised, Seedance Lite cheaper, SDXL switched off. */
function changedPriceList(priceList: PriceList): PriceList {
  const changed = structuredClone(priceList) as PriceList;
  for (const entry of changed.entries) {
    if (entry.id === "flux-2-pro") entry.credits = 150;
    if (entry.id === "seedance-lite") entry.credits = 250;
    if (entry.id === "sdxl") entry.enabled = false;
    if (entry.id === "veo-3-1") {
      const six = entry.settings.find((s) => s.key === "duration")!.options.find((o) => o.value === "6")!;
      six.factor = { num: 7, den: 8 };
    }
  }
  return changed;
}

function whatIf(): void {
  const current = DEFAULT_PRICE_LIST;
  const proposed = changedPriceList(current);

  const generateStart = performance.now();
  const runs = workload(current, RECORDED_RUNS, 7);
  // What each run was charged, as the ledger would hold it.
  const charged = new Float64Array(RECORDED_RUNS);
  let chargedTotal = 0;
  for (let i = 0; i < RECORDED_RUNS; i++) {
    const result = estimateRun(current, runs[i]);
    charged[i] = result.ok ? result.credits : 0;
    chargedTotal += charged[i];
  }
  const generateMs = performance.now() - generateStart;

  const repriceStart = performance.now();
  let newTotal = 0;
  let changedRuns = 0;
  let refused = 0;
  let refusedCredits = 0;
  for (let i = 0; i < RECORDED_RUNS; i++) {
    const result = estimateRun(proposed, runs[i]);
    if (!result.ok) {
      refused++;
      refusedCredits += charged[i];
      continue;
    }
    newTotal += result.credits;
    if (result.credits !== charged[i]) changedRuns++;
  }
  const repriceMs = performance.now() - repriceStart;
  const heapAfter = process.memoryUsage().heapUsed;

  const comparable = chargedTotal - refusedCredits;
  const difference = newTotal - comparable;
  console.log("");
  console.log(`2. What-if: reprice ${formatNumber(RECORDED_RUNS)} recorded runs under an edited price list`);
  console.log("   edit: Flux 2 Pro 120 → 150, Seedance Lite 300 → 250, Veo 3.1 6 s factor 6/8 → 7/8, SDXL disabled");
  console.log(`   generating and pricing the runs as charged            ${formatNumber(Math.round(generateMs)).padStart(8)} ms`);
  console.log(`   repricing all of them under the edit                  ${formatNumber(Math.round(repriceMs)).padStart(8)} ms`);
  console.log(`   charged in total                                      ${formatNumber(chargedTotal).padStart(16)} credits`);
  console.log(`   runs on models still enabled, as charged              ${formatNumber(comparable).padStart(16)} credits`);
  console.log(`   the same runs under the edit                          ${formatNumber(newTotal).padStart(16)} credits`);
  console.log(`   difference                                            ${formatSignedNumber(difference).padStart(16)} credits, ${formatNumber(changedRuns)} runs change price`);
  console.log(`   runs on the disabled model (refused, not repriced)    ${formatNumber(refused).padStart(16)} runs, ${formatNumber(refusedCredits)} credits`);
  console.log(`   heap in use after repricing                           ${megabytes(heapAfter).padStart(16)}`);
  console.log(`   peak resident memory of the process                   ${megabytes(process.resourceUsage().maxRSS * 1024).padStart(16)}`);
}

const started = performance.now();
console.log(`Pricing benchmark — Node ${process.version}, ${cpus()[0]?.model ?? "unknown CPU"}`);
console.log("");
throughput();
whatIf();
console.log("");
console.log(`Total time ${((performance.now() - started) / 1000).toFixed(1)} s`);
