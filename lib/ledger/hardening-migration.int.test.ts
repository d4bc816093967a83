// The ledger-hardening migration on data written before it: counters shared between teams are split, holds get
// their grants, every grant's figures become recomputable from the ledger, and verify is clean afterwards.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PrismaClient } from "@/lib/db/generated/client";
import { verifyLedger } from "./verify";

const MIGRATIONS = join(process.cwd(), "prisma/migrations");
const HARDENING = readdirSync(MIGRATIONS).find((name) => name.endsWith("_ledger_hardening"))!;
const before = readdirSync(MIGRATIONS).filter((name) => /^\d+_/.test(name) && name < HARDENING).sort();
const sqlOf = (name: string) => readFileSync(join(MIGRATIONS, name, "migration.sql"), "utf8");

describe("the ledger-hardening migration on existing data", () => {
  let pglite: PGlite;
  let client: PrismaClient;

  beforeAll(async () => {
    pglite = await PGlite.create();
    for (const name of before) await pglite.exec(sqlOf(name));
    // Two teams, one person in both with a whole-team limit in each, sharing one counter row as the old keys did.
    await pglite.exec(`
      INSERT INTO "User" ("id", "email", "name", "updatedAt") VALUES ('u1', 'u1@example.test', 'Both Teams', now());
      INSERT INTO "Team" ("id", "slug", "name", "timeZone", "updatedAt") VALUES ('ta', 'a', 'A', 'UTC', now()), ('tb', 'b', 'B', 'UTC', now()),
        ('tc', 'c', 'C', 'UTC', now());
      INSERT INTO "Membership" ("id", "teamId", "userId", "role", "updatedAt") VALUES ('m1', 'ta', 'u1', 'member', now()), ('m2', 'tb', 'u1', 'member', now());
      INSERT INTO "Project" ("id", "teamId", "name", "updatedAt") VALUES ('pa', 'ta', 'PA', now()), ('pb', 'tb', 'PB', now()), ('pc', 'tc', 'PC', now());
      INSERT INTO "MemberLimit" ("id", "teamId", "userId", "scope", "credits", "period", "updatedAt")
        VALUES ('la', 'ta', 'u1', 'team', 1000, 'lifetime', now()), ('lb', 'tb', 'u1', 'team', 100, 'lifetime', now());
      INSERT INTO "TeamCredits" ("teamId", "balance", "held") VALUES ('ta', 500, 60), ('tb', 1000, 0);
      INSERT INTO "Grant" ("id", "teamId", "amount", "remaining", "source") VALUES ('ga', 'ta', 1000, 500, 'Top-up'), ('gb', 'tb', 1000, 1000, 'Top-up');
      INSERT INTO "LedgerEntry" ("teamId", "kind", "amount", "heldDelta", "balanceAfter", "heldAfter", "availableAfter", "grantId")
        VALUES ('ta', 'grant', 1000, 0, 1000, 0, 1000, 'ga'), ('tb', 'grant', 1000, 0, 1000, 0, 1000, 'gb');
      INSERT INTO "LedgerEntry" ("teamId", "kind", "amount", "heldDelta", "balanceAfter", "heldAfter", "availableAfter", "runId")
        VALUES ('ta', 'hold', 0, 500, 1000, 500, 500, 'r1'), ('ta', 'charge', -500, -500, 500, 0, 500, 'r1'),
               ('ta', 'hold', 0, 60, 500, 60, 440, 'r2');
      INSERT INTO "Run" ("id", "teamId", "projectId", "userId", "modelId", "modelName", "outputType", "quantity", "stage", "purpose",
          "estimate", "priceListVersion", "state", "actual", "counters")
        VALUES ('r1', 'ta', 'pa', 'u1', 'qwen-image', 'Qwen Image', 'image', 25, 'test', 'internal_review', 500, 0, 'settled', 500,
                 '[{"counter": "member:team:u1", "periodKey": "lifetime"}]'),
               ('r2', 'ta', 'pa', 'u1', 'qwen-image', 'Qwen Image', 'image', 3, 'test', 'internal_review', 60, 0, 'held', NULL,
                 '[{"counter": "member:team:u1", "periodKey": "lifetime"}]');
      INSERT INTO "UsageCounter" ("counter", "periodKey", "teamId", "used") VALUES ('member:team:u1', 'lifetime', 'ta', 560);
      -- Team C recorded 500 credits of usage before it ever had a grant: it owes them.
      INSERT INTO "TeamCredits" ("teamId", "balance", "held") VALUES ('tc', -500, 0);
      INSERT INTO "LedgerEntry" ("teamId", "kind", "amount", "heldDelta", "balanceAfter", "heldAfter", "availableAfter", "runId")
        VALUES ('tc', 'charge', -500, 0, -500, 0, -500, 'r3');
      INSERT INTO "Run" ("id", "teamId", "projectId", "userId", "modelId", "modelName", "outputType", "quantity", "stage", "purpose",
          "estimate", "priceListVersion", "state", "actual")
        VALUES ('r3', 'tc', 'pc', 'u1', 'flux-2-pro', 'Flux 2 Pro', 'image', 1, 'final', 'final_delivery', 500, 0, 'settled', 500);
    `);
    await pglite.exec(sqlOf(HARDENING));
    client = new PrismaClient({ adapter: new PrismaPGlite(pglite) });
  });

  afterAll(async () => {
    await client.$disconnect();
    await pglite.close();
  });

  it("gives each team its own counter, rebuilt from its own runs", async () => {
    const counters = await client.usageCounter.findMany({ orderBy: { teamId: "asc" } });
    expect(counters.map((c) => [c.teamId, c.counter, Number(c.used)])).toEqual([["ta", "member:team:u1", 560]]);
    // Team B's person has spent nothing there: a first run of 20 fits its limit of 100.
    const [b] = await client.$queryRaw<{ used: number }[]>`SELECT cw_used('tb', jsonb_build_object('counter', 'member:team:u1', 'periodKey', 'lifetime'))::float8 AS used`;
    expect(Number(b.used)).toBe(0);
  });

  it("keeps what a team with no grant owes as its debt, which its first credits pay", async () => {
    expect(await client.teamCredits.findUniqueOrThrow({ where: { teamId: "tc" } })).toMatchObject({ balance: -500, debt: 500 });
    const [answer] = await client.$queryRaw<{ result: { status: string } }[]>`
      SELECT cw_add_grant('tc', 'gc', 1000, 'Monthly pool', '', NULL, NULL, NULL, 'h', '2026-11-29 10:00') AS result`;
    expect(answer.result.status).toBe("granted");
    expect(await client.grant.findUniqueOrThrow({ where: { id: "gc" } })).toMatchObject({ amount: 1000, remaining: 500 });
    expect(await client.teamCredits.findUniqueOrThrow({ where: { teamId: "tc" } })).toMatchObject({ balance: 500, debt: 0 });
  });

  it("reserves the held run's credits from its team's grant and keeps the books balanced", async () => {
    expect(await client.grant.findUniqueOrThrow({ where: { id: "ga" } })).toMatchObject({ remaining: 500, held: 60 });
    // Only the columns this migration knew: later migrations add others the generated client would ask for.
    expect(await client.run.findUniqueOrThrow({ where: { id: "r2" }, select: { allocations: true } })).toMatchObject({ allocations: [{ g: "ga", h: 60 }] });
    expect(await verifyLedger(client)).toEqual([]);
  });
});
