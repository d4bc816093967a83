// Auth.js configuration: email + password always; GitHub and Google only when their keys are set.
import NextAuth, { CredentialsSignin, type NextAuthConfig } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import GitHub from "next-auth/providers/github";
import Google from "next-auth/providers/google";
import type { Provider } from "next-auth/providers";
import { linkOAuthAccount } from "./commands";
import { oauthProviders } from "./oauth";
import { applySessionUpdate, authSecret, tokenVersion } from "./session-token";
import { checkCredentials } from "./sign-in";

declare module "next-auth" {
  interface Session {
    sessionVersion: number;
  }
  interface User {
    sessionVersion?: number;
  }
}

export class TooManyAttempts extends CredentialsSignin {
  code = "rate_limited";
}

const providers: Provider[] = [
  Credentials({
    credentials: { email: {}, password: {} },
    async authorize(credentials, request) {
      const check = await checkCredentials(credentials, request.headers);
      if (check.ok) return check.user;
      if (check.reason === "rate_limited") throw new TooManyAttempts();
      return null;
    },
  }),
];
for (const id of oauthProviders()) providers.push(id === "github" ? GitHub : Google);

export const authConfig = {
  trustHost: true,
  session: { strategy: "jwt" },
  pages: { signIn: "/sign-in" },
  logger: {
    // A wrong password is an expected answer, not a server error worth a stack trace.
    error(error) {
      if ((error as { type?: string }).type === "CredentialsSignin") return;
      console.error("[auth]", error);
    },
  },
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
    jwt({ token, user, trigger, session }) {
      if (user?.id) {
        token.uid = user.id;
        token.sv = user.sessionVersion ?? 0;
      }
      if (trigger === "update") return applySessionUpdate(token, session, authSecret());
      return token;
    },
    session({ session, token }) {
      if (typeof token.uid === "string") session.user.id = token.uid;
      // lib/authz/session.ts compares it with the account's: a token from before a password change has ended.
      session.sessionVersion = tokenVersion(token);
      return session;
    },
  },
} satisfies NextAuthConfig;

export const { handlers, auth, signIn, signOut, unstable_update } = NextAuth(authConfig);
