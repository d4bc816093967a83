// What the session token carries besides the user: the account's session version, and the only way to raise it in a live token.
import { createHmac, timingSafeEqual } from "node:crypto";

/** The claims of ours in Auth.js's JWT. */
export type SessionClaims = { [claim: string]: unknown; uid?: unknown; sv?: unknown };

/** The version a token was issued under; tokens from before versions existed count as 0. */
export function tokenVersion(token: SessionClaims): number {
  return typeof token.sv === "number" && Number.isInteger(token.sv) ? token.sv : 0;
}

/** What the server sends through Auth.js's session update to move its own token to a new version. */
export type SessionVersionUpdate = { sessionVersion: number; proof: string };

function sign(userId: string, version: number, secret: string): Buffer {
  return createHmac("sha256", secret).update(`creditwise:session-version:${userId}:${version}`).digest();
}

export function sessionVersionUpdate(userId: string, version: number, secret: string): SessionVersionUpdate {
  return { sessionVersion: version, proof: sign(userId, version, secret).toString("base64url") };
}

/**
 * The token after an update request. Anyone holding a session cookie can post
 * an update to Auth.js's session endpoint, so a new version is taken only with
 * the server's proof for this very user and version: an old session cannot
 * bring itself back to life after a password change.
 */
export function applySessionUpdate<T extends SessionClaims>(token: T, update: unknown, secret: string): T {
  if (!update || typeof update !== "object" || typeof token.uid !== "string") return token;
  const { sessionVersion, proof } = update as Partial<SessionVersionUpdate>;
  if (typeof sessionVersion !== "number" || !Number.isInteger(sessionVersion) || typeof proof !== "string") return token;
  const expected = sign(token.uid, sessionVersion, secret);
  const given = Buffer.from(proof, "base64url");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return token;
  return { ...token, sv: sessionVersion };
}

/** Auth.js's signing secret, which also signs session-version updates. */
export function authSecret(env: Record<string, string | undefined> = process.env): string {
  const secret = env.AUTH_SECRET;
  if (!secret) throw new Error("AUTH_SECRET is not set; `npm start` sets one for the embedded database.");
  return secret;
}
