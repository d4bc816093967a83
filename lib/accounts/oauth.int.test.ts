// Signing in and linking with GitHub or Google against the database: no takeover of a pre-registered account, linking only by its owner.
import { beforeEach, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { describeEachDatabase } from "@/test/db";
import { makeUser } from "@/test/fixtures";
import { signInAs } from "@/test/session";
import { linkOAuthAction, unlinkOAuthAction } from "./actions";
import { resolveOAuthSignIn, unlinkOAuthAccount } from "./commands";
import { hashPassword } from "./password";

let serial = 0;
const email = (label: string) => `${label}-${++serial}-${Date.now()}@studio.test`;
const githubId = () => `gh-${++serial}-${Date.now()}`;

async function identities(userId: string) {
  return db().oAuthAccount.findMany({ where: { userId }, select: { provider: true, providerAccountId: true } });
}

describeEachDatabase("OAuth sign-in and linking", () => {
  beforeEach(() => signInAs(null));

  it("refuses to join an identity to an account someone registered with a password, and changes nothing", async () => {
    // The attacker registers the victim's address first; the victim later arrives with a GitHub account that verified it.
    const address = email("victim");
    const preRegistered = await makeUser({ email: address, passwordHash: await hashPassword("attacker's password") });
    const id = githubId();
    const result = await resolveOAuthSignIn({ provider: "github", providerAccountId: id, verifiedEmail: address, name: "Victim", signedIn: null });
    expect(result).toEqual({ ok: false, reason: "password_account" });
    expect(await identities(preRegistered.id)).toEqual([]);
    expect(await db().oAuthAccount.count({ where: { providerAccountId: id } })).toBe(0);
    expect(await db().user.count({ where: { email: address } })).toBe(1);
  });

  it("refuses an identity with no verified address, and creates no account for it", async () => {
    const before = await db().user.count();
    const result = await resolveOAuthSignIn({ provider: "google", providerAccountId: githubId(), verifiedEmail: null, name: "Nobody", signedIn: null });
    expect(result).toEqual({ ok: false, reason: "unverified_email" });
    expect(await db().user.count()).toBe(before);
  });

  it("creates a passwordless account for a new verified address, then signs the same identity in again", async () => {
    const address = email("new");
    const id = githubId();
    const first = await resolveOAuthSignIn({ provider: "github", providerAccountId: id, verifiedEmail: address, name: "  Grace  ", signedIn: null });
    expect(first).toMatchObject({ ok: true, linked: true, sessionVersion: 0 });
    const user = await db().user.findUniqueOrThrow({ where: { email: address } });
    expect(user).toMatchObject({ name: "Grace", passwordHash: null });
    const again = await resolveOAuthSignIn({ provider: "github", providerAccountId: id, verifiedEmail: null, name: "Grace", signedIn: null });
    expect(again).toEqual({ ok: true, userId: user.id, sessionVersion: 0, linked: false });
  });

  it("joins Google to an account that GitHub made for the same verified address", async () => {
    const address = email("both");
    const github = await resolveOAuthSignIn({ provider: "github", providerAccountId: githubId(), verifiedEmail: address, name: "Both", signedIn: null });
    const google = await resolveOAuthSignIn({ provider: "google", providerAccountId: githubId(), verifiedEmail: address, name: "Both", signedIn: null });
    expect(github.ok && google.ok && google.userId === github.userId).toBe(true);
    expect(await identities((github as { userId: string }).userId)).toHaveLength(2);
  });

  it("links an identity to the signed-in person from the account page, whatever its address", async () => {
    const me = await makeUser({ email: email("me"), passwordHash: await hashPassword("my own password") });
    const id = githubId();
    const result = await resolveOAuthSignIn({
      provider: "github",
      providerAccountId: id,
      verifiedEmail: email("work-address"),
      name: "Me",
      signedIn: { userId: me.id, sessionVersion: 0 },
    });
    expect(result).toEqual({ ok: true, userId: me.id, sessionVersion: 0, linked: true });
    expect(await identities(me.id)).toEqual([{ provider: "github", providerAccountId: id }]);
    // From now on the identity signs in to this account on its own.
    expect(await resolveOAuthSignIn({ provider: "github", providerAccountId: id, verifiedEmail: null, name: "Me", signedIn: null })).toMatchObject({
      ok: true,
      userId: me.id,
    });
  });

  it("does not move an identity linked to someone else, and an ended session links nothing", async () => {
    const owner = await makeUser({ email: email("owner") });
    const id = githubId();
    await db().oAuthAccount.create({ data: { provider: "github", providerAccountId: id, userId: owner.id } });
    const other = await makeUser({ email: email("other"), passwordHash: await hashPassword("other password") });
    expect(
      await resolveOAuthSignIn({ provider: "github", providerAccountId: id, verifiedEmail: null, name: "x", signedIn: { userId: other.id, sessionVersion: 0 } }),
    ).toEqual({ ok: false, reason: "linked_elsewhere" });
    expect(await identities(owner.id)).toHaveLength(1);

    // A session from before a password change counts as signed out: no link, and the password account is not joined by email.
    await db().user.update({ where: { id: other.id }, data: { sessionVersion: 1 } });
    const stale = await resolveOAuthSignIn({
      provider: "github",
      providerAccountId: githubId(),
      verifiedEmail: (await db().user.findUniqueOrThrow({ where: { id: other.id } })).email,
      name: "x",
      signedIn: { userId: other.id, sessionVersion: 0 },
    });
    expect(stale).toEqual({ ok: false, reason: "password_account" });
    expect(await identities(other.id)).toEqual([]);
  });

  it("unlinks an identity only while a password or another identity remains", async () => {
    const withPassword = await makeUser({ email: email("pw"), passwordHash: await hashPassword("a password here") });
    const id = githubId();
    await db().oAuthAccount.create({ data: { provider: "github", providerAccountId: id, userId: withPassword.id } });
    signInAs(withPassword);
    const versionBefore = (await db().user.findUniqueOrThrow({ where: { id: withPassword.id } })).sessionVersion;
    expect(await unlinkOAuthAction({ provider: "github", providerAccountId: id })).toEqual({
      ok: true,
      data: null,
      message: "GitHub is no longer linked to your account. Your other sessions have ended.",
    });
    expect(await identities(withPassword.id)).toEqual([]);
    // A session someone opened through that GitHub account ends with the link.
    expect((await db().user.findUniqueOrThrow({ where: { id: withPassword.id } })).sessionVersion).toBe(versionBefore + 1);

    const onlyOAuth = await makeUser({ email: email("only") });
    const [gh, google] = [githubId(), githubId()];
    await db().oAuthAccount.create({ data: { provider: "github", providerAccountId: gh, userId: onlyOAuth.id } });
    await db().oAuthAccount.create({ data: { provider: "google", providerAccountId: google, userId: onlyOAuth.id } });
    // Two unlinks at once: exactly one succeeds, one way in is left.
    const outcomes = await Promise.allSettled([unlinkOAuthAccount(onlyOAuth.id, "github", gh), unlinkOAuthAccount(onlyOAuth.id, "google", google)]);
    expect(outcomes.filter((outcome) => outcome.status === "fulfilled")).toHaveLength(1);
    expect(await identities(onlyOAuth.id)).toHaveLength(1);

    signInAs(onlyOAuth);
    const [left] = await identities(onlyOAuth.id);
    const refused = await unlinkOAuthAction({ provider: left.provider, providerAccountId: left.providerAccountId });
    expect(refused).toMatchObject({ ok: false, code: "conflict" });
    expect(await identities(onlyOAuth.id)).toHaveLength(1);
  });

  it("unlinks only the person's own identities", async () => {
    const owner = await makeUser({ email: email("owner"), passwordHash: await hashPassword("a password here") });
    const id = githubId();
    await db().oAuthAccount.create({ data: { provider: "github", providerAccountId: id, userId: owner.id } });
    signInAs(await makeUser({ email: email("stranger"), passwordHash: await hashPassword("a password here") }));
    expect(await unlinkOAuthAction({ provider: "github", providerAccountId: id })).toMatchObject({ ok: false, code: "not_found" });
    expect(await identities(owner.id)).toHaveLength(1);
  });

  it("offers linking only for providers that are switched on", async () => {
    signInAs(await makeUser({ email: email("linker") }));
    expect(await linkOAuthAction({ provider: "github" })).toMatchObject({ ok: false, code: "invalid" });
    expect(await linkOAuthAction({ provider: "myspace" })).toMatchObject({ ok: false, code: "invalid" });
  });
});
