// Apps over the API, through the typed client: the catalog (order, cost figures of lib/apps rules, inputs, use), one
// app priced step by step, and running one — a batch of one item per output — with its refusals, scopes and retries.
import fc from "fast-check";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createApp, retireApp, runApp, saveDraft } from "@/lib/apps/commands";
import { appCostRange, appRunCost, defaultValues, type AppDefinition, type AppInput } from "@/lib/apps/rules";
import type { TeamContext } from "@/lib/authz/team";
import { recordItemRun } from "@/lib/batches/commands";
import { db } from "@/lib/db/client";
import { addGrant, settleRun } from "@/lib/ledger/commands";
import { updatePriceEntry } from "@/lib/price-lists/commands";
import { priceListInForce } from "@/lib/price-lists/queries";
import { DEFAULT_PRICE_LIST } from "@/lib/pricing/default-price-list";
import { apiClient, makeApiKey } from "@/test/api";
import { PRODUCT_SHOT_INPUTS, productShotApp, publishedApp } from "@/test/apps";
import { describeEachDatabase } from "@/test/db";
import { makeTeam, withoutApprovals, type TeamFixture } from "@/test/fixtures";
import { contextOf } from "@/test/results";
import { signInAs } from "@/test/session";

/** The product shot with its first step's resolution to choose (1K or 2K): a range of 1 to 4 outputs at either. */
const WITH_RESOLUTION: AppInput[] = [
  ...PRODUCT_SHOT_INPUTS,
  { kind: "setting", key: "resolution", label: "Resolution", step: 0, setting: "resolution", options: ["1k", "2k"], default: "2k" },
];

const teamPath = (fixture: TeamFixture) => ({ params: { path: { teamSlug: fixture.team.slug } } });
const appPath = (fixture: TeamFixture, appId: string) => ({ params: { path: { teamSlug: fixture.team.slug, appId } } });

async function batchCount(fixture: TeamFixture): Promise<number> {
  return db().batch.count({ where: { teamId: fixture.team.id } });
}

/** Runs every item of a batch's final and settles it as `outcomes` say, in order. */
async function runItems(ctx: TeamContext, batchId: string, outcomes: ("accepted" | "rejected")[], actual = 100) {
  const items = await db().batchItem.findMany({ where: { batchId }, orderBy: { position: "asc" } });
  for (const [index, outcome] of outcomes.entries()) {
    const admitted = await recordItemRun(ctx, { itemId: items[index].id, stage: "final", quantity: 1, notes: "" });
    if (admitted.status !== "admitted") throw new Error(`not admitted: ${admitted.status}`);
    await settleRun(ctx, { runId: admitted.runId, actual, outcome });
  }
}

