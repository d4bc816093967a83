// Alerts from history, as the background work raises them: an unusual day once however often it is checked, and a
// forecast only when credits or a budget run out before the period ends, once per period.
import { beforeEach, expect, it } from "vitest";
import type { TeamContext } from "@/lib/authz/team";
import { db } from "@/lib/db/client";
import { setProjectBudget } from "@/lib/ledger/budgets";
import { addGrant, adjustCredits, recordRun } from "@/lib/ledger/commands";
import { describeEachDatabase } from "@/test/db";
import { makeTeam, withoutApprovals, type TeamFixture } from "@/test/fixtures";
import { contextOf } from "@/test/results";
import { sweepInsightAlerts } from "./insight-alerts";

const DAY = 24 * 3_600_000;

describeEachDatabase("alerts from history", () => {
  let fixture: TeamFixture;
  let admin: TeamContext;

  beforeEach(async () => {
    fixture = await makeTeam("Europe/Berlin");
    admin = contextOf(fixture, "admin");
    await withoutApprovals(fixture.team.id);
  });

  const record = (credits: number, at: Date) =>
    recordRun(contextOf(fixture, "member"), { projectId: fixture.projectId, modelId: "qwen-image", settings: {}, quantity: 1, stage: "test", purpose: "internal_review", notes: "", actual: credits, outcome: "accepted" }, at);

  const alerts = (kind: string) => db().notification.findMany({ where: { teamId: fixture.team.id, kind }, select: { dedupeKey: true, userId: true, data: true } });

  it("raise an unusual day once, however often the check runs", async () => {
    const now = new Date("2026-03-20T15:00:00.000Z");
    await addGrant(admin, { amount: 10_000_000, source: "Top-up", note: "" }, new Date(now.getTime() - 40 * DAY));
    for (let back = 35; back >= 1; back--) await record(500, new Date(now.getTime() - back * DAY));
    await sweepInsightAlerts(now);
    expect(await alerts("spend_anomaly")).toEqual([]);

    await record(5_000, new Date(now.getTime() - 3_600_000));
    await sweepInsightAlerts(now);
    await sweepInsightAlerts(now);
    // Spending on after the alert raises nothing more that day.
    await record(5_000, new Date(now.getTime() - 1_800_000));
    await sweepInsightAlerts(now);
    expect(await alerts("spend_anomaly")).toEqual([
      { dedupeKey: "anomaly:2026-03-20", userId: null, data: { day: "2026-03-20", charged: 5_000, mean: 500, threshold: 1_000 } },
    ]);
    // Ten million credits at about 850 a day last far beyond the month.
    expect(await alerts("forecast_run_out")).toEqual([]);
    expect(await db().outboxMessage.count({ where: { teamId: fixture.team.id, kind: "notification" } })).toBe(1);
  });

  it("raise a forecast only when credits or a budget run out before the period ends, once per period", async () => {
    const now = new Date("2026-03-10T12:00:00.000Z");
    await addGrant(admin, { amount: 100_000, source: "Top-up", note: "" }, new Date(now.getTime() - 30 * DAY));
    // 100 credits a day for the 28 days up to today.
    for (let back = 27; back >= 0; back--) await record(100, new Date(now.getTime() - back * DAY - 3_600_000));
    // A budget of 10,000 this month has 9,000 left (1,000 used since 1 March): 90 days at 100 a day.
    await setProjectBudget(admin, { projectId: fixture.projectId, credits: 10_000, period: "month", weekStartsOn: 1, alertPercent: 80, hardCap: false }, now);
    await sweepInsightAlerts(now);
    expect(await alerts("forecast_run_out")).toEqual([]);

    // 3,000 this month leaves 2,000: gone on 30 March, before the month ends.
    await setProjectBudget(admin, { projectId: fixture.projectId, credits: 3_000, period: "month", weekStartsOn: 1, alertPercent: 80, hardCap: false }, now);
    // The team keeps 1,200 of its credits: gone on 22 March.
    await adjustCredits(admin, { amount: -96_000, reason: "Moved to another team" }, now);
    await sweepInsightAlerts(now);
    await sweepInsightAlerts(new Date(now.getTime() + 60_000));
    const raised = await alerts("forecast_run_out");
    expect(raised.map((alert) => alert.dedupeKey).sort()).toEqual([`forecast:project:${fixture.projectId}:2026-03`, "forecast:team:2026-03"]);
    expect(raised.find((alert) => alert.dedupeKey === "forecast:team:2026-03")?.data).toEqual({
      runOutDay: "2026-03-22",
      left: 1_200,
      perDay: 100,
      periodKey: "2026-03",
      periodLastDay: "2026-03-31",
    });
    expect(raised.find((alert) => alert.dedupeKey.startsWith("forecast:project"))?.data).toMatchObject({ projectId: fixture.projectId, runOutDay: "2026-03-30", left: 2_000 });
  });

  it("leave teams without recent credit movements alone", async () => {
    const now = new Date("2026-03-10T12:00:00.000Z");
    await addGrant(admin, { amount: 1_000, source: "Top-up", note: "" }, new Date(now.getTime() - 10 * DAY));
    for (let back = 9; back >= 5; back--) await record(100, new Date(now.getTime() - back * DAY));
    // Last movement five days ago: not checked, so no forecast although 500 credits at ~18 a day would run out this month.
    expect(await sweepInsightAlerts(now)).toMatchObject({ teams: expect.any(Number) });
    expect(await alerts("forecast_run_out")).toEqual([]);
    await record(100, new Date(now.getTime() - 3_600_000));
    await sweepInsightAlerts(now);
    expect(await alerts("forecast_run_out")).toHaveLength(1);
  });
});
