// Who is calling: the signed-in user of this request, read through Auth.js and confirmed in the database.
import "server-only";
import { auth } from "@/lib/accounts/auth";
import { db } from "@/lib/db/client";

export type SessionUser = { id: string; email: string; name: string };

export async function currentUser(): Promise<SessionUser | null> {
  const session = await auth();
  const id = session?.user?.id;
  if (!id) return null;
  // The token may outlive the account, or the sessions of its version; the database has the last word.
  const user = await db().user.findUnique({ where: { id }, select: { id: true, email: true, name: true, sessionVersion: true } });
  if (!user || user.sessionVersion !== (session.sessionVersion ?? 0)) return null;
  return { id: user.id, email: user.email, name: user.name };
}
