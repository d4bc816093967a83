// Sessions end when they should: a password change ends the person's other sessions, removal from a team ends the removed person's.
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { auth, unstable_update } from "@/lib/accounts/auth";
import { changePasswordAction } from "@/lib/accounts/actions";
import { hashPassword } from "@/lib/accounts/password";
import { applySessionUpdate, tokenVersion, type SessionClaims } from "@/lib/accounts/session-token";
import { db } from "@/lib/db/client";
import { removeMemberAction } from "@/lib/teams/actions";
import { describeEachDatabase } from "@/test/db";
import { makeTeam, makeUser } from "@/test/fixtures";
import { currentUser } from "./session";

// This file tests the real session check; test/setup.ts swaps it out for every other file.
vi.unmock("@/lib/authz/session");

const SECRET = "session-test-secret";
type Token = SessionClaims & { uid: string };

/** Makes `token` the session cookie of the browser every following call comes from. */
function browse(token: Token | null) {
  vi.mocked(auth).mockImplementation((async () =>
    token ? { user: { id: token.uid }, sessionVersion: tokenVersion(token), expires: "" } : null) as unknown as typeof auth);
}

const signedIn = (uid: string): Token => ({ uid, sv: 0 });

async function passwordUser() {
  return makeUser({ passwordHash: await hashPassword("the first password") });
}

describeEachDatabase("sessions", () => {
  const secret = process.env.AUTH_SECRET;
  beforeAll(() => {
    process.env.AUTH_SECRET = SECRET;
  });
  afterAll(() => {
    if (secret === undefined) delete process.env.AUTH_SECRET;
    else process.env.AUTH_SECRET = secret;
  });
  beforeEach(() => {
    vi.mocked(unstable_update).mockClear();
  });

  it("a password change ends the person's other sessions and keeps the one it was made in", async () => {
    const user = await passwordUser();
    const laptop = signedIn(user.id);
    const phone = signedIn(user.id);
    browse(phone);
    expect(await currentUser()).toMatchObject({ id: user.id });

    browse(laptop);
    const changed = await changePasswordAction({
      currentPassword: "the first password",
      newPassword: "the second password",
      confirmPassword: "the second password",
    });
    expect(changed).toMatchObject({ ok: true });

    // The laptop's token was re-issued under the new version, with the server's proof.
    expect(unstable_update).toHaveBeenCalledTimes(1);
    const update = vi.mocked(unstable_update).mock.calls[0][0];
    const laptopNow = applySessionUpdate(laptop, update, SECRET);
    expect(tokenVersion(laptopNow)).toBe(1);
    browse(laptopNow);
    expect(await currentUser()).toMatchObject({ id: user.id });

    // The phone's token is from before the change: it no longer signs anyone in.
    browse(phone);
    expect(await currentUser()).toBeNull();
    expect(await changePasswordAction({ currentPassword: "the second password", newPassword: "x".repeat(12), confirmPassword: "x".repeat(12) })).toMatchObject({
      ok: false,
      code: "unauthenticated",
    });
    // Nor can it raise its own version without the server's proof.
    browse(applySessionUpdate(phone, { sessionVersion: 1, proof: "made-up" }, SECRET));
    expect(await currentUser()).toBeNull();
    browse(applySessionUpdate(phone, { sessionVersion: 1 }, SECRET));
    expect(await currentUser()).toBeNull();
  });

  it("a refused password change ends nothing", async () => {
    const user = await passwordUser();
    browse(signedIn(user.id));
    const refused = await changePasswordAction({ currentPassword: "wrong", newPassword: "the second password", confirmPassword: "the second password" });
    expect(refused).toMatchObject({ ok: false, code: "invalid" });
    expect(unstable_update).not.toHaveBeenCalled();
    expect(await currentUser()).toMatchObject({ id: user.id });
  });

  it("removing a member ends the removed person's sessions, and only theirs", async () => {
    const fixture = await makeTeam();
    const removed = fixture.people.member;
    const membership = await db().membership.findFirstOrThrow({ where: { teamId: fixture.team.id, userId: removed.id } });

    browse(signedIn(fixture.people.admin.id));
    expect(await removeMemberAction({ teamSlug: fixture.team.slug, membershipId: membership.id })).toMatchObject({ ok: true });
    expect(await currentUser()).toMatchObject({ id: fixture.people.admin.id });

    browse(signedIn(removed.id));
    expect(await currentUser()).toBeNull();
    browse(signedIn(fixture.people.viewer.id));
    expect(await currentUser()).toMatchObject({ id: fixture.people.viewer.id });
  });

  it("knows no one for a token without a user, or whose account is gone", async () => {
    browse(null);
    expect(await currentUser()).toBeNull();
    const user = await makeUser();
    browse(signedIn(user.id));
    expect(await currentUser()).toEqual({ id: user.id, email: user.email, name: user.name });
    await db().user.delete({ where: { id: user.id } });
    expect(await currentUser()).toBeNull();
  });

  it("accepts a token from before session versions while the account's version is still 0", async () => {
    const user = await makeUser();
    browse({ uid: user.id });
    expect(await currentUser()).toMatchObject({ id: user.id });
  });
});

describe("test double", () => {
  it("is the real session check", () => {
    expect(vi.isMockFunction(currentUser)).toBe(false);
  });
});
