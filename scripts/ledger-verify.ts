// `npm run ledger:verify`: recomputes every team's balance, held credits and per-period use from the ledger; exit 1 on any difference.
import { closeDatabase, db } from "@/lib/db/client";
import { verifyLedger } from "@/lib/ledger/verify";

try {
  const teams = await db().teamCredits.count();
  const entries = await db().ledgerEntry.count();
  const differences = await verifyLedger(db());
  if (differences.length === 0) {
    console.log(`Ledger verified: ${teams} team(s), ${entries} entries, no differences.`);
  } else {
    console.log(`${differences.length} difference(s):`);
    for (const d of differences) console.log(`  team ${d.teamId}: ${d.what} — expected ${d.expected}, found ${d.found}`);
  }
  await closeDatabase();
  process.exit(differences.length === 0 ? 0 : 1);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
