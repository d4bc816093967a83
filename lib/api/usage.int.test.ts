// Usage over the API, end to end through the typed client: recording events (each answered in its place, a resend
// changing nothing), and reading the Usage page's runs, ledger entries and totals with its filters and paging.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { setProjectBudget } from "@/lib/ledger/budgets";
import { addGrant } from "@/lib/ledger/commands";
import { verifyLedger } from "@/lib/ledger/verify";
import { todayIn } from "@/lib/usage/filters";
import type { components } from "@/lib/api/client";
import { apiClient, makeApiKey } from "@/test/api";
import { describeEachDatabase } from "@/test/db";
import { makeTeam, type TeamFixture } from "@/test/fixtures";
import { signInAs } from "@/test/session";

type UsageEvent = components["schemas"]["RecordUsageRequest"]["events"][number];

const HOUR = 3_600_000;
// One "now" for the file, so an event built twice is the same event.
const NOW = Date.now();
const ago = (hours: number) => new Date(NOW - hours * HOUR).toISOString();

/** Two Qwen Image tests that cost 40 credits, two hours ago. */
const event = (projectId: string, eventId: string, overrides: Partial<UsageEvent> = {}): UsageEvent => ({
  eventId,
  projectId,
  modelId: "qwen-image",
  quantity: 2,
  stage: "test",
  purpose: "internal_review",
  outcome: "accepted",
  actual: 40,
  occurredAt: ago(2),
  ...overrides,
});

const teamPath = (fixture: TeamFixture) => ({ params: { path: { teamSlug: fixture.team.slug } } });

function admin(fixture: TeamFixture) {
  return { user: fixture.people.admin, team: fixture.team, role: "admin" as const };
}

