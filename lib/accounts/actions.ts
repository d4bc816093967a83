"use server";
// Server actions for accounts: sign up, sign in, sign out, change password or name, link and unlink GitHub or Google.
import { AuthError, type Session } from "next-auth";
import { revalidatePath } from "next/cache";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { z } from "zod";
import { publicAction, userAction } from "@/lib/authz/action";
import { isDatabaseUnavailable } from "@/lib/db/errors";
import { ok, type ActionFailure } from "@/lib/authz/result";
import { signIn, signOut, unstable_update } from "./auth";
import { clientAddress } from "./client-address";
import { OAUTH_PROVIDERS, OAUTH_PROVIDER_LABELS, oauthProviders } from "./oauth";
import { SIGN_UP_ALL, SIGN_UP_PER_ADDRESS, hitRateLimit } from "./rate-limit";
import { authSecret, sessionVersionUpdate } from "./session-token";
import { changeName, changePassword, createUser, unlinkOAuthAccount } from "./commands";
import { changeNameSchema, changePasswordSchema, safeNextPath, signInSchema, signUpSchema } from "./schema";

async function startSession(email: string, password: string, next: string) {
  // On success Auth.js answers with a redirect, thrown as an exception for Next.
  await signIn("credentials", { email, password, redirectTo: next });
}

/**
 * Sign-up never starts a session: a new account and a taken email get the same
 * answer (go and sign in), so the form cannot be used to find out who has an account.
 */
export const signUpAction = publicAction(signUpSchema.extend({ next: z.string().optional() }), async (input) => {
  // Before the argon2 hash, which is what a flood of sign-ups would cost.
  // The whole-app ceiling counts only sign-ups past the address's own limit, so one client cannot use it up.
  const allowed =
    (await hitRateLimit(`sign-up:address:${clientAddress(await headers())}`, SIGN_UP_PER_ADDRESS)) &&
    (await hitRateLimit("sign-up:all", SIGN_UP_ALL));
  if (!allowed) {
    return { ok: false, code: "rate_limited", message: "Too many new accounts from here. Wait up to an hour, then try again." };
  }
  await createUser(input);
  const signIn = new URLSearchParams();
  const next = safeNextPath(input.next);
  if (next !== "/") signIn.set("next", next);
  signIn.set("signed-up", "1");
  redirect(`/sign-in?${signIn}`);
});

export const signInAction = publicAction(signInSchema, async (input) => {
  try {
    await startSession(input.email, input.password, safeNextPath(input.next));
  } catch (error) {
    if (error instanceof AuthError) {
      // The database out of reach is not a wrong password: said as every form says it.
      const cause = (error.cause as { err?: unknown } | undefined)?.err;
      if (isDatabaseUnavailable(cause)) throw cause;
      if ("code" in error && error.code === "rate_limited") {
        return {
          ok: false,
          code: "rate_limited",
          message: "Too many sign-in attempts. Wait a few minutes and try again.",
        };
      }
      return {
        ok: false,
        code: "invalid",
        message: "That email and password do not match an account.",
        fieldErrors: { password: "That email and password do not match an account." },
      };
    }
    throw error;
  }
  return ok(null);
});

export const signOutAction = publicAction(z.object({}), async () => {
  await signOut({ redirectTo: "/sign-in" });
  return ok(null);
});

export const changePasswordAction = userAction(changePasswordSchema, async (user, input) => {
  const secret = authSecret();
  const sessionVersion = await changePassword(user.id, input.currentPassword, input.newPassword);
  // Every other session ended with the change; this one gets a token under the new version and carries on.
  try {
    await unstable_update(sessionVersionUpdate(user.id, sessionVersion, secret) as unknown as Partial<Session>);
  } catch (error) {
    console.error("[accounts] could not renew the session after a password change", error);
    return ok(null, "Your password has been changed, and every session has ended: sign in again with the new password.");
  }
  return ok(null, "Your password has been changed. Your other sessions have ended.");
});

const providerSchema = z.enum(OAUTH_PROVIDERS, { error: "Choose GitHub or Google." });

function providerOff(): ActionFailure {
  return { ok: false, code: "invalid", message: "That sign-in method is not switched on for this workspace." };
}

export const oauthSignInAction = publicAction(z.object({ provider: providerSchema, next: z.string().optional() }), async (input) => {
  if (!oauthProviders().includes(input.provider)) return providerOff();
  await signIn(input.provider, { redirectTo: safeNextPath(input.next) });
  return ok(null);
});

/** Runs the provider's sign-in while signed in: auth.ts links the identity that comes back to this account. */
export const linkOAuthAction = userAction(z.object({ provider: providerSchema }), async (_user, input) => {
  if (!oauthProviders().includes(input.provider)) return providerOff();
  await signIn(input.provider, { redirectTo: `/account?${new URLSearchParams({ provider: input.provider, linked: "1" })}` });
  return ok(null);
});

export const unlinkOAuthAction = userAction(
  z.object({ provider: providerSchema, providerAccountId: z.string({ error: "Choose an account." }).min(1).max(200) }),
  async (user, input) => {
    const secret = authSecret();
    const sessionVersion = await unlinkOAuthAccount(user.id, input.provider, input.providerAccountId);
    revalidatePath("/account");
    const label = OAUTH_PROVIDER_LABELS[input.provider];
    try {
      await unstable_update(sessionVersionUpdate(user.id, sessionVersion, secret) as unknown as Partial<Session>);
    } catch (error) {
      console.error("[accounts] could not renew the session after unlinking", error);
      return ok(null, `${label} is no longer linked to your account, and every session has ended: sign in again.`);
    }
    return ok(null, `${label} is no longer linked to your account. Your other sessions have ended.`);
  },
);

export const changeNameAction = userAction(changeNameSchema, async (user, input) => {
  await changeName(user.id, input.name);
  // The name is in the top bar of every page and in every team's lists.
  revalidatePath("/", "layout");
  return ok(null, "Your name has been changed.");
});
