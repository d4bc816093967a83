import { describe, expect, it } from "vitest";
import { appUrl } from "@/lib/mail/outbox";
import { describeNotification, namesNeeded, notificationPath, type AlertNames, type StoredNotification, ledgerReasonText } from "./alerts";

const names: AlertNames = {
  project: (id) => ({ p1: "Spring campaign" })[id],
  person: (id) => ({ u1: "Ada Member", u2: "Ben Approver" })[id],
};
const note = (kind: string, data: Record<string, unknown>, userId: string | null = null): StoredNotification => ({ kind, userId, data, title: "", body: "" });
const base = { requestId: "req_1", projectId: "p1", modelName: "Flux 2 Pro", quantity: 2, estimate: 240 };

describe("approval notifications in words", () => {
  it("a new request names the requester, the run, the project and the figure", () => {
    expect(describeNotification(note("approval_requested", { ...base, requesterId: "u1", stage: "final" }, "u2"), names, "u2")).toEqual({
      title: "Ada Member asks to run 2 × Flux 2 Pro in Spring campaign",
      body: "A final of 240 credits waits for your decision.",
    });
  });

  it("a decision carries the decider and the comment; a single output reads without a count", () => {
    expect(describeNotification(note("approval_decided", { ...base, quantity: 1, decision: "approved", deciderId: "u2", comment: "Go" }, "u1"), names)).toEqual({
      title: "Your request for Flux 2 Pro in Spring campaign was approved",
      body: "Ben Approver approved it: “Go”. 240 credits are held for the run until the approval expires.",
    });
    // A comment with its own full stop gets no second one.
    expect(describeNotification(note("approval_decided", { ...base, decision: "rejected", deciderId: "u2", comment: "Use the draft." }, "u1"), names).body).toBe(
      "Ben Approver rejected it: “Use the draft.”",
    );
    expect(describeNotification(note("approval_decided", { ...base, decision: "rejected", deciderId: "u2", comment: "Use the draft" }, "u1"), names).body).toBe(
      "Ben Approver rejected it: “Use the draft”.",
    );
  });

  it("an expiry says whether credits came back; a premium final recorded says who and how much", () => {
    expect(describeNotification(note("approval_expired", { ...base, released: true }, "u1"), names)).toEqual({
      title: "Your approval for 2 × Flux 2 Pro in Spring campaign expired unused",
      body: "The 240 credits held for it were released. Ask again to run it.",
    });
    const flagged = describeNotification(note("unapproved_premium_final", { runId: "run_1", projectId: "p1", userId: "u1", modelName: "Veo 3", quantity: 1, actual: 4_000 }), names);
    expect(flagged.title).toBe("A premium final in Spring campaign was recorded without approval");
    expect(flagged.body).toMatch(/^Ada Member recorded Veo 3 for 4,000 credits\./);
  });

  it("sums up a usage request's flagged runs in one alert, leading to the Usage page", () => {
    const usage = note("usage_flagged", { recorded: 1_000, overBudget: 12, premiumFinals: 3, userId: "u1" });
    expect(describeNotification(usage, names)).toEqual({
      title: "Usage recorded through the API needs a look",
      body: "Ada Member recorded 1,000 runs through the API; of them 12 went past a budget, a limit or the balance, and 3 were premium finals that no approval covered.",
    });
    expect(describeNotification(note("usage_flagged", { recorded: 2, overBudget: 1, premiumFinals: 0, userId: "u9" }), names).body).toBe(
      "Someone recorded 2 runs through the API; of them 1 went past a budget, a limit or the balance.",
    );
    expect(notificationPath(usage, "studio")).toBe("/t/studio/usage");
  });

  it("asks names for requesters and deciders, and links to the request", () => {
    expect(namesNeeded([note("approval_decided", { ...base, requesterId: "u1", deciderId: "u2" })])).toEqual({ projectIds: ["p1"], userIds: ["u1", "u2"] });
    expect(notificationPath(note("approval_expired", base), "studio")).toBe("/t/studio/approvals/req_1");
    expect(notificationPath(note("unapproved_premium_final", { projectId: "p1" }), "studio")).toBe("/t/studio/projects/p1");
    expect(notificationPath(note("low_balance", { available: 5 }), "studio")).toBeNull();
  });

  it("email links start at APP_URL, or the local address", () => {
    expect(appUrl({ APP_URL: "https://credits.studio.test/" })).toBe("https://credits.studio.test");
    expect(appUrl({ PORT: "4000" })).toBe("http://localhost:4000");
  });
});

describe("ledger reasons in words", () => {
  it("name the limit a run was recorded past, and leave people's own reasons as they are", () => {
    expect(ledgerReasonText("Recorded past project_budget")).toBe("Recorded past the project's budget");
    expect(ledgerReasonText("Recorded past team_balance")).toBe("Recorded past the team's balance");
    expect(ledgerReasonText("Recorded past member_limit")).toBe("Recorded past a member's limit");
    expect(ledgerReasonText("Recorded past project_budget twice")).toBe("Recorded past project_budget twice");
  });
});

describe("insight alerts in words", () => {
  it("a forecast names the rate, what is left, the day it runs out and the end of the period, and leads to the Usage page", () => {
    const team = note("forecast_run_out", { runOutDay: "2026-03-20", left: 1_000, perDay: 100, periodKey: "2026-03", periodLastDay: "2026-03-31" });
    expect(describeNotification(team, names)).toEqual({
      title: "The team's credits run out before the month ends",
      body: "At the rate of the last 28 days, 100 credits a day, the 1,000 credits available run out on 20 Mar 2026, before the period ends on 31 Mar 2026.",
    });
    const project = note("forecast_run_out", { projectId: "p1", runOutDay: "2026-03-20", left: 600, perDay: 12.5, periodKey: "2026-03", periodLastDay: "2026-03-31" });
    expect(describeNotification(project, names).title).toBe("Spring campaign's budget runs out before the period ends");
    expect(describeNotification(project, names).body).toContain("the 600 credits left of its budget in March 2026 run out on 20 Mar 2026");
    expect(namesNeeded([project]).projectIds).toEqual(["p1"]);
    expect(notificationPath(team, "studio")).toBe("/t/studio/usage");
  });

  it("a forecast with nothing left says so, never that a negative amount runs out", () => {
    const team = note("forecast_run_out", { runOutDay: "2026-03-20", left: -500, perDay: 100, periodKey: "2026-03", periodLastDay: "2026-03-31" });
    expect(describeNotification(team, names)).toEqual({
      title: "The team's credits have run out",
      body: "No credits are available (500 short). Usage recorded past the balance becomes debt, which the next grant pays first.",
    });
    const project = note("forecast_run_out", { projectId: "p1", runOutDay: "2026-03-20", left: 0, perDay: 12.5, periodKey: "2026-03", periodLastDay: "2026-03-31" });
    expect(describeNotification(project, names)).toEqual({
      title: "Spring campaign's budget is used up",
      body: "Nothing is left of its budget in March 2026.",
    });
  });

  it("an unusual day says what it charged, its norm and the definition", () => {
    const anomaly = note("spend_anomaly", { day: "2026-03-09", charged: 5_000, mean: 500, threshold: 1_000 });
    const words = describeNotification(anomaly, names);
    expect(words.title).toBe("Unusual spend on 9 Mar 2026");
    expect(words.body).toMatch(/^5,000 credits were charged that day, against 500 a day on average over the 28 days before \(above 1,000 that day\)\. A day's spend is unusual when/);
    expect(notificationPath(anomaly, "studio")).toBe("/t/studio/usage");
  });
});
