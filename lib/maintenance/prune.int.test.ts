// Pruning idempotency records and rate-limit buckets: only what has expired, in batches, and a pruned key runs anew.
import { beforeEach, expect, it } from "vitest";
import * as rateLimits from "@/lib/accounts/rate-limit";
import { db } from "@/lib/db/client";
import { addGrant } from "@/lib/ledger/commands";
import { describeEachDatabase } from "@/test/db";
import { makeTeam, type TeamFixture } from "@/test/fixtures";
import { IDEMPOTENCY_RETENTION_MS, RATE_LIMIT_RETENTION_MS, pruneExpiredRecords } from "./prune";

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const NOW = new Date("2026-06-15T12:00:00Z");

async function record(teamId: string, key: string, ageMs: number) {
  await db().idempotencyRecord.create({
    data: { teamId, key, operation: "grant", requestHash: "h", response: { status: "ok" }, createdAt: new Date(NOW.getTime() - ageMs) },
  });
}

async function apiRequest(teamId: string, key: string, ageMs: number) {
  await db().apiRequest.create({
    data: { teamId, caller: "user:x", key, method: "POST", path: "/p", requestHash: "h", status: 201, body: {}, createdAt: new Date(NOW.getTime() - ageMs) },
  });
}

async function bucket(key: string, ageMs: number) {
  await db().rateLimitBucket.create({ data: { key, count: 3, windowStart: new Date(NOW.getTime() - ageMs) } });
}

describeEachDatabase("prune expired records", () => {
  let fixture: TeamFixture;

  beforeEach(async () => {
    await db().idempotencyRecord.deleteMany();
    await db().rateLimitBucket.deleteMany();
    await db().apiRequest.deleteMany();
    fixture = await makeTeam();
  });

  it("deletes records past the retention and buckets past their window, and nothing else", async () => {
    for (let i = 0; i < 5; i++) await record(fixture.team.id, `old-${i}`, IDEMPOTENCY_RETENTION_MS + (i + 1) * MINUTE);
    await record(fixture.team.id, "almost", IDEMPOTENCY_RETENTION_MS - MINUTE);
    await record(fixture.team.id, "fresh", 0);
    await apiRequest(fixture.team.id, "old-a", IDEMPOTENCY_RETENTION_MS + MINUTE);
    await apiRequest(fixture.team.id, "old-b", IDEMPOTENCY_RETENTION_MS + 2 * MINUTE);
    await apiRequest(fixture.team.id, "fresh", MINUTE);
    await bucket("sign-in:old@example.test", RATE_LIMIT_RETENTION_MS + MINUTE);
    await bucket("sign-in:recent@example.test", 10 * MINUTE);

    expect(await pruneExpiredRecords(db(), NOW, { batchSize: 2 })).toEqual({ idempotencyRecords: 5, apiRequests: 2, rateLimitBuckets: 1, done: true });
    const keys = await db().idempotencyRecord.findMany({ orderBy: { key: "asc" }, select: { key: true } });
    expect(keys.map((row) => row.key)).toEqual(["almost", "fresh"]);
    expect((await db().rateLimitBucket.findMany({ select: { key: true } })).map((row) => row.key)).toEqual(["sign-in:recent@example.test"]);
    expect(await pruneExpiredRecords(db(), NOW)).toEqual({ idempotencyRecords: 0, apiRequests: 0, rateLimitBuckets: 0, done: true });
  });

  it("stops after maxBatches and says there is more", async () => {
    for (let i = 0; i < 5; i++) await record(fixture.team.id, `old-${i}`, 30 * DAY);
    expect(await pruneExpiredRecords(db(), NOW, { batchSize: 2, maxBatches: 1 })).toEqual({ idempotencyRecords: 2, apiRequests: 0, rateLimitBuckets: 0, done: false });
    expect(await pruneExpiredRecords(db(), NOW, { batchSize: 2, maxBatches: 1 })).toEqual({ idempotencyRecords: 2, apiRequests: 0, rateLimitBuckets: 0, done: false });
    expect(await pruneExpiredRecords(db(), NOW, { batchSize: 2, maxBatches: 1 })).toEqual({ idempotencyRecords: 1, apiRequests: 0, rateLimitBuckets: 0, done: true });
    expect(await db().idempotencyRecord.count()).toBe(0);
  });

  it("replays a retried grant within the retention, and runs it anew once its record is pruned", async () => {
    const admin = { user: fixture.people.admin, team: fixture.team, role: "admin" as const };
    const grant = { amount: 100, source: "Top-up", note: "", idempotencyKey: "grant-key-0001" };
    await addGrant(admin, grant);
    await addGrant(admin, grant);
    const balance = async () => (await db().teamCredits.findUniqueOrThrow({ where: { teamId: fixture.team.id } })).balance;
    expect(await balance()).toBe(100);

    await db().idempotencyRecord.updateMany({ where: { teamId: fixture.team.id }, data: { createdAt: new Date(Date.now() - IDEMPOTENCY_RETENTION_MS - MINUTE) } });
    expect(await pruneExpiredRecords(db())).toMatchObject({ idempotencyRecords: 1 });
    await addGrant(admin, grant);
    expect(await balance()).toBe(200);
  });

  it("keeps every rate-limit bucket for longer than any limit's window", () => {
    const limits = Object.values(rateLimits).filter((value): value is rateLimits.RateLimit => typeof value === "object" && value !== null && "windowMs" in value);
    expect(limits.length).toBeGreaterThan(0);
    for (const limit of limits) expect(limit.windowMs).toBeLessThan(RATE_LIMIT_RETENTION_MS);
  });
});
