// The app's clock. In production it is the machine's. End-to-end tests move it forward without sleeping: when the
// server starts with CREDITWISE_CLOCK_FILE set, the file holds a number of milliseconds added to the machine's time
// (re-read when the file changes). There is no route to move it: only someone who can write the server's files can.
import { readFileSync, statSync } from "node:fs";

type ClockState = { file: string; mtimeMs: number; offsetMs: number };

// Kept on globalThis: route handlers, server actions and background work are bundled apart but share one process.
const state = globalThis as typeof globalThis & { __creditwiseClock?: ClockState };

/** Milliseconds the clock file adds, or 0 when there is no file or it says nothing readable. */
function offsetFrom(file: string): number {
  try {
    const { mtimeMs } = statSync(file);
    const known = state.__creditwiseClock;
    if (known && known.file === file && known.mtimeMs === mtimeMs) return known.offsetMs;
    const offsetMs = Number.parseInt(readFileSync(file, "utf8").trim(), 10);
    const safe = Number.isSafeInteger(offsetMs) ? offsetMs : 0;
    state.__creditwiseClock = { file, mtimeMs, offsetMs: safe };
    return safe;
  } catch {
    return 0;
  }
}

/** Now, as the app sees it. */
export function appNow(): Date {
  const file = process.env.CREDITWISE_CLOCK_FILE;
  return new Date(file ? Date.now() + offsetFrom(file) : Date.now());
}
