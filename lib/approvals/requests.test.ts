// An approval request's rules: moves between states, decisions adding up, expiry and lapse moments, and coverage.
import { describe, expect, it } from "vitest";
import { expiresAt, isFinished, lapsesAt, nextState, outcomeOf, REQUEST_STATES, whyNotCovered, type ApprovedRun } from "./requests";

const one = { kind: "approval", approvals: 1, approvers: { kind: "role" }, validHours: 48 } as const;
const two = { ...one, approvals: 2 } as const;

describe("states", () => {
  it("moves a pending request to a decision, a withdrawal or a lapse, and an approved one to use or expiry", () => {
    expect(nextState("pending", "approve")).toBe("approved");
    expect(nextState("pending", "reject")).toBe("rejected");
    expect(nextState("pending", "withdraw")).toBe("withdrawn");
    expect(nextState("pending", "lapse")).toBe("lapsed");
    expect(nextState("approved", "use")).toBe("used");
    expect(nextState("approved", "expire")).toBe("expired");
  });

  it("refuses every other move: nothing is approved twice, used twice, or both approved and rejected", () => {
    expect(nextState("approved", "approve")).toBeNull();
    expect(nextState("approved", "reject")).toBeNull();
    expect(nextState("approved", "withdraw")).toBeNull();
    expect(nextState("used", "use")).toBeNull();
    expect(nextState("expired", "use")).toBeNull();
    expect(nextState("pending", "use")).toBeNull();
    for (const state of REQUEST_STATES) expect(isFinished(state), state).toBe(state !== "pending" && state !== "approved");
  });
});

describe("outcomeOf", () => {
  it("approves with as many different approvers as the rule asks, and ends at the first rejection", () => {
    expect(outcomeOf(one, [])).toBe("pending");
    expect(outcomeOf(one, [{ userId: "alex", decision: "approve" }])).toBe("approved");
    expect(outcomeOf(two, [{ userId: "alex", decision: "approve" }])).toBe("pending");
    expect(outcomeOf(two, [{ userId: "alex", decision: "approve" }, { userId: "alex", decision: "approve" }])).toBe("pending");
    expect(outcomeOf(two, [{ userId: "alex", decision: "approve" }, { userId: "sam", decision: "approve" }])).toBe("approved");
    expect(outcomeOf(two, [{ userId: "alex", decision: "approve" }, { userId: "sam", decision: "reject" }])).toBe("rejected");
  });
});

describe("moments", () => {
  it("expires an approval after its valid hours and lapses a request after the team's days", () => {
    const at = new Date("2026-11-29T10:00:00Z");
    expect(expiresAt(at, 48).toISOString()).toBe("2026-12-01T10:00:00.000Z");
    expect(lapsesAt(at, 7).toISOString()).toBe("2026-12-06T10:00:00.000Z");
  });
});

describe("whyNotCovered", () => {
  const approved: ApprovedRun = {
    requesterId: "mia",
    projectId: "p1",
    batchItemId: null,
    modelId: "veo-3-1",
    settings: { duration: "8", resolution: "1080p" },
    stage: "final",
    quantity: 1,
    estimate: 4000,
  };
  const run = { ...approved, userId: "mia" };

  it("covers the same run, or a cheaper one of the same configuration", () => {
    expect(whyNotCovered(approved, run)).toBeNull();
    expect(whyNotCovered(approved, { ...run, estimate: 3000 })).toBeNull();
  });

  it("does not cover a dearer or different run, or someone else's", () => {
    expect(whyNotCovered(approved, { ...run, estimate: 4001 })).toMatch(/costs more/);
    expect(whyNotCovered(approved, { ...run, quantity: 2 })).toMatch(/costs more/);
    expect(whyNotCovered(approved, { ...run, modelId: "sora-2-pro" })).toMatch(/another model/);
    expect(whyNotCovered(approved, { ...run, settings: { duration: "8", resolution: "4k" } })).toMatch(/another model or settings/);
    expect(whyNotCovered(approved, { ...run, settings: { duration: "8" } })).toMatch(/another model or settings/);
    expect(whyNotCovered(approved, { ...run, stage: "draft" })).toMatch(/another stage/);
    expect(whyNotCovered(approved, { ...run, projectId: "p2" })).toMatch(/another project/);
    expect(whyNotCovered(approved, { ...run, userId: "jo" })).toMatch(/person who asked/);
  });
});
