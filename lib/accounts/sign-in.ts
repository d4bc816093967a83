// Checks an email + password sign-in: rate limits per email and per client address, then the password.
import "server-only";
import { db } from "@/lib/db/client";
import { dummyPasswordHash, verifyPassword } from "./password";
import { SIGN_IN_PER_ADDRESS, SIGN_IN_PER_EMAIL, hitRateLimit, resetRateLimit } from "./rate-limit";
import { signInSchema } from "./schema";

export type SignInCheck =
  | { ok: true; user: { id: string; email: string; name: string } }
  | { ok: false; reason: "invalid" | "rate_limited" };

/**
 * The caller's address for the per-address limit. The right end of X-Forwarded-For
 * is what the nearest proxy (or Next itself) saw; the left end is whatever the
 * client claims. TRUSTED_PROXY_HOPS says how many proxies of ours append to it.
 */
export function clientAddress(headers: Headers, env: Record<string, string | undefined> = process.env): string {
  const hops = Math.max(0, Number.parseInt(env.TRUSTED_PROXY_HOPS ?? "0", 10) || 0);
  const entries = (headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
  const address = entries[Math.max(0, entries.length - 1 - hops)];
  return address || headers.get("x-real-ip") || "unknown";
}

export async function checkCredentials(credentials: unknown, headers: Headers): Promise<SignInCheck> {
  const parsed = signInSchema.safeParse(credentials);
  if (!parsed.success) return { ok: false, reason: "invalid" };
  const { email, password } = parsed.data;
  const emailKey = `sign-in:email:${email}`;
  // Every attempt counts, so a wrong password and a right one cost the same.
  const [emailOk, addressOk] = await Promise.all([
    hitRateLimit(emailKey, SIGN_IN_PER_EMAIL),
    hitRateLimit(`sign-in:address:${clientAddress(headers)}`, SIGN_IN_PER_ADDRESS),
  ]);
  if (!emailOk || !addressOk) return { ok: false, reason: "rate_limited" };
  const user = await db().user.findUnique({
    where: { email },
    select: { id: true, email: true, name: true, passwordHash: true },
  });
  const valid = await verifyPassword(user?.passwordHash ?? (await dummyPasswordHash()), password);
  if (!user?.passwordHash || !valid) return { ok: false, reason: "invalid" };
  await resetRateLimit(emailKey);
  return { ok: true, user: { id: user.id, email: user.email, name: user.name } };
}
