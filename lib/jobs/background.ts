// Work every app instance does in the background: expiring approvals nobody used and lapsing requests nobody decided,
// sending the outbox, pruning records that have expired, alerts from history (forecasts, unusual days) and recording
// the rows of running imports.
// Started once per server process (instrumentation.ts); safe with any number of instances at once.
import "server-only";
import { expireApprovals, lapseRequests } from "@/lib/approvals/request-commands";
import { appNow } from "@/lib/clock";
import { db } from "@/lib/db/client";
import { discardStaleUploads } from "@/lib/imports/commands";
import { resumeImports } from "@/lib/imports/process";
import { drainOutbox } from "@/lib/mail/outbox";
import { pruneExpiredRecords } from "@/lib/maintenance/prune";
import { sweepInsightAlerts } from "@/lib/usage/insight-alerts";

const OUTBOX_INTERVAL_MS = Number(process.env.OUTBOX_INTERVAL_MS ?? 5_000);
const PRUNE_INTERVAL_MS = 10 * 60_000;
// A forecast moves with the day's spend and an unusual day shows as it goes: checked every few minutes is soon enough.
const INSIGHTS_INTERVAL_MS = Number(process.env.INSIGHTS_INTERVAL_MS ?? 5 * 60_000);

let started = false;
let busy = false;
let lastPrune = 0;
let lastInsights = 0;
let importing = false;

// Apart from the other work: a long import must not hold back the outbox. Imports started on an instance that went
// away (or on this one before a restart) are picked up here; chunks are claimed with SKIP LOCKED, so two instances
// on one import share its rows and never record one twice.
async function importTick() {
  if (importing) return;
  importing = true;
  try {
    await discardStaleUploads(appNow());
    await resumeImports();
  } catch (error) {
    console.error("[background] an import round failed; trying again later", error);
  } finally {
    importing = false;
  }
}

async function tick() {
  // One round at a time: a slow mail server must not pile rounds up.
  if (busy) return;
  busy = true;
  try {
    // First, so the emails they raise go out in this same round. Each is bounded; what is left waits for the next
    // round, and a team's own next credit operation expires its approvals anyway.
    await sweepApprovals();
    // Before the outbox, so the alerts it raises are emailed in this same round.
    if (Date.now() - lastInsights >= INSIGHTS_INTERVAL_MS) {
      lastInsights = Date.now();
      await sweepInsightAlerts(appNow());
    }
    // Keep going while full batches come back, so a backlog drains without waiting for the next tick.
    for (let round = 0; round < 10; round++) {
      const result = await drainOutbox({ now: appNow() });
      if (result.sent + result.retrying + result.abandoned + result.skipped < 20) break;
    }
    if (Date.now() - lastPrune >= PRUNE_INTERVAL_MS) {
      lastPrune = Date.now();
      for (let round = 0; round < 20; round++) if ((await pruneExpiredRecords(db())).done) break;
    }
  } catch (error) {
    console.error("[background] a round failed; trying again later", error);
  } finally {
    busy = false;
  }
}

/**
 * One sweep of approvals: holds of approvals past their expiry released, requests past their lapse lapsed, each
 * exactly once however many instances sweep at the same moment (the ledger's SQL locks with SKIP LOCKED).
 */
export async function sweepApprovals(now = appNow()): Promise<{ expired: number; lapsed: number }> {
  const { expired } = await expireApprovals(undefined, now);
  const { lapsed } = await lapseRequests(undefined, now);
  return { expired, lapsed };
}

export function startBackgroundWork(): void {
  if (started) return;
  started = true;
  const timer = setInterval(() => {
    void tick();
    void importTick();
  }, OUTBOX_INTERVAL_MS);
  // Never keeps a process alive on its own.
  timer.unref();
}
