// Edges a security and money review of the API found (each failed before its fix): bodies as large as the schema
// allows, unstorable text, deep nesting, a lost answer on POST /approvals, estimates past the ceiling, a flood of
// alerts from one usage request, one job admitted and reported as usage, what a run on an approval says of itself.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createApiKey } from "@/lib/api-keys/commands";
import { decideRequest } from "@/lib/approvals/request-commands";
import { closeDatabase, db, useDatabase } from "@/lib/db/client";
import { addGrant } from "@/lib/ledger/commands";
import { setProjectBudget } from "@/lib/ledger/budgets";
import { updatePriceEntry } from "@/lib/price-lists/commands";
import { apiClient, apiFetch, makeApiKey, ORIGIN } from "@/test/api";
import { ANSWERS, cheapTest, premiumRun } from "@/test/approvals";
import { openFreshDatabase } from "@/test/db";
import { makeTeam, withoutApprovals, type TeamFixture } from "@/test/fixtures";
import { verifyLedger } from "@/lib/ledger/verify";
import { signInAs } from "@/test/session";
import { ABANDONED_AFTER_MS } from "./idempotency";

const teamPath = (fixture: TeamFixture) => ({ params: { path: { teamSlug: fixture.team.slug } } });
const admin = (fixture: TeamFixture) => ({ user: fixture.people.admin, team: fixture.team, role: "admin" as const });
const ago = (ms: number) => new Date(Date.now() - ms).toISOString();

const event = (projectId: string, eventId: string, extra: Record<string, unknown> = {}) => ({
  eventId,
  projectId,
  modelId: "qwen-image",
  quantity: 1,
  stage: "test",
  purpose: "internal_review",
  outcome: "accepted",
  actual: 20,
  occurredAt: ago(3_600_000),
  ...extra,
});

/** A raw POST (not the typed client), so a body the client would never build can be sent. */
async function rawPost(path: string, secret: string, body: string, headers: Record<string, string> = {}) {
  const request = new Request(`${ORIGIN}/api/v1${path}`, {
    method: "POST",
    body,
    headers: { authorization: `Bearer ${secret}`, "content-type": "application/json", host: "localhost:3000", ...headers },
  });
  return apiFetch(request).catch((error: unknown) => ({ status: -1, error }) as unknown as Response);
}

