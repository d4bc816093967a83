// The demo team is seeded through the ledger's own operations: the books balance, and it has credits, budgets, runs and a planned batch.
import { expect, it } from "vitest";
import { listBatches, teamFindings } from "@/lib/batches/queries";
import { db } from "@/lib/db/client";
import { projectBudgetStatuses, creditSummary } from "@/lib/ledger/queries";
import { verifyLedger } from "@/lib/ledger/verify";
import { describeEachDatabase } from "@/test/db";
import { listApps } from "@/lib/apps/queries";
import { DEMO_TEAM, seedDemo } from "./seed";

describeEachDatabase("seedDemo", () => {
  it("adds a studio with three months of history that verify finds balanced, once", async () => {
    const now = new Date();
    expect(await seedDemo({ now })).toMatchObject({ created: true });
    const team = await db().team.findUniqueOrThrow({ where: { slug: DEMO_TEAM.slug }, select: { id: true, timeZone: true } });
    expect(await verifyLedger(db(), team.id, now)).toEqual([]);
    expect((await creditSummary(team.id, now)).available).toBeGreaterThan(0);
    const budgets = await projectBudgetStatuses(team, now);
    expect(budgets.filter((status) => status.budget)).toHaveLength(4);
    expect(budgets.some((status) => status.budget && status.budget.percent >= 75)).toBe(true);
    const runs = await db().run.groupBy({ by: ["state"], where: { teamId: team.id }, _count: true });
    expect(Object.fromEntries(runs.map((row) => [row.state, row._count]))).toMatchObject({ held: expect.any(Number), settled: expect.any(Number) });
    // Each run has its prompt (the Usage page's Prompt column and the "prompts that work first time" insight read it);
    // notes are the person's own (or the failure's reason), only where there is one.
    expect(await db().run.count({ where: { teamId: team.id, prompt: "" } })).toBe(0);
    const notes = await db().run.groupBy({ by: ["notes"], where: { teamId: team.id, NOT: { notes: "" } } });
    expect(notes.map((row) => row.notes).sort()).toEqual(["The platform reported a failed generation", "Upscaled for the website"]);
    const members = await db().run.groupBy({ by: ["userId"], where: { teamId: team.id } });
    expect(members.length).toBe(5);
    // A planned batch with findings, so the batch page and the Recommendations page have something to show.
    const [batch] = await listBatches(team.id);
    expect(batch).toMatchObject({ name: "Launch assets", projectName: "Spring campaign", itemCount: 6, doneCount: 0, spent: 0 });
    expect(batch.openFindingsSaved).toBeGreaterThan(0);
    expect((await teamFindings(team.id)).findings.length).toBeGreaterThan(0);
    // An app the team can run: tested with three accepted outputs through the ledger, and published.
    const [app] = await listApps(team.id, now);
    expect(app).toMatchObject({ name: "Catalogue cut-out", published: { version: 1 }, draft: null, retired: false, cost: { perRun: 1_240 } });
    expect(await seedDemo({ now })).toMatchObject({ created: false });
  });
});
