// Writes for accounts: sign-up, password change, name change, linking a GitHub or Google identity.
import "server-only";
import { db } from "@/lib/db/client";
import { Prisma } from "@/lib/db/generated/client";
import { DomainError, fieldError } from "@/lib/authz/result";
import { hashPassword, verifyPassword } from "./password";

export const EMAIL_TAKEN = "An account with this email already exists. Sign in instead.";

export async function createUser(input: { name: string; email: string; password: string }) {
  const passwordHash = await hashPassword(input.password);
  try {
    return await db().user.create({
      data: { name: input.name, email: input.email, passwordHash },
      select: { id: true, email: true, name: true },
    });
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
      throw fieldError("email", EMAIL_TAKEN, "conflict");
    }
    throw error;
  }
}

export async function changePassword(userId: string, currentPassword: string, newPassword: string): Promise<void> {
  const user = await db().user.findUnique({ where: { id: userId }, select: { passwordHash: true } });
  if (!user) throw new DomainError("not_found", "Your account no longer exists.");
  if (!user.passwordHash) {
    throw fieldError("currentPassword", "This account signs in with GitHub or Google and has no password to change.");
  }
  if (!(await verifyPassword(user.passwordHash, currentPassword))) {
    throw fieldError("currentPassword", "That is not your current password.");
  }
  await db().user.update({ where: { id: userId }, data: { passwordHash: await hashPassword(newPassword) } });
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

/** The name shown to teammates (members, ledger, audit log); read from the account on every request, so it shows at once. */
export async function changeName(userId: string, name: string): Promise<void> {
  const changed = await db().user.updateMany({ where: { id: userId }, data: { name } });
  if (changed.count !== 1) throw new DomainError("not_found", "Your account no longer exists.");
}
