// Work every app instance does in the background: sending the outbox, and pruning records that have expired.
// Started once per server process (instrumentation.ts); safe with any number of instances at once.
import "server-only";
import { db } from "@/lib/db/client";
import { drainOutbox } from "@/lib/mail/outbox";
import { pruneExpiredRecords } from "@/lib/maintenance/prune";

const OUTBOX_INTERVAL_MS = Number(process.env.OUTBOX_INTERVAL_MS ?? 5_000);
const PRUNE_INTERVAL_MS = 10 * 60_000;

let started = false;
let busy = false;
let lastPrune = 0;

async function tick() {
  // One round at a time: a slow mail server must not pile rounds up.
  if (busy) return;
  busy = true;
  try {
    // Keep going while full batches come back, so a backlog drains without waiting for the next tick.
    for (let round = 0; round < 10; round++) {
      const result = await drainOutbox();
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

export function startBackgroundWork(): void {
  if (started) return;
  started = true;
  const timer = setInterval(() => void tick(), OUTBOX_INTERVAL_MS);
  // Never keeps a process alive on its own.
  timer.unref();
}