describe.skipIf(!process.env.TEST_DATABASE_URL)("API edges (PostgreSQL)", () => {
  let fixture: TeamFixture;
  let secret: string;

  beforeAll(async () => {
    const database = await openFreshDatabase("postgres");
    useDatabase(database.client, database.close);
  });
  afterAll(() => closeDatabase());

  beforeEach(async () => {
    fixture = await makeTeam();
    await addGrant(admin(fixture), { amount: 1_000_000, source: "Top-up", note: "" });
    secret = (await makeApiKey(fixture, { creator: "member" })).secret;
  });
  afterEach(() => signInAs(null));

  it("takes 1,000 usage events with 4,000-character prompts, the most the schema allows (was 413)", async () => {
    const events = Array.from({ length: 1000 }, (_, i) => event(fixture.projectId, `evt-${String(i).padStart(6, "0")}`, { prompt: "p".repeat(4000) }));
    const body = JSON.stringify({ events });
    const response = await rawPost(`/teams/${fixture.team.slug}/usage`, secret, body);
    expect(response.status).toBe(200);
  }, 120_000);

  it("refuses nesting past the limit at its field, with or without an Idempotency-Key (was a 500)", async () => {
    const deep = "[".repeat(20_000) + "]".repeat(20_000);
    for (const headers of [{ "idempotency-key": "deep-1" }, {}] as Record<string, string>[]) {
      const response = await rawPost(`/teams/${fixture.team.slug}/usage`, secret, `{"events":[${deep}]}`, headers);
      expect(response.status).toBe(400);
      expect((await response.json()).errors[0]).toMatchObject({ field: expect.stringMatching(/^events\.0/), in: "body", message: expect.stringMatching(/nested/) });
    }
  });

  it("refuses text the database cannot store at its field and records nothing (was a 500 for the whole request)", async () => {
    const truncated = "A kite 🪁".slice(0, -1); // what .slice(0, 4000) does to an emoji at the cut
    const cases = [
      { events: [event(fixture.projectId, "ok-1"), event(fixture.projectId, "bad-1", { prompt: truncated })], field: "events.1.prompt" },
      { events: [event(fixture.projectId, "ok-2"), event(fixture.projectId, "bad-2", { notes: "line\u0000two" })], field: "events.1.notes" },
      { events: [event(fixture.projectId, "ok-3"), event(fixture.projectId, "bad\u00003")], field: "events.1.eventId" },
    ];
    for (const { events, field } of cases) {
      const { response, error } = await apiClient(secret).POST("/teams/{teamSlug}/usage", { ...teamPath(fixture), body: { events } as never });
      expect(response.status).toBe(400);
      expect(error?.errors?.[0]).toMatchObject({ field, in: "body" });
    }
    await withoutApprovals(fixture.team.id);
    const admitted = await apiClient(secret).POST("/teams/{teamSlug}/runs", { ...teamPath(fixture), body: { ...cheapTest(fixture.projectId), prompt: truncated } });
    expect(admitted.response.status).toBe(400);
    expect(admitted.error?.errors?.[0]).toMatchObject({ field: "prompt", in: "body" });
    expect(await db().run.count({ where: { teamId: fixture.team.id } })).toBe(0);
  });

  it("POST /approvals resent after its instance died past the commit finds the request it made (made a second one)", async () => {
    const client = apiClient(secret, { "idempotency-key": "ask-hero" });
    const body = { ...premiumRun(fixture.projectId), answers: ANSWERS };
    const first = await client.POST("/teams/{teamSlug}/approvals", { ...teamPath(fixture), body });
    expect(first.response.status).toBe(201);
    // The instance died after createRequest committed and before settleIdempotencyKey wrote the answer: the claim is
    // left unanswered. Past ABANDONED_AFTER_MS the client's retry takes it over.
    await db().apiRequest.updateMany({ where: { teamId: fixture.team.id }, data: { status: null, body: undefined, createdAt: new Date(Date.now() - ABANDONED_AFTER_MS - 1_000) } });
    await db().$executeRaw`UPDATE "ApiRequest" SET "body" = NULL WHERE "teamId" = ${fixture.team.id}`;
    const retry = await client.POST("/teams/{teamSlug}/approvals", { ...teamPath(fixture), body });
    expect(retry.response.status).toBe(201);
    expect(retry.data).toEqual(first.data);
    expect(await db().approvalRequest.count({ where: { teamId: fixture.team.id } })).toBe(1);
  });

  it("the same on POST /runs holds once (the ledger key)", async () => {
    await withoutApprovals(fixture.team.id);
    const client = apiClient(secret, { "idempotency-key": "admit-1" });
    const first = await client.POST("/teams/{teamSlug}/runs", { ...teamPath(fixture), body: cheapTest(fixture.projectId) });
    await db().$executeRaw`UPDATE "ApiRequest" SET "status" = NULL, "body" = NULL, "createdAt" = ${new Date(Date.now() - ABANDONED_AFTER_MS - 1_000)} WHERE "teamId" = ${fixture.team.id}`;
    const retry = await client.POST("/teams/{teamSlug}/runs", { ...teamPath(fixture), body: cheapTest(fixture.projectId) });
    expect(retry.data).toEqual(first.data);
    expect(await db().run.count({ where: { teamId: fixture.team.id } })).toBe(1);
  });

  it("makes a key whose last day is 9999-12-31", async () => {
    const result = await createApiKey(admin(fixture), { name: "Far", scopes: ["estimate"], expiresOn: "9999-12-31" }).then(
      () => "ok",
      (error: unknown) => `threw: ${String(error).slice(0, 200)}`,
    );
    expect(result).toBe("ok");
  });

  it("reads runs of a custom range ending 9999-12-31", async () => {
    const { response } = await apiClient(secret).GET("/teams/{teamSlug}/runs", {
      params: { path: { teamSlug: fixture.team.slug }, query: { range: "custom", from: "2026-01-01", to: "9999-12-31" } },
    });
    expect(response.status).not.toBe(500);
  });

  it("says to send a JSON object for an empty body and for one that is not an object", async () => {
    for (const [path, body] of [["usage", ""], ["runs", "[]"], ["runs", "42"]]) {
      const response = await rawPost(`/teams/${fixture.team.slug}/${path}`, secret, body);
      expect(response.status).toBe(400);
      expect((await response.json()).detail).toMatch(/must be a JSON object/);
    }
  });

  it("refuses an estimate past the most one run may cost, at the quantity (drifted from the documented schema)", async () => {
    await updatePriceEntry(admin(fixture), { modelId: "veo-3-1", credits: 6_000_000 }, { effective: { effective: "now" }, note: "" });
    const outcome = await apiClient(secret)
      .POST("/teams/{teamSlug}/estimate", { ...teamPath(fixture), body: { modelId: "veo-3-1", quantity: 1000 } })
      .then((answer) => `status ${answer.response.status} ${JSON.stringify(answer.data ?? answer.error).slice(0, 200)}`, (error: unknown) => `contract: ${String(error).slice(0, 300)}`);
    expect(outcome).toMatch(/^status 400 .*quantity/);
  });

  it("raises one alert for a usage request's 200 over-budget premium finals (was 402)", async () => {
    await setProjectBudget(admin(fixture), { projectId: fixture.projectId, credits: 10, period: "month", weekStartsOn: 1, alertPercent: 80, hardCap: true });
    const events = Array.from({ length: 200 }, (_, i) => event(fixture.projectId, `flood-${i}`, { modelId: "flux-2-pro", stage: "final", purpose: "final_delivery", actual: 120 }));
    const { response } = await apiClient(secret).POST("/teams/{teamSlug}/usage", { ...teamPath(fixture), body: { events } as never });
    expect(response.status).toBe(200);
    const byKind = await db().notification.groupBy({ by: ["kind"], where: { teamId: fixture.team.id }, _count: true });
    expect(byKind.reduce((sum, row) => sum + row._count, 0)).toBeLessThan(5);
    const flagged = await db().notification.findMany({ where: { teamId: fixture.team.id, kind: "usage_flagged" }, select: { data: true } });
    expect(flagged).toEqual([{ data: { recorded: 200, overBudget: 200, premiumFinals: 200, userId: fixture.people.member.id } }]);
  });
  it("answers a usage event whose id a run admitted through the API has as already recorded (was charged twice)", async () => {
    await withoutApprovals(fixture.team.id);
    const client = apiClient(secret);
    const admitted = await client.POST("/teams/{teamSlug}/runs", { ...teamPath(fixture), body: { ...cheapTest(fixture.projectId), quantity: 1, externalId: "job-42" } });
    if (admitted.data?.decision !== "admitted") throw new Error("not admitted");
    await client.POST("/teams/{teamSlug}/runs/{runId}/settle", { params: { path: { teamSlug: fixture.team.slug, runId: admitted.data.run.id } }, body: { actual: 20, outcome: "accepted" } });
    const reported = await client.POST("/teams/{teamSlug}/usage", { ...teamPath(fixture), body: { events: [event(fixture.projectId, "job-42")] } as never });
    const runs = await db().run.findMany({ where: { teamId: fixture.team.id, externalId: "job-42" }, select: { id: true, actual: true } });
    expect(runs).toHaveLength(1);
    expect(reported.data?.events[0]).toMatchObject({ status: "already_recorded", runId: admitted.data.run.id });
    // The other way round: a job reported as usage first cannot be admitted under its id again.
    await client.POST("/teams/{teamSlug}/usage", { ...teamPath(fixture), body: { events: [event(fixture.projectId, "job-43")] } as never });
    const again = await client.POST("/teams/{teamSlug}/runs", { ...teamPath(fixture), body: { ...cheapTest(fixture.projectId), externalId: "job-43" } });
    expect(again.response.status).toBe(409);
    expect(again.error?.errors?.[0]).toMatchObject({ field: "externalId" });
    // A resend of an admission that named an id is answered as the first time, not refused for its own run.
    const keyed = apiClient(secret, { "idempotency-key": "job-44-admit" });
    const once = await keyed.POST("/teams/{teamSlug}/runs", { ...teamPath(fixture), body: { ...cheapTest(fixture.projectId), externalId: "job-44" } });
    await db().apiRequest.deleteMany({ where: { teamId: fixture.team.id, key: "job-44-admit" } });
    const twice = await keyed.POST("/teams/{teamSlug}/runs", { ...teamPath(fixture), body: { ...cheapTest(fixture.projectId), externalId: "job-44" } });
    expect(twice.data).toEqual(once.data);
  });
  it("keeps the prompt and external id sent with a run on an approval (were dropped)", async () => {
    const client = apiClient(secret);
    const asked = await client.POST("/teams/{teamSlug}/approvals", { ...teamPath(fixture), body: { ...premiumRun(fixture.projectId), answers: ANSWERS } });
    if (asked.data?.decision !== "requested") throw new Error("not requested");
    const approver = { user: fixture.people.approver, team: fixture.team, role: "approver" as const };
    const decided = await decideRequest(approver, { requestId: asked.data.id, decision: "approve", comment: "ok" });
    const run = await client.POST("/teams/{teamSlug}/runs", {
      ...teamPath(fixture),
      body: { ...premiumRun(fixture.projectId), approvalId: asked.data.id, prompt: "A kite over a field at dawn", externalId: "job-77" },
    });
    expect(run.response.status).toBe(201);
    const stored = await db().run.findUniqueOrThrow({ where: { id: decided.holdRunId! }, select: { prompt: true, externalId: true } });
    expect(stored).toEqual({ prompt: "A kite over a field at dawn", externalId: "job-77" });
  });

  describe("one job, one run (the second review)", () => {
    const admitJob = (client: ReturnType<typeof apiClient>, externalId: string, projectId = fixture.projectId) =>
      client.POST("/teams/{teamSlug}/runs", { ...teamPath(fixture), body: { ...cheapTest(projectId), quantity: 1, externalId } });

    it("admits one run for concurrent admissions naming one job id, each with its own key (were all admitted)", async () => {
      await withoutApprovals(fixture.team.id);
      const answers = await Promise.all(Array.from({ length: 8 }, (_, i) => admitJob(apiClient(secret, { "idempotency-key": `race-${i}` }), "job-race")));
      expect(answers.filter((answer) => answer.response.status === 201)).toHaveLength(1);
      for (const refused of answers.filter((answer) => answer.response.status !== 201)) {
        expect(refused.response.status).toBe(409);
        expect(refused.error?.errors?.[0]).toMatchObject({ field: "externalId", in: "body" });
        // It names no run: a key limited to one project learns nothing of another's.
        expect(refused.error?.detail).not.toMatch(/run_/);
      }
      expect(await db().run.count({ where: { teamId: fixture.team.id, externalId: "job-race" } })).toBe(1);
    });

    it("makes one run of an admission and a usage event for one job sent at the same moment (made two)", async () => {
      await withoutApprovals(fixture.team.id);
      for (let round = 0; round < 6; round++) {
        const job = `job-both-${round}`;
        await Promise.all([
          admitJob(apiClient(secret), job),
          apiClient(secret).POST("/teams/{teamSlug}/usage", { ...teamPath(fixture), body: { events: [event(fixture.projectId, job)] } as never }),
        ]);
        expect(await db().run.count({ where: { teamId: fixture.team.id, externalId: job } }), job).toBe(1);
      }
      expect(await verifyLedger(db(), fixture.team.id)).toEqual([]);
    });

    it("refuses an external id with a space at either end (slipped past the check)", async () => {
      const { response, error } = await admitJob(apiClient(secret), "job-sp ");
      expect(response.status).toBe(400);
      expect(error?.errors?.[0]).toMatchObject({ field: "externalId" });
    });

    it("refuses an event for a run still held (its cost was lost), and takes it once the run is settled with the same figures", async () => {
      await withoutApprovals(fixture.team.id);
      const admitted = await admitJob(apiClient(secret), "job-held");
      if (admitted.data?.decision !== "admitted") throw new Error("not admitted");
      const report = (actual: number) =>
        apiClient(secret).POST("/teams/{teamSlug}/usage", { ...teamPath(fixture), body: { events: [event(fixture.projectId, "job-held", { actual })] } as never });
      expect((await report(20)).data?.events[0]).toMatchObject({ status: "refused", field: "eventId", reason: expect.stringMatching(/still held: settle it/) });
      expect((await db().run.findUniqueOrThrow({ where: { id: admitted.data.run.id } })).state).toBe("held");
      await apiClient(secret).POST("/teams/{teamSlug}/runs/{runId}/settle", {
        params: { path: { teamSlug: fixture.team.slug, runId: admitted.data.run.id } },
        body: { actual: 20, outcome: "accepted" },
      });
      expect((await report(20)).data?.events[0]).toMatchObject({ status: "already_recorded", runId: admitted.data.run.id });
      // Other figures than the run was settled with: refused, not "already recorded".
      expect((await report(5_000)).data?.events[0]).toMatchObject({ status: "refused", field: "actual" });
      expect(await db().run.count({ where: { teamId: fixture.team.id, externalId: "job-held" } })).toBe(1);
    });

    it("answers a run on an approval resent after a lost answer as the first time (was refused for its own external id)", async () => {
      const client = apiClient(secret);
      const asked = await client.POST("/teams/{teamSlug}/approvals", { ...teamPath(fixture), body: { ...premiumRun(fixture.projectId), answers: ANSWERS } });
      if (asked.data?.decision !== "requested") throw new Error("not requested");
      await decideRequest({ user: fixture.people.approver, team: fixture.team, role: "approver" }, { requestId: asked.data.id, decision: "approve", comment: "ok" });
      const keyed = apiClient(secret, { "idempotency-key": "appr-run-1" });
      const body = { ...premiumRun(fixture.projectId), approvalId: asked.data.id, externalId: "job-appr" };
      const first = await keyed.POST("/teams/{teamSlug}/runs", { ...teamPath(fixture), body });
      expect(first.response.status).toBe(201);
      await db().apiRequest.deleteMany({ where: { teamId: fixture.team.id, key: "appr-run-1" } });
      const again = await keyed.POST("/teams/{teamSlug}/runs", { ...teamPath(fixture), body });
      expect(again.response.status).toBe(201);
      expect(again.data).toEqual(first.data);
    });

    it("refuses a resent approval request whose content differs from the one its key made (answered with the old request)", async () => {
      const keyed = apiClient(secret, { "idempotency-key": "ask-once" });
      await keyed.POST("/teams/{teamSlug}/approvals", { ...teamPath(fixture), body: { ...premiumRun(fixture.projectId), answers: ANSWERS } });
      await db().apiRequest.deleteMany({ where: { teamId: fixture.team.id, key: "ask-once" } });
      const other = await keyed.POST("/teams/{teamSlug}/approvals", { ...teamPath(fixture), body: { ...premiumRun(fixture.projectId, 7), answers: ANSWERS } });
      expect(other.response.status).toBe(409);
      expect(other.error?.detail).toMatch(/used for another request/);
      expect(await db().approvalRequest.count({ where: { teamId: fixture.team.id } })).toBe(1);
    });
  });
});
