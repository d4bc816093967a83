// Checks an email + password sign-in: rate limits per email and per client address, then the password.
import "server-only";
import { db } from "@/lib/db/client";
import { clientAddress } from "./client-address";
import { dummyPasswordHash, verifyPassword } from "./password";
import { SIGN_IN_ALL, SIGN_IN_PER_ADDRESS, SIGN_IN_PER_EMAIL, hitRateLimit, resetRateLimit } from "./rate-limit";
import { signInSchema } from "./schema";

export type SignInCheck =
  | { ok: true; user: { id: string; email: string; name: string; sessionVersion: number } }
  | { ok: false; reason: "invalid" | "rate_limited" };

export async function checkCredentials(credentials: unknown, headers: Headers): Promise<SignInCheck> {
  const parsed = signInSchema.safeParse(credentials);
  if (!parsed.success) return { ok: false, reason: "invalid" };
  const { email, password } = parsed.data;
  const emailKey = `sign-in:email:${email}`;
  // Every attempt counts, so a wrong password and a right one cost the same.
  const allowed = await Promise.all([
    hitRateLimit(emailKey, SIGN_IN_PER_EMAIL),
    hitRateLimit(`sign-in:address:${clientAddress(headers)}`, SIGN_IN_PER_ADDRESS),
  ]);
  // The whole-app ceiling counts only attempts that would hash a password: one client refused by its
  // own limits cannot use it up for everyone else.
  if (allowed.includes(false) || !(await hitRateLimit("sign-in:all", SIGN_IN_ALL))) return { ok: false, reason: "rate_limited" };
  const user = await db().user.findUnique({
    where: { email },
    select: { id: true, email: true, name: true, passwordHash: true, sessionVersion: true },
  });
  const valid = await verifyPassword(user?.passwordHash ?? (await dummyPasswordHash()), password);
  if (!user?.passwordHash || !valid) return { ok: false, reason: "invalid" };
  await resetRateLimit(emailKey);
  return { ok: true, user: { id: user.id, email: user.email, name: user.name, sessionVersion: user.sessionVersion } };
}