describeEachDatabase("apps over the API", () => {
  let fixture: TeamFixture;
  let member: TeamContext;
  /** A member's key with every scope. */
  let secret: string;

  beforeEach(async () => {
    fixture = await makeTeam();
    member = contextOf(fixture, "member");
    await withoutApprovals(fixture.team.id);
    await addGrant(contextOf(fixture, "admin"), { amount: 100_000, source: "Top-up", note: "" });
    secret = (await makeApiKey(fixture, { creator: "member" })).secret;
  });

  afterEach(() => signInAs(null));

  describe("the catalog", () => {
    it("lists published apps first, then drafts, then retired ones, each with the rules' cost figures, its inputs and its use", async () => {
      const draftOnly = await createApp(member, productShotApp("A draft"));
      const retired = await publishedApp(fixture, productShotApp("An old one"));
      await retireApp(contextOf(fixture, "admin"), retired.appId);
      const banner = await publishedApp(fixture, productShotApp("Banner", WITH_RESOLUTION));
      const shot = await publishedApp(fixture, productShotApp("Product shot"));
      // One run of the product shot (two outputs), both generated, one accepted; a test batch of the draft does not count.
      const { batchId } = await runApp(contextOf(fixture, "approver"), { appId: shot.appId, projectId: fixture.projectId, values: {}, test: false });
      await runItems(contextOf(fixture, "approver"), batchId, ["accepted", "rejected"]);
      const test = await runApp(member, { appId: draftOnly.appId, projectId: fixture.projectId, values: { variants: 1 }, test: true });
      await runItems(member, test.batchId, ["accepted"]);

      const { data, response } = await apiClient(secret).GET("/teams/{teamSlug}/apps", teamPath(fixture));
      expect(response.status).toBe(200);
      const apps = data!.apps;
      expect(apps.map((app) => [app.name, app.published?.version ?? null, app.draft?.version ?? null, app.retired])).toEqual([
        ["Banner", 1, null, false],
        ["Product shot", 1, null, false],
        ["A draft", null, 1, false],
        ["An old one", 1, null, true],
      ]);
      const [bannerRow, shotRow, draftRow] = apps;
      expect(shotRow).toMatchObject({
        id: shot.appId,
        description: "A cut-out product image ready for print",
        outputType: "image",
        purpose: "print",
        published: { id: shot.versionId, version: 1 },
        inputs: PRODUCT_SHOT_INPUTS,
        use: { runs: 1, outputs: 2, settled: 2, accepted: 1, credits: 200, perAccepted: 200, lastUsedAt: expect.any(String), lastUsedBy: fixture.people.approver.name },
        links: { self: `/api/v1/teams/${fixture.team.slug}/apps/${shot.appId}`, run: `/api/v1/teams/${fixture.team.slug}/apps/${shot.appId}/runs` },
      });
      expect(new Date(shotRow.use.lastUsedAt!).toISOString()).toBe(shotRow.use.lastUsedAt);
      expect(draftRow).toMatchObject({ id: draftOnly.appId, draft: { id: draftOnly.versionId, version: 1 }, use: { runs: 0, accepted: 0, credits: 0, perAccepted: null, lastUsedAt: null, lastUsedBy: null } });
      expect(bannerRow.id).toBe(banner.appId);
      expect(bannerRow.inputs).toEqual(WITH_RESOLUTION);

      // The figures are the rules' own, by the price list in force (the default one, version 0).
      for (const row of [bannerRow, shotRow, draftRow]) {
        const definition = { steps: productShotApp().definition.steps, inputs: row.inputs } as AppDefinition;
        const perRun = appRunCost(DEFAULT_PRICE_LIST, definition, defaultValues(definition));
        const range = appCostRange(DEFAULT_PRICE_LIST, definition);
        if (!perRun.ok || !range.ok) throw new Error("not priced");
        expect(row.cost, row.name).toEqual({ priceListVersion: 0, perRun: perRun.credits, min: range.min, max: range.max });
      }
      // Two outputs at 620; one to four, at 1K or 2K, for the banner.
      expect(shotRow.cost).toMatchObject({ perRun: 1_240, min: 620, max: 2_480 });
      expect(bannerRow.cost!.min).toBeLessThan(620);
    });

    it("is read by a viewer and a viewer's key; refused to a key without batches:read, and to another team's key", async () => {
      await publishedApp(fixture);
      const viewerKey = await makeApiKey(fixture, { scopes: ["batches:read"], creator: "viewer", name: "Finance" });
      expect((await apiClient(viewerKey.secret).GET("/teams/{teamSlug}/apps", teamPath(fixture))).data?.apps).toHaveLength(1);
      signInAs(fixture.people.viewer);
      expect((await apiClient().GET("/teams/{teamSlug}/apps", teamPath(fixture))).data?.apps).toHaveLength(1);
      signInAs(null);
      const noScope = await makeApiKey(fixture, { scopes: ["estimate", "runs:write"], name: "No reading" });
      const refused = await apiClient(noScope.secret).GET("/teams/{teamSlug}/apps", teamPath(fixture));
      expect(refused.response.status).toBe(403);
      expect(refused.error?.detail).toMatch(/batches:read/);
      const other = await makeTeam();
      const theirs = await makeApiKey(other);
      expect((await apiClient(theirs.secret).GET("/teams/{teamSlug}/apps", teamPath(fixture))).response.status).toBe(404);
      expect((await apiClient(theirs.secret).GET("/teams/{teamSlug}/apps", teamPath(other))).data?.apps).toEqual([]);
      const filtered = await apiClient(secret).GET("/teams/{teamSlug}/apps", { params: { path: { teamSlug: fixture.team.slug }, query: { state: "published" } as never } });
      expect(filtered.response.status).toBe(400);
      expect(filtered.error?.errors?.[0]).toMatchObject({ field: "state", in: "query" });
    });
  });

  describe("one app", () => {
    it("has the steps and inputs of the version in use, its cost step by step, every version and the batches that ran it", async () => {
      const { appId, versionId } = await publishedApp(fixture, productShotApp("Banner", WITH_RESOLUTION));
      // A new draft beside the published version: the published one stays in use.
      const changed = productShotApp("Banner", WITH_RESOLUTION);
      changed.definition.steps[2] = { modelId: "crystal-upscaler", settings: { scale: "4x" } };
      const second = await saveDraft(member, { appId, name: "Banner", description: changed.description, definition: changed.definition });
      const { batchId } = await runApp(member, { appId, projectId: fixture.projectId, values: { variants: 3, resolution: "1k" }, test: false });
      await runItems(member, batchId, ["accepted"], 300);

      const { data, response } = await apiClient(secret).GET("/teams/{teamSlug}/apps/{appId}", appPath(fixture, appId));
      expect(response.status).toBe(200);
      const app = data!;
      expect(app).toMatchObject({
        id: appId,
        name: "Banner",
        retired: false,
        retiredAt: null,
        createdBy: fixture.people.member.name,
        requiredTestRuns: 0,
        published: { id: versionId, version: 1 },
        draft: { id: second.versionId, version: 2 },
        steps: productShotApp().definition.steps,
        inputs: WITH_RESOLUTION,
        use: { runs: 1, accepted: 1, credits: 300, perAccepted: 300, lastUsedBy: fixture.people.member.name },
      });
      expect(app.versions.map((version) => [version.version, version.state, version.author.id, version.publishedBy])).toEqual([
        [2, "draft", fixture.people.member.id, null],
        [1, "published", fixture.people.member.id, fixture.people.approver.name],
      ]);
      expect(app.versions[0].steps[2]).toEqual({ modelId: "crystal-upscaler", settings: { scale: "4x" } });
      expect(app.batches).toEqual([
        expect.objectContaining({
          id: batchId,
          name: "Banner",
          version: 1,
          test: false,
          project: { id: fixture.projectId, name: expect.any(String) },
          createdBy: fixture.people.member.name,
          items: 3,
          runs: 1,
          accepted: 1,
          spent: 300,
          links: { self: `/api/v1/teams/${fixture.team.slug}/batches/${batchId}`, page: `/t/${fixture.team.slug}/batches/${batchId}` },
        }),
      ]);

      // The cost of a run with the default inputs, by the rules, step by step: the steps add up to the run.
      const definition = productShotApp("Banner", WITH_RESOLUTION).definition;
      const perRun = appRunCost(DEFAULT_PRICE_LIST, definition, defaultValues(definition));
      const range = appCostRange(DEFAULT_PRICE_LIST, definition);
      if (!perRun.ok || !range.ok) throw new Error("not priced");
      expect(app.cost).toMatchObject({ priceListVersion: 0, perRun: perRun.credits, perOutput: perRun.perOutput, outputs: 2, min: range.min, max: range.max });
      expect(app.cost!.steps.map((step) => [step.step, step.modelId, step.count])).toEqual([
        [0, "flux-2-dev", 2],
        [1, "bg-remover", 2],
        [2, "crystal-upscaler", 2],
      ]);
      expect(app.cost!.steps.map((step) => step.credits)).toEqual(perRun.steps.map((step) => step.credits));
      expect(app.cost!.steps.reduce((sum, step) => sum + step.credits, 0)).toBe(perRun.credits);
    });

    it("is priced by the price list in force: a new price shows, and an app it cannot price has no cost and does not run (409)", async () => {
      const { appId } = await publishedApp(fixture);
      const admin = contextOf(fixture, "admin");
      await updatePriceEntry(admin, { modelId: "crystal-upscaler", credits: 2_000 }, { effective: { effective: "now" }, note: "" });
      const inForce = await priceListInForce(fixture.team.id);
      const definition = productShotApp().definition;
      const perRun = appRunCost(inForce.priceList, definition, defaultValues(definition));
      if (!perRun.ok) throw new Error("not priced");
      const client = apiClient(secret);
      const read = (await client.GET("/teams/{teamSlug}/apps/{appId}", appPath(fixture, appId))).data!;
      expect(read.cost).toMatchObject({ priceListVersion: inForce.version, perRun: perRun.credits });
      expect(inForce.version).toBeGreaterThan(0);
      expect(perRun.credits).toBeGreaterThan(1_240);
      expect((await client.GET("/teams/{teamSlug}/apps", teamPath(fixture))).data!.apps[0].cost).toMatchObject({ priceListVersion: inForce.version, perRun: perRun.credits });

      await updatePriceEntry(admin, { modelId: "bg-remover", enabled: false }, { effective: { effective: "now" }, note: "" });
      expect((await client.GET("/teams/{teamSlug}/apps/{appId}", appPath(fixture, appId))).data!.cost).toBeNull();
      expect((await client.GET("/teams/{teamSlug}/apps", teamPath(fixture))).data!.apps[0].cost).toBeNull();
      const run = await client.POST("/teams/{teamSlug}/apps/{appId}/runs", { ...appPath(fixture, appId), body: { projectId: fixture.projectId } });
      expect(run.response.status).toBe(409);
      expect(run.error?.detail).toMatch(/cannot be priced/);
      expect(await batchCount(fixture)).toBe(0);
    });

    it("answers another team's app, or none, 404", async () => {
      const other = await makeTeam();
      const theirs = await publishedApp(other);
      const client = apiClient(secret);
      const read = await client.GET("/teams/{teamSlug}/apps/{appId}", appPath(fixture, theirs.appId));
      expect(read.response.status).toBe(404);
      expect(read.error?.code).toBe("not_found");
      expect((await client.GET("/teams/{teamSlug}/apps/{appId}", appPath(fixture, "no-such-app"))).response.status).toBe(404);
      expect((await client.GET("/teams/{teamSlug}/apps/{appId}", appPath(other, theirs.appId))).response.status).toBe(404);
    });
  });

  describe("running an app", () => {
    it("makes a batch with one item per output, which GET /batches/{id} shows", async () => {
      const { appId, versionId } = await publishedApp(fixture);
      const client = apiClient(secret);
      const { data, response } = await client.POST("/teams/{teamSlug}/apps/{appId}/runs", {
        ...appPath(fixture, appId),
        body: { projectId: fixture.projectId, values: { prompt: "A blue kite", variants: 3 } },
      });
      expect(response.status).toBe(201);
      const batchId = data!.batchId;
      expect(data).toEqual({
        batchId,
        versionId,
        test: false,
        items: 3,
        links: { batch: `/api/v1/teams/${fixture.team.slug}/batches/${batchId}`, page: `/t/${fixture.team.slug}/batches/${batchId}` },
      });

      const batch = await client.GET("/teams/{teamSlug}/batches/{batchId}", { params: { path: { teamSlug: fixture.team.slug, batchId } } });
      expect(batch.response.status).toBe(200);
      expect(batch.data).toMatchObject({ id: batchId, name: "Product shot", project: { id: fixture.projectId }, totals: { planned: 3 * 620, items: 3, spent: 0 } });
      expect(batch.data!.items.map((item) => [item.title, item.prompt, item.status, item.purpose])).toEqual([
        ["Product shot 1", "A blue kite", "planned", "print"],
        ["Product shot 2", "A blue kite", "planned", "print"],
        ["Product shot 3", "A blue kite", "planned", "print"],
      ]);
      expect(batch.data!.items[0].plan).toEqual({
        tests: null,
        finals: { modelId: "flux-2-dev", settings: { resolution: "2k" }, count: 1 },
        tools: [
          { modelId: "bg-remover", settings: {}, count: 1 },
          { modelId: "crystal-upscaler", settings: { scale: "2x" }, count: 1 },
        ],
      });
      // Nothing is held: the batch's runs go through admission one by one.
      expect(await db().run.count({ where: { teamId: fixture.team.id } })).toBe(0);

      // The defaults fill in what is left out; outputs may come as text, as a form sends them.
      const defaults = await client.POST("/teams/{teamSlug}/apps/{appId}/runs", { ...appPath(fixture, appId), body: { projectId: fixture.projectId } });
      expect(defaults.data?.items).toBe(2);
      const typed = await client.POST("/teams/{teamSlug}/apps/{appId}/runs", { ...appPath(fixture, appId), body: { projectId: fixture.projectId, values: { variants: "4" } } });
      expect(typed.data?.items).toBe(4);
    });

    it("refuses values at their field, an unknown input, a field no run has, and another team's project, making no batch", async () => {
      const { appId } = await publishedApp(fixture);
      const client = apiClient(secret);
      const post = (body: Record<string, unknown>) => client.POST("/teams/{teamSlug}/apps/{appId}/runs", { ...appPath(fixture, appId), body: body as never });

      const tooMany = await post({ projectId: fixture.projectId, values: { variants: 9 } });
      expect(tooMany.response.status).toBe(400);
      expect(tooMany.response.headers.get("content-type")).toBe("application/problem+json");
      expect(tooMany.error).toMatchObject({ code: "invalid", errors: [{ field: "values.variants", in: "body", message: "Choose a whole number from 1 to 4." }] });
      const half = await post({ projectId: fixture.projectId, values: { variants: 1.5 } });
      expect(half.error?.errors).toEqual([{ field: "values.variants", in: "body", message: "Choose a whole number from 1 to 4." }]);
      const empty = await post({ projectId: fixture.projectId, values: { prompt: " " } });
      expect(empty.error?.errors).toEqual([{ field: "values.prompt", in: "body", message: "Write the prompt." }]);
      const unknown = await post({ projectId: fixture.projectId, values: { colour: "red" } });
      expect(unknown.response.status).toBe(400);
      expect(unknown.error?.errors).toEqual([{ field: "values.colour", in: "body", message: "This app does not take this input." }]);
      const object = await post({ projectId: fixture.projectId, values: { prompt: { text: "x" } } });
      expect(object.error?.errors).toEqual([{ field: "values.prompt", in: "body", message: "Send text or a number." }]);
      const extra = await post({ projectId: fixture.projectId, colour: "red" });
      expect(extra.error?.errors).toEqual([{ field: "colour", in: "body", message: expect.stringMatching(/Not a field of this request/) }]);
      const noProject = await post({ values: {} });
      expect(noProject.error?.errors).toEqual([{ field: "projectId", in: "body", message: expect.stringMatching(/Required/) }]);
      const testText = await post({ projectId: fixture.projectId, test: "yes" });
      expect(testText.error?.errors).toEqual([{ field: "test", in: "body", message: expect.stringMatching(/true or false/) }]);

      const other = await makeTeam();
      const theirProject = await post({ projectId: other.projectId });
      expect(theirProject.response.status).toBe(404);
      expect(theirProject.error?.errors).toEqual([{ field: "projectId", in: "body", message: "That project does not exist in this team." }]);
      await db().project.update({ where: { id: fixture.projectId }, data: { archivedAt: new Date() } });
      const archived = await post({ projectId: fixture.projectId });
      expect(archived.response.status).toBe(400);
      expect(archived.error?.errors?.[0]).toMatchObject({ field: "projectId", in: "body" });
      expect(await batchCount(fixture)).toBe(0);
    });

    it("never fails on our side whatever a value is: made, or refused at the value", async () => {
      const { appId } = await publishedApp(fixture);
      const client = apiClient(secret);
      const value = fc.oneof(fc.string({ maxLength: 20 }), fc.integer(), fc.double(), fc.constantFrom("3", "1e1", "0x2", " 2 ", "", "-1", 2 ** 53, 1e300, null, true, [], {}));
      await fc.assert(
        fc.asyncProperty(fc.constantFrom("prompt", "variants", "constructor", "__proto__", "toString"), value, async (key, sent) => {
          const values = JSON.parse(`{${JSON.stringify(key)}:${JSON.stringify(sent)}}`) as Record<string, never>;
          const before = await batchCount(fixture);
          const { response, error } = await client.POST("/teams/{teamSlug}/apps/{appId}/runs", { ...appPath(fixture, appId), body: { projectId: fixture.projectId, values } });
          expect([201, 400], JSON.stringify(values)).toContain(response.status);
          if (response.status === 400) {
            expect(error?.errors?.[0]?.field).toMatch(/^values\./);
            expect(await batchCount(fixture)).toBe(before);
          }
        }),
        { numRuns: 60, seed: 20261208 },
      );
    });

    it("refuses a retired app and an app with nothing published (409); a draft is tested by its author only (403)", async () => {
      const retired = await publishedApp(fixture, productShotApp("An old one"));
      await retireApp(contextOf(fixture, "admin"), retired.appId);
      const client = apiClient(secret);
      const old = await client.POST("/teams/{teamSlug}/apps/{appId}/runs", { ...appPath(fixture, retired.appId), body: { projectId: fixture.projectId } });
      expect(old.response.status).toBe(409);
      expect(old.error).toMatchObject({ code: "conflict", detail: expect.stringMatching(/retired/) });

      // A draft the approver made: nobody runs it before it is published, and only the approver (or an admin) tests it.
      const draft = await createApp(contextOf(fixture, "approver"), productShotApp("Draft"));
      const unpublished = await client.POST("/teams/{teamSlug}/apps/{appId}/runs", { ...appPath(fixture, draft.appId), body: { projectId: fixture.projectId } });
      expect(unpublished.response.status).toBe(409);
      expect(unpublished.error?.detail).toMatch(/not published yet/);
      const notAuthor = await client.POST("/teams/{teamSlug}/apps/{appId}/runs", { ...appPath(fixture, draft.appId), body: { projectId: fixture.projectId, test: true } });
      expect(notAuthor.response.status).toBe(403);
      expect(notAuthor.error).toMatchObject({ code: "forbidden", detail: expect.stringMatching(/author/) });
      // A published app has no draft to test.
      const published = await publishedApp(fixture);
      const nothingToTest = await client.POST("/teams/{teamSlug}/apps/{appId}/runs", { ...appPath(fixture, published.appId), body: { projectId: fixture.projectId, test: true } });
      expect(nothingToTest.response.status).toBe(409);
      expect(await batchCount(fixture)).toBe(0);

      // The author's key tests the draft: a test batch of that version.
      const authorKey = await makeApiKey(fixture, { creator: "approver", name: "Approver's" });
      const tested = await apiClient(authorKey.secret).POST("/teams/{teamSlug}/apps/{appId}/runs", {
        ...appPath(fixture, draft.appId),
        body: { projectId: fixture.projectId, values: { variants: 1 }, test: true },
      });
      expect(tested.response.status).toBe(201);
      expect(tested.data).toMatchObject({ versionId: draft.versionId, test: true, items: 1 });
      expect(await db().batch.findUniqueOrThrow({ where: { id: tested.data!.batchId } })).toMatchObject({ name: "Draft (test)", appTest: true, appVersionId: draft.versionId });
    });

    it("needs runs:write and a member; answers another team's app 404; keeps a key limited to one project in it", async () => {
      const { appId } = await publishedApp(fixture);
      const body = { projectId: fixture.projectId };
      const readOnly = await makeApiKey(fixture, { scopes: ["batches:read", "estimate"], name: "Read only" });
      const refused = await apiClient(readOnly.secret).POST("/teams/{teamSlug}/apps/{appId}/runs", { ...appPath(fixture, appId), body });
      expect(refused.response.status).toBe(403);
      expect(refused.error?.detail).toMatch(/runs:write/);
      const viewerKey = await makeApiKey(fixture, { creator: "viewer", name: "Viewer's" });
      expect((await apiClient(viewerKey.secret).POST("/teams/{teamSlug}/apps/{appId}/runs", { ...appPath(fixture, appId), body })).response.status).toBe(403);
      signInAs(fixture.people.viewer);
      expect((await apiClient().POST("/teams/{teamSlug}/apps/{appId}/runs", { ...appPath(fixture, appId), body })).response.status).toBe(403);
      signInAs(null);

      const other = await makeTeam();
      const theirs = await publishedApp(other);
      const foreign = await apiClient(secret).POST("/teams/{teamSlug}/apps/{appId}/runs", { ...appPath(fixture, theirs.appId), body });
      expect(foreign.response.status).toBe(404);
      expect(foreign.error?.code).toBe("not_found");
      expect(await db().batch.count({ where: { teamId: { in: [fixture.team.id, other.team.id] } } })).toBe(0);

      const second = await db().project.create({ data: { teamId: fixture.team.id, name: "Second" } });
      const limited = await makeApiKey(fixture, { creator: "member", projectId: fixture.projectId, name: "One project" });
      const elsewhere = await apiClient(limited.secret).POST("/teams/{teamSlug}/apps/{appId}/runs", { ...appPath(fixture, appId), body: { projectId: second.id } });
      expect(elsewhere.response.status).toBe(403);
      expect(elsewhere.error?.errors?.[0]).toMatchObject({ field: "projectId", in: "body" });
      expect(await batchCount(fixture)).toBe(0);
      expect((await apiClient(limited.secret).POST("/teams/{teamSlug}/apps/{appId}/runs", { ...appPath(fixture, appId), body })).response.status).toBe(201);
    });

    it("makes one batch for a retry with the same Idempotency-Key, and refuses that key for another run", async () => {
      const { appId } = await publishedApp(fixture);
      const client = apiClient(secret, { "idempotency-key": "run-the-shot" });
      const body = { projectId: fixture.projectId, values: { variants: 3 } };
      const first = await client.POST("/teams/{teamSlug}/apps/{appId}/runs", { ...appPath(fixture, appId), body });
      const retry = await client.POST("/teams/{teamSlug}/apps/{appId}/runs", { ...appPath(fixture, appId), body });
      expect(first.response.status).toBe(201);
      expect(retry.response.status).toBe(201);
      expect(retry.data).toEqual(first.data);
      expect(retry.response.headers.get("idempotent-replayed")).toBe("true");
      expect(await batchCount(fixture)).toBe(1);
      const other = await client.POST("/teams/{teamSlug}/apps/{appId}/runs", { ...appPath(fixture, appId), body: { ...body, values: { variants: 1 } } });
      expect(other.response.status).toBe(422);
      expect(other.error?.code).toBe("idempotency_key_reused");
      // A refusal is kept too: the same request again is answered the same, even after the app could run.
      const refusedKey = apiClient(secret, { "idempotency-key": "run-too-many" });
      const refused = await refusedKey.POST("/teams/{teamSlug}/apps/{appId}/runs", { ...appPath(fixture, appId), body: { ...body, values: { variants: 9 } } });
      const again = await refusedKey.POST("/teams/{teamSlug}/apps/{appId}/runs", { ...appPath(fixture, appId), body: { ...body, values: { variants: 9 } } });
      expect(again.response.status).toBe(400);
      expect(again.error).toEqual(refused.error);
      // Without a key, each request is a new batch.
      await apiClient(secret).POST("/teams/{teamSlug}/apps/{appId}/runs", { ...appPath(fixture, appId), body });
      expect(await batchCount(fixture)).toBe(2);
    });
  });

  describe("a key limited to one project", () => {
    it("sees the use and the batches of its own project only", async () => {
      const { appId } = await publishedApp(fixture);
      const second = await db().project.create({ data: { teamId: fixture.team.id, name: "Second" } });
      const own = await runApp(member, { appId, projectId: fixture.projectId, values: { variants: 1 }, test: false });
      await runItems(member, own.batchId, ["accepted"], 100);
      const elsewhere = await runApp(member, { appId, projectId: second.id, values: { variants: 2 }, test: false });
      await runItems(member, elsewhere.batchId, ["accepted", "rejected"], 250);

      const limited = apiClient((await makeApiKey(fixture, { creator: "member", projectId: fixture.projectId, name: "One project" })).secret);
      const listed = (await limited.GET("/teams/{teamSlug}/apps", teamPath(fixture))).data!.apps[0];
      expect(listed.use).toMatchObject({ runs: 1, accepted: 1, credits: 100 });
      const read = (await limited.GET("/teams/{teamSlug}/apps/{appId}", appPath(fixture, appId))).data!;
      expect(read.batches.map((batch) => batch.id)).toEqual([own.batchId]);
      expect(read.use).toMatchObject({ runs: 1, credits: 100 });

      // The team's key sees both.
      const whole = (await apiClient(secret).GET("/teams/{teamSlug}/apps/{appId}", appPath(fixture, appId))).data!;
      expect(whole.batches.map((batch) => batch.id).sort()).toEqual([own.batchId, elsewhere.batchId].sort());
      expect(whole.use).toMatchObject({ runs: 2, outputs: 3, settled: 3, accepted: 2, credits: 600, perAccepted: 300 });
    });
  });
});
