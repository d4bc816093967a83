// Fixed-window rate limits (sign-in, sign-up) with their counters in the database, so every app instance shares them.
import "server-only";
import { db } from "@/lib/db/client";
import { Prisma } from "@/lib/db/generated/client";

export type RateLimit = { limit: number; windowMs: number };

export const SIGN_IN_PER_EMAIL: RateLimit = { limit: 8, windowMs: 15 * 60_000 };
export const SIGN_IN_PER_ADDRESS: RateLimit = { limit: 40, windowMs: 15 * 60_000 };
// Each sign-up costs an argon2 hash; a studio signing its people up from one office stays well within this.
export const SIGN_UP_PER_ADDRESS: RateLimit = { limit: 20, windowMs: 60 * 60_000 };
/**
 * Whole-app ceilings, whatever addresses the attempts name: they bound the password hashing a flood
 * can cost (a few attempts a second), high enough that a busy studio signing in never meets them.
 */
export const SIGN_IN_ALL: RateLimit = { limit: 3_000, windowMs: 15 * 60_000 };
export const SIGN_UP_ALL: RateLimit = { limit: 300, windowMs: 60 * 60_000 };

/**
 * What follows an INSERT of a bucket with count 1 at `now`: a bucket that exists counts one more, or starts again
 * when its window has passed; either way its count comes back. The one definition of a window, for the sign-in limits
 * here and the API keys' (lib/api-keys/queries.ts, which counts in the statement that reads the key).
 */
export function countInWindow(now: Date, windowMs: number): Prisma.Sql {
  const windowFloor = new Date(now.getTime() - windowMs);
  return Prisma.sql`
    ON CONFLICT ("key") DO UPDATE SET
      "count" = CASE WHEN "RateLimitBucket"."windowStart" <= ${windowFloor} THEN 1 ELSE "RateLimitBucket"."count" + 1 END,
      "windowStart" = CASE WHEN "RateLimitBucket"."windowStart" <= ${windowFloor} THEN ${now} ELSE "RateLimitBucket"."windowStart" END
    RETURNING "count", "windowStart"`;
}

/**
 * Counts one attempt against `key` and says whether it is still within the limit.
 * One statement, so concurrent attempts from several instances never lose a count.
 */
export async function hitRateLimit(key: string, { limit, windowMs }: RateLimit, now = new Date()): Promise<boolean> {
  const rows = await db().$queryRaw<{ count: number }[]>`
    INSERT INTO "RateLimitBucket" ("key", "count", "windowStart") VALUES (${key}, 1, ${now}) ${countInWindow(now, windowMs)}`;
  return Number(rows[0]?.count ?? 0) <= limit;
}

export async function resetRateLimit(key: string): Promise<void> {
  await db().rateLimitBucket.deleteMany({ where: { key } });
}
