// verify sees every kind of corruption: each test books real activity, checks the books balance, corrupts one thing
// behind the ledger's back, and expects verify to name it.
import { beforeEach, expect, it } from "vitest";
import type { TeamContext } from "@/lib/authz/team";
import { db } from "@/lib/db/client";
import { describeEachDatabase } from "@/test/db";
import { makeTeam, type TeamFixture } from "@/test/fixtures";
import { removeMemberLimit, setMemberLimit, setProjectBudget } from "./budgets";
import { addGrant, admitRun, refundRun, settleRun } from "./commands";
import { verifyLedger } from "./verify";

const qwen = (projectId: string, quantity = 1) =>
  ({ projectId, modelId: "qwen-image", settings: {}, quantity, stage: "test", purpose: "internal_review", notes: "" }) as const;

type Books = { fixture: TeamFixture; other: TeamFixture; heldRunId: string; settledRunId: string; grantId: string; expiringGrantId: string };

/** A month of ordinary activity: grants (one expiring), a budget, a limit, a settled and refunded run, a run on hold. */
async function bookActivity(): Promise<Books> {
  const fixture = await makeTeam("America/New_York");
  const other = await makeTeam("UTC");
  const admin: TeamContext = { user: fixture.people.admin, team: fixture.team, role: "admin" };
  const member: TeamContext = { user: fixture.people.member, team: fixture.team, role: "member" };
  await addGrant(admin, { amount: 5_000, source: "Monthly pool", note: "" });
  await addGrant(admin, { amount: 300, source: "Promotion", note: "", expiresAt: new Date(Date.now() + 30 * 24 * 3600_000) });
  await setProjectBudget(admin, { projectId: fixture.projectId, credits: 4_000, period: "month", weekStartsOn: 1, alertPercent: 80, hardCap: true });
  await setMemberLimit(admin, { userId: member.user.id, scope: "team", credits: 2_000, period: "week", weekStartsOn: 1 });
  const settled = await admitRun(member, qwen(fixture.projectId, 10));
  if (settled.status !== "admitted") throw new Error("setup");
  await settleRun(member, { runId: settled.runId, actual: 180, outcome: "rejected" });
  await refundRun(admin, { runId: settled.runId, credits: 30, reason: "Platform refunded a broken output" });
  const held = await admitRun(member, qwen(fixture.projectId, 20));
  if (held.status !== "admitted") throw new Error("setup");
  const adminB: TeamContext = { user: other.people.admin, team: other.team, role: "admin" };
  await addGrant(adminB, { amount: 1_000, source: "Top-up", note: "" });
  const grants = await db().grant.findMany({ where: { teamId: fixture.team.id }, orderBy: { createdAt: "asc" }, select: { id: true, expiresAt: true } });
  return {
    fixture,
    other,
    heldRunId: held.runId,
    settledRunId: settled.runId,
    grantId: grants.find((g) => !g.expiresAt)!.id,
    expiringGrantId: grants.find((g) => g.expiresAt)!.id,
  };
}

const sql = (text: string) => db().$executeRawUnsafe(text);

