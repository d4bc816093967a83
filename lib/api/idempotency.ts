// Idempotency-Key for the API's writes: a retry gets the first answer's status and body; the same key with another
// request is refused; a request still being answered makes its twin wait its turn (409, Retry-After).
import "server-only";
import { createHash } from "node:crypto";
import type { Prisma } from "@/lib/db/generated/client";
import { canonicalJson } from "@/lib/canonical-json";
import { db } from "@/lib/db/client";
import { isDatabaseUnavailable } from "@/lib/db/errors";
import { millisSetting } from "@/lib/settings";

/**
 * How long an unanswered first request holds its key: after this (the instance died mid-request) a retry takes over.
 * Longer than the longest write may take (recording 1,000 usage events may wait 30 s for the team and run 120 s).
 */
// API_IDEMPOTENCY_TAKEOVER_MS shortens it for a test harness that kills instances on purpose.
export const ABANDONED_AFTER_MS = millisSetting(process.env.API_IDEMPOTENCY_TAKEOVER_MS, 180_000, 1_000);

const KEY = /^[\x21-\x7e]{1,200}$/;

/** Whether an Idempotency-Key header's value can be used: 1 to 200 visible ASCII characters. */
export function validIdempotencyKey(value: string): boolean {
  return KEY.test(value);
}


export function requestFingerprint(method: string, path: string, body: unknown): string {
  return createHash("sha256").update(`${method} ${path}\n${canonicalJson(body)}`).digest("hex");
}

/**
 * The key the ledger keeps for this request (admissions, settles, releases take one), derived from the caller and
 * the header: the ledger answers a resend as it did the first time even if the API's own record of the answer was
 * never written (the instance died between the two).
 */
export function ledgerKeyFor(caller: string, key: string): string {
  return `api:${createHash("sha256").update(`${caller}\u0000${key}`).digest("base64url")}`;
}

export type StoredAnswer = { status: number; body: unknown };

export type Claim =
  /** This request answers it; `claimedAt` tells its claim from a later takeover's. */
  | { kind: "first"; claimedAt: Date }
  | { kind: "replay"; answer: StoredAnswer }
  | { kind: "reused" }
  | { kind: "in_progress" };

type Scope = { teamId: string; caller: string; key: string };

/** Claims the key for this request, or says what became of the request that claimed it first. */
export async function claimIdempotencyKey(scope: Scope, method: string, path: string, hash: string, now = new Date()): Promise<Claim> {
  const inserted = await db().$queryRaw<{ key: string }[]>`
    INSERT INTO "ApiRequest" ("teamId", "caller", "key", "method", "path", "requestHash", "createdAt")
    VALUES (${scope.teamId}, ${scope.caller}, ${scope.key}, ${method}, ${path}, ${hash}, ${now})
    ON CONFLICT DO NOTHING RETURNING "key"`;
  if (inserted.length > 0) return { kind: "first", claimedAt: now };
  const found = await db().apiRequest.findUnique({
    where: { teamId_caller_key: scope },
    select: { requestHash: true, status: true, body: true, createdAt: true },
  });
  // Pruned between the two statements: claim it afresh.
  if (!found) return claimIdempotencyKey(scope, method, path, hash, now);
  if (found.requestHash !== hash) return { kind: "reused" };
  if (found.status !== null) return { kind: "replay", answer: { status: found.status, body: found.body } };
  if (now.getTime() - found.createdAt.getTime() < ABANDONED_AFTER_MS) return { kind: "in_progress" };
  // The first request was abandoned (its instance died): one retry takes it over, the others still wait.
  const taken = await db().apiRequest.updateMany({
    where: { ...scope, status: null, createdAt: found.createdAt },
    data: { createdAt: now },
  });
  return taken.count === 1 ? { kind: "first", claimedAt: now } : { kind: "in_progress" };
}

/**
 * Keeps the answer for retries; an answer that is our failure (5xx) is not kept, so a retry runs again. Only this
 * request's own claim is touched: one that was taken over since (it ran past ABANDONED_AFTER_MS) leaves the new one be.
 */
export async function settleIdempotencyKey(scope: Scope, claimedAt: Date, answer: StoredAnswer): Promise<void> {
  const own = { ...scope, status: null, createdAt: claimedAt };
  if (answer.status >= 500) {
    await db().apiRequest.deleteMany({ where: own });
    return;
  }
  await db().apiRequest.updateMany({ where: own, data: { status: answer.status, body: answer.body as Prisma.InputJsonValue } });
}

/**
 * `settleIdempotencyKey`, tried again every second while the database is out of reach (up to the takeover time), in
 * the background: a retry then finds the answer kept (or, for a failure, its key free) as soon as the database is back,
 * rather than waiting for the takeover. The first attempt's error is thrown if it is anything else.
 */
export async function settleIdempotencyKeySoon(scope: Scope, claimedAt: Date, answer: StoredAnswer): Promise<void> {
  try {
    await settleIdempotencyKey(scope, claimedAt, answer);
  } catch (error) {
    if (!isDatabaseUnavailable(error)) throw error;
    void (async () => {
      for (let waited = 0; waited < ABANDONED_AFTER_MS; waited += 1_000) {
        await new Promise((resolve) => setTimeout(resolve, 1_000).unref());
        try {
          return await settleIdempotencyKey(scope, claimedAt, answer);
        } catch (again) {
          if (!isDatabaseUnavailable(again)) return console.error("[api] keeping an Idempotency-Key's answer failed", again);
        }
      }
    })();
  }
}
