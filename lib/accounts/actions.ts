"use server";
// Server actions for accounts: sign up, sign in, sign out, change password, change name.
import { revalidatePath } from "next/cache";
import { AuthError } from "next-auth";
import { z } from "zod";
import { publicAction, userAction } from "@/lib/authz/action";
import { ok } from "@/lib/authz/result";
import { signIn, signOut } from "./auth";
import { oauthProviders } from "./oauth";
import { changeName, changePassword, createUser } from "./commands";
import { changeNameSchema, changePasswordSchema, safeNextPath, signInSchema, signUpSchema } from "./schema";

async function startSession(email: string, password: string, next: string) {
  // On success Auth.js answers with a redirect, thrown as an exception for Next.
  await signIn("credentials", { email, password, redirectTo: next });
}

export const signUpAction = publicAction(signUpSchema.extend({ next: z.string().optional() }), async (input) => {
  await createUser(input);
  try {
    await startSession(input.email, input.password, safeNextPath(input.next ?? "/teams"));
  } catch (error) {
    // The account exists by now; only the sign-in was refused, so "nothing was changed" would be untrue.
    if (error instanceof AuthError && "code" in error && error.code === "rate_limited") {
      return {
        ok: false,
        code: "rate_limited",
        message: "Your account is ready, but there were too many sign-in attempts from here. Wait a few minutes, then sign in.",
      };
    }
    throw error;
  }
  return ok(null);
});

export const signInAction = publicAction(signInSchema, async (input) => {
  try {
    await startSession(input.email, input.password, safeNextPath(input.next));
  } catch (error) {
    if (error instanceof AuthError) {
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
  await changePassword(user.id, input.currentPassword, input.newPassword);
  return ok(null, "Your password has been changed.");
});

export const oauthSignInAction = publicAction(
  z.object({ provider: z.enum(["github", "google"], { error: "Choose GitHub or Google." }), next: z.string().optional() }),
  async (input) => {
    if (!oauthProviders().includes(input.provider)) {
      return { ok: false, code: "invalid", message: "That sign-in method is not switched on for this workspace." };
    }
    await signIn(input.provider, { redirectTo: safeNextPath(input.next) });
    return ok(null);
  },
);

export const changeNameAction = userAction(changeNameSchema, async (user, input) => {
  await changeName(user.id, input.name);
  // The name is in the top bar of every page and in every team's lists.
  revalidatePath("/", "layout");
  return ok(null, "Your name has been changed.");
});
