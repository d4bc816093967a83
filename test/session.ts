// The signed-in user as the tests set it.
import type { SessionUser } from "@/lib/authz/session";

export const testSession: { user: SessionUser | null } = { user: null };

export function signInAs(user: SessionUser | null): void {
  testSession.user = user;
}
