// Auth.js configuration: email + password always; GitHub and Google only when their keys are set.
import NextAuth, { CredentialsSignin, type NextAuthConfig } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import GitHub from "next-auth/providers/github";
import Google from "next-auth/providers/google";
import type { Provider } from "next-auth/providers";
import { db } from "@/lib/db/client";
import { dummyPasswordHash, verifyPassword } from "./password";
import { SIGN_IN_PER_ADDRESS, SIGN_IN_PER_EMAIL, hitRateLimit, resetRateLimit } from "./rate-limit";
import { signInSchema } from "./schema";
import { linkOAuthAccount } from "./commands";

export class TooManyAttempts extends CredentialsSignin {
  code = "rate_limited";
}

export function clientAddress(headers: Headers): string {
  const forwarded = headers.get("x-forwarded-for")?.split(",")[0]?.trim();
  return forwarded || headers.get("x-real-ip") || "unknown";
}

/** Which OAuth providers are switched on by the environment. */
export function oauthProviders(env: NodeJS.ProcessEnv = process.env): ("github" | "google")[] {
  const on: ("github" | "google")[] = [];
  if (env.AUTH_GITHUB_ID && env.AUTH_GITHUB_SECRET) on.push("github");
  if (env.AUTH_GOOGLE_ID && env.AUTH_GOOGLE_SECRET) on.push("google");
  return on;
}

const providers: Provider[] = [
  Credentials({
    credentials: { email: {}, password: {} },
    async authorize(credentials, request) {
      const parsed = signInSchema.safeParse(credentials);
      if (!parsed.success) return null;
      const { email, password } = parsed.data;
      const emailKey = `sign-in:email:${email}`;
      const [emailOk, addressOk] = await Promise.all([
        hitRateLimit(emailKey, SIGN_IN_PER_EMAIL),
        hitRateLimit(`sign-in:address:${clientAddress(request.headers)}`, SIGN_IN_PER_ADDRESS),
      ]);
      if (!emailOk || !addressOk) throw new TooManyAttempts();
      const user = await db().user.findUnique({ where: { email }, select: { id: true, email: true, name: true, passwordHash: true } });
      const valid = await verifyPassword(user?.passwordHash ?? (await dummyPasswordHash()), password);
      if (!user?.passwordHash || !valid) return null;
      await resetRateLimit(emailKey);
      return { id: user.id, email: user.email, name: user.name };
    },
  }),
];
for (const id of oauthProviders()) providers.push(id === "github" ? GitHub : Google);

export const authConfig = {
  trustHost: true,
  session: { strategy: "jwt" },
  pages: { signIn: "/sign-in" },
  providers,
  callbacks: {
    async signIn({ account, profile, user }) {
      if (!account || account.provider === "credentials") return true;
      const email = (profile?.email ?? user.email)?.toLowerCase();
      // An unverified address could claim someone else's account.
      const verified = account.provider === "github" || profile?.email_verified === true;
      if (!email || !verified) return "/sign-in?error=oauth_email";
      const linked = await linkOAuthAccount({
        provider: account.provider,
        providerAccountId: account.providerAccountId,
        email,
        name: user.name ?? profile?.name ?? email,
      });
      user.id = linked.id;
      return true;
    },
    jwt({ token, user }) {
      if (user?.id) token.uid = user.id;
      return token;
    },
    session({ session, token }) {
      if (typeof token.uid === "string") session.user.id = token.uid;
      return session;
    },
  },
} satisfies NextAuthConfig;

export const { handlers, auth, signIn, signOut } = NextAuth(authConfig);
