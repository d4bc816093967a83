// Recomputes every team's credits from the ledger and the runs — totals, running balances, each grant, the debt, every usage counter — and lists any difference.
import type { Db } from "@/lib/db/client";
import { periodKeysAt } from "./period-keys";
import { periodAt, type WeekStart } from "./periods";

export type Discrepancy = { teamId: string; what: string; expected: number | string; found: number | string };

type Client = Pick<Db, "$queryRaw">;

// SUMs come back as NUMERIC or BIGINT; float8 carries them to JavaScript exactly below 2^53.
const n = (value: unknown) => Number(value ?? 0);

/**
 * An empty list means the books balance. Checked, per team:
 * - the stored balance and held credits against the sums of the ledger, and held against the runs on hold;
 * - every entry's running balance, held and available figures, and every run against its own entries;
 * - each grant's remainder and reservation against what the entries did to it (their draws), the
 *   one entry that created it, what runs on hold reserved of it, and its expiry;
 * - the debt against the entries, and the balance against the grants less the debt;
 * - every usage counter against the runs that count in it, every budget's and limit's current
 *   period against the runs of its scope created in that period, and that counters and runs only
 *   name projects and people of their own team;
 * - every approval request's hold against its state: none before approval, one while approved or used, and none
 *   still held once the approval expired.
 */
