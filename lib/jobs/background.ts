// Work every app instance does in the background: sending the outbox. Started once per server process (instrumentation.ts).
import "server-only";
import { drainOutbox } from "@/lib/mail/outbox";

const INTERVAL_MS = Number(process.env.OUTBOX_INTERVAL_MS ?? 5_000);

let started = false;
let busy = false;

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
  } catch (error) {
    console.error("[background] outbox round failed; trying again later", error);
  } finally {
    busy = false;
  }
}

export function startBackgroundWork(): void {
  if (started) return;
  started = true;
  const timer = setInterval(() => void tick(), INTERVAL_MS);
  // Never keeps a process alive on its own.
  timer.unref();
}
