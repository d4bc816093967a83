// Recognises the database errors that domains turn into messages for people.
import { Prisma } from "./generated/client";

/** A unique constraint refused the write (Prisma's P2002): someone else got there first. */
export function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002";
}

// Prisma's codes for a server it cannot reach, a connection it lost, or a pool with no connection to give in time.
const UNAVAILABLE_PRISMA_CODES = new Set(["P1001", "P1002", "P1008", "P1017", "P2024"]);
// The driver adapter's kinds for the same.
const UNAVAILABLE_ADAPTER_KINDS = new Set(["DatabaseNotReachable", "ConnectionClosed", "SocketTimeout", "TooManyConnections"]);
// PostgreSQL's: admin shutdown, crash shutdown, cannot connect now (starting or stopping), too many connections, and
// the connection exceptions of class 08 but a protocol violation (08P01), which a request itself can cause.
const UNAVAILABLE_SQLSTATE = /^(57P0[123]|53300|0800[0-6])$/;
// What node-postgres says when the server goes away without a word.
const UNAVAILABLE_MESSAGES = /Connection terminated|connection ended unexpectedly|Client has encountered a connection error/i;

/**
 * Whether the error says the database could not be reached or the connection was lost (a PostgreSQL restart, a
 * failover, a network cut) rather than anything about the request: worth answering "try again in a moment".
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (current && typeof current === "object" && !seen.has(current)) {
    seen.add(current);
    const candidate = current as { code?: unknown; message?: unknown; meta?: { driverAdapterError?: { cause?: { kind?: unknown; code?: unknown } } }; cause?: unknown };
    if (typeof candidate.code === "string" && (UNAVAILABLE_PRISMA_CODES.has(candidate.code) || UNAVAILABLE_SQLSTATE.test(candidate.code))) return true;
    const adapterCause = candidate.meta?.driverAdapterError?.cause;
    if (adapterCause) {
      if (typeof adapterCause.kind === "string" && UNAVAILABLE_ADAPTER_KINDS.has(adapterCause.kind)) return true;
      if (typeof adapterCause.code === "string" && UNAVAILABLE_SQLSTATE.test(adapterCause.code)) return true;
    }
    // Prisma's own messages quote the calling source code, so only the driver's plain errors are read for words.
    const fromPrisma = "clientVersion" in candidate;
    if (!fromPrisma && typeof candidate.message === "string" && UNAVAILABLE_MESSAGES.test(candidate.message)) return true;
    current = candidate.cause;
  }
  return false;
}

/** Seconds to suggest before a retry while the database is unreachable (a restart takes a few). */
export const UNAVAILABLE_RETRY_AFTER_SECONDS = 5;
