// The import's chunks recorded as sets (cw_import_chunk → cw_record_runs) leave exactly the ledger the per-row chunk
// they replaced leaves — that function's body is read from its migration and kept here under another name, so the
// reference is the code as it was: two teams set up alike (budget, member limits, grants expiring at different
// times, a low-balance threshold) import the same random rows (people, projects, one of another team, premium
// finals, rows past a budget or a limit, the balance running into debt, amounts the ledger refuses, rows skipped,
// refused or unreadable, fingerprints repeated within a chunk and across chunks) in the same random chunks, one set-
// based and one row by row; every table the ledger writes is then the same, ids aside, and verify finds nothing.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { addGrant } from "@/lib/ledger/commands";
import { periodKeysAt } from "@/lib/ledger/period-keys";
import { verifyLedger } from "@/lib/ledger/verify";
import { describeEachDatabase } from "@/test/db";
import { makeTeam, type TeamFixture } from "@/test/fixtures";
import { contextOf } from "@/test/results";

const PER_ROW_CHUNK = (() => {
  const text = readFileSync(join(import.meta.dirname, "../../prisma/migrations/20261206142743_usage_import/migration.sql"), "utf8");
  const body = text.slice(text.indexOf("CREATE FUNCTION cw_import_chunk("));
  if (!body.startsWith("CREATE FUNCTION")) throw new Error("the per-row cw_import_chunk is not in its migration");
  return body.replace("CREATE FUNCTION cw_import_chunk(", "CREATE OR REPLACE FUNCTION cw_import_chunk_per_row(");
})();

const START = Date.parse("2026-03-01T00:00:00.000Z");
const NOW = new Date("2026-08-01T00:00:00.000Z");
const HOUR = 3_600_000;
const ZONE = "Europe/Berlin";
const PEOPLE = ["owner", "admin", "member"] as const;
const MODELS = [
  { modelId: "qwen-image", modelName: "Qwen Image", outputType: "image", tier: "budget" },
  { modelId: "flux-2-pro", modelName: "Flux 2 Pro", outputType: "image", tier: "premium" },
  { modelId: "speech-turbo", modelName: "Speech Turbo", outputType: "audio", tier: "standard" },
] as const;
const STAGES = ["test", "draft", "final"] as const;
const PERIODS = ["lifetime", "month", "week"] as const;

type Row = {
  kind: "call" | "skip" | "refuse" | "unreadable";
  who: number;
  /** 0–1: the team's projects (the second one has the budget); 2: a project of no team. */
  project: number;
  model: number;
  stage: number;
  quantity: number;
  estimate: number;
  actual: number;
  /** More than a ledger entry may carry: the ledger refuses the row. */
  huge: boolean;
  hours: number;
  print: number;
};

const row: fc.Arbitrary<Row> = fc.record({
  kind: fc.constantFrom("call", "call", "call", "call", "call", "call", "skip", "refuse", "unreadable"),
  who: fc.nat(PEOPLE.length - 1),
  project: fc.constantFrom(0, 1, 1, 1, 0, 2),
  model: fc.nat(MODELS.length - 1),
  stage: fc.nat(STAGES.length - 1),
  quantity: fc.integer({ min: 1, max: 4 }),
  estimate: fc.integer({ min: 0, max: 400 }),
  // Small amounts too, so a counter lands exactly on a limit or a threshold.
  actual: fc.oneof(fc.integer({ min: 0, max: 400 }), fc.integer({ min: 0, max: 12 }), fc.constant(0)),
  huge: fc.integer({ min: 0, max: 25 }).map((n) => n === 0),
  hours: fc.integer({ min: 0, max: 24 * 100 }),
  print: fc.nat(70),
});

const setup = fc.record({
  budget: fc.option(
    fc.record({
      credits: fc.oneof(fc.integer({ min: 1, max: 4_000 }), fc.integer({ min: 1, max: 40 })),
      period: fc.constantFrom(...PERIODS),
      weekStartsOn: fc.nat(6),
      hardCap: fc.boolean(),
      alertPercent: fc.integer({ min: 1, max: 100 }),
    }),
    { nil: null },
  ),
  limits: fc.uniqueArray(
    fc.record({ who: fc.nat(PEOPLE.length - 1), scope: fc.constantFrom("team", "project"), credits: fc.oneof(fc.integer({ min: 1, max: 3_000 }), fc.integer({ min: 1, max: 30 })), period: fc.constantFrom(...PERIODS) }),
    { maxLength: 3, selector: (limit) => `${limit.who}:${limit.scope}` },
  ),
  grants: fc.array(fc.record({ amount: fc.oneof(fc.integer({ min: 1, max: 50 }), fc.integer({ min: 1, max: 5_000 }), fc.integer({ min: 5_000, max: 50_000 })), expiresAfterHours: fc.option(fc.integer({ min: 1, max: 24 * 100 }), { nil: null }) }), {
    maxLength: 4,
  }),
  threshold: fc.option(fc.oneof(fc.integer({ min: 1, max: 8_000 }), fc.integer({ min: 1, max: 60 })), { nil: null }),
});

