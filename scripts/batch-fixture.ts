// A generated batch for the benchmarks: seeded, so two runs measure the same items.
import type { OutputType, PriceList } from "../lib/pricing";
import { randomFrom } from "../lib/random";
import { ITEM_STATUSES, PURPOSES, type PlannedItem, type PlanStep } from "../lib/recommendations";

/** A batch as a team would plan it: mostly images, some video and audio, a fair share of wasteful choices for the rules. */
export function generateBatch(priceList: PriceList, count: number, seed: number): PlannedItem[] {
  const random = randomFrom(seed);
  const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)];
  const enabled = priceList.entries.filter((entry) => entry.enabled);
  const ofType = (type: OutputType) => enabled.filter((entry) => entry.outputType === type);
  const tools = ofType("tool");
  const stepOn = (type: OutputType, maxCount: number): PlanStep => {
    const entry = pick(ofType(type));
    const settings: Record<string, string> = {};
    for (const setting of entry.settings) if (random() < 0.3) settings[setting.key] = pick(setting.options).value;
    return { modelId: entry.id, settings, count: 1 + Math.floor(random() * maxCount) };
  };
  const items: PlannedItem[] = [];
  for (let i = 0; i < count; i++) {
    const roll = random();
    const outputType: OutputType = roll < 0.6 ? "image" : roll < 0.85 ? "video" : "audio";
    const shape = random();
    const tests = shape < 0.8 ? stepOn(outputType, 6) : null;
    const finals = shape > 0.2 || tests === null ? stepOn(outputType, 2) : null;
    items.push({
      id: `item-${i}`,
      title: `Asset ${i + 1}`,
      outputType,
      purpose: pick(PURPOSES),
      prompt: random() < 0.1 ? "" : `Prompt number ${i + 1}`,
      status: random() < 0.8 ? "planned" : pick(ITEM_STATUSES),
      plan: { tests, finals, tools: outputType === "image" && random() < 0.3 ? [{ modelId: pick(tools).id, settings: {}, count: finals?.count ?? 1 }] : [] },
      flags: {
        webOnly: random() < 0.15,
        willBeEdited: random() < 0.1,
        stillWouldDo: outputType === "video" && random() < 0.2,
        backgroundMusic: outputType === "audio" && random() < 0.3,
        editExisting: random() < 0.05,
      },
    });
  }
  return items;
}
