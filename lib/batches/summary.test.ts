// The batch page's figures against the project's budget.
import { describe, expect, it } from "vitest";
import { DEFAULT_PRICE_LIST } from "@/lib/pricing/default-price-list";
import { plan, plannedItem, step } from "@/lib/recommendations/test-items";
import { summarizeBatch } from "./summary";

describe("summarizeBatch", () => {
  // Tests 2 × Qwen Image = 40, final 1 × Flux 2 Dev = 50: 90 planned.
  const cheap = plan(step("qwen-image", 2), step("flux-2-dev", 1));

  it("counts what an open item has already spent once: it left the budget and is no longer still to do", () => {
    // The tests ran (40 spent); the budget of 100 has 60 left; the final's 50 still fits.
    const item = { ...plannedItem({ id: "a", status: "testing", plan: cheap }), spent: 40 };
    const summary = summarizeBatch(DEFAULT_PRICE_LIST, [item], new Set(), 60);
    expect(summary.estimate.credits).toBe(90);
    expect(summary.plannedOpen).toBe(50);
    expect(summary.overBy).toBeNull();
  });

  it("never counts an overrun as credits still to do, and still warns by the true shortfall", () => {
    const over = { ...plannedItem({ id: "a", status: "testing", plan: cheap }), spent: 120 };
    const fresh = { ...plannedItem({ id: "b", status: "planned", plan: cheap }), spent: 0 };
    const summary = summarizeBatch(DEFAULT_PRICE_LIST, [over, fresh], new Set(), 70);
    expect(summary.plannedOpen).toBe(90);
    expect(summary.overBy).toBe(20);
  });

  it("keeps the final still to do when the tests ran over: what the tests spent does not pay for the final", () => {
    // Three test runs of 40 (120) where 40 were planned; the final's 50 has not run. The budget has 40 left.
    const tests = (spent: number) => ({ stage: "test", spent });
    const item = { ...plannedItem({ id: "a", status: "testing", plan: cheap }), spent: 120, runs: [tests(40), tests(40), tests(40)] };
    const summary = summarizeBatch(DEFAULT_PRICE_LIST, [item], new Set(), 40);
    expect(summary.plannedOpen).toBe(50);
    expect(summary.overBy).toBe(10);
    // Once the final ran (and a test less than planned), nothing is left to do.
    const ran = { ...item, spent: 70, runs: [tests(20), { stage: "final", spent: 50 }] };
    expect(summarizeBatch(DEFAULT_PRICE_LIST, [ran], new Set(), 40).plannedOpen).toBe(20);
  });
});

describe("summarizeBatch with dismissed findings", () => {
  it("does not count a dismissed saving back in once another finding changed the item", () => {
    // A client draft with premium tests and a premium final: test cheap (tests → Qwen Image) and match purpose
    // (final → SDXL). The tests were dismissed: only the final's saving is still open.
    const item = { ...plannedItem({ id: "a", purpose: "client_draft", plan: plan(step("flux-2-pro", 5), step("flux-2-pro", 1)) }), spent: 0 };
    const open = summarizeBatch(DEFAULT_PRICE_LIST, [item], new Set(), null);
    const testCheap = open.savings.find((finding) => finding.rule === "test-cheap")!;
    const matchPurpose = open.savings.find((finding) => finding.rule === "match-purpose")!;
    expect(testCheap).toBeDefined();
    expect(matchPurpose).toBeDefined();

    const summary = summarizeBatch(DEFAULT_PRICE_LIST, [item], new Set([testCheap.key]), null);
    expect(summary.savings.map((finding) => finding.rule)).toEqual(["match-purpose"]);
    expect(summary.couldSave).toBe(matchPurpose.saved);
  });
});
