// Who is calling: the signed-in user of this request, read through Auth.js and confirmed in the database.
import "server-only";
import type { GetServerSidePropsContext } from "next";
import { cookies, headers } from "next/headers";
import { auth } from "@/lib/accounts/auth";
import { db } from "@/lib/db/client";

export type SessionUser = { id: string; email: string; name: string };

/**
 * The session as this request's cookies stand now. auth() without arguments
 * reads the Cookie header; but when a server action re-issues the session
 * cookie (after a password change) Next renders the page again within the same
 * request with cookies() updated and the header not, and the header still holds
 * the token that has just ended. So the header is rebuilt from cookies(), and
 * handed to auth() in its request/response form (the response is never sent).
 */
async function readSession() {
  const jar = await cookies();
  const requestHeaders = new Headers(await headers());
  requestHeaders.set("cookie", jar.getAll().map(({ name, value }) => `${name}=${value}`).join("; "));
  return auth({ req: { headers: requestHeaders }, res: { headers: new Headers() } } as unknown as GetServerSidePropsContext);
}

export async function currentUser(): Promise<SessionUser | null> {
  const session = await readSession();
  const id = session?.user?.id;
  if (!id) return null;
  // The token may outlive the account, or the sessions of its version; the database has the last word.
  const user = await db().user.findUnique({ where: { id }, select: { id: true, email: true, name: true, sessionVersion: true } });
  if (!user || user.sessionVersion !== (session.sessionVersion ?? 0)) return null;
  return { id: user.id, email: user.email, name: user.name };
}
