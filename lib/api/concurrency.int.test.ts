// A storm through the API on PostgreSQL (real connections): 200 admissions against a budget, each sent again by its
// client with the same Idempotency-Key while the first is in flight — no overspend, one run per key, the ledger verifies.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CreditwiseClient } from "@/lib/api/client";
import { closeDatabase, db, useDatabase } from "@/lib/db/client";
import { setProjectBudget } from "@/lib/ledger/budgets";
import { addGrant } from "@/lib/ledger/commands";
import { verifyLedger } from "@/lib/ledger/verify";
import { apiClient, makeApiKey } from "@/test/api";
import { cheapTest } from "@/test/approvals";
import { openFreshDatabase } from "@/test/db";
import { makeTeam, withoutApprovals, type TeamFixture } from "@/test/fixtures";

const STORM = 200;
const SENDS_PER_KEY = 3;

type Answer = { status: number; body: unknown; replayed: boolean };

/** Sends until the API gives a final answer: a twin still in flight (409 idempotency_key_in_use) is sent again. */
async function untilAnswered(send: () => Promise<{ response: Response; data?: unknown; error?: unknown }>): Promise<Answer> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const { response, data, error } = await send();
    const body = data ?? error;
    if (response.status === 409 && (body as { code?: string }).code === "idempotency_key_in_use") {
      await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 20));
      continue;
    }
    return { status: response.status, body, replayed: response.headers.get("idempotent-replayed") === "true" };
  }
  throw new Error("no final answer after 200 attempts");
}

function shuffled<T>(items: T[]): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy;
}

describe.skipIf(!process.env.TEST_DATABASE_URL)("API storm on PostgreSQL (needs TEST_DATABASE_URL)", () => {
  let fixture: TeamFixture;
  let secret: string;

  beforeAll(async () => {
    // One script's storm: far past the default per-key limit, which is not what this test is about.
    process.env.API_RATE_LIMIT_PER_MINUTE = "1000000";
    const database = await openFreshDatabase("postgres");
    useDatabase(database.client, database.close);
    fixture = await makeTeam();
    await withoutApprovals(fixture.team.id);
    const admin = { user: fixture.people.admin, team: fixture.team, role: "admin" as const };
    await addGrant(admin, { amount: 1_000_000, source: "Top-up", note: "" });
    await setProjectBudget(admin, { projectId: fixture.projectId, credits: 5_000, period: "month", weekStartsOn: 1, alertPercent: 80, hardCap: true });
    secret = (await makeApiKey(fixture, { creator: "member" })).secret;
  });
  afterAll(async () => {
    delete process.env.API_RATE_LIMIT_PER_MINUTE;
    await closeDatabase();
  });

  it(`${STORM} admissions of 100 against a 5,000-credit budget, each sent ${SENDS_PER_KEY} times: 50 runs, one per key`, async () => {
    const path = { params: { path: { teamSlug: fixture.team.slug } } };
    const clients = new Map<string, CreditwiseClient>();
    const keys = Array.from({ length: STORM }, (_, index) => `storm-admit-${index}`);
    for (const key of keys) clients.set(key, apiClient(secret, { "idempotency-key": key }));
    const sends = shuffled(keys.flatMap((key) => Array.from({ length: SENDS_PER_KEY }, () => key)));
    const answers = await Promise.all(
      sends.map(async (key) => ({ key, answer: await untilAnswered(() => clients.get(key)!.POST("/teams/{teamSlug}/runs", { ...path, body: cheapTest(fixture.projectId) })) })),
    );

    const byKey = new Map<string, Answer[]>();
    for (const { key, answer } of answers) byKey.set(key, [...(byKey.get(key) ?? []), answer]);
    const admittedRuns = new Set<string>();
    for (const [key, sent] of byKey) {
      // Every send of one key got the same answer; exactly one of them was the first.
      for (const answer of sent) expect({ status: answer.status, body: answer.body }, key).toEqual({ status: sent[0].status, body: sent[0].body });
      expect(sent.filter((answer) => !answer.replayed).length, key).toBe(1);
      const body = sent[0].body as { decision: string; run?: { id: string } };
      if (body.decision === "admitted") admittedRuns.add(body.run!.id);
      else expect(body).toMatchObject({ decision: "denied", denial: { code: "project_budget" } });
    }
    expect(admittedRuns.size).toBe(50);
    expect(await db().run.count({ where: { teamId: fixture.team.id } })).toBe(50);
    expect(await db().teamCredits.findUniqueOrThrow({ where: { teamId: fixture.team.id } })).toMatchObject({ held: 5_000 });
    expect(await verifyLedger(db(), fixture.team.id)).toEqual([]);

    // Settled concurrently, each twice with its key: charged once each.
    const runIds = [...admittedRuns];
    const settles = await Promise.all(
      shuffled([...runIds, ...runIds]).map((runId) =>
        untilAnswered(() =>
          apiClient(secret, { "idempotency-key": `settle-${runId}` }).POST("/teams/{teamSlug}/runs/{runId}/settle", {
            params: { path: { teamSlug: fixture.team.slug, runId } },
            body: { actual: 90, outcome: "accepted" },
          }),
        ),
      ),
    );
    expect(settles.every((answer) => answer.status === 200)).toBe(true);
    expect(await db().teamCredits.findUniqueOrThrow({ where: { teamId: fixture.team.id } })).toMatchObject({ held: 0, balance: 1_000_000 - 50 * 90 });
    expect(await verifyLedger(db(), fixture.team.id)).toEqual([]);
  });
});
