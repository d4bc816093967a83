// Reads of team API keys: the settings list, and the key a request's bearer secret names.
import "server-only";
import { countInWindow } from "@/lib/accounts/rate-limit";
import type { Role } from "@/lib/authz/roles";
import { db } from "@/lib/db/client";
import { hashApiKey, keyMatches } from "./rules";

export type ApiKeyListItem = {
  id: string;
  name: string;
  shown: string;
  scopes: string[];
  project: { id: string; name: string } | null;
  createdBy: { name: string; email: string };
  createdAt: Date;
  expiresAt: Date | null;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
  lastUsedAddress: string | null;
};

export async function listApiKeys(teamId: string): Promise<ApiKeyListItem[]> {
  return db().apiKey.findMany({
    where: { teamId },
    // Newest first, revoked ones in their place: a key revoked a moment ago stays where the admin was looking.
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    select: {
      id: true,
      name: true,
      shown: true,
      scopes: true,
      project: { select: { id: true, name: true } },
      createdBy: { select: { name: true, email: true } },
      createdAt: true,
      expiresAt: true,
      revokedAt: true,
      lastUsedAt: true,
      lastUsedAddress: true,
    },
  });
}

/** A key as a request meets it: its team, its creator and the creator's role in the team today (null once they left). */
export type KeyForRequest = {
  id: string;
  scopes: string[];
  projectId: string | null;
  expiresAt: Date | null;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
  team: { id: string; slug: string; name: string; timeZone: string };
  creator: { id: string; email: string; name: string };
  creatorRole: Role | null;
  /** The key's requests in the current rate-limit window, this one counted (a key in force only), and the window's start. */
  window: { count: number; start: Date } | null;
};

/**
 * The key this secret is, read fresh from the database on every request (so a revoke is seen at once everywhere), and
 * — in the same statement, one round trip — this request counted against the key's rate-limit window if the key is in
 * force (`RateLimitBucket` "api-key:<id>", fixed windows of `windowMs`, shared by every instance).
 */
export async function keyForSecret(secret: string, now = new Date(), windowMs = 60_000): Promise<KeyForRequest | null> {
  const rows = await db().$queryRaw<
    {
      id: string;
      hash: string;
      scopes: string[];
      projectId: string | null;
      expiresAt: Date | null;
      revokedAt: Date | null;
      lastUsedAt: Date | null;
      teamId: string;
      teamSlug: string;
      teamName: string;
      teamZone: string;
      userId: string;
      userEmail: string;
      userName: string;
      role: Role | null;
      count: number | null;
      windowStart: Date | null;
    }[]
  >`
    WITH key AS (
      SELECT k."id", k."hash", k."scopes", k."projectId", k."expiresAt", k."revokedAt", k."lastUsedAt",
             t."id" AS "teamId", t."slug" AS "teamSlug", t."name" AS "teamName", t."timeZone" AS "teamZone",
             u."id" AS "userId", u."email" AS "userEmail", u."name" AS "userName", m."role"::text AS "role"
      FROM "ApiKey" k
      JOIN "Team" t ON t."id" = k."teamId"
      JOIN "User" u ON u."id" = k."createdById"
      LEFT JOIN "Membership" m ON m."teamId" = k."teamId" AND m."userId" = k."createdById"
      WHERE k."hash" = ${hashApiKey(secret)}
    ), counted AS (
      INSERT INTO "RateLimitBucket" ("key", "count", "windowStart")
      SELECT 'api-key:' || key."id", 1, ${now} FROM key
        WHERE key."revokedAt" IS NULL AND (key."expiresAt" IS NULL OR key."expiresAt" > ${now})
      ${countInWindow(now, windowMs)}
    )
    SELECT key.*, counted."count", counted."windowStart" FROM key LEFT JOIN counted ON true`;
  const key = rows[0];
  if (!key || !keyMatches(secret, key.hash)) return null;
  return {
    id: key.id,
    scopes: key.scopes,
    projectId: key.projectId,
    expiresAt: key.expiresAt,
    revokedAt: key.revokedAt,
    lastUsedAt: key.lastUsedAt,
    team: { id: key.teamId, slug: key.teamSlug, name: key.teamName, timeZone: key.teamZone },
    creator: { id: key.userId, email: key.userEmail, name: key.userName },
    creatorRole: key.role,
    window: key.count === null || key.windowStart === null ? null : { count: Number(key.count), start: key.windowStart },
  };
}

const LAST_USE_EVERY_MS = 60_000;

/** Notes the key's last use and address, at most once a minute, so a busy key does not write on every request. */
export async function noteKeyUse(key: Pick<KeyForRequest, "id" | "lastUsedAt">, address: string, now: Date): Promise<void> {
  if (key.lastUsedAt && now.getTime() - key.lastUsedAt.getTime() < LAST_USE_EVERY_MS) return;
  await db().apiKey.updateMany({
    where: { id: key.id, OR: [{ lastUsedAt: null }, { lastUsedAt: { lt: new Date(now.getTime() - LAST_USE_EVERY_MS) } }] },
    data: { lastUsedAt: now, lastUsedAddress: address.slice(0, 100) },
  });
}
