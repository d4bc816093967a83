// Accounts through their server actions: sign-up and sign-in with their rate limits, password change.
import { afterAll, beforeAll, beforeEach, expect, it, vi } from "vitest";
import { getURLFromRedirectError } from "next/dist/client/components/redirect";
import { isRedirectError } from "next/dist/client/components/redirect-error";
import { db } from "@/lib/db/client";
import { describeEachDatabase } from "@/test/db";
import { makeUser } from "@/test/fixtures";
import { signInAs } from "@/test/session";
import { changePasswordAction, signInAction, signUpAction } from "./actions";
import * as passwordModule from "./password";
import { hashPassword, verifyPassword } from "./password";
import { SIGN_IN_ALL, SIGN_IN_PER_ADDRESS, SIGN_IN_PER_EMAIL, SIGN_UP_ALL, SIGN_UP_PER_ADDRESS, hitRateLimit } from "./rate-limit";

const PASSWORD = "correct horse battery";

/** The URL the action redirected to; fails the test when it answered instead. */
async function redirectOf(call: Promise<unknown>): Promise<string> {
  try {
    const result = await call;
    throw new Error(`expected a redirect, got ${JSON.stringify(result)}`);
  } catch (error) {
    if (!isRedirectError(error)) throw error;
    return getURLFromRedirectError(error);
  }
}

let serial = 0;
function uniqueEmail(label: string): string {
  serial += 1;
  return `${label}-${serial}-${Date.now()}@example.test`;
}

async function userWithPassword(password = PASSWORD) {
  return makeUser({ email: uniqueEmail("pw"), passwordHash: await hashPassword(password) });
}

async function bucketCount(key: string): Promise<number | null> {
  const bucket = await db().rateLimitBucket.findUnique({ where: { key } });
  return bucket?.count ?? null;
}

const ADDRESS_KEY = "sign-in:address:203.0.113.7"; // the address test/setup.ts gives every request
const SIGN_UP_KEY = "sign-up:address:203.0.113.7";
const SIGNED_UP = "/sign-in?signed-up=1";

