// Reads for the account page: how the person signs in.
import "server-only";
import { db } from "@/lib/db/client";
import { isOAuthProvider, type OAuthProvider } from "./oauth";

export type SignInMethods = {
  hasPassword: boolean;
  identities: { provider: OAuthProvider; providerAccountId: string; linkedAt: Date }[];
};

export async function signInMethods(userId: string): Promise<SignInMethods> {
  const user = await db().user.findUniqueOrThrow({
    where: { id: userId },
    select: {
      passwordHash: true,
      oauthAccounts: { select: { provider: true, providerAccountId: true, createdAt: true }, orderBy: { createdAt: "asc" } },
    },
  });
  return {
    hasPassword: user.passwordHash !== null,
    identities: user.oauthAccounts.flatMap((account) =>
      isOAuthProvider(account.provider) ? [{ provider: account.provider, providerAccountId: account.providerAccountId, linkedAt: account.createdAt }] : [],
    ),
  };
}