export async function verifyLedger(client: Client, teamId?: string, now = new Date()): Promise<Discrepancy[]> {
  const team = teamId ?? null;
  const found: Discrepancy[] = [];
  const report = (teamId: string, what: string, expected: number | string, actual: number | string) => found.push({ teamId, what, expected, found: actual });

  const totals = await client.$queryRaw<
    { teamId: string; balance: number; held: number; debt: number; sumAmount: number; sumHeld: number; runHeld: number; grantsRemaining: number; drawnRemaining: number; liveFree: number }[]
  >`
    SELECT c."teamId", c."balance", c."held", c."debt",
      (SELECT COALESCE(SUM(e."amount"), 0) FROM "LedgerEntry" e WHERE e."teamId" = c."teamId")::float8 AS "sumAmount",
      (SELECT COALESCE(SUM(e."heldDelta"), 0) FROM "LedgerEntry" e WHERE e."teamId" = c."teamId")::float8 AS "sumHeld",
      (SELECT COALESCE(SUM(r."estimate"), 0) FROM "Run" r WHERE r."teamId" = c."teamId" AND r."state" = 'held')::float8 AS "runHeld",
      (SELECT COALESCE(SUM(g."remaining"), 0) FROM "Grant" g WHERE g."teamId" = c."teamId")::float8 AS "grantsRemaining",
      (SELECT COALESCE(SUM((x ->> 'r')::bigint), 0) FROM "LedgerEntry" e, jsonb_array_elements(e."draws") x
        WHERE e."teamId" = c."teamId")::float8 AS "drawnRemaining",
      (SELECT COALESCE(SUM(g."remaining" - g."held"), 0) FROM "Grant" g
        WHERE g."teamId" = c."teamId" AND g."expiredAt" IS NULL)::float8 AS "liveFree"
    FROM "TeamCredits" c WHERE (${team}::text IS NULL OR c."teamId" = ${team})`;
  for (const row of totals) {
    const [sumAmount, sumHeld, runHeld, grantsRemaining, drawn, liveFree] = [row.sumAmount, row.sumHeld, row.runHeld, row.grantsRemaining, row.drawnRemaining, row.liveFree].map(n);
    if (row.balance !== sumAmount) report(row.teamId, "balance vs ledger", sumAmount, row.balance);
    if (row.held !== sumHeld) report(row.teamId, "held vs ledger", sumHeld, row.held);
    if (row.held !== runHeld) report(row.teamId, "held vs runs on hold", runHeld, row.held);
    // Each entry moves the debt by what it did to grants less what it did to the balance.
    if (row.debt !== drawn - sumAmount) report(row.teamId, "debt vs ledger", drawn - sumAmount, row.debt);
    if (row.debt < 0) report(row.teamId, "debt is negative", 0, row.debt);
    if (row.balance !== grantsRemaining - row.debt) report(row.teamId, "balance vs grants less debt", grantsRemaining - row.debt, row.balance);
    // Credits that come free pay the debt first: unreserved credits and debt never exist together.
    if (row.debt > 0 && liveFree > 0) report(row.teamId, "debt left unpaid beside unreserved credits", 0, liveFree);
  }

  const running = await client.$queryRaw<{ teamId: string; id: bigint; balanceAfter: number; expectedBalance: number; heldAfter: number; expectedHeld: number }[]>`
    SELECT * FROM (
      SELECT e."teamId", e."id", e."balanceAfter", e."heldAfter", e."availableAfter",
        (SUM(e."amount") OVER w)::float8 AS "expectedBalance", (SUM(e."heldDelta") OVER w)::float8 AS "expectedHeld"
      FROM "LedgerEntry" e WHERE (${team}::text IS NULL OR e."teamId" = ${team})
      WINDOW w AS (PARTITION BY e."teamId" ORDER BY e."id")
    ) x
    WHERE x."balanceAfter" <> x."expectedBalance" OR x."heldAfter" <> x."expectedHeld"
      OR x."availableAfter" <> x."balanceAfter" - x."heldAfter"
    LIMIT 100`;
  for (const row of running) {
    report(row.teamId, `entry ${row.id} running totals`, `${n(row.expectedBalance)}/${n(row.expectedHeld)}`, `${row.balanceAfter}/${row.heldAfter}`);
  }

  const grants = await client.$queryRaw<
    { id: string; teamId: string; amount: number; remaining: number; held: number; expired: boolean; drawnRemaining: number; drawnHeld: number; reserved: number; creations: number; createdAmount: number | null }[]
  >`
    WITH drawn AS (
      SELECT x ->> 'g' AS g, SUM(COALESCE((x ->> 'r')::bigint, 0)) AS r, SUM(COALESCE((x ->> 'h')::bigint, 0)) AS h
      FROM "LedgerEntry" e, jsonb_array_elements(e."draws") x WHERE (${team}::text IS NULL OR e."teamId" = ${team}) GROUP BY 1
    ), reserved AS (
      SELECT x ->> 'g' AS g, SUM((x ->> 'h')::bigint) AS h
      FROM "Run" r, jsonb_array_elements(r."allocations") x WHERE r."state" = 'held' AND (${team}::text IS NULL OR r."teamId" = ${team}) GROUP BY 1
    ), created AS (
      SELECT e."grantId" AS g, COUNT(*) AS n, MIN(e."amount") AS amount FROM "LedgerEntry" e
      WHERE e."kind" IN ('grant', 'refund', 'adjustment') AND e."grantId" IS NOT NULL AND (${team}::text IS NULL OR e."teamId" = ${team})
      GROUP BY 1
    )
    SELECT g."id", g."teamId", g."amount", g."remaining", g."held", g."expiredAt" IS NOT NULL AS expired,
      COALESCE(d.r, 0)::float8 AS "drawnRemaining", COALESCE(d.h, 0)::float8 AS "drawnHeld", COALESCE(a.h, 0)::float8 AS reserved,
      COALESCE(c.n, 0)::int AS creations, c.amount AS "createdAmount"
    FROM "Grant" g LEFT JOIN drawn d ON d.g = g."id" LEFT JOIN reserved a ON a.g = g."id" LEFT JOIN created c ON c.g = g."id"
    WHERE (${team}::text IS NULL OR g."teamId" = ${team})`;
  for (const g of grants) {
    const [drawnRemaining, drawnHeld, reserved] = [g.drawnRemaining, g.drawnHeld, g.reserved].map(n);
    if (g.remaining !== drawnRemaining) report(g.teamId, `grant ${g.id} remaining vs ledger`, drawnRemaining, g.remaining);
    if (g.held !== drawnHeld) report(g.teamId, `grant ${g.id} held vs ledger`, drawnHeld, g.held);
    if (g.held !== reserved) report(g.teamId, `grant ${g.id} held vs runs on hold`, reserved, g.held);
    if (g.held < 0 || g.held > g.remaining) report(g.teamId, `grant ${g.id} held outside 0…remaining`, `0…${g.remaining}`, g.held);
    if (g.remaining > g.amount) report(g.teamId, `grant ${g.id} remaining above its amount`, `≤ ${g.amount}`, g.remaining);
    if (g.expired && g.remaining !== g.held) report(g.teamId, `grant ${g.id} kept unreserved credits after expiry`, g.held, g.remaining);
    if (g.creations !== 1 || g.createdAmount !== g.amount) {
      report(g.teamId, `grant ${g.id} entry that created it`, `one entry of ${g.amount}`, `${g.creations} entr${g.creations === 1 ? "y" : "ies"}${g.createdAmount === null ? "" : ` of ${g.createdAmount}`}`);
    }
  }

  // Each run agrees with its own entries: what it holds, what it was charged, what came back.
  const runs = await client.$queryRaw<{ teamId: string; id: string; state: string; estimate: number; actual: number | null; refunded: number; held: number; charged: number; refundedByLedger: number }[]>`
    SELECT r."teamId", r."id", r."state"::text AS state, r."estimate", r."actual", r."refunded",
      COALESCE(SUM(e."heldDelta"), 0)::float8 AS held,
      COALESCE(-SUM(e."amount") FILTER (WHERE e."kind" = 'charge'), 0)::float8 AS charged,
      COALESCE(SUM(e."amount") FILTER (WHERE e."kind" = 'refund'), 0)::float8 AS "refundedByLedger"
    FROM "Run" r LEFT JOIN "LedgerEntry" e ON e."runId" = r."id" AND e."teamId" = r."teamId"
    WHERE (${team}::text IS NULL OR r."teamId" = ${team})
    GROUP BY r."teamId", r."id"
    HAVING COALESCE(SUM(e."heldDelta"), 0) <> CASE WHEN r."state" = 'held' THEN r."estimate" ELSE 0 END
      OR COALESCE(-SUM(e."amount") FILTER (WHERE e."kind" = 'charge'), 0) <> CASE WHEN r."state" = 'settled' THEN COALESCE(r."actual", -1) ELSE 0 END
      OR COALESCE(SUM(e."amount") FILTER (WHERE e."kind" = 'refund'), 0) <> r."refunded"
    LIMIT 100`;
  for (const run of runs) {
    report(
      run.teamId,
      `run ${run.id} vs its entries`,
      `${run.state === "held" ? run.estimate : 0} held, ${run.state === "settled" ? run.actual : 0} charged, ${run.refunded} refunded`,
      `${n(run.held)} held, ${n(run.charged)} charged, ${n(run.refundedByLedger)} refunded`,
    );
  }

  // Draws and reservations only touch grants of their own team; a run holds no more than its estimate.
  const strays = await client.$queryRaw<{ teamId: string; what: string; ref: string }[]>`
    SELECT e."teamId", 'entry ' || e."id" || ' draws on a grant not of its team' AS what, x ->> 'g' AS ref
      FROM "LedgerEntry" e CROSS JOIN jsonb_array_elements(e."draws") x LEFT JOIN "Grant" g ON g."id" = x ->> 'g'
      WHERE (${team}::text IS NULL OR e."teamId" = ${team}) AND (g."id" IS NULL OR g."teamId" <> e."teamId")
    UNION ALL
    SELECT r."teamId", 'run ' || r."id" || ' reserves a grant not of its team', x ->> 'g'
      FROM "Run" r CROSS JOIN jsonb_array_elements(r."allocations") x LEFT JOIN "Grant" g ON g."id" = x ->> 'g'
      WHERE (${team}::text IS NULL OR r."teamId" = ${team}) AND (g."id" IS NULL OR g."teamId" <> r."teamId")
    UNION ALL
    SELECT r."teamId", 'run ' || r."id" || ' reserves more than it holds, or holds nothing', r."state"::text
      FROM "Run" r
      WHERE (${team}::text IS NULL OR r."teamId" = ${team}) AND r."allocations" <> '[]'::jsonb
        AND (r."state" <> 'held' OR (SELECT SUM((x ->> 'h')::bigint) FROM jsonb_array_elements(r."allocations") x) > r."estimate")
    LIMIT 100`;
  for (const row of strays) report(row.teamId, row.what, "none", row.ref);

  const counters = await client.$queryRaw<{ teamId: string; counter: string; periodKey: string; used: number; expected: number }[]>`
    WITH expected AS (
      SELECT r."teamId", c ->> 'counter' AS counter, c ->> 'periodKey' AS "periodKey",
        SUM(CASE r."state" WHEN 'held' THEN r."estimate" WHEN 'settled' THEN r."actual" - r."refunded" ELSE 0 END) AS used
      FROM "Run" r, jsonb_array_elements(r."counters") c
      WHERE (${team}::text IS NULL OR r."teamId" = ${team})
      GROUP BY 1, 2, 3
    )
    SELECT COALESCE(u."teamId", e."teamId") AS "teamId", COALESCE(u."counter", e.counter) AS counter,
      COALESCE(u."periodKey", e."periodKey") AS "periodKey", COALESCE(u."used", 0)::float8 AS used, COALESCE(e.used, 0)::float8 AS expected
    FROM (SELECT * FROM "UsageCounter" WHERE (${team}::text IS NULL OR "teamId" = ${team})) u
    FULL OUTER JOIN expected e ON e."teamId" = u."teamId" AND e.counter = u."counter" AND e."periodKey" = u."periodKey"
    WHERE COALESCE(u."used", 0) <> COALESCE(e.used, 0)`;
  for (const row of counters) report(row.teamId, `use of ${row.counter} in ${row.periodKey}`, n(row.expected), n(row.used));

  // A counter belongs to exactly one team: a run counts only in its own project's and its own
  // person's counters, and a counter row names a project or person of its team.
  const foreign = await client.$queryRaw<{ teamId: string; what: string; counter: string }[]>`
    SELECT r."teamId", 'run ' || r."id" || ' counts in a counter not its own' AS what, c ->> 'counter' AS counter
      FROM "Run" r, jsonb_array_elements(r."counters") c
      WHERE (${team}::text IS NULL OR r."teamId" = ${team})
        AND c ->> 'counter' NOT IN (cw_project_counter(r."projectId"), cw_member_counter('team', r."userId"), cw_member_counter(r."projectId", r."userId"))
    UNION ALL
    SELECT u."teamId", 'counter of another team''s project or person', u."counter"
      FROM "UsageCounter" u
      -- A zero left by a removed limit counts nothing; only a counter that holds credits must be the team's.
      WHERE (${team}::text IS NULL OR u."teamId" = ${team}) AND u."used" <> 0
        AND NOT EXISTS (SELECT 1 FROM "Project" p WHERE p."teamId" = u."teamId" AND u."counter" = cw_project_counter(p."id"))
        AND NOT EXISTS (SELECT 1 FROM "MemberLimit" l WHERE l."teamId" = u."teamId" AND u."counter" = cw_member_counter(l."scope", l."userId"))
        AND NOT EXISTS (SELECT 1 FROM "Run" r WHERE r."teamId" = u."teamId"
          AND u."counter" IN (cw_member_counter('team', r."userId"), cw_member_counter(r."projectId", r."userId")))
    LIMIT 100`;
  for (const row of foreign) report(row.teamId, row.what, "none", row.counter);

  found.push(...(await verifyApprovalHolds(client, team)));
  found.push(...(await verifyUsageDays(client, team)));
  found.push(...(await verifyCurrentPeriods(client, team, now)));
  return found;
}

