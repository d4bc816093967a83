// The rules over history and the forecast, on hand-made rows with figures worked out from the default price list.
import { describe, expect, it } from "vitest";
import { DEFAULT_PRICE_LIST } from "@/lib/pricing/default-price-list";
import type { PriceList } from "@/lib/pricing/types";
import {
  ANOMALY,
  BEST_VALUE_MIN_RUNS,
  addDays,
  bestValue,
  dayIn,
  expensivePatterns,
  findAnomalies,
  forecast,
  historyInsights,
  normalizePrompt,
  promptLists,
  runOut,
  wasteFindings,
  type DayCharge,
  type HistoryInput,
  type PromptStat,
  type RunGroup,
  type UsageRow,
} from "./history";

const lists = new Map<number, PriceList>([[0, DEFAULT_PRICE_LIST]]);

const group = (over: Partial<RunGroup>): RunGroup => ({
  modelId: "flux-2-pro",
  outputType: "image",
  tier: "premium",
  stage: "test",
  purpose: "internal_review",
  outcome: "accepted",
  settings: {},
  quantity: 1,
  priceListVersion: 0,
  runs: 1,
  charged: 120,
  ...over,
});

const usage = (over: Partial<UsageRow>): UsageRow => ({
  userId: "u1",
  modelId: "qwen-image",
  outputType: "image",
  tier: "budget",
  stage: "test",
  outcome: "accepted",
  runs: 1,
  charged: 20,
  ...over,
});

const empty: HistoryInput = {
  from: "2026-03-01",
  to: "2026-03-31",
  usage: [],
  waste: [],
  regenerations: [],
  prompts: { total: 0, firstTime: 0, rows: [] },
  days: [],
  firstDay: null,
  priceLists: lists,
};

describe("where credits are wasted", () => {
  it("prices premium tests on the budget model of the same kind: the seed's five Flux 2 Pro tests save 500 on Qwen Image", () => {
    const [finding] = wasteFindings([group({ runs: 5, charged: 600 })], [], lists);
    expect(finding).toMatchObject({ rule: "premium-tests", changeText: "Tests: Flux 2 Pro → Qwen Image", runs: 5, spent: 600, after: 100, saved: 500 });
  });

  it("carries the settings and quantity over: 3 runs of 4 images is 12 Qwen images", () => {
    const [finding] = wasteFindings([group({ runs: 3, quantity: 4, charged: 1440 })], [], lists);
    expect(finding).toMatchObject({ after: 240, saved: 1200 });
  });

  it("prices premium video iterations at the budget video model, settings carried over where it offers them", () => {
    // Veo at 8 s 1080p → Wan 2.5 Fast has no 8 s (its default 5 s) but has 1080p (× 3/2): 90 a clip.
    const findings = wasteFindings(
      [group({ modelId: "veo-3-1", outputType: "video", stage: "draft", settings: { duration: "8", resolution: "1080p" }, runs: 2, charged: 8000 })],
      [],
      lists,
    );
    expect(findings).toEqual([expect.objectContaining({ rule: "premium-video-iterations", after: 180, saved: 7820 })]);
  });

  it("counts rejected and failed finals, not accepted ones, priced as tests on the budget model", () => {
    const findings = wasteFindings(
      [
        group({ stage: "final", outcome: "rejected", runs: 2, charged: 240 }),
        group({ stage: "final", outcome: "failed", runs: 1, charged: 120 }),
        group({ stage: "final", outcome: "accepted", runs: 9, charged: 1080 }),
      ],
      [],
      lists,
    );
    expect(findings).toEqual([expect.objectContaining({ rule: "failed-finals", runs: 3, spent: 360, after: 60, saved: 300 })]);
  });

  it("counts a whole upscale of a web-only asset as saved, and not one for print", () => {
    const upscale = { modelId: "crystal-upscaler", outputType: "tool", tier: null, stage: "final" as const, settings: { scale: "4x" } };
    const findings = wasteFindings(
      [group({ ...upscale, purpose: "web", runs: 2, charged: 2000 }), group({ ...upscale, purpose: "print", runs: 5, charged: 5000 })],
      [],
      lists,
    );
    expect(findings).toEqual([expect.objectContaining({ rule: "upscale-web", runs: 2, spent: 2000, after: 0, saved: 2000 })]);
  });

  it("prices a regeneration after 'needs edit' as an edit on the budget model", () => {
    const findings = wasteFindings([], [group({ stage: "final", runs: 4, charged: 480 })], lists);
    expect(findings).toEqual([expect.objectContaining({ rule: "regenerations", after: 80, saved: 400 })]);
  });

  it("claims nothing where there is no cheaper model, a refund already covered it, or the price list version is unknown", () => {
    expect(wasteFindings([group({ modelId: "qwen-image", tier: "budget", stage: "final", outcome: "rejected" })], [], lists)).toEqual([]);
    expect(wasteFindings([group({ runs: 1, charged: 10 })], [], lists)).toEqual([]);
    expect(wasteFindings([group({ priceListVersion: 7 })], [], lists)).toEqual([]);
    expect(wasteFindings([group({ stage: "final", outcome: "accepted" })], [], lists)).toEqual([]);
  });

  it("prices each run at the price list version it was charged at", () => {
    const dearBudget: PriceList = { entries: DEFAULT_PRICE_LIST.entries.map((e) => (e.id === "qwen-image" ? { ...e, credits: 100 } : e)) };
    const both = new Map<number, PriceList>([[0, DEFAULT_PRICE_LIST], [2, dearBudget]]);
    const [finding] = wasteFindings([group({ runs: 1, charged: 120 }), group({ runs: 1, charged: 120, priceListVersion: 2 })], [], both);
    // 120 − 20 on version 0, and 120 − 100 on version 2.
    expect(finding).toMatchObject({ runs: 2, after: 120, saved: 120 });
  });
});

