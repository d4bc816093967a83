// Batches over the API, through the typed client: one batch with its items, estimates, findings, runs and totals (the
// figures of the batch page), the list, other teams' ids, scopes and keys limited to one project.
import { afterEach, beforeEach, expect, it } from "vitest";
import type { TeamContext } from "@/lib/authz/team";
import { addItem, createBatch, dismissBatchFinding, recordItemRun } from "@/lib/batches/commands";
import { getBatch } from "@/lib/batches/queries";
import { summarizeBatch } from "@/lib/batches/summary";
import { db } from "@/lib/db/client";
import { addGrant, settleRun } from "@/lib/ledger/commands";
import { NO_FLAGS, type ItemPlan } from "@/lib/recommendations";
import { apiClient, makeApiKey } from "@/test/api";
import { describeEachDatabase } from "@/test/db";
import { makeTeam, type TeamFixture } from "@/test/fixtures";
import { contextOf } from "@/test/results";
import { signInAs } from "@/test/session";

/** Five tests and a final on Flux 2 Pro (720 credits): "test cheap, finalize premium" finds a saving. */
const PREMIUM_TESTS: ItemPlan = { tests: { modelId: "flux-2-pro", settings: {}, count: 5 }, finals: { modelId: "flux-2-pro", settings: {}, count: 1 }, tools: [] };
/** Two Qwen Image tests and a Flux 2 Dev final: 2 × 20 + 50 = 90 credits. */
const CHEAP: ItemPlan = { tests: { modelId: "qwen-image", settings: {}, count: 2 }, finals: { modelId: "flux-2-dev", settings: {}, count: 1 }, tools: [] };

const teamPath = (fixture: TeamFixture) => ({ params: { path: { teamSlug: fixture.team.slug } } });
const batchPath = (fixture: TeamFixture, batchId: string) => ({ params: { path: { teamSlug: fixture.team.slug, batchId } } });

async function plan(ctx: TeamContext, projectId: string, name = "Spring campaign") {
  const { batchId } = await createBatch(ctx, { projectId, name, dueDate: "2026-04-01", notes: "Kites" });
  const item = (title: string, itemPlan: ItemPlan) =>
    addItem(ctx, { batchId, title, outputType: "image", purpose: "final_delivery", prompt: `${title}, at dawn`, plan: itemPlan, flags: NO_FLAGS });
  const hero = (await item("Hero visual", PREMIUM_TESTS)).itemId;
  const banner = (await item("Banner", CHEAP)).itemId;
  return { batchId, hero, banner };
}

