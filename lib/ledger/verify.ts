// Recomputes every team's balance, held credits and per-period use from the ledger and the runs, and lists any difference.
import type { Db } from "@/lib/db/client";

export type Discrepancy = { teamId: string; what: string; expected: number | string; found: number | string };

type Client = Pick<Db, "$queryRaw">;

/** An empty list means the books balance: stored totals, running totals and counters all agree. */
export async function verifyLedger(client: Client, teamId?: string): Promise<Discrepancy[]> {
  const team = teamId ?? null;
  const found: Discrepancy[] = [];

  const totals = await client.$queryRaw<{ teamId: string; balance: number; held: number; sumAmount: number; sumHeld: number; runHeld: number; grantsLeft: number }[]>`
    SELECT c."teamId", c."balance", c."held",
      COALESCE((SELECT SUM(e."amount") FROM "LedgerEntry" e WHERE e."teamId" = c."teamId"), 0)::int AS "sumAmount",
      COALESCE((SELECT SUM(e."heldDelta") FROM "LedgerEntry" e WHERE e."teamId" = c."teamId"), 0)::int AS "sumHeld",
      COALESCE((SELECT SUM(r."estimate") FROM "Run" r WHERE r."teamId" = c."teamId" AND r."state" = 'held'), 0)::int AS "runHeld",
      COALESCE((SELECT SUM(g."remaining") FROM "Grant" g WHERE g."teamId" = c."teamId" AND g."expiredAt" IS NULL), 0)::int AS "grantsLeft"
    FROM "TeamCredits" c WHERE (${team}::text IS NULL OR c."teamId" = ${team})`;
  for (const row of totals) {
    if (row.balance !== row.sumAmount) found.push({ teamId: row.teamId, what: "balance vs ledger", expected: row.sumAmount, found: row.balance });
    if (row.held !== row.sumHeld) found.push({ teamId: row.teamId, what: "held vs ledger", expected: row.sumHeld, found: row.held });
    if (row.held !== row.runHeld) found.push({ teamId: row.teamId, what: "held vs runs on hold", expected: row.runHeld, found: row.held });
    if (row.grantsLeft !== Math.max(0, row.balance)) {
      found.push({ teamId: row.teamId, what: "grants left vs balance", expected: Math.max(0, row.balance), found: row.grantsLeft });
    }
  }

  const running = await client.$queryRaw<{ teamId: string; id: bigint; balanceAfter: number; expectedBalance: number; heldAfter: number; expectedHeld: number; availableAfter: number }[]>`
    SELECT * FROM (
      SELECT e."teamId", e."id", e."balanceAfter", e."heldAfter", e."availableAfter",
        (SUM(e."amount") OVER w)::int AS "expectedBalance", (SUM(e."heldDelta") OVER w)::int AS "expectedHeld"
      FROM "LedgerEntry" e WHERE (${team}::text IS NULL OR e."teamId" = ${team})
      WINDOW w AS (PARTITION BY e."teamId" ORDER BY e."id")
    ) x
    WHERE x."balanceAfter" <> x."expectedBalance" OR x."heldAfter" <> x."expectedHeld"
      OR x."availableAfter" <> x."balanceAfter" - x."heldAfter"
    LIMIT 100`;
  for (const row of running) {
    found.push({
      teamId: row.teamId,
      what: `entry ${row.id} running totals`,
      expected: `${row.expectedBalance}/${row.expectedHeld}`,
      found: `${row.balanceAfter}/${row.heldAfter}`,
    });
  }

  const counters = await client.$queryRaw<{ teamId: string; counter: string; periodKey: string; used: number; expected: number }[]>`
    WITH expected AS (
      SELECT r."teamId", c ->> 'counter' AS counter, c ->> 'periodKey' AS "periodKey",
        SUM(CASE r."state" WHEN 'held' THEN r."estimate" WHEN 'settled' THEN r."actual" - r."refunded" ELSE 0 END)::int AS used
      FROM "Run" r, jsonb_array_elements(r."counters") c
      WHERE (${team}::text IS NULL OR r."teamId" = ${team})
      GROUP BY 1, 2, 3
    )
    SELECT COALESCE(u."teamId", e."teamId") AS "teamId", COALESCE(u."counter", e.counter) AS counter,
      COALESCE(u."periodKey", e."periodKey") AS "periodKey", COALESCE(u."used", 0) AS used, COALESCE(e.used, 0) AS expected
    FROM (SELECT * FROM "UsageCounter" WHERE (${team}::text IS NULL OR "teamId" = ${team})) u
    FULL OUTER JOIN expected e ON e.counter = u."counter" AND e."periodKey" = u."periodKey"
    WHERE COALESCE(u."used", 0) <> COALESCE(e.used, 0)`;
  for (const row of counters) {
    found.push({ teamId: row.teamId, what: `use of ${row.counter} in ${row.periodKey}`, expected: row.expected, found: row.used });
  }
  return found;
}