describe("best value", () => {
  const enough = BEST_VALUE_MIN_RUNS;

  it("names the model with the fewest credits per accepted output and what the others' accepted outputs would have cost at its rate", () => {
    const { groups, findings } = bestValue(
      [
        usage({ modelId: "sdxl", tier: "mid", runs: enough, charged: 400, outcome: "accepted" }), // 40 per accepted
        usage({ modelId: "flux-2-dev", tier: "mid", runs: 5, charged: 250, outcome: "accepted" }),
        usage({ modelId: "flux-2-dev", tier: "mid", runs: 5, charged: 250, outcome: "rejected" }), // 500 / 5 = 100 per accepted
      ],
      lists,
    );
    expect(groups[0]).toMatchObject({ outputType: "image", tier: "mid" });
    expect(groups[0].models.map((m) => [m.name, m.perAccepted, m.best])).toEqual([
      ["SDXL", 40, true],
      ["Flux 2 Dev", 100, false],
    ]);
    expect(findings).toEqual([expect.objectContaining({ rule: "best-value", changeText: "Prefer SDXL for mid-tier image", spent: 500, after: 200, saved: 300 })]);
  });

  it("rounds the cost at the best rate up, so a saving is never overstated", () => {
    // Best: 100 credits for 3 accepted; the other's 2 accepted at that rate = 66.67 → 67.
    const { findings } = bestValue(
      [
        usage({ modelId: "sdxl", tier: "mid", runs: 3, charged: 100, outcome: "accepted" }),
        usage({ modelId: "sdxl", tier: "mid", runs: enough - 3, charged: 0, outcome: "failed" }),
        usage({ modelId: "flux-2-dev", tier: "mid", runs: enough, charged: 500, outcome: "needs_edit" }),
        usage({ modelId: "flux-2-dev", tier: "mid", runs: 2, charged: 0, outcome: "accepted" }),
      ],
      lists,
    );
    expect(findings[0]).toMatchObject({ after: 67, saved: 433 });
  });

  it("compares only models with enough runs, and says nothing with one model, no runs, or tools", () => {
    const few = bestValue(
      [usage({ modelId: "sdxl", tier: "mid", runs: enough, charged: 400 }), usage({ modelId: "flux-2-dev", tier: "mid", runs: enough - 1, charged: 5000 })],
      lists,
    );
    expect(few.findings).toEqual([]);
    expect(few.groups[0].models.find((m) => m.modelId === "flux-2-dev")).toMatchObject({ compared: false });
    expect(bestValue([], lists)).toEqual({ groups: [], findings: [] });
    expect(bestValue([usage({ modelId: "bg-remover", outputType: "tool", tier: null, runs: 50 })], lists).groups).toEqual([]);
  });

  it("counts a compared model with nothing accepted as all waste", () => {
    const { findings } = bestValue(
      [usage({ modelId: "sdxl", tier: "mid", runs: enough, charged: 400 }), usage({ modelId: "flux-2-dev", tier: "mid", runs: enough, charged: 500, outcome: "rejected" })],
      lists,
    );
    expect(findings[0]).toMatchObject({ spent: 500, after: 0, saved: 500 });
  });

  it("stays exact with huge sums", () => {
    const huge = 1_000_000_000 * 1_000_000; // 10^15 credits
    const { findings } = bestValue(
      [
        usage({ modelId: "sdxl", tier: "mid", runs: 1_000_000, charged: huge }),
        usage({ modelId: "flux-2-dev", tier: "mid", runs: 1_000_000, charged: huge + 3_000_000 }),
      ],
      lists,
    );
    expect(findings[0]).toMatchObject({ after: huge, saved: 3_000_000 });
  });
});