type Setup = typeof setup extends fc.Arbitrary<infer T> ? T : never;

/** One of the two teams: its fixture, its own ids, and what to write in place of each (the other team's) to compare. */
type Side = { fixture: TeamFixture; projects: string[]; jobId: string; prefix: string; ids: string[] };

async function makeSide(plan: Setup, prefix: string): Promise<Side> {
  const fixture = await makeTeam(ZONE);
  const teamId = fixture.team.id;
  const budgeted = await db().project.create({ data: { teamId, name: "Budgeted" }, select: { id: true } });
  const projects = [fixture.projectId, budgeted.id];
  if (plan.budget) await db().projectBudget.create({ data: { teamId, projectId: budgeted.id, ...plan.budget } });
  for (const limit of plan.limits) {
    await db().memberLimit.create({
      data: { teamId, userId: fixture.people[PEOPLE[limit.who]].id, scope: limit.scope === "team" ? "team" : budgeted.id, credits: limit.credits, period: limit.period },
    });
  }
  const grantIds: string[] = [];
  for (const [i, grant] of plan.grants.entries()) {
    // Grants expiring at the same instant expire in the order of their ids, which differ between the two teams
    // compared: a second apart, they expire in one order in both.
    const at = new Date(START - (10 - i) * HOUR);
    await addGrant(contextOf(fixture, "owner"), { amount: grant.amount, source: "Top-up", note: `grant ${i}`, expiresAt: grant.expiresAfterHours ? new Date(START + grant.expiresAfterHours * HOUR + i * 1_000) : undefined }, at);
  }
  for (const grant of await db().grant.findMany({ where: { teamId }, select: { id: true }, orderBy: { createdAt: "asc" } })) grantIds.push(grant.id);
  // Written directly, so the totals' updatedAt stays the ledger's own (the last grant's time, or the start).
  await db().$executeRaw`
    INSERT INTO "TeamCredits" ("teamId", "lowBalanceThreshold", "updatedAt") VALUES (${teamId}, ${plan.threshold}::int, ${new Date(START).toISOString()}::timestamp)
    ON CONFLICT ("teamId") DO UPDATE SET "lowBalanceThreshold" = EXCLUDED."lowBalanceThreshold"`;
  const job = await db().importJob.create({
    data: { teamId, startedById: fixture.people.admin.id, fileName: "usage.csv", layout: "runs", status: "running" },
    select: { id: true },
  });
  const ids = [teamId, ...projects, ...PEOPLE.map((role) => fixture.people[role].id), ...grantIds, job.id, prefix];
  return { fixture, projects, jobId: job.id, prefix, ids };
}

/** A row as the application sends it to cw_import_chunk, for one side. */
function decided(side: Side, r: Row, line: number) {
  const base = { line, fingerprint: `fp-${r.print}` };
  if (r.kind === "skip") return { ...base, skip: `You chose to skip the rows of “row ${line}”.` };
  if (r.kind === "refuse") return { ...base, refuse: `Row ${line} has no date.` };
  if (r.kind === "unreadable") return base;
  const at = new Date(START + r.hours * HOUR);
  const model = MODELS[r.model];
  return {
    ...base,
    call: {
      runId: `${side.prefix}${line}`,
      project: r.project < side.projects.length ? side.projects[r.project] : `${side.prefix}nowhere`,
      user: side.fixture.people[PEOPLE[r.who]].id,
      hash: `hash-${line}`,
      run: { ...model, settings: {}, quantity: r.quantity, stage: STAGES[r.stage], purpose: "internal_review", prompt: `Prompt ${line}`, notes: `Imported, line ${line}` },
      estimate: r.estimate,
      version: 1,
      keys: periodKeysAt(at, ZONE),
      actual: r.huge ? 1_000_000_001 : r.actual,
      outcome: "accepted",
      now: at.toISOString(),
    },
  };
}

