// The e2e server's clock (lib/clock): the server reads how far ahead it is from this file, so a journey can let two
// days pass in a moment. Always set it back when done: the journeys share one server.
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

export const CLOCK_FILE = join(import.meta.dirname, "..", ".data/e2e/clock");

/** Puts the server's clock `hours` ahead of the machine's (0 sets it right). */
export function setClockAhead(hours: number): void {
  mkdirSync(dirname(CLOCK_FILE), { recursive: true });
  writeFileSync(CLOCK_FILE, String(Math.round(hours * 3_600_000)));
}
