// Auth.js configuration: email + password always; GitHub and Google only when their keys are set, linked by the rules in oauth.ts.
import NextAuth, { CredentialsSignin, type NextAuthConfig } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import GitHub from "next-auth/providers/github";
import Google from "next-auth/providers/google";
import type { Provider } from "next-auth/providers";
import { resolveOAuthSignIn } from "./commands";
import { isOAuthProvider, oauthProviders, verifiedOAuthEmail } from "./oauth";
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
      if (!isOAuthProvider(account.provider)) return false;
      const provider = account.provider;
      // Someone already signed in who brings an identity back is linking it from their account page.
      const current = await auth();
      const signedIn = current?.user?.id ? { userId: current.user.id, sessionVersion: current.sessionVersion ?? 0 } : null;
      const verifiedEmail = await verifiedOAuthEmail(provider, { profile, accessToken: account.access_token });
      const result = await resolveOAuthSignIn({
        provider,
        providerAccountId: account.providerAccountId,
        verifiedEmail,
        name: user.name ?? (typeof profile?.name === "string" ? profile.name : null) ?? verifiedEmail ?? provider,
        signedIn,
      });
      if (!result.ok) {
        const query = new URLSearchParams({ provider, error: result.reason });
        return signedIn ? `/account?${query}` : `/sign-in?${query}`;
      }
      user.id = result.userId;
      user.sessionVersion = result.sessionVersion;
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