/**
 * A team's daily totals (UsageDay, kept by a trigger on Run) are its runs grouped by the day they were made in the
 * team's time zone and by what they were: every measure of every day, compared both ways.
 */
async function verifyUsageDays(client: Client, team: string | null): Promise<Discrepancy[]> {
  // A database checked part-way through its migrations (a migration's own test) may have no daily totals yet.
  const [{ present }] = await client.$queryRaw<{ present: boolean }[]>`SELECT to_regclass('"UsageDay"') IS NOT NULL AS present`;
  if (!present) return [];
  const rows = await client.$queryRaw<{ teamId: string; what: string; expected: string; found: string }[]>`
    WITH expected AS (
      SELECT r."teamId", cw_usage_day(r."teamId", r."createdAt") AS day, r."projectId", r."userId", r."modelId", r."outputType",
          COALESCE(r."tier", '') AS tier, r."stage", r."state", COALESCE(r."outcome"::text, '') AS outcome,
          COUNT(*)::bigint AS runs, SUM(r."estimate")::bigint AS estimate, SUM(COALESCE(r."actual", 0))::bigint AS actual,
          SUM(r."refunded")::bigint AS refunded, (COUNT(*) FILTER (WHERE r."overrun"))::bigint AS overruns
        FROM "Run" r WHERE (${team}::text IS NULL OR r."teamId" = ${team})
        GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10
    ), kept AS (
      SELECT * FROM "UsageDay" WHERE (${team}::text IS NULL OR "teamId" = ${team})
    )
    SELECT COALESCE(k."teamId", e."teamId") AS "teamId",
        'daily totals of ' || to_char(COALESCE(k."day", e.day), 'YYYY-MM-DD') || ' for ' || COALESCE(k."modelId", e."modelId") || ', '
          || COALESCE(k."stage", e."stage")::text || ', ' || COALESCE(k."state", e."state")::text AS what,
        concat_ws(' / ', COALESCE(e.runs, 0), COALESCE(e.estimate, 0), COALESCE(e.actual, 0), COALESCE(e.refunded, 0), COALESCE(e.overruns, 0)) AS expected,
        concat_ws(' / ', COALESCE(k."runs", 0), COALESCE(k."estimate", 0), COALESCE(k."actual", 0), COALESCE(k."refunded", 0), COALESCE(k."overruns", 0)) AS found
      FROM kept k FULL OUTER JOIN expected e
        ON e."teamId" = k."teamId" AND e.day = k."day" AND e."projectId" = k."projectId" AND e."userId" = k."userId"
          AND e."modelId" = k."modelId" AND e."outputType" = k."outputType" AND e.tier = k."tier" AND e."stage" = k."stage"
          AND e."state" = k."state" AND e.outcome = k."outcome"
      WHERE COALESCE(e.runs, 0) <> COALESCE(k."runs", 0) OR COALESCE(e.estimate, 0) <> COALESCE(k."estimate", 0)
        OR COALESCE(e.actual, 0) <> COALESCE(k."actual", 0) OR COALESCE(e.refunded, 0) <> COALESCE(k."refunded", 0)
        OR COALESCE(e.overruns, 0) <> COALESCE(k."overruns", 0)
      LIMIT 100`;
  // Figures as runs / estimate / charged / refunded / overruns.
  return rows.map((row) => ({ teamId: row.teamId, what: row.what, expected: row.expected, found: row.found }));
}

