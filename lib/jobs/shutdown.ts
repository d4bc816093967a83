// Graceful shutdown of a server process (SIGTERM from an orchestrator, SIGINT from a terminal).
// Next's own handler stops accepting connections, lets the requests in flight finish and then calls process.exit; this
// module stops the background work at the same moment and holds that exit until the work has stopped, the outbox
// messages it still held are given back to the other instances, and the database is closed (the embedded one is
// written out and its lock released).
import "server-only";
import { closeDatabase } from "@/lib/db/client";
import { millisSetting } from "@/lib/settings";
import { stopBackgroundWork } from "./background";


/** How long a running background round may take to stop before its outbox claims are given back anyway. */
const BACKGROUND_WAIT_MS = millisSetting(process.env.SHUTDOWN_BACKGROUND_WAIT_MS, 10_000);
/** Past this, the process exits whatever is still running (an orchestrator kills it soon after anyway). */
const DEADLINE_MS = millisSetting(process.env.SHUTDOWN_DEADLINE_MS, 25_000);

let stopping: Promise<void> | undefined;

function begin(signal: NodeJS.Signals): void {
  if (stopping) return;
  console.log(`[shutdown] ${signal}: no new requests; finishing those in flight and stopping background work`);
  const exit = process.exit.bind(process);
  stopping = stopBackgroundWork(BACKGROUND_WAIT_MS).then(
    ({ finished, released }) => {
      if (!finished) console.log(`[shutdown] background work still running after ${BACKGROUND_WAIT_MS} ms; gave back ${released} outbox message(s)`);
    },
    (error) => console.error("[shutdown] stopping background work failed", error),
  );
  // Next exits once its server has closed; the exit waits here until the background has stopped and the database is closed.
  process.exit = ((code?: number) => {
    void stopping!
      .then(() => closeDatabase({ final: true }))
      .catch((error) => console.error("[shutdown] closing the database failed", error))
      .finally(() => exit(code));
  }) as typeof process.exit;
  setTimeout(() => {
    console.error(`[shutdown] still not done after ${DEADLINE_MS} ms; exiting`);
    exit(1);
  }, DEADLINE_MS).unref();
}

/** Stops gracefully on SIGTERM and SIGINT (once per process). */
export function handleShutdownSignals(): void {
  for (const signal of ["SIGTERM", "SIGINT"] as const) process.on(signal, () => begin(signal));
}