/** Everything the import and the ledger wrote for a team, each row as JSON, in an order that does not depend on ids. */
async function written(side: Side): Promise<Record<string, unknown[]>> {
  const teamId = side.fixture.team.id;
  const rows = async (sql: string, sorted = false) => {
    const found = (await db().$queryRawUnsafe<{ row: unknown }[]>(sql, teamId)).map((r) => r.row);
    return sorted ? found.map((r) => JSON.stringify(r)).sort() : found;
  };
  return {
    runs: await rows(`SELECT to_jsonb(r) AS row FROM "Run" r WHERE "teamId" = $1 ORDER BY "id"`),
    entries: await rows(`SELECT to_jsonb(e) - 'id' AS row FROM "LedgerEntry" e WHERE "teamId" = $1 ORDER BY "id"`),
    grants: await rows(`SELECT to_jsonb(g) AS row FROM "Grant" g WHERE "teamId" = $1 ORDER BY "createdAt"`),
    counters: await rows(`SELECT to_jsonb(u) AS row FROM "UsageCounter" u WHERE "teamId" = $1`, true),
    totals: await rows(`SELECT to_jsonb(c) AS row FROM "TeamCredits" c WHERE "teamId" = $1`),
    notifications: await rows(`SELECT to_jsonb(n) - 'id' AS row FROM "Notification" n WHERE "teamId" = $1`, true),
    outbox: await rows(
      `SELECT jsonb_build_object('kind', o."kind", 'notification', n."dedupeKey", 'next', o."nextAttemptAt", 'at', o."createdAt") AS row
         FROM "OutboxMessage" o JOIN "Notification" n ON n."id" = o."notificationId" WHERE o."teamId" = $1`,
      true,
    ),
    days: await rows(`SELECT to_jsonb(d) AS row FROM "UsageDay" d WHERE "teamId" = $1`, true),
    importRows: await rows(`SELECT to_jsonb(i) AS row FROM "ImportRow" i JOIN "ImportJob" j ON j."id" = i."jobId" WHERE j."teamId" = $1 ORDER BY i."line"`),
    fingerprints: await rows(`SELECT to_jsonb(f) AS row FROM "ImportFingerprint" f WHERE "teamId" = $1 ORDER BY "fingerprint"`),
    job: await rows(
      `SELECT to_jsonb(j) - 'createdAt' - 'startedById' - 'id' AS row FROM "ImportJob" j WHERE "teamId" = $1`,
    ),
  };
}

/** The other side's rows with its ids written as this side's. */
function asSide(values: unknown, from: Side, to: Side): unknown {
  let text = JSON.stringify(values);
  from.ids.forEach((id, i) => (text = text.split(id).join(to.ids[i])));
  return JSON.parse(text);
}

describeEachDatabase("usage import: chunks recorded as sets", () => {
  it("leave exactly the ledger of the same rows recorded one by one through cw_record_run", async () => {
    await db().$executeRawUnsafe(PER_ROW_CHUNK);
    let round = 0;
    await fc.assert(
      fc.asyncProperty(setup, fc.array(row, { minLength: 1, maxLength: 80, size: "medium" }), fc.array(fc.integer({ min: 1, max: 25 }), { minLength: 1, maxLength: 6 }), async (plan, rows, sizes) => {
        round += 1;
        const sets = await makeSide(plan, `set${round}x_`);
        const perRow = await makeSide(plan, `row${round}x_`);
        for (const side of [sets, perRow]) {
          await db().$executeRaw`
            INSERT INTO "ImportRow" ("jobId", "line", "values", "contentHash", "fingerprint", "status")
            SELECT ${side.jobId}, x."line", '{}'::jsonb, '', x."fingerprint", 'pending'
            FROM jsonb_to_recordset(${JSON.stringify(rows.map((r, i) => ({ line: i + 2, fingerprint: `fp-${r.print}` })))}::jsonb) AS x("line" int, "fingerprint" text)`;
        }
        let from = 0;
        for (let c = 0; from < rows.length; c++) {
          const size = sizes[c % sizes.length];
          const slice = rows.slice(from, from + size).map((r, i) => ({ r, line: from + i + 2 }));
          from += size;
          const answers: unknown[] = [];
          for (const [side, fn] of [
            [sets, "cw_import_chunk"],
            [perRow, "cw_import_chunk_per_row"],
          ] as const) {
            const payload = JSON.stringify(slice.map(({ r, line }) => decided(side, r, line)));
            const [answer] = await db().$transaction((tx) =>
              tx.$queryRawUnsafe<{ result: unknown }[]>(`SELECT ${fn}($1, $2, $3::jsonb, $4::timestamp) AS result`, side.fixture.team.id, side.jobId, payload, NOW.toISOString()),
            );
            answers.push(answer.result);
          }
          expect(answers[0]).toEqual(answers[1]);
        }
        const [mine, theirs] = [await written(sets), asSide(await written(perRow), perRow, sets)];
        expect(mine).toEqual(theirs);
        expect(await verifyLedger(db(), sets.fixture.team.id, NOW)).toEqual([]);
      }),
      { numRuns: Number(process.env.IMPORT_EQUIVALENCE_RUNS ?? 25) },
    );
  }, 600_000);
});
