// Making an app: its first version is a draft checked against the team's price list; names are the team's own.
import { beforeEach, describe, expect, it } from "vitest";
import { describeAuditEntry } from "@/lib/audit/describe";
import type { TeamContext } from "@/lib/authz/team";
import { db } from "@/lib/db/client";
import { productShotApp as productShot } from "@/test/apps";
import { describeEachDatabase } from "@/test/db";
import { makeTeam, withoutApprovals, type TeamFixture } from "@/test/fixtures";
import { recordItemRun } from "@/lib/batches/commands";
import { estimateItem } from "@/lib/recommendations/estimate";
import { DEFAULT_PRICE_LIST } from "@/lib/pricing/default-price-list";
import { addGrant, settleRun } from "@/lib/ledger/commands";
import { createApp, publishVersion, retireApp, runApp, saveDraft } from "./commands";
import { acceptedTestRuns, listApps } from "./queries";
import { createAppSchema } from "./schema";

describeEachDatabase("making an app", () => {
  let fixture: TeamFixture;
  let member: TeamContext;

  beforeEach(async () => {
    fixture = await makeTeam();
    member = { user: fixture.people.member, team: fixture.team, role: "member" };
  });

  it("keeps the app with its first version as the author's draft, audited", async () => {
    const { appId, versionId } = await createApp(member, productShot());
    const version = await db().appVersion.findUniqueOrThrow({ where: { id: versionId }, include: { app: true } });
    expect(version).toMatchObject({ appId, version: 1, state: "draft", authorId: fixture.people.member.id, app: { name: "Product shot", teamId: fixture.team.id } });
    expect((version.definition as { steps: unknown[] }).steps).toHaveLength(3);
    const audit = await db().auditLog.findFirstOrThrow({ where: { teamId: fixture.team.id, action: "app.created" } });
    expect(audit).toMatchObject({ targetId: appId, actorId: fixture.people.member.id });
    expect(describeAuditEntry(audit)).toBe("Made the app “Product shot”, a draft of 3 steps");
  });

  it("refuses a name the team has (in any case), not another team's", async () => {
    await createApp(member, productShot());
    await expect(createApp(member, productShot("PRODUCT SHOT"))).rejects.toMatchObject({ code: "conflict", fieldErrors: { name: expect.stringMatching(/already has this name/) } });
    const other = await makeTeam();
    await expect(createApp({ user: other.people.member, team: other.team, role: "member" }, productShot())).resolves.toMatchObject({ appId: expect.any(String) });
  });

  it("refuses steps that cannot make the app's outputs, at the step", async () => {
    const tool = productShot();
    tool.definition.steps[0] = { modelId: "bg-remover", settings: {} };
    await expect(createApp(member, tool)).rejects.toMatchObject({ fieldErrors: { "definition.steps.0.modelId": expect.stringMatching(/an image model/) } });
    const model = productShot();
    model.definition.steps[2] = { modelId: "qwen-image", settings: {} };
    await expect(createApp(member, model)).rejects.toMatchObject({ fieldErrors: { "definition.steps.2.modelId": expect.stringMatching(/tools applied/) } });
    const unknown = productShot();
    unknown.definition.steps[1] = { modelId: "no-such-tool", settings: {} };
    await expect(createApp(member, unknown)).rejects.toMatchObject({ fieldErrors: { "definition.steps.1.modelId": expect.stringMatching(/no such model/) } });
    const setting = productShot();
    setting.definition.steps[2] = { modelId: "crystal-upscaler", settings: { scale: "8x" } };
    await expect(createApp(member, setting)).rejects.toMatchObject({ fieldErrors: { "definition.steps.2.settings.scale": expect.stringMatching(/does not offer/) } });
    expect(await db().app.count({ where: { teamId: fixture.team.id } })).toBe(0);
  });

  it("refuses a setting input its step's model does not have, or options it does not offer, at the input", async () => {
    const noSuch = productShot();
    noSuch.definition.inputs.push({ kind: "setting", key: "size", label: "Size", step: 1, setting: "resolution", options: ["1k"], default: "1k" });
    await expect(createApp(member, noSuch)).rejects.toMatchObject({ fieldErrors: { "definition.inputs.2.setting": expect.stringMatching(/has no such setting/) } });
    const option = productShot();
    option.definition.inputs.push({ kind: "setting", key: "size", label: "Size", step: 0, setting: "resolution", options: ["2k", "16k"], default: "2k" });
    await expect(createApp(member, option)).rejects.toMatchObject({ fieldErrors: { "definition.inputs.2.options": expect.stringMatching(/“16k” is not an option/) } });
    const fine = productShot();
    fine.definition.inputs.push({ kind: "setting", key: "size", label: "Size", step: 0, setting: "resolution", options: ["1k", "2k"], default: "2k" });
    await expect(createApp(member, fine)).resolves.toMatchObject({ appId: expect.any(String) });
  });

  it("refuses text the database cannot store, and two inputs choosing the same setting of a step, at their fields", () => {
    const parsed = createAppSchema.safeParse({
      ...productShot(),
      name: "Bad\u0000name",
      definition: {
        steps: [{ modelId: "flux-2-dev", settings: {} }],
        inputs: [
          { kind: "setting", key: "size", label: "Size", step: 0, setting: "resolution", options: ["1k", "2k"], default: "1k" },
          { kind: "setting", key: "size_2", label: "Size\ud800", step: 0, setting: "resolution", options: ["1k", "2k"], default: "1k" },
        ],
      },
    });
    const issues = Object.fromEntries((parsed.error?.issues ?? []).map((issue) => [issue.path.join("."), issue.message]));
    expect(issues).toMatchObject({
      name: expect.stringMatching(/cannot be stored/),
      "definition.inputs.1.label": expect.stringMatching(/cannot be stored/),
      "definition.inputs.1.setting": "Another input already lets people choose this setting of this step.",
    });
  });

  it("checks the definition's own shape: keys once, defaults within bounds, steps that exist", () => {
    const parsed = createAppSchema.safeParse({
      ...productShot(),
      definition: {
        steps: [{ modelId: "flux-2-dev", settings: {} }],
        inputs: [
          { kind: "outputs", key: "variants", label: "Variants", min: 3, max: 2, default: 5 },
          { kind: "setting", key: "variants", label: "Size", step: 4, setting: "resolution", options: ["1k"], default: "2k" },
        ],
      },
    });
    expect(parsed.success).toBe(false);
    const issues = Object.fromEntries((parsed.error?.issues ?? []).map((issue) => [issue.path.join("."), issue.message]));
    expect(issues).toMatchObject({
      "definition.inputs.0.max": "The most may not be below the fewest.",
      "definition.inputs.0.default": "The default must lie between the fewest and the most.",
      "definition.inputs.1.key": "Another input has this key.",
      "definition.inputs.1.step": "There is no such step.",
    });
  });

  describe("publishing", () => {
    /** The author tests the draft with one output, runs its final and settles it as `outcome`. */
    async function testRun(versionId: string, outcome: "accepted" | "rejected") {
      const version = await db().appVersion.findUniqueOrThrow({ where: { id: versionId }, select: { appId: true } });
      const { batchId } = await runApp(member, { appId: version.appId, projectId: fixture.projectId, values: { variants: 1 }, test: true });
      const [item] = await db().batchItem.findMany({ where: { batchId } });
      const admitted = await recordItemRun(member, { itemId: item.id, stage: "final", quantity: 1, notes: "" });
      if (admitted.status !== "admitted") throw new Error(`not admitted: ${admitted.status}`);
      await settleRun(member, { runId: admitted.runId, actual: admitted.estimate, outcome });
    }

    beforeEach(async () => {
      await withoutApprovals(fixture.team.id);
      await addGrant({ user: fixture.people.admin, team: fixture.team, role: "admin" }, { amount: 100_000, source: "Top-up", note: "" });
    });

    it("publishes a draft once it has the accepted test runs the team asks for, and not before", async () => {
      const { appId, versionId } = await createApp(member, productShot());
      const approver: TeamContext = { user: fixture.people.approver, team: fixture.team, role: "approver" };
      await testRun(versionId, "accepted");
      await testRun(versionId, "rejected");
      await testRun(versionId, "accepted");
      expect((await acceptedTestRuns(fixture.team.id, [versionId])).get(versionId)).toBe(2);
      await expect(publishVersion(approver, versionId)).rejects.toMatchObject({ code: "conflict", message: expect.stringMatching(/has 2 accepted test runs; the team asks for 3/) });
      await testRun(versionId, "accepted");
      await expect(publishVersion(member, versionId)).rejects.toMatchObject({ code: "forbidden" });
      await expect(publishVersion(approver, versionId)).resolves.toEqual({ version: 1 });
      expect(await db().appVersion.findUniqueOrThrow({ where: { id: versionId } })).toMatchObject({ state: "published", publishedById: fixture.people.approver.id });
      await expect(publishVersion(approver, versionId)).rejects.toMatchObject({ code: "conflict", message: expect.stringMatching(/already published/) });
      // A run outside a test batch of this version never counts.
      const other = await createApp(member, productShot("Other"));
      expect((await acceptedTestRuns(fixture.team.id, [other.versionId])).get(other.versionId) ?? 0).toBe(0);
      await retireApp({ user: fixture.people.admin, team: fixture.team, role: "admin" }, appId);
      await expect(retireApp({ user: fixture.people.admin, team: fixture.team, role: "admin" }, appId)).rejects.toMatchObject({ code: "conflict" });
    });

    it("follows the team's own figure, and refuses to publish a retired app", async () => {
      await db().team.update({ where: { id: fixture.team.id }, data: { appTestRuns: 1 } });
      const { appId, versionId } = await createApp(member, productShot());
      await testRun(versionId, "accepted");
      const admin: TeamContext = { user: fixture.people.admin, team: fixture.team, role: "admin" };
      await expect(retireApp(member, appId)).rejects.toMatchObject({ code: "forbidden" });
      await retireApp(admin, appId);
      await expect(publishVersion(admin, versionId)).rejects.toMatchObject({ code: "conflict", message: expect.stringMatching(/retired/) });
      const another = await makeTeam();
      await expect(publishVersion({ user: another.people.admin, team: another.team, role: "admin" }, versionId)).rejects.toMatchObject({ code: "not_found" });
    });
  });

  describe("running", () => {
    beforeEach(async () => {
      await withoutApprovals(fixture.team.id);
    });

    it("lets only the author and admins test a draft, and nobody run it before it is published", async () => {
      const { appId } = await createApp(member, productShot());
      const other: TeamContext = { user: fixture.people.approver, team: fixture.team, role: "approver" };
      await expect(runApp(other, { appId, projectId: fixture.projectId, values: {}, test: true })).rejects.toMatchObject({ code: "forbidden" });
      await expect(runApp(member, { appId, projectId: fixture.projectId, values: {}, test: false })).rejects.toMatchObject({ message: expect.stringMatching(/not published yet/) });
      await expect(runApp({ user: fixture.people.admin, team: fixture.team, role: "admin" }, { appId, projectId: fixture.projectId, values: {}, test: true })).resolves.toMatchObject({ items: 2 });
    });

    it("makes a batch of the published version with one item per output, its steps as the plan and the inputs filled in", async () => {
      await db().team.update({ where: { id: fixture.team.id }, data: { appTestRuns: 0 } });
      const { appId, versionId } = await createApp(member, productShot());
      await publishVersion({ user: fixture.people.approver, team: fixture.team, role: "approver" }, versionId);
      const runner: TeamContext = { user: fixture.people.viewer, team: fixture.team, role: "member" };
      await expect(runApp(runner, { appId, projectId: fixture.projectId, values: { variants: 9 }, test: false })).rejects.toMatchObject({
        fieldErrors: { "values.variants": "Choose a whole number from 1 to 4." },
      });
      const { batchId, items } = await runApp(runner, { appId, projectId: fixture.projectId, values: { prompt: "A blue kite", variants: 3 }, test: false });
      expect(items).toBe(3);
      const batch = await db().batch.findUniqueOrThrow({ where: { id: batchId }, include: { items: { orderBy: { position: "asc" } } } });
      expect(batch).toMatchObject({ appVersionId: versionId, appTest: false, projectId: fixture.projectId, name: "Product shot" });
      expect(batch.items.map((item) => [item.title, item.prompt, item.status])).toEqual([
        ["Product shot 1", "A blue kite", "planned"],
        ["Product shot 2", "A blue kite", "planned"],
        ["Product shot 3", "A blue kite", "planned"],
      ]);
      // Each item is one output through the app's three steps: 620 credits at the default price list.
      const estimate = estimateItem(DEFAULT_PRICE_LIST, batch.items[0].plan as never);
      expect(estimate).toMatchObject({ ok: true, credits: 620 });
      await retireApp({ user: fixture.people.admin, team: fixture.team, role: "admin" }, appId);
      await expect(runApp(runner, { appId, projectId: fixture.projectId, values: {}, test: false })).rejects.toMatchObject({ message: expect.stringMatching(/retired/) });
    });
  });

  describe("changing", () => {
    it("changes an untested draft in place, and makes a new draft of a tested or published one; runs keep their version", async () => {
      await withoutApprovals(fixture.team.id);
      const { appId, versionId } = await createApp(member, productShot());
      const changed = productShot();
      changed.definition.steps[2] = { modelId: "crystal-upscaler", settings: { scale: "4x" } };
      await expect(saveDraft(member, { appId, name: "Product shot", description: "", definition: changed.definition })).resolves.toEqual({ versionId, version: 1 });
      const approver: TeamContext = { user: fixture.people.approver, team: fixture.team, role: "approver" };
      await expect(saveDraft(approver, { appId, name: "Product shot", description: "", definition: changed.definition })).rejects.toMatchObject({ code: "forbidden" });

      const { batchId } = await runApp(member, { appId, projectId: fixture.projectId, values: { variants: 1 }, test: true });
      const second = await saveDraft(member, { appId, name: "Product shot v2", description: "Sharper", definition: productShot().definition });
      expect(second.version).toBe(2);
      expect(await db().appVersion.findUniqueOrThrow({ where: { id: versionId } })).toMatchObject({ state: "superseded" });
      // The test batch of version 1 stays version 1's.
      expect(await db().batch.findUniqueOrThrow({ where: { id: batchId } })).toMatchObject({ appVersionId: versionId, appTest: true });
      expect(await db().app.findUniqueOrThrow({ where: { id: appId } })).toMatchObject({ name: "Product shot v2", description: "Sharper" });

      await db().team.update({ where: { id: fixture.team.id }, data: { appTestRuns: 0 } });
      await publishVersion(approver, second.versionId);
      const third = await saveDraft(member, { appId, name: "Product shot v2", description: "Sharper", definition: changed.definition });
      expect(third.version).toBe(3);
      // The published version stays in use until the new draft is published.
      expect(await db().appVersion.findUniqueOrThrow({ where: { id: second.versionId } })).toMatchObject({ state: "published" });
      await expect(runApp(approver, { appId, projectId: fixture.projectId, values: {}, test: false })).resolves.toMatchObject({ versionId: second.versionId });
      await publishVersion(approver, third.versionId);
      expect(await db().appVersion.findUniqueOrThrow({ where: { id: second.versionId } })).toMatchObject({ state: "superseded" });
    });

    it("refuses a change that cannot be priced or clashes with another app's name, changing nothing", async () => {
      const { appId } = await createApp(member, productShot());
      await createApp(member, productShot("Banner"));
      await expect(saveDraft(member, { appId, name: "banner", description: "", definition: productShot().definition })).rejects.toMatchObject({ fieldErrors: { name: expect.any(String) } });
      const broken = productShot();
      broken.definition.steps[0] = { modelId: "no-such-model", settings: {} };
      await expect(saveDraft(member, { appId, name: "Product shot", description: "", definition: broken.definition })).rejects.toMatchObject({ fieldErrors: { "definition.steps.0.modelId": expect.any(String) } });
      expect(await db().appVersion.count({ where: { appId } })).toBe(1);
      expect((await db().app.findUniqueOrThrow({ where: { id: appId } })).name).toBe("Product shot");
    });
  });

  describe("the catalog", () => {
    it("lists published apps first with their cost per run, its range and how they have done", async () => {
      await withoutApprovals(fixture.team.id);
      await addGrant({ user: fixture.people.admin, team: fixture.team, role: "admin" }, { amount: 100_000, source: "Top-up", note: "" });
      await db().team.update({ where: { id: fixture.team.id }, data: { appTestRuns: 0 } });
      const approver: TeamContext = { user: fixture.people.approver, team: fixture.team, role: "approver" };
      const draftOnly = await createApp(member, productShot("A draft"));
      const retired = await createApp(member, productShot("An old one"));
      await retireApp({ user: fixture.people.admin, team: fixture.team, role: "admin" }, retired.appId);
      const used = await createApp(member, productShot("Product shot"));
      await publishVersion(approver, used.versionId);
      const { batchId } = await runApp(approver, { appId: used.appId, projectId: fixture.projectId, values: { variants: 2 }, test: false });
      const items = await db().batchItem.findMany({ where: { batchId }, orderBy: { position: "asc" } });
      for (const [index, outcome] of (["accepted", "rejected"] as const).entries()) {
        const admitted = await recordItemRun(approver, { itemId: items[index].id, stage: "final", quantity: 1, notes: "" });
        if (admitted.status !== "admitted") throw new Error("not admitted");
        await settleRun(approver, { runId: admitted.runId, actual: 100, outcome });
      }

      const catalog = await listApps(fixture.team.id);
      expect(catalog.map((app) => [app.name, app.published?.version ?? null, app.retired])).toEqual([
        ["Product shot", 1, false],
        ["A draft", null, false],
        ["An old one", null, true],
      ]);
      // Two outputs by default, 620 credits each; one to four outputs allowed.
      expect(catalog[0].cost).toEqual({ priceListVersion: expect.any(Number), perRun: 1_240, min: 620, max: 2_480 });
      // One run started, of two outputs; two generations settled, one accepted.
      expect(catalog[0].use).toEqual({ runs: 1, outputs: 2, settled: 2, accepted: 1, credits: 200, perAccepted: 200, lastUsedAt: expect.any(Date), lastUsedBy: fixture.people.approver.name });
      expect(catalog[1]).toMatchObject({ draft: { id: draftOnly.versionId, version: 1 }, use: { runs: 0, perAccepted: null } });
    });
  });
});
