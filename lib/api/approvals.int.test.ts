// Approval requests over the API, through the typed client: the whole path (needs approval → request → an approver
// decides → approved with its hold → the run on the approval → settle), idempotent requests, the four answers, reading
// as the app lets people read, other teams' ids, scopes, roles and keys limited to one project.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { decideRequest } from "@/lib/approvals/request-commands";
import type { TeamContext } from "@/lib/authz/team";
import { addItem, createBatch } from "@/lib/batches/commands";
import { NO_FLAGS } from "@/lib/recommendations";
import { db } from "@/lib/db/client";
import { addGrant } from "@/lib/ledger/commands";
import { verifyLedger } from "@/lib/ledger/verify";
import type { components } from "@/lib/api/client";
import { apiClient, makeApiKey } from "@/test/api";
import { ANSWERS, cheapTest, premiumRun, PREMIUM_FINAL } from "@/test/approvals";
import { describeEachDatabase } from "@/test/db";
import { makeTeam, type TeamFixture } from "@/test/fixtures";
import { contextOf } from "@/test/results";
import { signInAs } from "@/test/session";

type ApprovalRequestInput = components["schemas"]["ApprovalRequestInput"];

const teamPath = (fixture: TeamFixture) => ({ params: { path: { teamSlug: fixture.team.slug } } });
const approvalPath = (fixture: TeamFixture, approvalId: string) => ({ params: { path: { teamSlug: fixture.team.slug, approvalId } } });
const premiumAsk = (projectId: string) => ({ ...premiumRun(projectId), answers: ANSWERS });

