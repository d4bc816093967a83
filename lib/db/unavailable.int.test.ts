// The database out of reach: the API answers 503 with Retry-After, a route handler the same, an action a message
// that says so; once it is back the same requests go through (the Idempotency-Key was not left claimed).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as exportUsage } from "@/app/t/[teamSlug]/usage/export/[what]/route";
import { signInAction } from "@/lib/accounts/actions";
import { addGrantAction } from "@/lib/ledger/actions";
import { db, openDatabase, useDatabase as pointDatabaseAt, type Db } from "@/lib/db/client";
import { isDatabaseUnavailable } from "@/lib/db/errors";
import { apiClient, makeApiKey, ORIGIN } from "@/test/api";
import { publishedApp } from "@/test/apps";
import { cheapTest } from "@/test/approvals";
import { databaseKinds, openFreshDatabase } from "@/test/db";
import { makeTeam, withoutApprovals, type TeamFixture } from "@/test/fixtures";
import { signInAs } from "@/test/session";

// Nothing listens on port 1: every connection is refused at once, as while PostgreSQL restarts.
const UNREACHABLE = "postgresql://postgres@127.0.0.1:1/creditwise";

for (const kind of databaseKinds) {
  describe(`the database out of reach [${kind}]`, () => {
    let reachable: { client: Db; close: () => Promise<void> };
    let unreachable: { client: Db; close: () => Promise<void> };
    let fixture: TeamFixture;
    let secret: string;
    const outage = () => pointDatabaseAt(unreachable.client);
    const back = () => pointDatabaseAt(reachable.client);

    beforeAll(async () => {
      reachable = await openFreshDatabase(kind);
      unreachable = openDatabase({ kind: "postgres", url: UNREACHABLE });
      back();
      fixture = await makeTeam();
      await withoutApprovals(fixture.team.id);
      secret = (await makeApiKey(fixture, { creator: "admin" })).secret;
    });

    afterAll(async () => {
      pointDatabaseAt(undefined);
      await unreachable.close();
      await reachable.close();
    });

    it("tells a lost connection from the request's own errors", async () => {
      const refused = await unreachable.client.user.count().catch((error: unknown) => error);
      expect(isDatabaseUnavailable(refused)).toBe(true);
      const terminated = Object.assign(new Error("Raw query failed. Code: `57P01`."), {
        code: "P2010",
        meta: { driverAdapterError: { cause: { kind: "postgres", code: "57P01", message: "terminating connection due to administrator command" } } },
      });
      expect(isDatabaseUnavailable(terminated)).toBe(true);
      expect(isDatabaseUnavailable(new Error("boom", { cause: new Error("Connection terminated unexpectedly") }))).toBe(true);
      const unique = await db()
        .user.create({ data: { name: "Twin", email: fixture.people.admin.email } })
        .catch((error: unknown) => error);
      expect(unique).toMatchObject({ code: "P2002" });
      expect(isDatabaseUnavailable(unique)).toBe(false);
      expect(isDatabaseUnavailable(new Error("Raw query failed. Code: `P0001`. Message: `budget`"))).toBe(false);
    });

    it("the API answers 503 with Retry-After, and the same Idempotency-Key goes through once the database is back", async () => {
      signInAs(fixture.people.admin);
      expect((await addGrantAction({ teamSlug: fixture.team.slug, amount: "1000", source: "Top-up" })).ok).toBe(true);
      const client = apiClient(secret, { "Idempotency-Key": "outage-1" });
      const send = () => client.POST("/teams/{teamSlug}/runs", { params: { path: { teamSlug: fixture.team.slug } }, body: cheapTest(fixture.projectId) });

      outage();
      const refused = await send();
      back();
      expect(refused.response.status).toBe(503);
      expect(refused.response.headers.get("retry-after")).toBe("5");
      expect(refused.error).toMatchObject({ code: "unavailable" });

      const retried = await send();
      expect(retried.response.status).toBe(201);
      const again = await send();
      expect(again.response.headers.get("idempotent-replayed")).toBe("true");
      expect(await db().run.count({ where: { teamId: fixture.team.id } })).toBe(1);
    });

    // The statement (or transaction) runs and commits, then the connection drops before its answer arrives.
    function cutAfter(method: "$queryRaw" | "$transaction", sqlIncludes = ""): () => void {
      const real = reachable.client;
      let armed = true;
      const lost = () => Object.assign(new Error("Connection terminated unexpectedly"), { meta: { driverAdapterError: { cause: { kind: "ConnectionClosed" } } } });
      const cut = new Proxy(real, {
        get(target, property) {
          const value = Reflect.get(target, property, target) as unknown;
          if (property !== method) return typeof value === "function" ? value.bind(target) : value;
          return (...args: unknown[]) => {
            const done = (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
            const sql = method === "$queryRaw" ? (args[0] as TemplateStringsArray).join("") : "";
            if (!armed || !sql.includes(sqlIncludes)) return done;
            armed = false;
            return done.then(() => {
              throw lost();
            });
          };
        },
      });
      pointDatabaseAt(cut);
      return back;
    }
    const cutAfterLedgerCommit = () => cutAfter("$queryRaw", "cw_batch");

    it("a write cut off after it was done is not answered 'send again' without an Idempotency-Key, and is done once with one", async () => {
      signInAs(fixture.people.admin);
      const path = { params: { path: { teamSlug: fixture.team.slug } } };
      const held = () => db().run.count({ where: { teamId: fixture.team.id, state: "held" } });
      const before = await held();

      let restore = cutAfterLedgerCommit();
      const keyless = await apiClient(secret).POST("/teams/{teamSlug}/runs", { ...path, body: cheapTest(fixture.projectId) });
      restore();
      expect(keyless.response.status).toBe(503);
      expect(keyless.response.headers.get("retry-after")).toBeNull();
      expect(keyless.error).toMatchObject({ code: "outcome_unknown", detail: expect.stringMatching(/may or may not have been done/) });
      expect(await held()).toBe(before + 1);

      const keyed = apiClient(secret, { "Idempotency-Key": "cut-after-commit" });
      restore = cutAfterLedgerCommit();
      const first = await keyed.POST("/teams/{teamSlug}/runs", { ...path, body: cheapTest(fixture.projectId) });
      restore();
      expect(first.response.status).toBe(503);
      expect(first.response.headers.get("retry-after")).toBe("5");
      const resent = await keyed.POST("/teams/{teamSlug}/runs", { ...path, body: cheapTest(fixture.projectId) });
      expect(resent.response.status).toBe(201);
      expect(await held()).toBe(before + 2);
    });

    it("an app run cut off after it made its batch is found again by its Idempotency-Key, never made twice", async () => {
      const { appId } = await publishedApp(fixture);
      const runs = apiClient(secret, { "Idempotency-Key": "app-run-cut" });
      const send = () =>
        runs.POST("/teams/{teamSlug}/apps/{appId}/runs", { params: { path: { teamSlug: fixture.team.slug, appId } }, body: { projectId: fixture.projectId, values: { prompt: "A red chair" } } });
      const restore = cutAfter("$transaction");
      const first = await send();
      restore();
      expect(first.response.status).toBe(503);
      expect(first.response.headers.get("retry-after")).toBe("5");
      const resent = await send();
      expect(resent.response.status).toBe(201);
      const batches = await db().batch.findMany({ where: { teamId: fixture.team.id, appVersionId: { not: null } }, select: { id: true } });
      expect(batches).toEqual([{ id: resent.data!.batchId }]);
    });

    it("a key claimed just before the connection dropped does not keep its own resend waiting", async () => {
      const keyed = apiClient(secret, { "Idempotency-Key": "claim-cut" });
      const send = () => keyed.POST("/teams/{teamSlug}/runs", { params: { path: { teamSlug: fixture.team.slug } }, body: cheapTest(fixture.projectId) });
      const restore = cutAfter("$queryRaw", "INSERT INTO \"ApiRequest\"");
      const first = await send();
      restore();
      expect(first.response.status).toBe(503);
      expect((await send()).response.status).toBe(201);
    });

    it("an action says the database could not be reached; a route handler answers 503", async () => {
      signInAs(fixture.people.admin);
      const grants = await db().grant.count({ where: { teamId: fixture.team.id } });
      outage();
      const result = await addGrantAction({ teamSlug: fixture.team.slug, amount: "500", source: "Top-up" });
      const signingIn = await signInAction({ email: fixture.people.admin.email, password: "any password at all" });
      const response = await exportUsage(new Request(`${ORIGIN}/t/${fixture.team.slug}/usage/export/runs`, { headers: { host: "localhost:3000" } }), {
        params: Promise.resolve({ teamSlug: fixture.team.slug, what: "runs" }),
      });
      back();
      expect(result).toMatchObject({ ok: false, code: "unavailable" });
      // Not "that email and password do not match": the password was never checked.
      expect(signingIn).toMatchObject({ ok: false, code: "unavailable" });
      expect(result.ok ? "" : result.message).toMatch(/database could not be reached/);
      expect(response.status).toBe(503);
      expect(response.headers.get("retry-after")).toBe("5");
      expect(await db().grant.count({ where: { teamId: fixture.team.id } })).toBe(grants);
    });
  });
}
