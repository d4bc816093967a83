// Team API keys' rules: the secret's form (a recognizable prefix, 256 random bits), its hash, the scopes, and the role a key acts with.
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { hasRole, type Role } from "@/lib/authz/roles";

/** What every Creditwise key starts with, so people and secret scanners can recognise one in a file or a log. */
export const API_KEY_PREFIX = "cwk_";
/** Characters of a key shown in the list (the prefix and the start of the secret): enough to tell keys apart, useless to a thief. */
export const SHOWN_LENGTH = 12;

const SECRET = /^cwk_[A-Za-z0-9_-]{43}$/;

export const API_SCOPES = ["estimate", "runs:write", "usage:write", "usage:read", "approvals:write", "batches:read"] as const;
export type ApiScope = (typeof API_SCOPES)[number];

export const SCOPE_LABELS: Record<ApiScope, string> = {
  estimate: "Estimate runs and read the price list",
  "runs:write": "Admit, settle and release runs, and run apps",
  "usage:write": "Record usage that already happened",
  "usage:read": "Read runs, the ledger and usage totals",
  "approvals:write": "Request approvals and read their state",
  "batches:read": "Read batches with their estimates and findings, and the team's apps",
};

/** A new key: the secret (shown once), what is stored of it (its hash), and what the list shows. */
export function newApiKeySecret(): { secret: string; hash: string; shown: string } {
  const secret = `${API_KEY_PREFIX}${randomBytes(32).toString("base64url")}`;
  return { secret, hash: hashApiKey(secret), shown: secret.slice(0, SHOWN_LENGTH) };
}

/** A key's secret is 256 random bits: one SHA-256 is enough to store it (no guessing to slow down, unlike a password). */
export function hashApiKey(secret: string): string {
  return createHash("sha256").update(secret).digest("hex");
}

/** The key in an `Authorization: Bearer …` header, if it has a key's form; anything else is not a key. */
export function readBearerKey(header: string | null): string | null {
  const match = /^Bearer[ ]+(\S+)\s*$/i.exec(header ?? "");
  return match && SECRET.test(match[1]) ? match[1] : null;
}

/** Whether a stored hash is this secret's, compared in constant time. */
export function keyMatches(secret: string, storedHash: string): boolean {
  const given = Buffer.from(hashApiKey(secret), "hex");
  const stored = Buffer.from(storedHash, "hex");
  return given.length === stored.length && timingSafeEqual(given, stored);
}

/**
 * The role a key acts with: a member's at most (a key runs work, it never administers the team), and never more than
 * its creator's role today — a creator demoted to viewer takes their keys down with them.
 */
export function keyRole(creatorRole: Role | null): Role | null {
  if (creatorRole === null) return null;
  return hasRole(creatorRole, "member") ? "member" : creatorRole;
}

/** Whether a key's scopes allow what a route needs. */
export function scopeAllows(scopes: readonly string[], needed: ApiScope): boolean {
  return scopes.includes(needed);
}

export type ApiKeyState = "active" | "expired" | "revoked";

/** Whether a key works now; a revoke outranks an expiry, as it is what someone chose to do. */
export function apiKeyState(key: { revokedAt: Date | null; expiresAt: Date | null }, now: Date): ApiKeyState {
  if (key.revokedAt) return "revoked";
  if (key.expiresAt && key.expiresAt <= now) return "expired";
  return "active";
}
