// The publish gate counts only real tests of the draft: an app's batches keep exactly what the app made, and only the
// person testing a draft (or an admin) runs its test items.
import { beforeEach, expect, it } from "vitest";
import type { TeamContext } from "@/lib/authz/team";
import { addItem, duplicateItem, pasteItems, recordItemRun, updateItem } from "@/lib/batches/commands";
import { db } from "@/lib/db/client";
import { addGrant, settleRun } from "@/lib/ledger/commands";
import { NO_FLAGS, type ItemPlan } from "@/lib/recommendations/types";
import { appTestItem, productShotApp } from "@/test/apps";
import { describeEachDatabase } from "@/test/db";
import { contextOf } from "@/test/results";
import { makeTeam, makeUser, withoutApprovals, type TeamFixture } from "@/test/fixtures";
import { createApp, publishVersion, runApp, saveDraft } from "./commands";
import { acceptedTestRuns } from "./queries";

const cheapPlan: ItemPlan = { tests: null, finals: { modelId: "qwen-image", settings: {}, count: 1 }, tools: [] };

describeEachDatabase("the publish gate", () => {
  let fixture: TeamFixture;
  let member: TeamContext;
  let approver: TeamContext;
  let admin: TeamContext;

  beforeEach(async () => {
    fixture = await makeTeam();
    member = contextOf(fixture, "member");
    approver = contextOf(fixture, "approver");
    admin = contextOf(fixture, "admin");
    await withoutApprovals(fixture.team.id);
    await addGrant(admin, { amount: 1_000_000, source: "Top-up", note: "" });
  });


  it("refuses items added, pasted, copied or re-planned by hand in an app's batch", async () => {
    const { batchId, item } = await appTestItem(fixture);
    const fields = { title: "Not the app", outputType: "image" as const, purpose: "print" as const, prompt: "x", plan: cheapPlan, flags: NO_FLAGS };
    await expect(addItem(member, { batchId, ...fields })).rejects.toMatchObject({ code: "conflict", message: expect.stringMatching(/made by an app/) });
    await expect(updateItem(member, { itemId: item.id, version: item.version, ...fields })).rejects.toMatchObject({ code: "conflict" });
    await expect(duplicateItem(member, { itemId: item.id })).rejects.toMatchObject({ code: "conflict" });
    await expect(
      pasteItems(member, { batchId, text: "one\ntwo", format: "lines", outputType: "image", purpose: "print", plan: cheapPlan }),
    ).rejects.toMatchObject({ code: "conflict" });
    expect(await db().batchItem.count({ where: { batchId } })).toBe(1);
    expect((await db().batchItem.findUniqueOrThrow({ where: { id: item.id } })).plan).toEqual(item.plan);
  });

  it("lets only the person testing the draft, or an admin, run its test items; others' runs would not count", async () => {
    const { versionId, item } = await appTestItem(fixture);
    const other = await makeUser();
    await db().membership.create({ data: { teamId: fixture.team.id, userId: other.id, role: "member" } });
    await expect(recordItemRun({ user: other, team: fixture.team, role: "member" }, { itemId: item.id, stage: "final", quantity: 1, notes: "" })).rejects.toMatchObject({ code: "forbidden" });
    await expect(recordItemRun(approver, { itemId: item.id, stage: "final", quantity: 1, notes: "" })).rejects.toMatchObject({ code: "forbidden" });
    // An admin may run it, but the gate counts the tester's own runs of the app's first step only.
    const byAdmin = await recordItemRun(admin, { itemId: item.id, stage: "final", quantity: 1, notes: "" });
    if (byAdmin.status !== "admitted") throw new Error(byAdmin.status);
    await settleRun(admin, { runId: byAdmin.runId, actual: byAdmin.estimate, outcome: "accepted" });
    expect((await acceptedTestRuns(fixture.team.id, [versionId])).get(versionId) ?? 0).toBe(0);
    const byTester = await recordItemRun(member, { itemId: item.id, stage: "final", quantity: 1, notes: "" });
    if (byTester.status !== "admitted") throw new Error(byTester.status);
    await settleRun(member, { runId: byTester.runId, actual: byTester.estimate, outcome: "accepted" });
    expect((await acceptedTestRuns(fixture.team.id, [versionId])).get(versionId)).toBe(1);
    await db().team.update({ where: { id: fixture.team.id }, data: { appTestRuns: 2 } });
    await expect(publishVersion(approver, versionId)).rejects.toMatchObject({ message: expect.stringMatching(/has 1 accepted test run;/) });
  });
});

