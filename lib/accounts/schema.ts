// Inputs of the account forms: sign-up, sign-in, password change, name change.
import { z } from "zod";

/** An email address field; `missing` says whose address is asked for ("your", or the person being invited). */
export function emailAddressSchema(missing: string) {
  return z
    .string({ error: missing })
    .trim()
    .min(1, missing)
    .max(254, "That email address is too long.")
    .pipe(z.email({ error: "Enter a valid email address, like name@studio.com." }))
    .transform((email) => email.toLowerCase());
}

export const emailSchema = emailAddressSchema("Enter your email address.");

export const newPasswordSchema = z
  .string({ error: "Choose a password." })
  .min(10, "Use at least 10 characters.")
  .max(200, "Use at most 200 characters.");

export const personNameSchema = z
  .string({ error: "Enter your name." })
  .trim()
  .min(1, "Enter your name.")
  .max(100, "Use at most 100 characters.");

export const signUpSchema = z.object({
  name: personNameSchema,
  email: emailSchema,
  password: newPasswordSchema,
});

export const signInSchema = z.object({
  email: emailSchema,
  password: z.string({ error: "Enter your password." }).min(1, "Enter your password.").max(200, "That password is too long."),
  next: z.string().optional(),
});

export const changePasswordSchema = z
  .object({
    currentPassword: z.string({ error: "Enter your current password." }).min(1, "Enter your current password."),
    newPassword: newPasswordSchema,
    confirmPassword: z.string({ error: "Repeat the new password." }),
  })
  .refine((input) => input.newPassword === input.confirmPassword, {
    path: ["confirmPassword"],
    message: "The two new passwords differ.",
  });

export const changeNameSchema = z.object({ name: personNameSchema });

// Any origin of our own would do: only what resolves onto it is kept, and only its path part.
const SITE = "https://creditwise.invalid";

/**
 * Only a path of this site survives as a post-sign-in destination. The browser's
 * own URL parser decides (it drops tabs and newlines and reads backslashes as
 * slashes, so "/\t/evil.com" means "//evil.com"), and what it resolves to must
 * stay on the site.
 */
export function safeNextPath(requested: unknown): string {
  // A query may repeat a parameter (?next=/a&next=/b): the first one counts, anything else is no path.
  const next = Array.isArray(requested) ? requested[0] : requested;
  if (typeof next !== "string" || !next.startsWith("/")) return "/";
  let url: URL;
  try {
    url = new URL(next, SITE);
  } catch {
    return "/";
  }
  if (url.origin !== SITE) return "/";
  const path = `${url.pathname}${url.search}${url.hash}`;
  // "/.//evil.com" resolves to the path "//evil.com", which a browser reads as another site.
  return path.startsWith("//") ? "/" : path;
}

/** The sign-in page that brings the person back to `next` (a path of this site) afterwards. */
export function signInPath(next: string | undefined): string {
  const path = safeNextPath(next);
  return path === "/" ? "/sign-in" : `/sign-in?next=${encodeURIComponent(path)}`;
}
