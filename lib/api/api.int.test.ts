// The public API's own rules, end to end through the typed client: keys (unknown, revoked, expired, another team's,
// scopes, the creator's role, one project), problem details, Idempotency-Key, rate limits; estimate and admission.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { revokeApiKey } from "@/lib/api-keys/commands";
import { hashApiKey } from "@/lib/api-keys/rules";
import { ABANDONED_AFTER_MS } from "./idempotency";
import { db } from "@/lib/db/client";
import { addGrant } from "@/lib/ledger/commands";
import { verifyLedger } from "@/lib/ledger/verify";
import { apiClient, apiFetch, makeApiKey, ORIGIN } from "@/test/api";
import { cheapTest, premiumRun, PREMIUM_FINAL } from "@/test/approvals";
import { describeEachDatabase } from "@/test/db";
import { makeTeam, withoutApprovals, type TeamFixture } from "@/test/fixtures";
import { signInAs } from "@/test/session";

function admin(fixture: TeamFixture) {
  return { user: fixture.people.admin, team: fixture.team, role: "admin" as const };
}

const teamPath = (fixture: TeamFixture) => ({ params: { path: { teamSlug: fixture.team.slug } } });

describeEachDatabase("the public API", () => {
  let fixture: TeamFixture;
  let secret: string;

  beforeEach(async () => {
    fixture = await makeTeam();
    await addGrant(admin(fixture), { amount: 10_000, source: "Top-up", note: "" });
    secret = (await makeApiKey(fixture)).secret;
  });

  afterEach(() => signInAs(null));

  describe("keys", () => {
    it("estimates with a key: the same figure and breakdown as the app", async () => {
      const { data, response } = await apiClient(secret).POST("/teams/{teamSlug}/estimate", {
        ...teamPath(fixture),
        body: { modelId: "flux-2-pro", quantity: 2 },
      });
      expect(response.status).toBe(200);
      expect(data).toMatchObject({ credits: PREMIUM_FINAL, quantity: 2, modelId: "flux-2-pro", priceListVersion: expect.any(Number) });
      expect(data?.breakdown).toMatch(/\d/);
    });

    it("stores only the key's hash and notes its last use and address", async () => {
      const stored = await db().apiKey.findFirstOrThrow({ where: { teamId: fixture.team.id } });
      expect(stored.hash).toBe(hashApiKey(secret));
      expect(JSON.stringify(stored)).not.toContain(secret);
      expect(stored.lastUsedAt).toBeNull();
      await apiClient(secret).GET("/teams/{teamSlug}/projects", teamPath(fixture));
      const used = await db().apiKey.findUniqueOrThrow({ where: { id: stored.id } });
      expect(used.lastUsedAt).not.toBeNull();
      expect(used.lastUsedAddress).toBeTruthy();
    });

    it("refuses a malformed, unknown, revoked or expired key with 401 problem details", async () => {
      const call = (key: string) => apiClient(key).GET("/teams/{teamSlug}/projects", teamPath(fixture));
      const malformed = await call("not-a-key");
      expect(malformed.response.status).toBe(401);
      expect(malformed.response.headers.get("content-type")).toBe("application/problem+json");
      expect(malformed.error).toMatchObject({ type: "about:blank", status: 401, code: "unauthenticated" });
      expect((await call(`cwk_${"A".repeat(43)}`)).response.status).toBe(401);

      const { id } = await makeApiKey(fixture, { name: "Soon revoked" });
      const revokedSecret = (await db().apiKey.findUniqueOrThrow({ where: { id } })).hash;
      expect(revokedSecret).toBeTruthy();
      const live = await makeApiKey(fixture, { name: "Revoke me" });
      expect((await call(live.secret)).response.status).toBe(200);
      await revokeApiKey(admin(fixture), live.id);
      const revoked = await call(live.secret);
      expect(revoked.response.status).toBe(401);
      expect(revoked.error?.detail).toMatch(/revoked/);

      const expiring = await makeApiKey(fixture, { name: "Expires", expiresOn: "2999-12-31" });
      await db().apiKey.update({ where: { id: expiring.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
      const expired = await call(expiring.secret);
      expect(expired.response.status).toBe(401);
      expect(expired.error?.detail).toMatch(/expired/);
    });

    it("answers a key of another team 404 at this team's URLs, and the key's own team still works", async () => {
      const other = await makeTeam();
      const otherKey = await makeApiKey(other);
      const { response, error } = await apiClient(otherKey.secret).GET("/teams/{teamSlug}/projects", teamPath(fixture));
      expect(response.status).toBe(404);
      expect(error?.code).toBe("not_found");
      expect((await apiClient(otherKey.secret).GET("/teams/{teamSlug}/projects", teamPath(other))).response.status).toBe(200);
    });

    it("refuses what the key's scopes do not allow, and what its creator's role does not", async () => {
      const estimateOnly = await makeApiKey(fixture, { scopes: ["estimate"] });
      const admitted = await apiClient(estimateOnly.secret).POST("/teams/{teamSlug}/runs", { ...teamPath(fixture), body: cheapTest(fixture.projectId) });
      expect(admitted.response.status).toBe(403);
      expect(admitted.error?.detail).toMatch(/runs:write/);

      const viewerKey = await makeApiKey(fixture, { creator: "viewer" });
      const byViewer = await apiClient(viewerKey.secret).POST("/teams/{teamSlug}/runs", { ...teamPath(fixture), body: cheapTest(fixture.projectId) });
      expect(byViewer.response.status).toBe(403);
      expect(byViewer.error?.detail).toMatch(/member role/);
      expect(byViewer.error?.detail).toMatch(/is a viewer in the team now, so the key can only read/);
      expect((await apiClient(viewerKey.secret).POST("/teams/{teamSlug}/estimate", { ...teamPath(fixture), body: { modelId: "qwen-image", quantity: 1 } })).response.status).toBe(200);

      const gone = await makeApiKey(fixture, { creator: "member" });
      await db().membership.deleteMany({ where: { teamId: fixture.team.id, userId: fixture.people.member.id } });
      const afterLeaving = await apiClient(gone.secret).POST("/teams/{teamSlug}/estimate", { ...teamPath(fixture), body: { modelId: "qwen-image", quantity: 1 } });
      expect(afterLeaving.response.status).toBe(401);
      expect(afterLeaving.error?.detail).toMatch(/no longer in the team/);
    });

    it("acts as a member even when an owner made it: admin-only answers stay out of reach", async () => {
      const ownerKey = await makeApiKey(fixture, { creator: "owner" });
      await withoutApprovals(fixture.team.id);
      const { data } = await apiClient(ownerKey.secret).POST("/teams/{teamSlug}/runs", { ...teamPath(fixture), body: cheapTest(fixture.projectId) });
      expect(data).toMatchObject({ decision: "admitted" });
      const run = await db().run.findUniqueOrThrow({ where: { id: data!.decision === "admitted" ? data!.run.id : "" } });
      expect(run.userId).toBe(fixture.people.owner.id);
      // Settling someone else's run needs an admin; the owner's key acts as a member.
      const memberKey = await makeApiKey(fixture, { creator: "member" });
      const settled = await apiClient(memberKey.secret).POST("/teams/{teamSlug}/runs/{runId}/settle", {
        params: { path: { teamSlug: fixture.team.slug, runId: run.id } },
        body: { actual: 100, outcome: "accepted" },
      });
      expect(settled.response.status).toBe(403);
    });

    it("keeps a key limited to one project inside it", async () => {
      await withoutApprovals(fixture.team.id);
      const other = await db().project.create({ data: { teamId: fixture.team.id, name: "Other" } });
      const limited = await makeApiKey(fixture, { projectId: fixture.projectId });
      const client = apiClient(limited.secret);
      const elsewhere = await client.POST("/teams/{teamSlug}/runs", { ...teamPath(fixture), body: cheapTest(other.id) });
      expect(elsewhere.response.status).toBe(403);
      expect(elsewhere.error?.errors).toEqual([{ field: "projectId", in: "body", message: "This key may only use its own project." }]);
      const projects = await client.GET("/teams/{teamSlug}/projects", teamPath(fixture));
      expect(projects.data?.projects.map((project) => project.id)).toEqual([fixture.projectId]);

      const { data: otherRun } = await apiClient(secret).POST("/teams/{teamSlug}/runs", { ...teamPath(fixture), body: cheapTest(other.id) });
      const otherRunId = otherRun?.decision === "admitted" ? otherRun.run.id : "";
      const settle = await client.POST("/teams/{teamSlug}/runs/{runId}/settle", {
        params: { path: { teamSlug: fixture.team.slug, runId: otherRunId } },
        body: { actual: 1, outcome: "accepted" },
      });
      expect(settle.response.status).toBe(403);
      expect(settle.error?.errors).toEqual([{ field: "runId", in: "path", message: "This key may only use its own project." }]);
      expect((await db().run.findUniqueOrThrow({ where: { id: otherRunId } })).state).toBe("held");
    });

    it("counts requests per key and answers 429 with Retry-After and RateLimit headers past the limit", async () => {
      process.env.API_RATE_LIMIT_PER_MINUTE = "3";
      try {
        const client = apiClient(secret);
        const first = await client.GET("/teams/{teamSlug}/projects", teamPath(fixture));
        expect(first.response.headers.get("ratelimit")).toMatch(/"per-key";r=2;t=\d+/);
        expect(first.response.headers.get("ratelimit-policy")).toBe('"per-key";q=3;w=60');
        await client.GET("/teams/{teamSlug}/projects", teamPath(fixture));
        await client.GET("/teams/{teamSlug}/projects", teamPath(fixture));
        const limited = await client.GET("/teams/{teamSlug}/projects", teamPath(fixture));
        expect(limited.response.status).toBe(429);
        expect(Number(limited.response.headers.get("retry-after"))).toBeGreaterThan(0);
        expect(limited.error?.code).toBe("rate_limited");
        // Another key of the same team has its own count.
        const other = await makeApiKey(fixture, { name: "Other" });
        expect((await apiClient(other.secret).GET("/teams/{teamSlug}/projects", teamPath(fixture))).response.status).toBe(200);
        // A revoked key's requests are refused without being counted (nor is a made-up key's).
        await revokeApiKey(admin(fixture), other.id);
        await apiClient(other.secret).GET("/teams/{teamSlug}/projects", teamPath(fixture));
        const buckets = await db().rateLimitBucket.count();
        await apiClient(`cwk_${"B".repeat(43)}`).GET("/teams/{teamSlug}/projects", teamPath(fixture));
        expect(await db().rateLimitBucket.findUnique({ where: { key: `api-key:${other.id}` }, select: { count: true } })).toEqual({ count: 1 });
        expect(await db().rateLimitBucket.count()).toBe(buckets);
      } finally {
        delete process.env.API_RATE_LIMIT_PER_MINUTE;
      }
    });
  });

  describe("the session as a transport", () => {
    it("answers a signed-in member as their role allows, and nobody else", async () => {
      signInAs(fixture.people.viewer);
      expect((await apiClient().POST("/teams/{teamSlug}/estimate", { ...teamPath(fixture), body: { modelId: "qwen-image", quantity: 1 } })).response.status).toBe(200);
      expect((await apiClient().POST("/teams/{teamSlug}/runs", { ...teamPath(fixture), body: cheapTest(fixture.projectId) })).response.status).toBe(403);
      signInAs(fixture.outsider);
      expect((await apiClient().GET("/teams/{teamSlug}/projects", teamPath(fixture))).response.status).toBe(404);
      signInAs(null);
      expect((await apiClient().GET("/teams/{teamSlug}/projects", teamPath(fixture))).response.status).toBe(401);
    });

    it("refuses a session write sent from another site's page", async () => {
      signInAs(fixture.people.member);
      const { response } = await apiClient(undefined, { origin: "https://evil.test" }).POST("/teams/{teamSlug}/runs", {
        ...teamPath(fixture),
        body: cheapTest(fixture.projectId),
      });
      expect(response.status).toBe(403);
      expect(await db().run.count({ where: { teamId: fixture.team.id } })).toBe(0);
    });
  });

  describe("input", () => {
    it("lists every field at fault, where it was sent, and changes nothing", async () => {
      const { response, error } = await apiClient(secret).POST("/teams/{teamSlug}/runs", {
        ...teamPath(fixture),
        body: { ...cheapTest(fixture.projectId), quantity: 0, stage: "later", surprise: true } as never,
      });
      expect(response.status).toBe(400);
      expect(error?.code).toBe("invalid");
      const fields = error?.errors?.map((item) => `${item.in}:${item.field}`).sort();
      expect(fields).toEqual(["body:quantity", "body:stage", "body:surprise"]);
      expect(error?.errors?.find((item) => item.field === "surprise")?.message).toMatch(/Not a field of this request/);
      expect(await db().run.count({ where: { teamId: fixture.team.id } })).toBe(0);
    });

    it("refuses a query parameter the operation does not have (a misspelt filter would read everything)", async () => {
      const { response, error } = await apiClient(secret).GET("/teams/{teamSlug}/projects", { params: { path: { teamSlug: fixture.team.slug }, query: { projectId: "x" } as never } });
      expect(response.status).toBe(400);
      expect(error?.errors).toEqual([{ field: "projectId", in: "query", message: expect.stringMatching(/Not a field of this request: projectId/) }]);
    });

    it("refuses a body that is not JSON, and one over the size limit with 413", async () => {
      const url = `${ORIGIN}/api/v1/teams/${fixture.team.slug}/runs`;
      const headers = { authorization: `Bearer ${secret}`, "content-type": "application/json" };
      const broken = await apiFetch(new Request(url, { method: "POST", headers, body: "{not json" }));
      expect(broken.status).toBe(400);
      const huge = await apiFetch(new Request(url, { method: "POST", headers, body: `{"notes":"${"x".repeat(5 * 1024 * 1024)}"}` }));
      expect(huge.status).toBe(413);
      expect((await huge.json()).code).toBe("payload_too_large");
    });

    it("answers an address that is no operation with a 404 problem pointing to the reference", async () => {
      const { GET } = await import("@/app/api/v1/[...path]/route");
      const response = GET(new Request(`${ORIGIN}/api/v1/teams/${fixture.team.slug}/nothing`));
      expect(response.status).toBe(404);
      expect(response.headers.get("content-type")).toBe("application/problem+json");
      expect(await response.json()).toMatchObject({ code: "not_found", detail: expect.stringMatching(/not an operation.*\/docs\/api/) });
    });

    it("answers a pricing refusal at its field", async () => {
      const { response, error } = await apiClient(secret).POST("/teams/{teamSlug}/estimate", { ...teamPath(fixture), body: { modelId: "no-such-model", quantity: 1 } });
      expect(response.status).toBe(400);
      expect(error?.errors?.[0]).toMatchObject({ field: "modelId", in: "body" });
    });
  });

  describe("admission", () => {
    it("admits, settles and releases with a key; the ledger verifies", async () => {
      await withoutApprovals(fixture.team.id);
      const client = apiClient(secret);
      const admitted = await client.POST("/teams/{teamSlug}/runs", { ...teamPath(fixture), body: cheapTest(fixture.projectId) });
      expect(admitted.response.status).toBe(201);
      if (admitted.data?.decision !== "admitted") throw new Error("not admitted");
      expect(admitted.data.run).toEqual({ id: expect.any(String), state: "held", held: 100 });
      expect(admitted.data.links.settle).toBe(`/api/v1/teams/${fixture.team.slug}/runs/${admitted.data.run.id}/settle`);
      const settled = await client.POST("/teams/{teamSlug}/runs/{runId}/settle", {
        params: { path: { teamSlug: fixture.team.slug, runId: admitted.data.run.id } },
        body: { actual: 120, outcome: "accepted" },
      });
      expect(settled.data).toEqual({ runId: admitted.data.run.id, state: "settled", actual: 120, overrun: true });

      const second = await client.POST("/teams/{teamSlug}/runs", { ...teamPath(fixture), body: cheapTest(fixture.projectId) });
      const secondId = second.data?.decision === "admitted" ? second.data.run.id : "";
      const released = await client.POST("/teams/{teamSlug}/runs/{runId}/release", {
        params: { path: { teamSlug: fixture.team.slug, runId: secondId } },
        body: { failed: true, reason: "Timed out" },
      });
      expect(released.data).toEqual({ runId: secondId, state: "failed" });
      const again = await client.POST("/teams/{teamSlug}/runs/{runId}/release", { params: { path: { teamSlug: fixture.team.slug, runId: secondId } }, body: {} });
      expect(again.response.status).toBe(409);
      const missing = await client.POST("/teams/{teamSlug}/runs/{runId}/settle", {
        params: { path: { teamSlug: fixture.team.slug, runId: "run_nope" } },
        body: { actual: 1, outcome: "accepted" },
      });
      expect(missing.response.status).toBe(404);
      expect(await verifyLedger(db(), fixture.team.id)).toEqual([]);
    });

    it("answers needs approval with the rule and a link, holding nothing", async () => {
      const { response, data } = await apiClient(secret).POST("/teams/{teamSlug}/runs", { ...teamPath(fixture), body: premiumRun(fixture.projectId) });
      expect(response.status).toBe(200);
      expect(data).toMatchObject({ decision: "needs_approval", estimate: PREMIUM_FINAL, rule: { id: expect.any(String), name: expect.any(String) } });
      expect(data?.decision === "needs_approval" && data.links.requestApproval).toBe(`/api/v1/teams/${fixture.team.slug}/approvals`);
      expect(await db().run.count({ where: { teamId: fixture.team.id } })).toBe(0);
    });

    it("answers denied with the reason code and the figures", async () => {
      await withoutApprovals(fixture.team.id);
      const { data } = await apiClient(secret).POST("/teams/{teamSlug}/runs", {
        ...teamPath(fixture),
        body: { ...cheapTest(fixture.projectId), quantity: 10_000 },
      });
      expect(data).toMatchObject({ decision: "denied", estimate: 200_000, denial: { code: "team_balance", needed: 200_000, shortfall: 190_000, available: 10_000 } });
      expect(data?.decision === "denied" && data.reason).toMatch(/Not enough team credits/);
    });
  });

  describe("Idempotency-Key", () => {
    it("answers a retry with the first status and body, holding once", async () => {
      await withoutApprovals(fixture.team.id);
      const client = apiClient(secret, { "idempotency-key": "job-42-admit" });
      const first = await client.POST("/teams/{teamSlug}/runs", { ...teamPath(fixture), body: cheapTest(fixture.projectId) });
      const retry = await client.POST("/teams/{teamSlug}/runs", { ...teamPath(fixture), body: cheapTest(fixture.projectId) });
      expect(first.response.status).toBe(201);
      expect(retry.response.status).toBe(201);
      expect(retry.data).toEqual(first.data);
      expect(retry.response.headers.get("idempotent-replayed")).toBe("true");
      expect(await db().run.count({ where: { teamId: fixture.team.id } })).toBe(1);
      // The same body with its fields in another order is the same request.
      const reordered = await client.POST("/teams/{teamSlug}/runs", { ...teamPath(fixture), body: JSON.parse(JSON.stringify(cheapTest(fixture.projectId), Object.keys(cheapTest(fixture.projectId)).reverse())) });
      expect(reordered.response.status).toBe(201);
    });

    it("refuses the same key with another body (422), and keeps one caller's keys apart from another's", async () => {
      await withoutApprovals(fixture.team.id);
      const client = apiClient(secret, { "idempotency-key": "shared-key" });
      await client.POST("/teams/{teamSlug}/runs", { ...teamPath(fixture), body: cheapTest(fixture.projectId) });
      const other = await client.POST("/teams/{teamSlug}/runs", { ...teamPath(fixture), body: { ...cheapTest(fixture.projectId), quantity: 6 } });
      expect(other.response.status).toBe(422);
      expect(other.error?.code).toBe("idempotency_key_reused");
      const secondKey = await makeApiKey(fixture, { name: "Second" });
      const elsewhere = await apiClient(secondKey.secret, { "idempotency-key": "shared-key" }).POST("/teams/{teamSlug}/runs", {
        ...teamPath(fixture),
        body: { ...cheapTest(fixture.projectId), quantity: 6 },
      });
      expect(elsewhere.response.status).toBe(201);
      expect(await db().run.count({ where: { teamId: fixture.team.id } })).toBe(2);
    });

    it("keeps a refusal too, and makes a twin wait while the first is answered; an abandoned one is taken over", async () => {
      const client = apiClient(secret, { "idempotency-key": "pending-key" });
      await db().apiRequest.create({
        data: {
          teamId: fixture.team.id,
          caller: `key:${(await db().apiKey.findFirstOrThrow({ where: { hash: hashApiKey(secret) } })).id}`,
          key: "pending-key",
          method: "POST",
          path: `/api/v1/teams/${fixture.team.slug}/estimate`,
          requestHash: (await import("./idempotency")).requestFingerprint("POST", `/api/v1/teams/${fixture.team.slug}/estimate`, { modelId: "qwen-image", quantity: 1 }),
        },
      });
      const waiting = await client.POST("/teams/{teamSlug}/estimate", { ...teamPath(fixture), body: { modelId: "qwen-image", quantity: 1 } });
      expect(waiting.response.status).toBe(409);
      expect(waiting.error?.code).toBe("idempotency_key_in_use");
      expect(waiting.response.headers.get("retry-after")).toBe("1");
      await db().apiRequest.updateMany({ where: { key: "pending-key" }, data: { createdAt: new Date(Date.now() - ABANDONED_AFTER_MS - 1_000) } });
      const takenOver = await client.POST("/teams/{teamSlug}/estimate", { ...teamPath(fixture), body: { modelId: "qwen-image", quantity: 1 } });
      expect(takenOver.response.status).toBe(200);

      const refusal = apiClient(secret, { "idempotency-key": "refused-key" });
      const denied = await refusal.POST("/teams/{teamSlug}/estimate", { ...teamPath(fixture), body: { modelId: "nope", quantity: 1 } });
      const replay = await refusal.POST("/teams/{teamSlug}/estimate", { ...teamPath(fixture), body: { modelId: "nope", quantity: 1 } });
      expect(replay.response.status).toBe(denied.response.status);
      expect(replay.error).toEqual(denied.error);
    });

    it("never holds twice even when the API's record of the first answer was lost (its instance died before writing it)", async () => {
      await withoutApprovals(fixture.team.id);
      const client = apiClient(secret, { "idempotency-key": "lost-answer" });
      const first = await client.POST("/teams/{teamSlug}/runs", { ...teamPath(fixture), body: cheapTest(fixture.projectId) });
      // As if the instance died between the ledger's commit and keeping the answer: the record is still "unanswered".
      await db().apiRequest.updateMany({ where: { key: "lost-answer" }, data: { status: null, body: undefined, createdAt: new Date(Date.now() - ABANDONED_AFTER_MS - 1_000) } });
      const retry = await client.POST("/teams/{teamSlug}/runs", { ...teamPath(fixture), body: cheapTest(fixture.projectId) });
      expect(retry.response.status).toBe(201);
      expect(retry.data).toEqual(first.data);
      expect(await db().run.count({ where: { teamId: fixture.team.id } })).toBe(1);
      expect(await verifyLedger(db(), fixture.team.id)).toEqual([]);
    });

    it("refuses a malformed Idempotency-Key", async () => {
      const { response, error } = await apiClient(secret, { "idempotency-key": "x".repeat(201) }).POST("/teams/{teamSlug}/estimate", {
        ...teamPath(fixture),
        body: { modelId: "qwen-image", quantity: 1 },
      });
      expect(response.status).toBe(400);
      expect(error?.errors?.[0]).toMatchObject({ field: "Idempotency-Key", in: "header" });
    });
  });
});
