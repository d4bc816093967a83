// Benchmark of the recommendations engine: findings, estimate and "apply all savings" over a generated 1,000-item batch.
// Run with `npm run bench:recommendations`. Everything is seeded, so two runs measure the same batch.

import { cpus } from "node:os";
import { formatNumber } from "../lib/format";
import { DEFAULT_PRICE_LIST, type PriceList } from "../lib/pricing";
import {
  applyAllSavings,
  batchFindings,
  estimateBatch,
} from "../lib/recommendations";
import { generateBatch } from "./batch-fixture";
import { benchBatchPage } from "./bench-batch-page";

const ITEMS = 1_000;
const WARM_UP = 20;
// One fresh run per iteration; the median and p99 are of single runs.
const ITERATIONS = 200;
const TARGET_MS = 20;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

function measure(run: (priceList: PriceList) => number, freshPriceList: boolean): { medianMs: number; p99Ms: number; checksum: number } {
  let checksum = 0;
  const times: number[] = [];
  for (let i = 0; i < WARM_UP + ITERATIONS; i++) {
    // A fresh copy is what a request sees: the team's price list read from the database, nothing remembered yet.
    const priceList = freshPriceList ? structuredClone(DEFAULT_PRICE_LIST) : DEFAULT_PRICE_LIST;
    const start = performance.now();
    checksum += run(priceList);
    if (i >= WARM_UP) times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return { medianMs: percentile(times, 50), p99Ms: percentile(times, 99), checksum };
}

/**
 * The engine alone: batchFindings + estimateBatch + applyAllSavings over one 1,000-item batch, as the batch page calls
 * them. Measured with a fresh price list each time (a request reading the team's list) and with one long-lived list.
 */
export function benchEngine(): { medianMs: number; p99Ms: number } {
  const items = generateBatch(DEFAULT_PRICE_LIST, ITEMS, 42);
  const once = (priceList: PriceList) => {
    const findings = batchFindings(priceList, items);
    const estimate = estimateBatch(priceList, items);
    const all = applyAllSavings(priceList, items);
    return findings.length + estimate.credits + all.saved;
  };
  const findings = batchFindings(DEFAULT_PRICE_LIST, items);
  const all = applyAllSavings(DEFAULT_PRICE_LIST, items);
  console.log(`1. The engine over a ${formatNumber(ITEMS)}-item batch (batchFindings + estimateBatch + applyAllSavings), ${ITERATIONS} iterations after ${WARM_UP} warm-up`);
  console.log(`   ${formatNumber(findings.length)} findings; ${formatNumber(all.before)} credits planned; applying all ${formatNumber(all.applied.length)} savings saves ${formatNumber(all.saved)}`);
  const fresh = measure(once, true);
  const shared = measure(once, false);
  const line = (label: string, result: { medianMs: number; p99Ms: number }) =>
    console.log(`   ${label} median ${result.medianMs.toFixed(2).padStart(7)} ms, p99 ${result.p99Ms.toFixed(2).padStart(7)} ms (target under ${TARGET_MS} ms: ${result.p99Ms < TARGET_MS ? "met" : "missed"})`);
  line("fresh price list per run (a request):  ", fresh);
  line("one long-lived price list (its prices remembered):", shared);
  if (fresh.checksum === 0 || shared.checksum === 0) console.log("   (checksum is zero: something is wrong)");
  return { medianMs: fresh.medianMs, p99Ms: fresh.p99Ms };
}


const started = performance.now();
console.log(`Recommendations benchmark — Node ${process.version}, ${cpus()[0]?.model ?? "unknown CPU"}`);
console.log("");
benchEngine();
console.log("");
await benchBatchPage();
console.log("");
console.log(`Total time ${((performance.now() - started) / 1000).toFixed(1)} s`);