describeEachDatabase("batches over the API", () => {
  let fixture: TeamFixture;
  let member: TeamContext;
  let secret: string;

  beforeEach(async () => {
    fixture = await makeTeam();
    member = contextOf(fixture, "member");
    await addGrant(contextOf(fixture, "admin"), { amount: 10_000, source: "Top-up", note: "" });
    secret = (await makeApiKey(fixture, { scopes: ["batches:read"], creator: "member" })).secret;
  });

  afterEach(() => signInAs(null));

  it("reads a batch with its items, their estimates, findings and runs, and the page's totals", async () => {
    const { batchId, hero, banner } = await plan(member, fixture.projectId);
    // A test run on the banner, settled; and one finding of the hero dismissed.
    const admitted = await recordItemRun(member, { itemId: banner, stage: "test", quantity: 2, notes: "" });
    if (admitted.status !== "admitted") throw new Error("not admitted");
    await settleRun(member, { runId: admitted.runId, actual: 40, outcome: "accepted" });

    const { data, response } = await apiClient(secret).GET("/teams/{teamSlug}/batches/{batchId}", batchPath(fixture, batchId));
    expect(response.status).toBe(200);
    const batch = data!;
    expect(batch).toMatchObject({
      id: batchId,
      name: "Spring campaign",
      dueDate: "2026-04-01",
      notes: "Kites",
      project: { id: fixture.projectId, archived: false },
      priceListVersion: 0,
      totals: { planned: 720 + 90, spent: 40, done: 0, items: 2, overBy: null },
      budget: null,
      unpricedItemIds: [],
      links: { page: `/t/${fixture.team.slug}/batches/${batchId}`, export: `/t/${fixture.team.slug}/batches/${batchId}/export` },
    });
    expect(batch.items.map((item) => item.id)).toEqual([hero, banner]);
    const [heroItem, bannerItem] = batch.items;
    expect(heroItem).toMatchObject({ title: "Hero visual", status: "planned", plan: PREMIUM_TESTS, flags: NO_FLAGS, spent: 0, runs: [] });
    expect(heroItem.estimate).toEqual({ ok: true, credits: 720, tests: 600, finals: 120, tools: 0, steps: expect.any(Array) });
    expect(heroItem.answers.qualityNeeded).toEqual({ answer: null, note: "" });
    // Test cheap, finalize premium: the five tests on Qwen Image instead.
    const testCheap = heroItem.findings.find((finding) => finding.rule === "test-cheap");
    expect(testCheap).toMatchObject({ kind: "saving", itemId: hero, before: 720, after: 5 * 20 + 120, saved: 500 });
    expect(bannerItem.estimate).toMatchObject({ ok: true, credits: 90 });
    expect(bannerItem).toMatchObject({ spent: 40, runs: [{ id: admitted.runId, stage: "test", state: "settled", actual: 40, outcome: "accepted", spent: 40, approvalId: null }] });
    expect(batch.byModel.map((group) => [group.modelId, group.credits])).toEqual([
      ["flux-2-pro", 720],
      ["flux-2-dev", 50],
      ["qwen-image", 40],
    ]);

    // The same figures as the batch page (getBatch + summarizeBatch).
    const found = (await getBatch(fixture.team.id, batchId))!;
    const summary = summarizeBatch(found.priceList, found.items, new Set(), null);
    expect(batch.totals).toEqual({
      planned: summary.estimate.credits,
      stillToDo: summary.plannedOpen,
      spent: summary.spent,
      done: summary.done,
      items: summary.total,
      couldSave: summary.couldSave,
      overBy: null,
    });
    const open = [...summary.savings, ...summary.warnings, ...summary.advice];
    expect([...batch.findings, ...batch.items.flatMap((item) => item.findings)].map((finding) => finding.key).sort()).toEqual(open.map((finding) => finding.key).sort());

    // A dismissed finding leaves the item's list and the savings total.
    await dismissBatchFinding(member, { batchId, key: testCheap!.key, reason: "The client wants premium tests" });
    const after = (await apiClient(secret).GET("/teams/{teamSlug}/batches/{batchId}", batchPath(fixture, batchId))).data!;
    expect(after.items[0].findings.map((finding) => finding.key)).not.toContain(testCheap!.key);
    expect(after.dismissedFindings.map((finding) => finding.key)).toContain(testCheap!.key);
    expect(after.totals.couldSave).toBeLessThan(batch.totals.couldSave);
  });

  it("lists the team's batches with their totals, by project and up to a limit", async () => {
    const second = await db().project.create({ data: { teamId: fixture.team.id, name: "Second" } });
    const { batchId } = await plan(member, fixture.projectId);
    const { batchId: otherBatch } = await plan(member, second.id, "Autumn campaign");
    const client = apiClient(secret);

    const all = await client.GET("/teams/{teamSlug}/batches", teamPath(fixture));
    expect(all.response.status).toBe(200);
    expect(all.data?.more).toBe(false);
    expect(all.data?.batches.map((batch) => batch.id).sort()).toEqual([batchId, otherBatch].sort());
    expect(all.data?.batches.find((batch) => batch.id === batchId)).toMatchObject({
      name: "Spring campaign",
      project: { id: fixture.projectId },
      dueDate: "2026-04-01",
      items: 2,
      done: 0,
      planned: 810,
      spent: 0,
      couldSave: expect.any(Number),
      links: { self: `/api/v1/teams/${fixture.team.slug}/batches/${batchId}` },
    });

    const oneProject = await client.GET("/teams/{teamSlug}/batches", { params: { path: { teamSlug: fixture.team.slug }, query: { project: second.id } } });
    expect(oneProject.data?.batches.map((batch) => batch.id)).toEqual([otherBatch]);
    const limited = await client.GET("/teams/{teamSlug}/batches", { params: { path: { teamSlug: fixture.team.slug }, query: { limit: "1" } } });
    expect(limited.data?.batches).toHaveLength(1);
    expect(limited.data?.more).toBe(true);
    const bad = await client.GET("/teams/{teamSlug}/batches", { params: { path: { teamSlug: fixture.team.slug }, query: { limit: "0" } } });
    expect(bad.response.status).toBe(400);
    expect(bad.error?.errors?.[0]).toMatchObject({ field: "limit", in: "query" });
  });

  it("answers another team's batch 404, and a key of another team 404 at this team's URLs", async () => {
    const other = await makeTeam();
    const { batchId: theirs } = await plan(contextOf(other, "member"), other.projectId);
    const client = apiClient(secret);
    const read = await client.GET("/teams/{teamSlug}/batches/{batchId}", batchPath(fixture, theirs));
    expect(read.response.status).toBe(404);
    expect(read.error?.code).toBe("not_found");
    expect((await client.GET("/teams/{teamSlug}/batches/{batchId}", batchPath(fixture, "no-such-batch"))).response.status).toBe(404);
    expect((await client.GET("/teams/{teamSlug}/batches/{batchId}", batchPath(other, theirs))).response.status).toBe(404);
    expect((await client.GET("/teams/{teamSlug}/batches", teamPath(other))).response.status).toBe(404);
    expect((await client.GET("/teams/{teamSlug}/batches", teamPath(fixture))).data?.batches).toEqual([]);
  });

  it("needs the batches:read scope; a viewer reads, signed in or by a key they made", async () => {
    const { batchId } = await plan(member, fixture.projectId);
    const noScope = await makeApiKey(fixture, { scopes: ["estimate", "runs:write", "approvals:write"], name: "No batches" });
    const refused = await apiClient(noScope.secret).GET("/teams/{teamSlug}/batches/{batchId}", batchPath(fixture, batchId));
    expect(refused.response.status).toBe(403);
    expect(refused.error?.detail).toMatch(/batches:read/);
    expect((await apiClient(noScope.secret).GET("/teams/{teamSlug}/batches", teamPath(fixture))).response.status).toBe(403);

    const viewerKey = await makeApiKey(fixture, { scopes: ["batches:read"], creator: "viewer", name: "Finance" });
    expect((await apiClient(viewerKey.secret).GET("/teams/{teamSlug}/batches/{batchId}", batchPath(fixture, batchId))).response.status).toBe(200);
    signInAs(fixture.people.viewer);
    expect((await apiClient().GET("/teams/{teamSlug}/batches/{batchId}", batchPath(fixture, batchId))).response.status).toBe(200);
    signInAs(fixture.outsider);
    expect((await apiClient().GET("/teams/{teamSlug}/batches/{batchId}", batchPath(fixture, batchId))).response.status).toBe(404);
  });

  it("keeps a key limited to one project inside it", async () => {
    const second = await db().project.create({ data: { teamId: fixture.team.id, name: "Second" } });
    const { batchId: own } = await plan(member, fixture.projectId);
    const { batchId: elsewhere } = await plan(member, second.id, "Autumn campaign");
    const limited = await makeApiKey(fixture, { scopes: ["batches:read"], creator: "member", projectId: fixture.projectId, name: "One project" });
    const client = apiClient(limited.secret);

    expect((await client.GET("/teams/{teamSlug}/batches", teamPath(fixture))).data?.batches.map((batch) => batch.id)).toEqual([own]);
    const otherProject = await client.GET("/teams/{teamSlug}/batches", { params: { path: { teamSlug: fixture.team.slug }, query: { project: second.id } } });
    expect(otherProject.response.status).toBe(403);
    expect((await client.GET("/teams/{teamSlug}/batches/{batchId}", batchPath(fixture, own))).response.status).toBe(200);
    const read = await client.GET("/teams/{teamSlug}/batches/{batchId}", batchPath(fixture, elsewhere));
    expect(read.response.status).toBe(403);
    expect(read.error?.code).toBe("forbidden");
  });
});