describeEachDatabase("accounts", () => {
  // Behind one proxy of ours, as in production; the address is the one test/setup.ts sends.
  const hops = process.env.TRUSTED_PROXY_HOPS;
  beforeAll(() => {
    process.env.TRUSTED_PROXY_HOPS = "1";
  });
  afterAll(() => {
    if (hops === undefined) delete process.env.TRUSTED_PROXY_HOPS;
    else process.env.TRUSTED_PROXY_HOPS = hops;
  });

  beforeEach(async () => {
    signInAs(null);
    // Every sign-in in this file comes from one address; each test starts with fresh counters.
    await db().rateLimitBucket.deleteMany();
  });

  it("signs up with an argon2id hash, a trimmed name and a lowercased email, then sends the person to sign in", async () => {
    const email = uniqueEmail("Ada.Lovelace").toUpperCase();
    const before = await db().user.count();
    const url = await redirectOf(signUpAction({ name: "  Ada Lovelace ", email, password: PASSWORD }));
    expect(url).toBe(SIGNED_UP);
    expect(await db().user.count()).toBe(before + 1);
    const user = await db().user.findUniqueOrThrow({ where: { email: email.toLowerCase() } });
    expect(user.name).toBe("Ada Lovelace");
    expect(user.passwordHash).toMatch(/^\$argon2id\$/);
    expect(user.passwordHash).not.toContain(PASSWORD);
    expect(await verifyPassword(user.passwordHash!, PASSWORD)).toBe(true);
    expect(await redirectOf(signInAction({ email, password: PASSWORD, next: "/teams" }))).toBe("/teams");
  });

  it("carries a same-site `next` path through sign-up to sign-in, and drops any other", async () => {
    expect(await redirectOf(signUpAction({ name: "Grace", email: uniqueEmail("grace"), password: PASSWORD, next: "/t/x/projects" }))).toBe(
      "/sign-in?next=%2Ft%2Fx%2Fprojects&signed-up=1",
    );
    for (const next of ["//evil.example", "/\t/evil.example", "https://evil.example/t/x"]) {
      expect(await redirectOf(signUpAction({ name: "Eve", email: uniqueEmail("eve"), password: PASSWORD, next }))).toBe(SIGNED_UP);
    }
  });

  it("answers a taken email exactly like a new one, and leaves the existing account as it was", async () => {
    const email = uniqueEmail("dup");
    const firstAnswer = await redirectOf(signUpAction({ name: "First", email, password: PASSWORD }));
    const before = await db().user.count();
    const first = await db().user.findUniqueOrThrow({ where: { email } });

    for (const attempt of [
      { name: "Second", email: email.toUpperCase(), password: "another password 1" },
      { name: "Third", email, password: PASSWORD }, // even the right password changes nothing
    ]) {
      expect(await redirectOf(signUpAction(attempt))).toBe(firstAnswer);
    }
    expect(await db().user.count()).toBe(before);
    expect(await db().user.findUniqueOrThrow({ where: { email } })).toEqual(first);
    expect(await redirectOf(signInAction({ email, password: PASSWORD }))).toBe("/");
    expect(await signInAction({ email, password: "another password 1" })).toMatchObject({ ok: false, code: "invalid" });
  });

  it("limits sign-ups per client address before hashing anything, and creates nobody past the limit", async () => {
    const hashes = vi.spyOn(passwordModule, "hashPassword");
    for (let i = 0; i < SIGN_UP_PER_ADDRESS.limit; i++) {
      expect(await redirectOf(signUpAction({ name: `Burst ${i}`, email: uniqueEmail("burst"), password: PASSWORD }))).toBe(SIGNED_UP);
    }
    expect(hashes).toHaveBeenCalledTimes(SIGN_UP_PER_ADDRESS.limit);
    const before = await db().user.count();
    const email = uniqueEmail("one-too-many");
    const refused = await signUpAction({ name: "One too many", email, password: PASSWORD });
    expect(refused).toMatchObject({ ok: false, code: "rate_limited" });
    if (refused.ok) return;
    expect(refused.message).toMatch(/Too many new accounts/);
    expect(hashes).toHaveBeenCalledTimes(SIGN_UP_PER_ADDRESS.limit);
    expect(await db().user.count()).toBe(before);
    expect(await db().user.findUnique({ where: { email } })).toBeNull();
    expect(await bucketCount(SIGN_UP_KEY)).toBe(SIGN_UP_PER_ADDRESS.limit + 1);
    hashes.mockRestore();

    // A taken email past the limit gets the very same refusal.
    const taken = await userWithPassword();
    expect(await signUpAction({ name: "Again", email: taken.email, password: PASSWORD })).toEqual(refused);

    // Signing in from the same address is a separate allowance.
    expect(await redirectOf(signInAction({ email: taken.email, password: PASSWORD }))).toBe("/");
  });

  it("answers bad sign-up input with an error on each field and creates nobody", async () => {
    const before = await db().user.count();
    const result = await signUpAction({ name: "   ", email: "not-an-email", password: "short" });
    expect(result).toMatchObject({ ok: false, code: "invalid" });
    if (result.ok) return;
    expect(Object.keys(result.fieldErrors ?? {}).sort()).toEqual(["email", "name", "password"]);
    expect(result.fieldErrors?.name).toBe("Enter your name.");
    expect(result.fieldErrors?.password).toBe("Use at least 10 characters.");

    const missing = await signUpAction({});
    expect(missing).toMatchObject({ ok: false, code: "invalid" });
    expect(Object.keys((!missing.ok && missing.fieldErrors) || {}).sort()).toEqual(["email", "name", "password"]);
    expect(await db().user.count()).toBe(before);
    expect(await bucketCount(ADDRESS_KEY)).toBeNull(); // no sign-in was even attempted
    expect(await bucketCount(SIGN_UP_KEY)).toBeNull(); // and bad input costs no sign-up allowance
  });

  it("signs in with the right password (any email case) and refuses a wrong one on the password field", async () => {
    const user = await userWithPassword();
    expect(await redirectOf(signInAction({ email: user.email.toUpperCase(), password: PASSWORD, next: "/teams" }))).toBe("/teams");

    const wrong = await signInAction({ email: user.email, password: "wrong password!" });
    expect(wrong).toMatchObject({ ok: false, code: "invalid" });
    if (wrong.ok) return;
    expect(wrong.fieldErrors?.password).toMatch(/do not match/);

    // An unknown email gets the very same answer, so it does not tell which accounts exist.
    const unknown = await signInAction({ email: uniqueEmail("nobody"), password: "wrong password!" });
    expect(unknown).toEqual(wrong);
  });

  it("refuses every attempt past the per-email limit, even with the right password", async () => {
    const user = await userWithPassword();
    for (let attempt = 1; attempt <= SIGN_IN_PER_EMAIL.limit; attempt++) {
      const result = await signInAction({ email: user.email, password: `wrong ${attempt} password` });
      expect(result, `attempt ${attempt}`).toMatchObject({ ok: false, code: "invalid" });
    }
    expect(await signInAction({ email: user.email, password: PASSWORD })).toMatchObject({ ok: false, code: "rate_limited" });
    expect(await signInAction({ email: user.email.toUpperCase(), password: PASSWORD })).toMatchObject({ ok: false, code: "rate_limited" });
    expect(await bucketCount(`sign-in:email:${user.email}`)).toBe(SIGN_IN_PER_EMAIL.limit + 2);

    // The limit is per email: someone else from the same address still gets in.
    const other = await userWithPassword();
    expect(await redirectOf(signInAction({ email: other.email, password: PASSWORD }))).toBe("/");
  });

  it("refuses every attempt past the per-address limit, whichever email it is for", async () => {
    const results = await Promise.all(
      Array.from({ length: SIGN_IN_PER_ADDRESS.limit }, (_, i) => signInAction({ email: uniqueEmail(`spray${i}`), password: "guess guess" })),
    );
    expect(results.every((result) => !result.ok && result.code === "invalid")).toBe(true);
    expect(await bucketCount(ADDRESS_KEY)).toBe(SIGN_IN_PER_ADDRESS.limit);

    const user = await userWithPassword();
    expect(await signInAction({ email: user.email, password: PASSWORD })).toMatchObject({ ok: false, code: "rate_limited" });
    expect(await bucketCount(ADDRESS_KEY)).toBe(SIGN_IN_PER_ADDRESS.limit + 1);
  });

  it("refuses sign-ins and sign-ups past the whole-app ceilings, whatever address they name", async () => {
    await db().rateLimitBucket.createMany({
      data: [
        { key: "sign-in:all", count: SIGN_IN_ALL.limit, windowStart: new Date() },
        { key: "sign-up:all", count: SIGN_UP_ALL.limit, windowStart: new Date() },
      ],
    });
    try {
      const user = await userWithPassword();
      expect(await signInAction({ email: user.email, password: PASSWORD })).toMatchObject({ ok: false, code: "rate_limited" });
      const email = uniqueEmail("flood");
      expect(await signUpAction({ name: "Flood", email, password: PASSWORD })).toMatchObject({ ok: false, code: "rate_limited" });
      expect(await db().user.findUnique({ where: { email } })).toBeNull();
    } finally {
      await db().rateLimitBucket.deleteMany({ where: { key: { in: ["sign-in:all", "sign-up:all"] } } });
    }
  });

  it("does not count attempts its own limits refused against the whole-app ceilings", async () => {
    for (let i = 0; i < SIGN_IN_PER_ADDRESS.limit; i++) await hitRateLimit(ADDRESS_KEY, SIGN_IN_PER_ADDRESS);
    for (let i = 0; i < SIGN_UP_PER_ADDRESS.limit; i++) await hitRateLimit(SIGN_UP_KEY, SIGN_UP_PER_ADDRESS);
    const all = { signIn: await bucketCount("sign-in:all"), signUp: await bucketCount("sign-up:all") };
    for (let i = 0; i < 5; i++) {
      expect(await signInAction({ email: uniqueEmail(`refused${i}`), password: "guess guess" })).toMatchObject({ ok: false, code: "rate_limited" });
      expect(await signUpAction({ name: "Refused", email: uniqueEmail(`refused${i}`), password: PASSWORD })).toMatchObject({ ok: false, code: "rate_limited" });
    }
    expect({ signIn: await bucketCount("sign-in:all"), signUp: await bucketCount("sign-up:all") }).toEqual(all);
  });

  it("lets a new account be made while sign-in from the same address is rate limited", async () => {
    for (let i = 0; i < SIGN_IN_PER_ADDRESS.limit; i++) await hitRateLimit(ADDRESS_KEY, SIGN_IN_PER_ADDRESS);
    const email = uniqueEmail("busy");
    expect(await redirectOf(signUpAction({ name: "Busy Office", email, password: PASSWORD }))).toBe(SIGNED_UP);
    expect(await db().user.findUnique({ where: { email } })).not.toBeNull();
  });

  it("starts the email's count afresh after a successful sign-in", async () => {
    const user = await userWithPassword();
    const key = `sign-in:email:${user.email}`;
    for (let attempt = 1; attempt < SIGN_IN_PER_EMAIL.limit; attempt++) {
      await signInAction({ email: user.email, password: "wrong password!" });
    }
    expect(await bucketCount(key)).toBe(SIGN_IN_PER_EMAIL.limit - 1);
    await redirectOf(signInAction({ email: user.email, password: PASSWORD }));
    expect(await bucketCount(key)).toBeNull();

    // A full allowance of mistakes again before the limit bites.
    for (let attempt = 1; attempt <= SIGN_IN_PER_EMAIL.limit; attempt++) {
      const result = await signInAction({ email: user.email, password: "wrong password!" });
      expect(result, `attempt ${attempt}`).toMatchObject({ ok: false, code: "invalid" });
    }
    expect(await signInAction({ email: user.email, password: PASSWORD })).toMatchObject({ ok: false, code: "rate_limited" });
  });

  it("opens a new window once the old one has passed", async () => {
    const limit = { limit: 3, windowMs: 60_000 };
    const key = `test:window:${serial++}`;
    const start = new Date("2025-03-01T10:00:00.000Z");
    const at = (ms: number) => new Date(start.getTime() + ms);

    expect(await hitRateLimit(key, limit, at(0))).toBe(true);
    expect(await hitRateLimit(key, limit, at(1_000))).toBe(true);
    expect(await hitRateLimit(key, limit, at(2_000))).toBe(true);
    expect(await hitRateLimit(key, limit, at(3_000))).toBe(false);
    // The window is measured from its first hit, not from the last one.
    expect(await hitRateLimit(key, limit, at(59_999))).toBe(false);
    expect(await bucketCount(key)).toBe(5);

    expect(await hitRateLimit(key, limit, at(60_000))).toBe(true);
    const bucket = await db().rateLimitBucket.findUniqueOrThrow({ where: { key } });
    expect(bucket.count).toBe(1);
    expect(bucket.windowStart.toISOString()).toBe(at(60_000).toISOString());
    expect(await hitRateLimit(key, limit, at(61_000))).toBe(true);
    expect(await hitRateLimit(key, limit, at(62_000))).toBe(true);
    expect(await hitRateLimit(key, limit, at(63_000))).toBe(false);
  });

  it("counts concurrent hits exactly: the first `limit` pass, every later one is refused", async () => {
    const limit = { limit: 5, windowMs: 60_000 };
    const key = `test:concurrent:${serial++}`;
    const hits = 17;
    const answers = await Promise.all(Array.from({ length: hits }, () => hitRateLimit(key, limit)));
    expect(answers.filter(Boolean)).toHaveLength(limit.limit);
    expect(await bucketCount(key)).toBe(hits);
    // Once over the limit it stays over: the next hit is the (hits + 1)-th.
    expect(await hitRateLimit(key, limit)).toBe(false);
    expect(await bucketCount(key)).toBe(hits + 1);
  });

  it("changes a password only with the current one and a matching confirmation", async () => {
    const user = await userWithPassword();
    const stored = async () => (await db().user.findUniqueOrThrow({ where: { id: user.id } })).passwordHash!;
    const original = await stored();

    signInAs(null);
    expect(await changePasswordAction({ currentPassword: PASSWORD, newPassword: "x".repeat(12), confirmPassword: "x".repeat(12) })).toMatchObject({
      ok: false,
      code: "unauthenticated",
    });

    signInAs(user);
    const wrongCurrent = await changePasswordAction({ currentPassword: "not my password", newPassword: "brand new secret", confirmPassword: "brand new secret" });
    expect(wrongCurrent).toMatchObject({ ok: false, code: "invalid", fieldErrors: { currentPassword: "That is not your current password." } });

    const mismatch = await changePasswordAction({ currentPassword: PASSWORD, newPassword: "brand new secret", confirmPassword: "brand new secrets" });
    expect(mismatch).toMatchObject({ ok: false, code: "invalid" });
    if (mismatch.ok) return;
    expect(Object.keys(mismatch.fieldErrors ?? {})).toEqual(["confirmPassword"]);

    const tooShort = await changePasswordAction({ currentPassword: PASSWORD, newPassword: "short", confirmPassword: "short" });
    expect(tooShort).toMatchObject({ ok: false, code: "invalid", fieldErrors: { newPassword: "Use at least 10 characters." } });
    expect(await stored()).toBe(original);

    const changed = await changePasswordAction({ currentPassword: PASSWORD, newPassword: "brand new secret", confirmPassword: "brand new secret" });
    expect(changed).toEqual({ ok: true, data: null, message: "Your password has been changed. Your other sessions have ended." });
    const hash = await stored();
    expect(hash).not.toBe(original);
    expect(hash).toMatch(/^\$argon2id\$/);
    expect(await verifyPassword(hash, "brand new secret")).toBe(true);
    expect(await verifyPassword(hash, PASSWORD)).toBe(false);

    signInAs(null);
    expect(await signInAction({ email: user.email, password: PASSWORD })).toMatchObject({ ok: false, code: "invalid" });
    expect(await redirectOf(signInAction({ email: user.email, password: "brand new secret" }))).toBe("/");
  });

  it("has no password to change for an account that signs in with GitHub or Google", async () => {
    const user = await makeUser({ email: uniqueEmail("oauth") });
    signInAs(user);
    const result = await changePasswordAction({ currentPassword: "anything", newPassword: "brand new secret", confirmPassword: "brand new secret" });
    expect(result).toMatchObject({ ok: false, code: "invalid" });
    if (result.ok) return;
    expect(result.fieldErrors?.currentPassword).toMatch(/GitHub or Google/);
    expect((await db().user.findUniqueOrThrow({ where: { id: user.id } })).passwordHash).toBeNull();
  });
});