/**
 * An approval's hold lives exactly as long as the approval: placed with it, used by its run, released when it expired;
 * it is the requester's run of what was approved (person, project, item, estimate), and an approval always expires.
 */
async function verifyApprovalHolds(client: Client, team: string | null): Promise<Discrepancy[]> {
  // A database checked part-way through its migrations (a migration's own test) may have no requests yet.
  const [{ present }] = await client.$queryRaw<{ present: boolean }[]>`SELECT to_regclass('"ApprovalRequest"') IS NOT NULL AS present`;
  if (!present) return [];
  const approvals = await client.$queryRaw<{ teamId: string; what: string; runState: string }[]>`
    SELECT a."teamId", 'approval request ' || a."id" || ' is ' || a."state"::text AS what, COALESCE(r."state"::text, 'no hold') AS "runState"
      FROM "ApprovalRequest" a LEFT JOIN "Run" r ON r."id" = a."holdRunId" AND r."teamId" = a."teamId"
      WHERE (${team}::text IS NULL OR a."teamId" = ${team})
        AND ((a."state" = 'expired' AND r."state" = 'held')
          OR (a."state" IN ('approved', 'used') AND a."holdRunId" IS NULL)
          OR (a."state" = 'approved' AND (a."expiresAt" IS NULL OR a."approvedAt" IS NULL))
          OR (a."holdRunId" IS NOT NULL AND (r."id" IS NULL OR r."userId" <> a."requesterId" OR r."projectId" <> a."projectId"
            OR r."estimate" <> a."estimate" OR r."batchItemId" IS DISTINCT FROM a."batchItemId"))
          OR (a."state" IN ('pending', 'rejected', 'withdrawn', 'lapsed') AND a."holdRunId" IS NOT NULL))
    LIMIT 100`;
  return approvals.map((row) => ({ teamId: row.teamId, what: row.what, expected: "a hold matching its state", found: row.runState }));
}