describeEachDatabase("approvals over the API", () => {
  let fixture: TeamFixture;
  let approver: TeamContext;
  /** A key made by the member, who asks. */
  let secret: string;

  beforeEach(async () => {
    fixture = await makeTeam();
    approver = contextOf(fixture, "approver");
    await addGrant(contextOf(fixture, "admin"), { amount: 10_000, source: "Top-up", note: "" });
    secret = (await makeApiKey(fixture, { creator: "member" })).secret;
  });

  afterEach(() => signInAs(null));

  async function ask(key = secret, body: ApprovalRequestInput = premiumAsk(fixture.projectId)): Promise<string> {
    const { data, response } = await apiClient(key).POST("/teams/{teamSlug}/approvals", { ...teamPath(fixture), body });
    expect(response.status).toBe(201);
    if (data?.decision !== "requested") throw new Error(`not requested: ${JSON.stringify(data)}`);
    return data.id;
  }

  it("goes the whole way by API: needs approval → request → approved with its hold → run on it → settled", async () => {
    const client = apiClient(secret);
    const admission = await client.POST("/teams/{teamSlug}/runs", { ...teamPath(fixture), body: premiumRun(fixture.projectId) });
    if (admission.data?.decision !== "needs_approval") throw new Error("expected needs_approval");

    const requested = await apiClient(secret, { "idempotency-key": "hero-final-ask" }).POST("/teams/{teamSlug}/approvals", {
      params: { path: { teamSlug: fixture.team.slug } },
      body: { ...premiumRun(fixture.projectId), prompt: "A kite over a field at dawn", answers: ANSWERS },
    });
    expect(requested.response.status).toBe(201);
    if (requested.data?.decision !== "requested") throw new Error("not requested");
    const id = requested.data.id;
    expect(admission.data.links.requestApproval).toBe(`/api/v1/teams/${fixture.team.slug}/approvals`);
    expect(requested.data).toEqual({
      decision: "requested",
      id,
      state: "pending",
      estimate: PREMIUM_FINAL,
      rule: admission.data.rule,
      lapsesAt: expect.any(String),
      links: { self: `/api/v1/teams/${fixture.team.slug}/approvals/${id}`, page: `/t/${fixture.team.slug}/approvals/${id}` },
    });
    // The default policy gives deciders 7 days.
    expect(new Date(requested.data.lapsesAt).getTime() - Date.now()).toBeGreaterThan(6.9 * 24 * 3600_000);

    const pending = await client.GET("/teams/{teamSlug}/approvals/{approvalId}", approvalPath(fixture, id));
    expect(pending.data).toMatchObject({
      id,
      state: "pending",
      requester: { id: fixture.people.member.id },
      project: { id: fixture.projectId, archived: false },
      batchItem: null,
      run: { modelId: "flux-2-pro", modelName: "Flux 2 Pro", tier: "premium", outputType: "image", quantity: 2, stage: "final", purpose: "final_delivery", notes: "Hero image" },
      estimate: PREMIUM_FINAL,
      rule: { name: admission.data.rule.name, approvals: 1 },
      decisions: [],
      hold: null,
      howToRun: null,
      approvedAt: null,
      expiresAt: null,
    });
    expect(pending.data?.answers.map((answer) => [answer.question, answer.answer, answer.note])).toEqual([
      ["qualityNeeded", "yes", ""],
      ["videoNecessary", "no", "A still will do"],
      ["editInstead", "no", ""],
      ["isFinalVersion", "yes", ""],
    ]);
    expect(pending.data?.findings).toEqual(expect.any(Array));

    const decided = await decideRequest(approver, { requestId: id, decision: "approve", comment: "Go ahead" });
    const approved = await client.GET("/teams/{teamSlug}/approvals/{approvalId}", approvalPath(fixture, id));
    expect(approved.data).toMatchObject({
      state: "approved",
      decisions: [{ userId: fixture.people.approver.id, userName: fixture.people.approver.name, decision: "approve", comment: "Go ahead" }],
      hold: { runId: decided.holdRunId, state: "held", held: PREMIUM_FINAL, actual: null },
      expiresAt: decided.expiresAt!.toISOString(),
      approvedAt: expect.any(String),
    });
    const howToRun = approved.data!.howToRun!;
    expect(howToRun).toMatchObject({ method: "POST", href: `/api/v1/teams/${fixture.team.slug}/runs`, body: { approvalId: id, projectId: fixture.projectId } });

    const run = await apiClient(secret, { "idempotency-key": "hero-final-run" }).POST("/teams/{teamSlug}/runs", { ...teamPath(fixture), body: howToRun.body });
    expect(run.response.status).toBe(201);
    expect(run.data).toMatchObject({ decision: "admitted", estimate: PREMIUM_FINAL, run: { id: decided.holdRunId, state: "held", held: PREMIUM_FINAL } });
    // One hold only: the approval's.
    expect(await db().run.count({ where: { teamId: fixture.team.id } })).toBe(1);

    const settled = await client.POST("/teams/{teamSlug}/runs/{runId}/settle", {
      params: { path: { teamSlug: fixture.team.slug, runId: decided.holdRunId! } },
      body: { actual: 200, outcome: "accepted" },
    });
    expect(settled.data).toEqual({ runId: decided.holdRunId, state: "settled", actual: 200, overrun: false });
    const used = await client.GET("/teams/{teamSlug}/approvals/{approvalId}", approvalPath(fixture, id));
    expect(used.data).toMatchObject({ state: "used", hold: { state: "settled", actual: 200 }, howToRun: null });
    expect(await verifyLedger(db(), fixture.team.id)).toEqual([]);
  });

  it("makes one request for a retry with the same Idempotency-Key, and refuses that key for another run", async () => {
    const client = apiClient(secret, { "idempotency-key": "ask-once" });
    const first = await client.POST("/teams/{teamSlug}/approvals", { ...teamPath(fixture), body: premiumAsk(fixture.projectId) });
    const retry = await client.POST("/teams/{teamSlug}/approvals", { ...teamPath(fixture), body: premiumAsk(fixture.projectId) });
    expect(first.response.status).toBe(201);
    expect(retry.response.status).toBe(201);
    expect(retry.data).toEqual(first.data);
    expect(retry.response.headers.get("idempotent-replayed")).toBe("true");
    expect(await db().approvalRequest.count({ where: { teamId: fixture.team.id } })).toBe(1);
    const other = await client.POST("/teams/{teamSlug}/approvals", { ...teamPath(fixture), body: { ...premiumAsk(fixture.projectId), quantity: 3 } });
    expect(other.response.status).toBe(422);
    expect(await db().approvalRequest.count({ where: { teamId: fixture.team.id } })).toBe(1);
    // Without a key, each request is a new one.
    await ask();
    expect(await db().approvalRequest.count({ where: { teamId: fixture.team.id } })).toBe(2);
  });

  it("refuses a request without its four answers, naming each field, and makes none", async () => {
    const client = apiClient(secret);
    const none = await client.POST("/teams/{teamSlug}/approvals", { ...teamPath(fixture), body: premiumRun(fixture.projectId) as never });
    expect(none.response.status).toBe(400);
    expect(none.error?.errors).toEqual([{ field: "answers", in: "body", message: expect.stringMatching(/four questions/) }]);

    const partly = await client.POST("/teams/{teamSlug}/approvals", {
      ...teamPath(fixture),
      body: { ...premiumRun(fixture.projectId), answers: { videoNecessary: { answer: "maybe" }, editInstead: ANSWERS.editInstead, isFinalVersion: ANSWERS.isFinalVersion } } as never,
    });
    expect(partly.response.status).toBe(400);
    expect(partly.error?.errors?.map((error) => error.field).sort()).toEqual(["answers.qualityNeeded", "answers.videoNecessary.answer"]);
    expect(partly.error?.errors?.find((error) => error.field === "answers.qualityNeeded")?.message).toMatch(/Is this quality needed/);
    expect(partly.error?.errors?.find((error) => error.field === "answers.videoNecessary.answer")?.message).toMatch(/yes or no/);

    const unknownModel = await client.POST("/teams/{teamSlug}/approvals", { ...teamPath(fixture), body: { ...premiumAsk(fixture.projectId), modelId: "no-such-model" } });
    expect(unknownModel.response.status).toBe(400);
    expect(unknownModel.error?.errors?.[0]).toMatchObject({ field: "modelId", in: "body" });
    expect(await db().approvalRequest.count({ where: { teamId: fixture.team.id } })).toBe(0);
  });

  it("says clearly when the policy needs no approval for the run, and requests nothing", async () => {
    const { response, data } = await apiClient(secret).POST("/teams/{teamSlug}/approvals", { ...teamPath(fixture), body: { ...cheapTest(fixture.projectId), answers: ANSWERS } });
    expect(response.status).toBe(200);
    expect(data).toMatchObject({ decision: "not_needed", detail: expect.stringMatching(/without an approval/), links: { admit: `/api/v1/teams/${fixture.team.slug}/runs` } });
    expect(await db().approvalRequest.count({ where: { teamId: fixture.team.id } })).toBe(0);
  });

  it("shows a rejection with its comment, and nothing to run", async () => {
    const id = await ask();
    await decideRequest(approver, { requestId: id, decision: "reject", comment: "Use the draft we have" });
    const { data } = await apiClient(secret).GET("/teams/{teamSlug}/approvals/{approvalId}", approvalPath(fixture, id));
    expect(data).toMatchObject({ state: "rejected", decisions: [{ decision: "reject", comment: "Use the draft we have" }], hold: null, howToRun: null });
  });

  it("lets every member read a request, as the app does, but only the person who asked run it", async () => {
    const id = await ask();
    const { holdRunId } = await decideRequest(approver, { requestId: id, decision: "approve", comment: "" });
    // Another member's key reads it (the request page is open to the whole team) …
    const otherMember = await makeApiKey(fixture, { creator: "approver", name: "Approver's key" });
    const read = await apiClient(otherMember.secret).GET("/teams/{teamSlug}/approvals/{approvalId}", approvalPath(fixture, id));
    expect(read.response.status).toBe(200);
    expect(read.data?.howToRun?.note).toMatch(new RegExp(`Only ${fixture.people.member.name}`));
    // … but the approval covers the asker's run only.
    const run = await apiClient(otherMember.secret).POST("/teams/{teamSlug}/runs", { ...teamPath(fixture), body: read.data!.howToRun!.body });
    expect(run.response.status).toBe(409);
    expect(run.error?.detail).toMatch(/person who asked/);
    expect((await db().run.findUniqueOrThrow({ where: { id: holdRunId! } })).state).toBe("held");

    // Signed in: a member reads it; a viewer is below the operation's role; an outsider finds no team.
    signInAs(fixture.people.admin);
    expect((await apiClient().GET("/teams/{teamSlug}/approvals/{approvalId}", approvalPath(fixture, id))).response.status).toBe(200);
    signInAs(fixture.people.viewer);
    expect((await apiClient().GET("/teams/{teamSlug}/approvals/{approvalId}", approvalPath(fixture, id))).response.status).toBe(403);
    signInAs(fixture.outsider);
    expect((await apiClient().GET("/teams/{teamSlug}/approvals/{approvalId}", approvalPath(fixture, id))).response.status).toBe(404);
  });

  it("answers another team's ids 404, and never shows or uses them", async () => {
    const other = await makeTeam();
    const otherKey = (await makeApiKey(other, { creator: "member" })).secret;
    const theirs = (await apiClient(otherKey).POST("/teams/{teamSlug}/approvals", { ...teamPath(other), body: premiumAsk(other.projectId) })).data;
    if (theirs?.decision !== "requested") throw new Error("not requested");
    const client = apiClient(secret);

    const read = await client.GET("/teams/{teamSlug}/approvals/{approvalId}", approvalPath(fixture, theirs.id));
    expect(read.response.status).toBe(404);
    expect(read.error?.code).toBe("not_found");
    expect((await client.GET("/teams/{teamSlug}/approvals/{approvalId}", approvalPath(fixture, "no-such-request"))).response.status).toBe(404);
    // Our key at their URL: no such team for it.
    expect((await client.GET("/teams/{teamSlug}/approvals/{approvalId}", approvalPath(other, theirs.id))).response.status).toBe(404);

    const theirProject = await client.POST("/teams/{teamSlug}/approvals", { ...teamPath(fixture), body: premiumAsk(other.projectId) });
    expect(theirProject.response.status).toBe(404);
    expect(theirProject.error?.errors?.[0]).toMatchObject({ field: "projectId" });

    const theirBatch = await createBatch(contextOf(other, "member"), { projectId: other.projectId, name: "Theirs", notes: "" });
    const theirItem = await addItem(contextOf(other, "member"), {
      batchId: theirBatch.batchId,
      title: "Their hero",
      outputType: "image",
      purpose: "final_delivery",
      prompt: "",
      plan: { tests: null, finals: { modelId: "flux-2-pro", settings: {}, count: 2 }, tools: [] },
      flags: NO_FLAGS,
    });
    const theirItemAsked = await client.POST("/teams/{teamSlug}/approvals", { ...teamPath(fixture), body: { ...premiumAsk(fixture.projectId), batchItemId: theirItem.itemId } });
    expect(theirItemAsked.response.status).toBe(404);
    expect(theirItemAsked.error?.errors?.[0]).toMatchObject({ field: "batchItemId" });

    const runOnTheirs = await client.POST("/teams/{teamSlug}/runs", { ...teamPath(fixture), body: { ...premiumRun(fixture.projectId), approvalId: theirs.id } });
    expect(runOnTheirs.response.status).toBe(404);
    expect(await db().approvalRequest.count({ where: { teamId: fixture.team.id } })).toBe(0);
  });

  it("refuses a key without the approvals:write scope (403), and a key whose maker is a viewer", async () => {
    const id = await ask();
    const runsOnly = await makeApiKey(fixture, { scopes: ["runs:write", "batches:read"], creator: "member", name: "Runs only" });
    const asked = await apiClient(runsOnly.secret).POST("/teams/{teamSlug}/approvals", { ...teamPath(fixture), body: premiumAsk(fixture.projectId) });
    expect(asked.response.status).toBe(403);
    expect(asked.error?.detail).toMatch(/approvals:write/);
    const read = await apiClient(runsOnly.secret).GET("/teams/{teamSlug}/approvals/{approvalId}", approvalPath(fixture, id));
    expect(read.response.status).toBe(403);

    const viewerKey = await makeApiKey(fixture, { creator: "viewer", name: "Viewer's key" });
    expect((await apiClient(viewerKey.secret).POST("/teams/{teamSlug}/approvals", { ...teamPath(fixture), body: premiumAsk(fixture.projectId) })).response.status).toBe(403);
    expect((await apiClient(viewerKey.secret).GET("/teams/{teamSlug}/approvals/{approvalId}", approvalPath(fixture, id))).response.status).toBe(403);
    expect(await db().approvalRequest.count({ where: { teamId: fixture.team.id } })).toBe(1);
  });

  it("keeps a key limited to one project inside it, asking and reading", async () => {
    const second = await db().project.create({ data: { teamId: fixture.team.id, name: "Second" } });
    const limited = await makeApiKey(fixture, { creator: "member", projectId: fixture.projectId, name: "One project" });
    const client = apiClient(limited.secret);

    const elsewhere = await client.POST("/teams/{teamSlug}/approvals", { ...teamPath(fixture), body: premiumAsk(second.id) });
    expect(elsewhere.response.status).toBe(403);
    expect(elsewhere.error?.errors).toEqual([{ field: "projectId", in: "body", message: "This key may only use its own project." }]);
    const own = await ask(limited.secret);
    expect((await client.GET("/teams/{teamSlug}/approvals/{approvalId}", approvalPath(fixture, own))).response.status).toBe(200);

    const otherProjects = await ask(secret, premiumAsk(second.id));
    const read = await client.GET("/teams/{teamSlug}/approvals/{approvalId}", approvalPath(fixture, otherProjects));
    expect(read.response.status).toBe(403);
    expect(read.error?.code).toBe("forbidden");
  });

  it("runs an approval given for a batch item as that item's run", async () => {
    const member = contextOf(fixture, "member");
    const { batchId } = await createBatch(member, { projectId: fixture.projectId, name: "Spring campaign", notes: "" });
    const { itemId } = await addItem(member, {
      batchId,
      title: "Hero visual",
      outputType: "image",
      purpose: "final_delivery",
      prompt: "A kite over a field",
      plan: { tests: { modelId: "qwen-image", settings: {}, count: 4 }, finals: { modelId: "flux-2-pro", settings: {}, count: 2 }, tools: [] },
      flags: NO_FLAGS,
    });
    const id = await ask(secret, { ...premiumAsk(fixture.projectId), batchItemId: itemId });
    const { holdRunId } = await decideRequest(approver, { requestId: id, decision: "approve", comment: "" });
    const client = apiClient(secret);
    const approved = await client.GET("/teams/{teamSlug}/approvals/{approvalId}", approvalPath(fixture, id));
    expect(approved.data?.batchItem).toEqual({ id: itemId, title: "Hero visual", batchId, batchName: "Spring campaign" });

    const run = await client.POST("/teams/{teamSlug}/runs", { ...teamPath(fixture), body: approved.data!.howToRun!.body });
    expect(run.response.status).toBe(201);
    expect(run.data).toMatchObject({ decision: "admitted", run: { id: holdRunId } });
    expect((await db().run.findUniqueOrThrow({ where: { id: holdRunId! } })).batchItemId).toBe(itemId);
  });

  describe("signed in", () => {
    it("asks as the person signed in, and refuses a viewer", async () => {
      signInAs(fixture.people.member);
      const { response, data } = await apiClient().POST("/teams/{teamSlug}/approvals", { ...teamPath(fixture), body: premiumAsk(fixture.projectId) });
      expect(response.status).toBe(201);
      const stored = await db().approvalRequest.findUniqueOrThrow({ where: { id: data?.decision === "requested" ? data.id : "" } });
      expect(stored.requesterId).toBe(fixture.people.member.id);
      signInAs(fixture.people.viewer);
      expect((await apiClient().POST("/teams/{teamSlug}/approvals", { ...teamPath(fixture), body: premiumAsk(fixture.projectId) })).response.status).toBe(403);
    });
  });
});
