// Benchmark of what pricing an app costs the catalog and the app page: a run's cost step by step, and the range over
// everything its inputs allow (the catalog prices every app's range on each visit), each beside a single estimate of
// one run (lib/pricing estimateRun) measured in the same run. Run with `npm run bench:apps`.
import { appCostRange, appRunCost, defaultValues, MAX_COMBINATIONS, type AppDefinition } from "../lib/apps/rules";
import { formatNumber } from "../lib/format";
import { DEFAULT_PRICE_LIST, estimateRun } from "../lib/pricing";

const WARM_UP_MS = 300;
const MEASURE_MS = 2_000;

/** Calls per second of `body`, after a warm-up. */
function rate(body: () => unknown): number {
  const until = (ms: number) => performance.now() + ms;
  for (const end = until(WARM_UP_MS); performance.now() < end; ) body();
  let calls = 0;
  const start = performance.now();
  const end = start + MEASURE_MS;
  while (performance.now() < end) {
    for (let i = 0; i < 50; i++) body();
    calls += 50;
  }
  return calls / ((performance.now() - start) / 1000);
}

/** Flux 2 Dev at 2K → remove the background → upscale ×2; the prompt and one to four outputs. */
const productShot: AppDefinition = {
  steps: [
    { modelId: "flux-2-dev", settings: { resolution: "2k" } },
    { modelId: "bg-remover", settings: {} },
    { modelId: "crystal-upscaler", settings: { scale: "2x" } },
  ],
  inputs: [
    { kind: "prompt", key: "prompt", label: "Prompt", default: "A red kite", maxLength: 2000 },
    { kind: "setting", key: "resolution", label: "Resolution", step: 0, setting: "resolution", options: ["1k", "2k"], default: "2k" },
    { kind: "setting", key: "scale", label: "Scale", step: 2, setting: "scale", options: ["2x", "4x"], default: "2x" },
    { kind: "outputs", key: "outputs", label: "Outputs", min: 1, max: 4, default: 2 },
  ],
};

/** An app whose every step's every setting is an input with all its options: its range reads each combination. */
function everySettingChosen(modelIds: string[]): AppDefinition {
  const steps = modelIds.map((modelId) => ({ modelId, settings: {} }));
  const inputs: AppDefinition["inputs"] = steps.flatMap((step, index) =>
    (DEFAULT_PRICE_LIST.entries.find((entry) => entry.id === step.modelId)?.settings ?? []).map((setting) => ({
      kind: "setting" as const,
      key: `s${index}_${setting.key}`,
      label: setting.label,
      step: index,
      setting: setting.key,
      options: setting.options.map((option) => option.value),
      default: setting.default,
    })),
  );
  return { steps, inputs: [...inputs, { kind: "outputs", key: "outputs", label: "Outputs", min: 1, max: 100, default: 1 }] };
}

/** Veo 3.1 (duration × resolution, 9) and four upscalers (2 each): 144 combinations, priced one by one. */
const wide = everySettingChosen(["veo-3-1", "crystal-upscaler", "crystal-upscaler", "crystal-upscaler", "crystal-upscaler"]);
/** A fifth upscaler: 288 combinations, past the limit, so each input is priced at its own cheapest and dearest. */
const widest = everySettingChosen(["veo-3-1", "crystal-upscaler", "crystal-upscaler", "crystal-upscaler", "crystal-upscaler", "crystal-upscaler"]);

function combinations(app: AppDefinition): number {
  return app.inputs.reduce((product, input) => product * (input.kind === "setting" ? input.options.length : 1), 1);
}

function main() {
  const baseline = rate(() => estimateRun(DEFAULT_PRICE_LIST, { modelId: "flux-2-dev", settings: { resolution: "2k" }, quantity: 2 }));
  const values = defaultValues(productShot);
  const perRun = rate(() => appRunCost(DEFAULT_PRICE_LIST, productShot, values));
  const range = rate(() => appCostRange(DEFAULT_PRICE_LIST, productShot));
  const wideRate = rate(() => appCostRange(DEFAULT_PRICE_LIST, wide));
  const widestRate = rate(() => appCostRange(DEFAULT_PRICE_LIST, widest));
  const line = (label: string, perSecond: number) =>
    console.log(`${label.padEnd(58)} ${formatNumber(Math.round(perSecond)).padStart(10)}/s  ${(1000 / perSecond).toFixed(3).padStart(8)} ms  ${(perSecond / baseline).toFixed(4)}× one estimate`);
  console.log(`Apps pricing, default price list (${formatNumber(MEASURE_MS)} ms a row, same run)`);
  line("one estimate of one run (baseline)", baseline);
  line("an app run's cost, 3 steps, default inputs", perRun);
  line(`the range of that app (${combinations(productShot)} combinations × 2 output bounds)`, range);
  line(`the range of an app of ${combinations(wide)} combinations, one by one`, wideRate);
  line(`the range of an app of ${combinations(widest)} (past the limit of ${MAX_COMBINATIONS})`, widestRate);
  const catalog = 100;
  console.log(`A catalog of ${catalog} apps like the first: ${((catalog * (1000 / perRun + 1000 / range))).toFixed(1)} ms of pricing per visit.`);
}

main();