describeEachDatabase("verify", () => {
  let books: Books;
  beforeEach(async () => {
    books = await bookActivity();
    expect(await verifyLedger(db(), books.fixture.team.id)).toEqual([]);
  });

  const corruptions: { name: string; corrupt: (b: Books) => Promise<unknown>; finds: RegExp }[] = [
    { name: "the stored balance", corrupt: (b) => sql(`UPDATE "TeamCredits" SET "balance" = "balance" + 7 WHERE "teamId" = '${b.fixture.team.id}'`), finds: /balance vs ledger/ },
    { name: "the stored held credits", corrupt: (b) => sql(`UPDATE "TeamCredits" SET "held" = "held" - 1 WHERE "teamId" = '${b.fixture.team.id}'`), finds: /held vs ledger/ },
    { name: "the debt", corrupt: (b) => sql(`UPDATE "TeamCredits" SET "debt" = 5 WHERE "teamId" = '${b.fixture.team.id}'`), finds: /debt vs ledger/ },
    { name: "a grant's remainder", corrupt: (b) => sql(`UPDATE "Grant" SET "remaining" = "remaining" + 50 WHERE "id" = '${b.grantId}'`), finds: /grant .* remaining vs ledger/ },
    { name: "a grant's reservation", corrupt: (b) => sql(`UPDATE "Grant" SET "held" = 0 WHERE "held" > 0 AND "teamId" = '${b.fixture.team.id}'`), finds: /grant .* held vs/ },
    {
      name: "an expiry that wrote off held credits (the double charge)",
      corrupt: (b) => sql(`UPDATE "Grant" SET "expiredAt" = now(), "remaining" = 0 WHERE "id" = '${b.expiringGrantId}'`),
      finds: /grant .* (remaining vs ledger|held outside)/,
    },
    {
      name: "an expired grant that kept unreserved credits",
      corrupt: (b) => sql(`UPDATE "Grant" SET "expiredAt" = now() WHERE "id" = '${b.grantId}'`),
      finds: /kept unreserved credits after expiry/,
    },
    {
      name: "a run's reservation",
      corrupt: (b) => sql(`UPDATE "Run" SET "allocations" = jsonb_build_array(jsonb_build_object('g', '${b.grantId}', 'h', 1)) WHERE "id" = '${b.heldRunId}'`),
      finds: /held vs runs on hold/,
    },
    {
      name: "a run on hold reserving another team's grant",
      corrupt: async (b) => {
        const foreign = await db().grant.findFirstOrThrow({ where: { teamId: b.other.team.id } });
        return sql(`UPDATE "Run" SET "allocations" = jsonb_build_array(jsonb_build_object('g', '${foreign.id}', 'h', 400)) WHERE "id" = '${b.heldRunId}'`);
      },
      finds: /reserves a grant not of its team/,
    },
    { name: "a run's estimate while on hold", corrupt: (b) => sql(`UPDATE "Run" SET "estimate" = "estimate" + 1 WHERE "id" = '${b.heldRunId}'`), finds: /held vs runs on hold/ },
    { name: "a run let go without a release", corrupt: (b) => sql(`UPDATE "Run" SET "state" = 'released' WHERE "id" = '${b.heldRunId}'`), finds: /held vs runs on hold/ },
    { name: "a settled run's actual cost", corrupt: (b) => sql(`UPDATE "Run" SET "actual" = 0 WHERE "id" = '${b.settledRunId}'`), finds: /use of project:/ },
    {
      name: "a run's actual cost where no budget counts it",
      corrupt: async (b) => {
        await sql(`UPDATE "Run" SET "counters" = '[]' WHERE "id" = '${b.settledRunId}'`);
        await sql(`UPDATE "UsageCounter" SET "used" = "used" - 150 WHERE "teamId" = '${b.fixture.team.id}'`);
        return sql(`UPDATE "Run" SET "actual" = 10 WHERE "id" = '${b.settledRunId}'`);
      },
      finds: /run .* vs its entries/,
    },
    { name: "a settled run turned into a released one", corrupt: (b) => sql(`UPDATE "Run" SET "state" = 'released' WHERE "id" = '${b.settledRunId}'`), finds: /run .* vs its entries/ },
    { name: "a refund the ledger never made", corrupt: (b) => sql(`UPDATE "Run" SET "refunded" = 0 WHERE "id" = '${b.settledRunId}'`), finds: /run .* vs its entries/ },
    {
      name: "a usage counter",
      corrupt: (b) => sql(`UPDATE "UsageCounter" SET "used" = "used" - 100 WHERE "teamId" = '${b.fixture.team.id}' AND "counter" LIKE 'project:%'`),
      finds: /use of project:/,
    },
    {
      name: "a counter shared with another team (moved to it)",
      corrupt: (b) => sql(`UPDATE "UsageCounter" SET "teamId" = '${b.other.team.id}' WHERE "teamId" = '${b.fixture.team.id}' AND "counter" LIKE 'member:%'`),
      finds: /counter of another team's project or person|use of member:/,
    },
    {
      name: "a run counting in another team's counter",
      corrupt: (b) =>
        sql(`UPDATE "Run" SET "counters" = "counters" || jsonb_build_array(jsonb_build_object('counter', 'project:${b.other.projectId}', 'periodKey', 'lifetime')) WHERE "id" = '${b.settledRunId}'`),
      finds: /counts in a counter not its own/,
    },
    {
      name: "a budget set without counting what its period spent",
      corrupt: (b) => sql(`UPDATE "ProjectBudget" SET "period" = 'lifetime' WHERE "projectId" = '${b.fixture.projectId}'`),
      finds: /budget of project .*: use this period/,
    },
    {
      name: "a member limit moved to another period behind the ledger's back",
      corrupt: (b) => sql(`UPDATE "MemberLimit" SET "period" = 'lifetime' WHERE "teamId" = '${b.fixture.team.id}'`),
      finds: /limit .*: use this period/,
    },
    {
      name: "a grant without the entry that made it",
      corrupt: (b) =>
        sql(`INSERT INTO "Grant" ("id", "teamId", "amount", "remaining", "source") VALUES ('grant_forged', '${b.fixture.team.id}', 900, 900, 'Top-up')`),
      finds: /grant grant_forged entry that created it/,
    },
    {
      name: "an entry appended with wrong running totals",
      corrupt: (b) =>
        sql(`INSERT INTO "LedgerEntry" ("teamId", "kind", "amount", "heldDelta", "balanceAfter", "heldAfter", "availableAfter")
             VALUES ('${b.fixture.team.id}', 'adjustment', 0, 0, 1, 0, 1)`),
      finds: /running totals/,
    },
    {
      name: "an entry drawing on another team's grant",
      corrupt: async (b) => {
        const foreign = await db().grant.findFirstOrThrow({ where: { teamId: b.other.team.id } });
        const last = await db().ledgerEntry.findFirstOrThrow({ where: { teamId: b.fixture.team.id }, orderBy: { id: "desc" } });
        return sql(`INSERT INTO "LedgerEntry" ("teamId", "kind", "amount", "heldDelta", "balanceAfter", "heldAfter", "availableAfter", "draws")
             VALUES ('${b.fixture.team.id}', 'adjustment', 0, 0, ${last.balanceAfter}, ${last.heldAfter}, ${last.availableAfter},
               jsonb_build_array(jsonb_build_object('g', '${foreign.id}', 'r', 0)))`);
      },
      finds: /draws on a grant not of its team/,
    },
    {
      name: "a day's charged total",
      corrupt: (b) => sql(`UPDATE "UsageDay" SET "actual" = "actual" + 5 WHERE "teamId" = '${b.fixture.team.id}' AND "state" = 'settled'`),
      finds: /daily totals of .* settled/,
    },
    { name: "a day's totals lost", corrupt: (b) => sql(`DELETE FROM "UsageDay" WHERE "teamId" = '${b.fixture.team.id}' AND "state" = 'held'`), finds: /daily totals of .* held/ },
    {
      name: "a run changed behind the daily totals' back",
      corrupt: async (b) => {
        await sql(`ALTER TABLE "Run" DISABLE TRIGGER "Run_usage_days"`);
        try {
          return await sql(`UPDATE "Run" SET "stage" = (CASE WHEN "stage" = 'draft' THEN 'final' ELSE 'draft' END)::"RunStage" WHERE "id" = '${b.settledRunId}'`);
        } finally {
          await sql(`ALTER TABLE "Run" ENABLE TRIGGER "Run_usage_days"`);
        }
      },
      finds: /daily totals of/,
    },
  ];

  it("finds nothing wrong in a history where a limit was set and removed before its person spent", async () => {
    const admin: TeamContext = { user: books.fixture.people.admin, team: books.fixture.team, role: "admin" };
    await setMemberLimit(admin, { userId: books.fixture.people.viewer.id, scope: "team", credits: 500, period: "month", weekStartsOn: 1 });
    const limit = await db().memberLimit.findFirstOrThrow({ where: { teamId: books.fixture.team.id, userId: books.fixture.people.viewer.id } });
    await removeMemberLimit(admin, limit.id);
    expect(await verifyLedger(db(), books.fixture.team.id)).toEqual([]);
  });

  it.each(corruptions)("finds $name", async ({ corrupt, finds }) => {
    await corrupt(books);
    const found = await verifyLedger(db(), books.fixture.team.id);
    expect(found.map((d) => d.what).join("\n")).toMatch(finds);
  });
});