describeEachDatabase("usage over the API", () => {
  let fixture: TeamFixture;
  let secret: string;

  beforeEach(async () => {
    fixture = await makeTeam();
    await addGrant(admin(fixture), { amount: 10_000, source: "Top-up", note: "" });
    secret = (await makeApiKey(fixture, { creator: "member" })).secret;
  });

  afterEach(() => signInAs(null));

  const record = (events: UsageEvent[], key = secret) => apiClient(key).POST("/teams/{teamSlug}/usage", { ...teamPath(fixture), body: { events } });

  const ledgerState = async () => ({
    runs: await db().run.count({ where: { teamId: fixture.team.id } }),
    entries: await db().ledgerEntry.count({ where: { teamId: fixture.team.id } }),
    credits: await db().teamCredits.findUniqueOrThrow({ where: { teamId: fixture.team.id }, select: { balance: true, held: true, debt: true } }),
  });

  describe("recording", () => {
    it("records each event as a settled run of the key's person, dated when it happened, and charges it", async () => {
      const occurredAt = ago(30);
      const { response, data } = await record([
        event(fixture.projectId, "job-1", { occurredAt, prompt: "A red fox", notes: "Render farm A" }),
        event(fixture.projectId, "job-2", { modelId: "flux-2-dev", settings: { resolution: "2k" }, quantity: 1, stage: "draft", purpose: "client_draft", outcome: "needs_edit", actual: 100 }),
      ]);
      expect(response.status).toBe(200);
      expect(data?.totals).toEqual({ events: 2, recorded: 2, alreadyRecorded: 0, refused: 0, charged: 140 });
      expect(data?.events).toEqual([
        { index: 0, eventId: "job-1", status: "recorded", runId: expect.any(String), charged: 40, overBudget: false },
        { index: 1, eventId: "job-2", status: "recorded", runId: expect.any(String), charged: 100, overBudget: false },
      ]);
      const first = data!.events[0];
      const run = await db().run.findUniqueOrThrow({ where: { id: first.status === "recorded" ? first.runId : "" } });
      expect(run).toMatchObject({
        teamId: fixture.team.id,
        projectId: fixture.projectId,
        userId: fixture.people.member.id,
        modelId: "qwen-image",
        state: "settled",
        estimate: 40,
        actual: 40,
        outcome: "accepted",
        externalId: "job-1",
        prompt: "A red fox",
        notes: "Render farm A",
      });
      expect(run.createdAt.toISOString()).toBe(occurredAt);
      const second = await db().run.findFirstOrThrow({ where: { teamId: fixture.team.id, externalId: "job-2" } });
      expect(second).toMatchObject({ settings: { resolution: "2k" }, estimate: 100, actual: 100, stage: "draft", purpose: "client_draft", outcome: "needs_edit" });
      expect((await ledgerState()).credits.balance).toBe(10_000 - 140);
      expect(await verifyLedger(db(), fixture.team.id)).toEqual([]);
    });

    it("answers a resend as already recorded with its run, and changes nothing — in any request, from any key, without an Idempotency-Key", async () => {
      const events = [event(fixture.projectId, "job-1"), event(fixture.projectId, "job-2", { actual: 55 })];
      const first = await record(events);
      const runIds = first.data!.events.map((answer) => (answer.status === "recorded" ? answer.runId : null));
      const before = await ledgerState();

      const again = await record(events);
      expect(again.response.status).toBe(200);
      expect(again.data?.totals).toEqual({ events: 2, recorded: 0, alreadyRecorded: 2, refused: 0, charged: 0 });
      expect(again.data?.events).toEqual([
        { index: 0, eventId: "job-1", status: "already_recorded", runId: runIds[0] },
        { index: 1, eventId: "job-2", status: "already_recorded", runId: runIds[1] },
      ]);
      const otherKey = await makeApiKey(fixture, { name: "Second farm" });
      const fromElsewhere = await record([events[1], event(fixture.projectId, "job-3")], otherKey.secret);
      expect(fromElsewhere.data?.events.map((answer) => answer.status)).toEqual(["already_recorded", "recorded"]);

      // The same event twice in one request: recorded once, the repeat answered with the same run.
      const twice = await record([event(fixture.projectId, "job-4"), event(fixture.projectId, "job-4")]);
      const [made, repeat] = twice.data!.events;
      expect(made.status).toBe("recorded");
      expect(repeat).toEqual({ index: 1, eventId: "job-4", status: "already_recorded", runId: made.status === "recorded" ? made.runId : "" });

      const after = await ledgerState();
      expect(after.runs).toBe(before.runs + 2);
      expect(after.credits.balance).toBe(before.credits.balance - 80);
      expect(await db().importFingerprint.count({ where: { teamId: fixture.team.id } })).toBe(4);
      expect(await verifyLedger(db(), fixture.team.id)).toEqual([]);
    });

    it("records an event once when two requests send it at the same moment", async () => {
      const events = Array.from({ length: 20 }, (_, i) => event(fixture.projectId, `race-${i}`));
      const answers = await Promise.all([record(events), record(events), record(events)]);
      const statuses = answers.flatMap(({ data }) => data!.events.map((answer) => answer.status));
      expect(statuses.filter((status) => status === "recorded")).toHaveLength(20);
      expect(statuses.filter((status) => status === "already_recorded")).toHaveLength(40);
      expect((await ledgerState()).runs).toBe(20);
      expect(await verifyLedger(db(), fixture.team.id)).toEqual([]);
    });

    it("refuses an event id sent again with other content, and changes nothing", async () => {
      await record([event(fixture.projectId, "job-1")]);
      const before = await ledgerState();
      const { data } = await record([event(fixture.projectId, "job-1", { actual: 41 }), event(fixture.projectId, "job-1b", { notes: "x" })]);
      expect(data?.events[0]).toEqual({ index: 0, eventId: "job-1", status: "refused", reason: expect.stringMatching(/other content/), field: "eventId" });
      expect(data?.events[1].status).toBe("recorded");
      const inOneRequest = await record([event(fixture.projectId, "job-2"), event(fixture.projectId, "job-2", { quantity: 3, actual: 60 })]);
      expect(inOneRequest.data?.events.map((answer) => answer.status)).toEqual(["recorded", "refused"]);
      expect(inOneRequest.data?.events[1]).toMatchObject({ field: "eventId", reason: expect.stringMatching(/events\[0\] of this request \(counting from 0\)/) });
      const after = await ledgerState();
      expect(after.runs).toBe(before.runs + 2);
      expect(await verifyLedger(db(), fixture.team.id)).toEqual([]);
    });

    it("compares an id an imported file recorded by the facts a file has", async () => {
      const { data } = await record([event(fixture.projectId, "row-7")]);
      // As an import writes it: a fingerprint with no event content.
      await db().importFingerprint.updateMany({ where: { teamId: fixture.team.id, fingerprint: "x:row-7" }, data: { contentHash: null } });
      const same = await record([event(fixture.projectId, "row-7", { notes: "Sent by the platform too" })]);
      expect(same.data?.events[0]).toMatchObject({ status: "already_recorded", runId: data!.events[0].status === "recorded" ? data!.events[0].runId : "" });
      const other = await record([event(fixture.projectId, "row-7", { actual: 80 })]);
      expect(other.data?.events[0]).toMatchObject({ status: "refused", field: "eventId" });
    });

    it("refuses a request of no events or of more than 1,000 as a whole (400 at events), writing nothing", async () => {
      const tooMany = Array.from({ length: 1_001 }, (_, i) => event(fixture.projectId, `bulk-${i}`));
      const refused = await record(tooMany);
      expect(refused.response.status).toBe(400);
      expect(refused.error?.errors).toEqual([{ field: "events", in: "body", message: expect.stringMatching(/at most 1,000/) }]);
      const none = await record([]);
      expect(none.response.status).toBe(400);
      expect(none.error?.errors?.[0]).toMatchObject({ field: "events", in: "body" });
      expect((await ledgerState()).runs).toBe(0);
    });

    it("records 1,000 events in one request", async () => {
      const events = Array.from({ length: 1_000 }, (_, i) => event(fixture.projectId, `bulk-${i}`, { actual: 1, occurredAt: ago(1 + i / 100) }));
      const { data } = await record(events);
      expect(data?.totals).toEqual({ events: 1_000, recorded: 1_000, alreadyRecorded: 0, refused: 0, charged: 1_000 });
      expect((await ledgerState()).runs).toBe(1_000);
      expect(await verifyLedger(db(), fixture.team.id)).toEqual([]);
    });

    it("refuses each invalid event in its place, at its field, and records the valid ones", async () => {
      const other = await makeTeam();
      const { response, data } = await record([
        event(fixture.projectId, "ok-1"),
        { ...event(fixture.projectId, "bad-quantity"), quantity: 0 },
        event(fixture.projectId, "bad-model", { modelId: "no-such-model" }),
        event(other.projectId, "bad-project"),
        event(fixture.projectId, "bad-setting", { settings: { resolution: "16k" } }),
        { ...event(fixture.projectId, "extra"), surprise: true } as never,
        "not an event" as never,
        { ...event(fixture.projectId, "no-time"), occurredAt: "yesterday" },
        event(fixture.projectId, "ok-2", { actual: 0, outcome: "failed" }),
      ]);
      expect(response.status).toBe(200);
      expect(data?.totals).toEqual({ events: 9, recorded: 2, alreadyRecorded: 0, refused: 7, charged: 40 });
      const refusals = data!.events.filter((answer) => answer.status === "refused").map((answer) => [answer.index, answer.eventId, answer.field]);
      expect(refusals).toEqual([
        [1, "bad-quantity", "quantity"],
        [2, "bad-model", "modelId"],
        [3, "bad-project", "projectId"],
        [4, "bad-setting", expect.stringMatching(/^settings/)],
        [5, "extra", "surprise"],
        [6, null, null],
        [7, "no-time", "occurredAt"],
      ]);
      for (const answer of data!.events) if (answer.status === "refused") expect(answer.reason.length).toBeGreaterThan(5);
      expect(await db().run.count({ where: { teamId: other.team.id } })).toBe(0);
      expect(await db().run.findMany({ where: { teamId: fixture.team.id }, select: { externalId: true }, orderBy: { externalId: "asc" } })).toEqual([
        { externalId: "ok-1" },
        { externalId: "ok-2" },
      ]);
      // A refused event is not remembered: sent again once fixed, it is recorded.
      const fixed = await record([event(fixture.projectId, "bad-quantity")]);
      expect(fixed.data?.events[0].status).toBe("recorded");
      expect(await verifyLedger(db(), fixture.team.id)).toEqual([]);
    });

    it("refuses an event in the future, or before 2000; a clock a few seconds fast is not the future", async () => {
      const { data } = await record([
        event(fixture.projectId, "tomorrow", { occurredAt: new Date(Date.now() + 24 * HOUR).toISOString() }),
        event(fixture.projectId, "long-ago", { occurredAt: "1999-12-31T23:00:00Z" }),
        event(fixture.projectId, "fast-clock", { occurredAt: new Date(Date.now() + 5_000).toISOString() }),
      ]);
      expect(data?.events.map((answer) => [answer.status, answer.status === "refused" ? answer.field : null])).toEqual([
        ["refused", "occurredAt"],
        ["refused", "occurredAt"],
        ["recorded", null],
      ]);
      expect(data?.events[0]).toMatchObject({ reason: expect.stringMatching(/future/) });
    });

    it("records usage past a hard budget, flagged, with one alert to the admins for the request", async () => {
      await setProjectBudget(admin(fixture), { projectId: fixture.projectId, credits: 50, period: "lifetime", weekStartsOn: 1, alertPercent: 80, hardCap: true });
      const { data } = await record([event(fixture.projectId, "within"), event(fixture.projectId, "past", { actual: 30 })]);
      expect(data?.events).toMatchObject([
        { status: "recorded", overBudget: false },
        { status: "recorded", overBudget: true, charged: 30 },
      ]);
      const past = await db().run.findFirstOrThrow({ where: { teamId: fixture.team.id, externalId: "past" } });
      expect(past.overBudget).toBe(true);
      const alerts = await db().notification.findMany({ where: { teamId: fixture.team.id }, select: { kind: true, data: true } });
      // One alert for the request (a request may carry 1,000 events), not one per event.
      expect(alerts.filter((alert) => alert.kind === "over_budget")).toEqual([]);
      expect(alerts.filter((alert) => alert.kind === "usage_flagged")).toEqual([
        { kind: "usage_flagged", data: { recorded: 2, overBudget: 1, premiumFinals: 0, userId: expect.any(String) } },
      ]);
      expect(await verifyLedger(db(), fixture.team.id)).toEqual([]);
    });

    it("keeps a key limited to one project inside it", async () => {
      const other = await db().project.create({ data: { teamId: fixture.team.id, name: "Other" } });
      const limited = await makeApiKey(fixture, { projectId: fixture.projectId, name: "One project" });
      const { data } = await record([event(fixture.projectId, "mine"), event(other.id, "theirs")], limited.secret);
      expect(data?.events).toMatchObject([
        { status: "recorded" },
        { status: "refused", field: "projectId", reason: expect.stringMatching(/its own project/) },
      ]);
      expect(await db().run.count({ where: { projectId: other.id } })).toBe(0);
    });

    it("is refused to a key without usage:write and to a viewer; the answer of a retry with an Idempotency-Key is the first", async () => {
      const readOnly = await makeApiKey(fixture, { scopes: ["usage:read"] });
      const refused = await record([event(fixture.projectId, "job-1")], readOnly.secret);
      expect(refused.response.status).toBe(403);
      expect(refused.error?.detail).toMatch(/usage:write/);
      signInAs(fixture.people.viewer);
      expect((await apiClient().POST("/teams/{teamSlug}/usage", { ...teamPath(fixture), body: { events: [event(fixture.projectId, "job-1")] } })).response.status).toBe(403);
      signInAs(null);

      const client = apiClient(secret, { "idempotency-key": "batch-17" });
      const first = await client.POST("/teams/{teamSlug}/usage", { ...teamPath(fixture), body: { events: [event(fixture.projectId, "job-1")] } });
      const retry = await client.POST("/teams/{teamSlug}/usage", { ...teamPath(fixture), body: { events: [event(fixture.projectId, "job-1")] } });
      expect(retry.data).toEqual(first.data);
      expect(retry.response.headers.get("idempotent-replayed")).toBe("true");
      expect((await ledgerState()).runs).toBe(1);
    });
  });

  describe("reading", () => {
    const readKey = async () => (await makeApiKey(fixture, { scopes: ["usage:read"], name: "Reader" })).secret;

    async function allRuns(key: string, query: Record<string, string> = {}) {
      const runs: components["schemas"]["UsageRun"][] = [];
      let cursor: string | undefined;
      for (;;) {
        const { data, response } = await apiClient(key).GET("/teams/{teamSlug}/runs", { params: { path: { teamSlug: fixture.team.slug }, query: { ...query, cursor } } });
        expect(response.status).toBe(200);
        runs.push(...data!.runs);
        if (!data!.nextCursor) return runs;
        cursor = data!.nextCursor;
      }
    }

    it("pages the runs 50 at a time in the chosen order, each once", async () => {
      await record(Array.from({ length: 60 }, (_, i) => event(fixture.projectId, `job-${i}`, { occurredAt: ago(1 + i), actual: 10 + i })));
      const key = await readKey();
      const first = await apiClient(key).GET("/teams/{teamSlug}/runs", { params: { path: { teamSlug: fixture.team.slug } } });
      expect(first.data?.runs).toHaveLength(50);
      expect(first.data?.runs[0]).toMatchObject({ externalId: "job-0", charged: 10, state: "settled", userName: expect.any(String), projectName: expect.any(String) });
      expect(first.data?.filter).toMatchObject({ range: "30d", from: expect.any(String), to: todayIn(fixture.team.timeZone, new Date()) });
      expect(first.data?.nextCursor).toEqual(expect.any(String));
      const second = await apiClient(key).GET("/teams/{teamSlug}/runs", { params: { path: { teamSlug: fixture.team.slug }, query: { cursor: first.data!.nextCursor! } } });
      expect(second.data?.runs).toHaveLength(10);
      expect(second.data?.nextCursor).toBeNull();
      const ids = [...first.data!.runs, ...second.data!.runs].map((run) => run.externalId);
      expect(new Set(ids).size).toBe(60);
      expect(ids[59]).toBe("job-59");

      const byCredits = await allRuns(key, { sort: "credits" });
      expect(byCredits.map((run) => run.charged)).toEqual(Array.from({ length: 60 }, (_, i) => 69 - i));
    });

    it("filters the runs as the Usage page does", async () => {
      const tenDaysAgo = ago(24 * 10);
      await record([
        event(fixture.projectId, "test-qwen"),
        event(fixture.projectId, "draft-flux", { modelId: "flux-2-dev", quantity: 1, stage: "draft", actual: 50 }),
        event(fixture.projectId, "old-rejected", { occurredAt: tenDaysAgo, outcome: "rejected" }),
      ]);
      const key = await readKey();
      const ids = async (query: Record<string, string>) => (await allRuns(key, query)).map((run) => run.externalId).sort();
      expect(await ids({ stage: "draft" })).toEqual(["draft-flux"]);
      expect(await ids({ model: "qwen-image" })).toEqual(["old-rejected", "test-qwen"]);
      expect(await ids({ outcome: "rejected" })).toEqual(["old-rejected"]);
      expect(await ids({ member: fixture.people.member.id, tier: "mid" })).toEqual(["draft-flux"]);
      const day = todayIn(fixture.team.timeZone, new Date(tenDaysAgo));
      expect(await ids({ range: "custom", from: day, to: day })).toEqual(["old-rejected"]);
      expect(await ids({ from: day, to: day })).toEqual(["old-rejected"]);
      expect(await ids({ project: fixture.projectId, type: "image" })).toHaveLength(3);
    });

    it("refuses a filter value it cannot use with 400 at its field, never dropping it", async () => {
      const key = await readKey();
      const get = (query: Record<string, string>) =>
        apiClient(key).GET("/teams/{teamSlug}/runs", { params: { path: { teamSlug: fixture.team.slug }, query: query as never } });
      const stage = await get({ stage: "later" });
      expect(stage.response.status).toBe(400);
      expect(stage.error?.errors).toEqual([{ field: "stage", in: "query", message: expect.any(String) }]);
      const other = await makeTeam();
      const project = await get({ project: other.projectId });
      expect(project.response.status).toBe(400);
      expect(project.error?.errors).toEqual([{ field: "project", in: "query", message: "That project is not in this team." }]);
      const range = await get({ range: "custom", from: "2026-03-10", to: "2026-03-01" });
      expect(range.error?.errors).toEqual([{ field: "to", in: "query", message: "The end date is before the start date." }]);
      const day = await get({ from: "2026-02-31" });
      expect(day.error?.errors?.[0]).toMatchObject({ field: "from", in: "query" });
      const cursor = await get({ cursor: "not-a-cursor" });
      expect(cursor.response.status).toBe(400);
      expect(cursor.error?.errors?.[0]).toMatchObject({ field: "cursor", in: "query" });
      const ledger = await apiClient(key).GET("/teams/{teamSlug}/ledger", { params: { path: { teamSlug: fixture.team.slug }, query: { model: "no-such-model" } } });
      expect(ledger.response.status).toBe(400);
      expect(ledger.error?.errors?.[0]).toMatchObject({ field: "model", in: "query" });
      const summary = await apiClient(key).GET("/teams/{teamSlug}/usage/summary", { params: { path: { teamSlug: fixture.team.slug }, query: { member: "someone" } } });
      expect(summary.response.status).toBe(400);
      expect(summary.error?.errors?.[0]).toMatchObject({ field: "member", in: "query" });
    });

    it("lists the ledger entries newest first with the balance after each, a page at a time", async () => {
      await record(Array.from({ length: 55 }, (_, i) => event(fixture.projectId, `job-${i}`, { occurredAt: ago(1 + i), actual: 10 })));
      const key = await readKey();
      const first = await apiClient(key).GET("/teams/{teamSlug}/ledger", { params: { path: { teamSlug: fixture.team.slug } } });
      expect(first.response.status).toBe(200);
      expect(first.data?.entries).toHaveLength(50);
      const second = await apiClient(key).GET("/teams/{teamSlug}/ledger", { params: { path: { teamSlug: fixture.team.slug }, query: { cursor: first.data!.nextCursor! } } });
      const entries = [...first.data!.entries, ...second.data!.entries];
      expect(second.data?.nextCursor).toBeNull();
      // 55 charges and the grant, the grant last (oldest), each balance what the one before left.
      expect(entries).toHaveLength(56);
      expect(entries.at(-1)).toMatchObject({ kind: "grant", amount: 10_000, balanceAfter: 10_000, runId: null });
      expect(entries[0]).toMatchObject({ kind: "charge", amount: -10, balanceAfter: 10_000 - 550, projectId: fixture.projectId, personId: fixture.people.member.id });
      for (let i = 0; i < entries.length - 1; i++) expect(entries[i].balanceAfter).toBe(entries[i + 1].balanceAfter + entries[i].amount);
      // A filter only a run has leaves out the grant.
      const charges = await apiClient(key).GET("/teams/{teamSlug}/ledger", { params: { path: { teamSlug: fixture.team.slug }, query: { stage: "test" } } });
      expect(charges.data?.entries.every((entry) => entry.kind === "charge")).toBe(true);
    });

    it("sums the runs in the summary: totals, the daily series and the shares", async () => {
      await record([
        event(fixture.projectId, "a", { actual: 40 }),
        event(fixture.projectId, "b", { modelId: "flux-2-dev", quantity: 1, stage: "final", purpose: "final_delivery", actual: 50 }),
        event(fixture.projectId, "c", { occurredAt: ago(24 * 5), actual: 17, outcome: "rejected" }),
        event(fixture.projectId, "d", { occurredAt: ago(24 * 40), actual: 1_000 }),
      ]);
      const key = await readKey();
      const runs = await allRuns(key);
      const { data, response } = await apiClient(key).GET("/teams/{teamSlug}/usage/summary", { params: { path: { teamSlug: fixture.team.slug } } });
      expect(response.status).toBe(200);
      const charged = runs.reduce((sum, run) => sum + run.charged, 0);
      expect(runs).toHaveLength(3);
      expect(data?.totals).toMatchObject({ runs: 3, charged, refunded: 0, net: charged, held: 0, accepted: 2, decided: 3, byStage: { test: 57, draft: 0, final: 50 } });
      expect(charged).toBe(107);
      expect(data?.daily.reduce((sum, day) => sum + day.credits, 0)).toBe(charged);
      expect(data?.daily.reduce((sum, day) => sum + day.runs, 0)).toBe(3);
      expect(data?.daily.map((day) => day.day)).toEqual([...data!.daily.map((day) => day.day)].sort());
      expect(data?.models).toEqual([
        { modelId: "qwen-image", credits: 57, runs: 2, accepted: 1, decided: 2 },
        { modelId: "flux-2-dev", credits: 50, runs: 1, accepted: 1, decided: 1 },
      ]);
      expect(data?.members).toEqual([{ userId: fixture.people.member.id, credits: 107, runs: 3, accepted: 2, decided: 3 }]);
      const longer = await apiClient(key).GET("/teams/{teamSlug}/usage/summary", { params: { path: { teamSlug: fixture.team.slug }, query: { range: "90d" } } });
      expect(longer.data?.totals.charged).toBe(1_107);
    });

    it("gives a key limited to one project only that project's runs, entries and totals; another project is 403", async () => {
      const other = await db().project.create({ data: { teamId: fixture.team.id, name: "Other" } });
      await record([event(fixture.projectId, "mine"), event(other.id, "theirs", { actual: 500 })]);
      const limited = (await makeApiKey(fixture, { projectId: fixture.projectId, scopes: ["usage:read"], name: "One project" })).secret;
      const client = apiClient(limited);
      const runs = await client.GET("/teams/{teamSlug}/runs", { params: { path: { teamSlug: fixture.team.slug } } });
      expect(runs.data?.runs.map((run) => run.externalId)).toEqual(["mine"]);
      expect(runs.data?.filter.project).toBe(fixture.projectId);
      const entries = await client.GET("/teams/{teamSlug}/ledger", { params: { path: { teamSlug: fixture.team.slug } } });
      expect(entries.data?.entries.map((entry) => [entry.kind, entry.amount])).toEqual([["charge", -40]]);
      const summary = await client.GET("/teams/{teamSlug}/usage/summary", { params: { path: { teamSlug: fixture.team.slug } } });
      expect(summary.data?.totals.charged).toBe(40);
      const elsewhere = await client.GET("/teams/{teamSlug}/runs", { params: { path: { teamSlug: fixture.team.slug }, query: { project: other.id } } });
      expect(elsewhere.response.status).toBe(403);
      expect(elsewhere.error?.errors).toEqual([{ field: "project", in: "query", message: "This key may only read its own project." }]);
      const ownProject = await client.GET("/teams/{teamSlug}/runs", { params: { path: { teamSlug: fixture.team.slug }, query: { project: fixture.projectId } } });
      expect(ownProject.response.status).toBe(200);
    });

    it("answers a viewer signed in, and refuses a key without usage:read", async () => {
      await record([event(fixture.projectId, "job-1")]);
      signInAs(fixture.people.viewer);
      const runs = await apiClient().GET("/teams/{teamSlug}/runs", { params: { path: { teamSlug: fixture.team.slug } } });
      expect(runs.response.status).toBe(200);
      expect(runs.data?.runs).toHaveLength(1);
      expect((await apiClient().GET("/teams/{teamSlug}/ledger", { params: { path: { teamSlug: fixture.team.slug } } })).response.status).toBe(200);
      expect((await apiClient().GET("/teams/{teamSlug}/usage/summary", { params: { path: { teamSlug: fixture.team.slug } } })).response.status).toBe(200);
      signInAs(fixture.outsider);
      expect((await apiClient().GET("/teams/{teamSlug}/runs", { params: { path: { teamSlug: fixture.team.slug } } })).response.status).toBe(404);
      signInAs(null);

      const writeOnly = await makeApiKey(fixture, { scopes: ["usage:write", "runs:write"] });
      for (const path of ["/teams/{teamSlug}/runs", "/teams/{teamSlug}/ledger", "/teams/{teamSlug}/usage/summary"] as const) {
        const { response, error } = await apiClient(writeOnly.secret).GET(path, { params: { path: { teamSlug: fixture.team.slug } } });
        expect(response.status, path).toBe(403);
        expect(error?.detail).toMatch(/usage:read/);
      }
    });
  });
});
