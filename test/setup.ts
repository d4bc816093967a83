// Runs before every test file: replaces the parts of Next and Auth.js that only exist inside a request.
import { vi } from "vitest";
import { testSession } from "./session";

// Signs session-version updates (lib/accounts/session-token.ts); `npm start` sets the real one.
process.env.AUTH_SECRET ??= "test-only-auth-secret";

vi.mock("next/cache", () => ({ revalidatePath: vi.fn(), revalidateTag: vi.fn() }));

vi.mock("next/headers", () => ({
  headers: async () => new Headers({ host: "localhost:3000", "x-forwarded-for": "203.0.113.7" }),
  cookies: async () => Object.assign(new Map(), { getAll: () => [] }),
}));

// Who is signed in is whatever the test says; the authorization layer reads it through this module.
vi.mock("@/lib/authz/session", () => ({
  currentUser: vi.fn(async () => testSession.user),
}));

// Auth.js needs a live request; the actions only need sign-in to succeed or fail as the credentials say.
vi.mock("@/lib/accounts/auth", async () => {
  const { checkCredentials } = await import("@/lib/accounts/sign-in");
  const { redirect } = await import("next/navigation");
  const { CallbackRouteError, CredentialsSignin } = await import("@auth/core/errors");
  return {
    auth: vi.fn(async () => (testSession.user ? { user: { id: testSession.user.id } } : null)),
    signIn: vi.fn(async (_provider: string, options: { email?: string; password?: string; redirectTo?: string }) => {
      // As Auth.js does, an error thrown while checking the credentials arrives wrapped, as the cause's `err`.
      const check = await checkCredentials(options, new Headers({ "x-forwarded-for": "203.0.113.7" })).catch((error: Error) => {
        // (Auth.js's own call passes the error itself, which its typings do not declare.)
        throw new CallbackRouteError(error as unknown as string);
      });
      if (!check.ok) throw Object.assign(new CredentialsSignin(), { code: check.reason });
      redirect(options.redirectTo ?? "/");
    }),
    signOut: vi.fn(async (options?: { redirectTo?: string }) => redirect(options?.redirectTo ?? "/")),
    // Re-issues the current session's token (after a password change); lib/authz/session.int.test.ts checks what it is given.
    unstable_update: vi.fn(async () => null),
    handlers: { GET: vi.fn(), POST: vi.fn() },
  };
});
