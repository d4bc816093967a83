// Work every app instance does in the background: expiring approvals nobody used and lapsing requests nobody decided,
// sending the outbox, pruning records that have expired, alerts from history (forecasts, unusual days) and recording
// the rows of running imports.
// Started once per server process (instrumentation.ts); safe with any number of instances at once.
import "server-only";
import { expireApprovals, lapseRequests } from "@/lib/approvals/request-commands";
import { appNow } from "@/lib/clock";
import { db } from "@/lib/db/client";
import { discardStaleUploads } from "@/lib/imports/commands";
import { importsInFlight, resumeImports } from "@/lib/imports/process";
import { isStopping, markStopping } from "@/lib/jobs/stopping";
import { drainOutbox, releaseOutboxClaims } from "@/lib/mail/outbox";
import { pruneExpiredRecords } from "@/lib/maintenance/prune";
import { millisSetting } from "@/lib/settings";
import { sweepInsightAlerts } from "@/lib/usage/insight-alerts";

const OUTBOX_INTERVAL_MS = millisSetting(process.env.OUTBOX_INTERVAL_MS, 5_000, 100);
const PRUNE_INTERVAL_MS = 10 * 60_000;
// A forecast moves with the day's spend and an unusual day shows as it goes: checked every few minutes is soon enough.
const INSIGHTS_INTERVAL_MS = millisSetting(process.env.INSIGHTS_INTERVAL_MS, 5 * 60_000, 100);

let timer: NodeJS.Timeout | undefined;
let busy: Promise<void> | null = null;
let lastPrune = 0;
let lastInsights = 0;
let importing: Promise<void> | null = null;

// Apart from the other work: a long import must not hold back the outbox. Imports started on an instance that went
// away (or on this one before a restart) are picked up here; chunks are claimed with SKIP LOCKED, so two instances
// on one import share its rows and never record one twice.
function importTick(): void {
  if (importing || isStopping()) return;
  importing = (async () => {
    await discardStaleUploads(appNow());
    await resumeImports();
  })()
    .catch((error) => console.error("[background] an import round failed; trying again later", error))
    .finally(() => (importing = null));
}

function tick(): void {
  // One round at a time: a slow mail server must not pile rounds up.
  if (busy || isStopping()) return;
  busy = round().finally(() => (busy = null));
}

async function round(): Promise<void> {
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
      if (isStopping()) break;
      const result = await drainOutbox({ now: appNow(), stop: isStopping });
      if (result.sent + result.retrying + result.abandoned + result.skipped < 20) break;
    }
    if (Date.now() - lastPrune >= PRUNE_INTERVAL_MS) {
      lastPrune = Date.now();
      for (let round = 0; round < 20; round++) if ((await pruneExpiredRecords(db())).done) break;
    }
  } catch (error) {
    console.error("[background] a round failed; trying again later", error);
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
  if (timer) return;
  timer = setInterval(() => {
    tick();
    importTick();
  }, OUTBOX_INTERVAL_MS);
  // Never keeps a process alive on its own.
  timer.unref();
}

/**
 * Stops for a shutdown: no new round starts, a running one stops between steps (an import between chunks, the outbox
 * between messages), and after `waitMs` the outbox messages still being sent are given back to the other instances.
 * Resolves with what was given back.
 */
export async function stopBackgroundWork(waitMs: number): Promise<{ finished: boolean; released: number }> {
  markStopping();
  clearInterval(timer);
  const rounds = Promise.all([busy, importing, importsInFlight()]).then(() => true);
  const finished = await Promise.race([rounds, new Promise<false>((resolve) => setTimeout(() => resolve(false), waitMs).unref())]);
  return { finished, released: await releaseOutboxClaims() };
}