describeEachDatabase("running the version the person saw", () => {
  it("refuses a run of a version other than the one the form priced", async () => {
    const fixture = await makeTeam();
    const member: TeamContext = contextOf(fixture, "member");
    const { appId, versionId } = await createApp(member, productShotApp());
    await db().team.update({ where: { id: fixture.team.id }, data: { appTestRuns: 0 } });
    await publishVersion(contextOf(fixture, "approver"), versionId);
    await expect(runApp(member, { appId, projectId: fixture.projectId, values: {}, test: false, versionId: "an-older-version" })).rejects.toMatchObject({
      code: "conflict",
      message: expect.stringMatching(/changed since you opened it: version 1/),
    });
    expect(await db().batch.count({ where: { teamId: fixture.team.id } })).toBe(0);
    await expect(runApp(member, { appId, projectId: fixture.projectId, values: {}, test: false, versionId })).resolves.toMatchObject({ versionId });
  });
});

describeEachDatabase("changing a published app's name", () => {
  it("needs an approver or above; a member's change of steps keeps the name and is saved as a draft", async () => {
    const fixture = await makeTeam();
    const member: TeamContext = contextOf(fixture, "member");
    const approver: TeamContext = contextOf(fixture, "approver");
    const app = productShotApp();
    const { appId, versionId } = await createApp(member, app);
    await db().team.update({ where: { id: fixture.team.id }, data: { appTestRuns: 0 } });
    await publishVersion(approver, versionId);
    await expect(saveDraft(member, { appId, name: "Do not use", description: app.description, definition: app.definition })).rejects.toMatchObject({
      code: "forbidden",
      fieldErrors: { name: expect.stringMatching(/needs an approver/) },
    });
    await expect(saveDraft(member, { appId, name: app.name, description: app.description, definition: app.definition })).resolves.toMatchObject({ version: 2 });
    // An admin (an approver and more) may rename it, and may change another author's draft.
    await saveDraft(contextOf(fixture, "admin"), { appId, name: "Product shot v2", description: app.description, definition: app.definition });
    expect((await db().app.findUniqueOrThrow({ where: { id: appId } })).name).toBe("Product shot v2");
    const audit = await db().auditLog.findFirstOrThrow({ where: { teamId: fixture.team.id, action: "app.changed" }, orderBy: { createdAt: "desc" } });
    expect(audit.details).toMatchObject({ name: "Product shot v2", from: "Product shot" });
  });
});

describeEachDatabase("tool steps of an app's outputs", () => {
  it("are recorded against the item as part of its final: they add to what a run cost, not to outputs made or tests", async () => {
    const fixture = await makeTeam();
    const member: TeamContext = contextOf(fixture, "member");
    const admin: TeamContext = contextOf(fixture, "admin");
    await withoutApprovals(fixture.team.id);
    await addGrant(admin, { amount: 100_000, source: "Top-up", note: "" });
    const { appId, versionId } = await createApp(member, productShotApp());
    const { batchId } = await runApp(member, { appId, projectId: fixture.projectId, values: { variants: 1 }, test: true });
    const [item] = await db().batchItem.findMany({ where: { batchId } });
    for (const stage of ["final", "tool:0", "tool:1"] as const) {
      const admitted = await recordItemRun(member, { itemId: item.id, stage, quantity: 1, notes: "" });
      if (admitted.status !== "admitted") throw new Error(admitted.status);
      await settleRun(member, { runId: admitted.runId, actual: admitted.estimate, outcome: "accepted" });
    }
    const runs = await db().run.findMany({ where: { batchItemId: item.id }, orderBy: { createdAt: "asc" }, select: { modelId: true, stage: true, actual: true } });
    expect(runs).toEqual([
      { modelId: "flux-2-dev", stage: "final", actual: 100 },
      { modelId: "bg-remover", stage: "final", actual: 20 },
      { modelId: "crystal-upscaler", stage: "final", actual: 500 },
    ]);
    // The whole output cost what the app said (620); one test run counts, not three.
    expect(runs.reduce((sum, run) => sum + (run.actual ?? 0), 0)).toBe(620);
    expect((await acceptedTestRuns(fixture.team.id, [versionId])).get(versionId)).toBe(1);
    await expect(recordItemRun(member, { itemId: item.id, stage: "tool:5", quantity: 1, notes: "" })).rejects.toMatchObject({ fieldErrors: { stage: "This item's plan has no such tool step." } });
  });
});