/**
 * Every budget and member limit must count, in its current period, exactly what the runs of its
 * scope created in that period hold or were charged — also when it was set after they ran.
 */
async function verifyCurrentPeriods(client: Client, team: string | null, now: Date): Promise<Discrepancy[]> {
  const scopes = await client.$queryRaw<
    { teamId: string; timeZone: string; what: string; period: "lifetime" | "month" | "week"; weekStartsOn: number; projectId: string | null; userId: string | null; usage: string }[]
  >`
    SELECT b."teamId", t."timeZone", 'budget of project ' || b."projectId" AS what, b."period", b."weekStartsOn",
      b."projectId", NULL AS "userId", 'budget:' || b."projectId" AS usage
      FROM "ProjectBudget" b JOIN "Team" t ON t."id" = b."teamId" WHERE (${team}::text IS NULL OR b."teamId" = ${team})
    UNION ALL
    SELECT l."teamId", t."timeZone", 'limit ' || l."id" || ' of ' || l."userId", l."period", l."weekStartsOn",
      NULLIF(l."scope", 'team'), l."userId", 'limit:' || l."id"
      FROM "MemberLimit" l JOIN "Team" t ON t."id" = l."teamId" WHERE (${team}::text IS NULL OR l."teamId" = ${team})`;
  const found: Discrepancy[] = [];
  for (const scope of scopes) {
    const period = periodAt(now, { period: scope.period, timeZone: scope.timeZone, weekStartsOn: scope.weekStartsOn as WeekStart });
    const keys = JSON.stringify(periodKeysAt(now, scope.timeZone));
    const start = period.start?.toISOString() ?? null;
    const end = period.end?.toISOString() ?? null;
    const [row] = await client.$queryRaw<{ counted: number; spent: number }[]>`
      SELECT
        (SELECT cw_used(${scope.teamId}, CASE WHEN ${scope.usage} LIKE 'budget:%'
            THEN (SELECT cw_budget_usage(b, ${keys}::jsonb) FROM "ProjectBudget" b WHERE b."projectId" = ${scope.projectId})
            ELSE (SELECT cw_limit_usage(l, ${keys}::jsonb) FROM "MemberLimit" l WHERE 'limit:' || l."id" = ${scope.usage}) END))::float8 AS counted,
        (SELECT COALESCE(SUM(CASE r."state" WHEN 'held' THEN r."estimate" WHEN 'settled' THEN r."actual" - r."refunded" ELSE 0 END), 0)
          FROM "Run" r WHERE r."teamId" = ${scope.teamId}
            AND (${scope.projectId}::text IS NULL OR r."projectId" = ${scope.projectId})
            AND (${scope.userId}::text IS NULL OR r."userId" = ${scope.userId})
            AND (${start}::timestamp IS NULL OR r."createdAt" >= ${start}::timestamp)
            AND (${end}::timestamp IS NULL OR r."createdAt" < ${end}::timestamp))::float8 AS spent`;
    if (n(row.counted) !== n(row.spent)) {
      found.push({ teamId: scope.teamId, what: `${scope.what}: use this period (${period.label}) vs runs in it`, expected: n(row.spent), found: n(row.counted) });
    }
  }
  return found;
}