describe("expensive patterns", () => {
  it("adds up member, model and stage, largest first, with their share", () => {
    const patterns = expensivePatterns(
      [
        usage({ userId: "a", modelId: "flux-2-pro", stage: "test", runs: 2, charged: 240, outcome: "accepted" }),
        usage({ userId: "a", modelId: "flux-2-pro", stage: "test", runs: 1, charged: 120, outcome: "rejected" }),
        usage({ userId: "b", modelId: "qwen-image", stage: "final", runs: 2, charged: 40 }),
        usage({ userId: "c", modelId: "qwen-image", stage: "final", runs: 1, charged: 0 }),
      ],
      lists,
    );
    expect(patterns).toEqual([
      { userId: "a", modelId: "flux-2-pro", modelName: "Flux 2 Pro", stage: "test", runs: 3, charged: 360, percent: 90 },
      { userId: "b", modelId: "qwen-image", modelName: "Qwen Image", stage: "final", runs: 2, charged: 40, percent: 10 },
    ]);
    expect(expensivePatterns([], lists)).toEqual([]);
  });
});

describe("prompts", () => {
  it("normalizes prompts: trimmed, lower-case, white space collapsed", () => {
    expect(normalizePrompt("  A Red\tFox \n in   SNOW ")).toBe("a red fox in snow");
  });

  const stat = (over: Partial<PromptStat>): PromptStat => ({ key: "k", text: "K", authorId: "u", runs: 1, charged: 20, acceptedAttempt: 1, chargedBefore: 0, ...over });

  it("lists prompts accepted on the first run, and the ones that took the most attempts", () => {
    const { firstTimeList, mostAttempts } = promptLists([
      stat({ key: "once", runs: 1 }),
      stat({ key: "reused", runs: 5 }),
      stat({ key: "third", runs: 3, acceptedAttempt: 3, chargedBefore: 40 }),
      stat({ key: "never", runs: 4, acceptedAttempt: null, chargedBefore: 80 }),
      stat({ key: "second", runs: 2, acceptedAttempt: 2, chargedBefore: 20 }),
    ]);
    expect(firstTimeList.map((s) => s.key)).toEqual(["reused", "once"]);
    expect(mostAttempts.map((s) => s.key)).toEqual(["never", "third", "second"]);
  });
});

describe("anomalies", () => {
  const steady = (to: string, count: number, charged: number): DayCharge[] => Array.from({ length: count }, (_, i) => ({ day: addDays(to, -i), charged }));

  it("flags a day far above its trailing 28 days, and not an ordinary one", () => {
    const days = [...steady("2026-03-31", 40, 500), { day: "2026-04-01", charged: 5_000 }];
    expect(findAnomalies(days, "2026-04-01", "2026-04-01", "2026-02-20")).toEqual([{ day: "2026-04-01", charged: 5_000, mean: 500, threshold: 1_000 }]);
    expect(findAnomalies([...steady("2026-03-31", 40, 500), { day: "2026-04-01", charged: 900 }], "2026-04-01", "2026-04-01", "2026-02-20")).toEqual([]);
  });

  it("needs all three: above mean + 3σ, at least twice the mean, at least the floor", () => {
    // Spiky history: σ is large, so twice the mean is not enough.
    const spiky = Array.from({ length: 28 }, (_, i) => ({ day: addDays("2026-03-31", -i), charged: i % 2 === 0 ? 0 : 2_000 }));
    expect(findAnomalies([...spiky, { day: "2026-04-01", charged: 3_000 }], "2026-04-01", "2026-04-01", "2026-01-01")).toEqual([]);
    // Below the floor, however quiet the month before.
    expect(findAnomalies([{ day: "2026-04-01", charged: ANOMALY.floor - 1 }], "2026-04-01", "2026-04-01", "2026-01-01")).toEqual([]);
    // At the floor after a silent month: flagged.
    expect(findAnomalies([{ day: "2026-04-01", charged: ANOMALY.floor }], "2026-04-01", "2026-04-01", "2026-01-01")).toHaveLength(1);
  });

  it("judges a day only with 28 days of history before it (no runs, a single day, a new team)", () => {
    expect(findAnomalies([], "2026-04-01", "2026-04-30", null)).toEqual([]);
    expect(findAnomalies([{ day: "2026-04-01", charged: 50_000 }], "2026-04-01", "2026-04-01", "2026-04-01")).toEqual([]);
    // The 28 days before 1 April begin on 4 March.
    expect(findAnomalies([{ day: "2026-04-01", charged: 50_000 }], "2026-04-01", "2026-04-01", "2026-03-05")).toEqual([]);
    expect(findAnomalies([{ day: "2026-04-01", charged: 50_000 }], "2026-04-01", "2026-04-01", "2026-03-04")).toHaveLength(1);
  });
});

