// Writes for accounts: sign-up, password change, linking a GitHub or Google identity.
import "server-only";
import { db } from "@/lib/db/client";
import { Prisma } from "@/lib/db/generated/client";
import { DomainError, fieldError } from "@/lib/authz/result";
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

/** Finds the account for an OAuth identity, linking it by verified email or creating one. */
export async function linkOAuthAccount(input: { provider: string; providerAccountId: string; email: string; name: string }) {
  return db().$transaction(async (tx) => {
    const existing = await tx.oAuthAccount.findUnique({
      where: { provider_providerAccountId: { provider: input.provider, providerAccountId: input.providerAccountId } },
      select: { userId: true },
    });
    if (existing) return { id: existing.userId };
    const user =
      (await tx.user.findUnique({ where: { email: input.email }, select: { id: true } })) ??
      (await tx.user.create({ data: { email: input.email, name: input.name }, select: { id: true } }));
    await tx.oAuthAccount.create({
      data: { provider: input.provider, providerAccountId: input.providerAccountId, userId: user.id },
    });
    return user;
  });
}
