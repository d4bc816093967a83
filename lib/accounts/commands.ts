// Writes for accounts: sign-up, password and name changes, signing in or linking with GitHub or Google, unlinking.
import "server-only";
import { db } from "@/lib/db/client";
import { Prisma } from "@/lib/db/generated/client";
import { DomainError, fieldError } from "@/lib/authz/result";
import { OAUTH_PROVIDER_LABELS, decideOAuthSignIn, type OAuthProvider, type OAuthRefusal } from "./oauth";
import { hashPassword, verifyPassword } from "./password";

/**
 * Creates the account unless the email already has one. Either way the caller
 * answers the same, and the password is hashed first in both cases, so neither
 * the answer nor its timing tells whether the email is taken; an existing
 * account is never changed.
 */
export async function createUser(input: { name: string; email: string; password: string }): Promise<void> {
  const passwordHash = await hashPassword(input.password);
  try {
    await db().user.create({ data: { name: input.name, email: input.email, passwordHash }, select: { id: true } });
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") return;
    throw error;
  }
}

/** Sets a new password and ends every session issued before it; answers the new session version. */
export async function changePassword(userId: string, currentPassword: string, newPassword: string): Promise<number> {
  const user = await db().user.findUnique({ where: { id: userId }, select: { passwordHash: true } });
  if (!user) throw new DomainError("not_found", "Your account no longer exists.");
  if (!user.passwordHash) {
    throw fieldError("currentPassword", "This account signs in with GitHub or Google and has no password to change.");
  }
  if (!(await verifyPassword(user.passwordHash, currentPassword))) {
    throw fieldError("currentPassword", "That is not your current password.");
  }
  const updated = await db().user.update({
    where: { id: userId },
    data: { passwordHash: await hashPassword(newPassword), sessionVersion: { increment: 1 } },
    select: { sessionVersion: true },
  });
  return updated.sessionVersion;
}

export type OAuthSignInResult =
  | { ok: true; userId: string; sessionVersion: number; linked: boolean }
  | { ok: false; reason: OAuthRefusal };

/**
 * Whom a GitHub or Google identity signs in (see decideOAuthSignIn), carried out
 * in one transaction: an existing link, a link to the signed-in person or to an
 * account the other provider made, a new account, or a refusal that changes nothing.
 */
export async function resolveOAuthSignIn(input: {
  provider: OAuthProvider;
  providerAccountId: string;
  /** The address the provider vouches for; null when it vouches for none. */
  verifiedEmail: string | null;
  name: string;
  /** The session the identity came back to, if any: a link from the account page. */
  signedIn: { userId: string; sessionVersion: number } | null;
}): Promise<OAuthSignInResult> {
  return db().$transaction(async (tx) => {
    const identity = await tx.oAuthAccount.findUnique({
      where: { provider_providerAccountId: { provider: input.provider, providerAccountId: input.providerAccountId } },
      select: { userId: true },
    });
    // A session that ended (password changed elsewhere) links nothing.
    const signedIn = input.signedIn
      ? await tx.user.findFirst({
          where: { id: input.signedIn.userId, sessionVersion: input.signedIn.sessionVersion },
          select: { id: true },
        })
      : null;
    const emailAccount = input.verifiedEmail
      ? await tx.user.findUnique({ where: { email: input.verifiedEmail }, select: { id: true, passwordHash: true } })
      : null;
    const decision = decideOAuthSignIn({
      identityOwnerId: identity?.userId ?? null,
      signedInUserId: signedIn?.id ?? null,
      verifiedEmail: input.verifiedEmail,
      emailAccount: emailAccount ? { id: emailAccount.id, hasPassword: emailAccount.passwordHash !== null } : null,
    });
    if (decision.kind === "refuse") return { ok: false, reason: decision.reason };
    const userId =
      decision.kind === "create"
        ? (await tx.user.create({ data: { email: decision.email, name: input.name.trim().slice(0, 100) || decision.email }, select: { id: true } })).id
        : decision.userId;
    if (decision.kind !== "sign-in") {
      await tx.oAuthAccount.create({ data: { provider: input.provider, providerAccountId: input.providerAccountId, userId } });
    }
    const { sessionVersion } = await tx.user.findUniqueOrThrow({ where: { id: userId }, select: { sessionVersion: true } });
    return { ok: true, userId, sessionVersion, linked: decision.kind !== "sign-in" };
  });
}

/** Removes a GitHub or Google identity from the account, as long as some way to sign in remains. */
/**
 * Unlinks an identity and ends every session, as a password change does: one opened through that
 * identity (by whoever holds it) must not outlive the link. Answers the new session version.
 */
export async function unlinkOAuthAccount(userId: string, provider: OAuthProvider, providerAccountId: string): Promise<number> {
  return db().$transaction(async (tx) => {
    // Two unlinks at once must not both see "another way remains" and leave none.
    await tx.$queryRaw`SELECT 1 FROM "User" WHERE "id" = ${userId} FOR UPDATE`;
    const user = await tx.user.findUnique({
      where: { id: userId },
      select: { passwordHash: true, oauthAccounts: { select: { provider: true, providerAccountId: true } } },
    });
    if (!user) throw new DomainError("not_found", "Your account no longer exists.");
    const linked = user.oauthAccounts.some((account) => account.provider === provider && account.providerAccountId === providerAccountId);
    if (!linked) throw new DomainError("not_found", `That ${OAUTH_PROVIDER_LABELS[provider]} account is not linked to yours.`);
    if (user.passwordHash === null && user.oauthAccounts.length <= 1) {
      throw new DomainError(
        "conflict",
        `${OAUTH_PROVIDER_LABELS[provider]} is the only way you sign in. Link another account first, or it would lock you out.`,
      );
    }
    await tx.oAuthAccount.delete({ where: { provider_providerAccountId: { provider, providerAccountId } } });
    const updated = await tx.user.update({ where: { id: userId }, data: { sessionVersion: { increment: 1 } }, select: { sessionVersion: true } });
    return updated.sessionVersion;
  });
}

/** The name shown to teammates (members, ledger, audit log); read from the account on every request, so it shows at once. */
export async function changeName(userId: string, name: string): Promise<void> {
  const changed = await db().user.updateMany({ where: { id: userId }, data: { name } });
  if (changed.count !== 1) throw new DomainError("not_found", "Your account no longer exists.");
}