describe("forecast", () => {
  it("runs out today plus ceil(left ÷ rate) days at the trailing 28-day rate", () => {
    // 2,800 over 28 days = 100 a day; 1,000 left lasts 10 days.
    expect(runOut(1_000, 2_800, "2026-03-10", "2026-03-31")).toEqual({ perDay: 100, day: "2026-03-20", farOff: false, beforePeriodEnd: true });
    expect(runOut(1_001, 2_800, "2026-03-10", "2026-03-31")).toMatchObject({ day: "2026-03-21" });
    expect(runOut(5_000, 2_800, "2026-03-10", "2026-03-31")).toMatchObject({ day: "2026-04-29", beforePeriodEnd: false });
  });

  it("says no run-out at a zero rate, today when nothing is left, and never before the end of a lifetime budget", () => {
    expect(runOut(1_000, 0, "2026-03-10", "2026-03-31")).toEqual({ perDay: 0, day: null, farOff: false, beforePeriodEnd: false });
    expect(runOut(0, 0, "2026-03-10", "2026-03-31")).toEqual({ perDay: 0, day: "2026-03-10", farOff: false, beforePeriodEnd: true });
    expect(runOut(-50, 2_800, "2026-03-10", null)).toMatchObject({ day: "2026-03-10", beforePeriodEnd: false });
  });

  it("stays exact with huge numbers", () => {
    // 10^9 credits at 1 a day: farther than the forecast looks.
    expect(runOut(1_000_000_000, 28, "2026-03-10", "2026-03-31")).toEqual({ perDay: 1, day: null, farOff: true, beforePeriodEnd: false });
    // 10^15 credits spent over 28 days, 2 × 10^15 left: 56 days, exactly.
    expect(runOut(2 * 10 ** 15, 10 ** 15, "2026-03-10", "2026-03-31")).toMatchObject({ day: addDays("2026-03-10", 56), farOff: false });
  });

  it("forecasts the team and every budget from their own rates", () => {
    const result = forecast({
      today: "2026-03-10",
      available: 10_000,
      trailing: 28_000,
      periodKey: "2026-03",
      periodLabel: "March 2026",
      periodLastDay: "2026-03-31",
      budgets: [{ projectId: "p", projectName: "P", credits: 1_000, used: 400, periodKey: "2026-03", periodLabel: "March 2026", periodLastDay: "2026-03-31", trailing: 280 }],
    });
    expect(result.team).toMatchObject({ perDay: 1_000, day: "2026-03-20", beforePeriodEnd: true });
    expect(result.budgets[0]).toMatchObject({ remaining: 600, perDay: 10, day: "2026-05-09", beforePeriodEnd: false });
  });
});

describe("days in the team's zone", () => {
  it("puts an instant on the day it is in the team's zone", () => {
    // 23:30 UTC on 1 March is 2 March in Berlin and still 1 March in New York.
    expect(dayIn(new Date("2026-03-01T23:30:00Z"), "Europe/Berlin")).toBe("2026-03-02");
    expect(dayIn(new Date("2026-03-01T23:30:00Z"), "America/New_York")).toBe("2026-03-01");
    expect(addDays("2026-03-28", 3)).toBe("2026-03-31");
  });
});

describe("all insights", () => {
  it("give an empty history nothing that looks like data", () => {
    const insights = historyInsights(empty);
    expect(insights).toMatchObject({ runs: 0, charged: 0, findings: [], saved: 0, bestValue: [], patterns: [], anomalies: [] });
  });

  it("sort the findings largest saving first and add them up", () => {
    const insights = historyInsights({
      ...empty,
      waste: [group({ runs: 5, charged: 600 }), group({ modelId: "crystal-upscaler", outputType: "tool", tier: null, stage: "final", purpose: "web", settings: {}, runs: 1, charged: 1_000 })],
    });
    expect(insights.findings.map((f) => [f.rule, f.saved])).toEqual([
      ["upscale-web", 1_000],
      ["premium-tests", 500],
    ]);
    expect(insights.saved).toBe(1_500);
  });
});
