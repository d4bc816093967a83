// The demo history is deterministic, in the past, in order, and has what a newcomer should see.
import { describe, expect, it } from "vitest";
import { DEFAULT_PRICE_LIST } from "@/lib/pricing/default-price-list";
import { estimateRun } from "@/lib/pricing/estimate";
import { demoHistory } from "./demo-history";

const now = new Date("2026-11-29T08:43:00Z");

describe("demoHistory", () => {
  const events = demoHistory(now);
  const runs = events.flatMap((event) => (event.kind === "run" ? [event] : []));

  it("is the same history for the same moment", () => {
    expect(JSON.stringify(demoHistory(now))).toBe(JSON.stringify(events));
  });

  it("lies in the three months before now, in order, and ends every run after it started and before now", () => {
    for (let i = 1; i < events.length; i++) expect(events[i].at.getTime()).toBeGreaterThanOrEqual(events[i - 1].at.getTime());
    expect(events[0].at.getTime()).toBeGreaterThan(now.getTime() - 95 * 24 * 3600_000);
    for (const run of runs) {
      expect(run.at.getTime()).toBeLessThan(now.getTime());
      if (run.end) expect(run.end.at > run.at && run.end.at < now).toBe(true);
    }
  });

  it("has every creator, every output type, tests and finals, waste, failures and a few runs still on hold", () => {
    expect(new Set(runs.map((run) => run.person))).toEqual(new Set(["owner", "admin", "approver", "member", "creator"]));
    const types = new Set(runs.map((run) => DEFAULT_PRICE_LIST.entries.find((entry) => entry.id === run.modelId)?.outputType));
    expect(types).toEqual(new Set(["image", "video", "audio", "tool"]));
    expect(runs.some((run) => run.stage === "test" && ["flux-2-pro", "veo-3-1"].includes(run.modelId))).toBe(true);
    expect(runs.some((run) => run.stage === "final" && run.end && "outcome" in run.end && run.end.outcome === "rejected")).toBe(true);
    expect(runs.some((run) => run.modelId === "crystal-upscaler" && run.purpose === "web")).toBe(true);
    expect(runs.some((run) => run.end && "failed" in run.end)).toBe(true);
    expect(runs.filter((run) => !run.end).length).toBeGreaterThanOrEqual(3);
    expect(runs.length).toBeGreaterThan(300);
  });

  it("lets each monthly pool expire at midnight when the next month starts in the studio's zone", () => {
    const pools = events.flatMap((event) => (event.kind === "grant" && event.source === "Monthly pool" ? [event] : []));
    expect(pools.length).toBeGreaterThanOrEqual(3);
    const berlin = new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/Berlin", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
    for (const pool of pools) expect(berlin.format(pool.expiresAt)).toBe("01, 00:00");
  });

  it("prices every run on the default list", () => {
    for (const run of runs) expect(estimateRun(DEFAULT_PRICE_LIST, run).ok).toBe(true);
  });
});
