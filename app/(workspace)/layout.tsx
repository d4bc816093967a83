// Frame for signed-in pages outside a team: the list of teams, a new team, the account.
import type { ReactNode } from "react";
import { TopBar } from "@/components/shell/top-bar";
import { requireUser } from "@/lib/authz/page";
import { listMyTeams } from "@/lib/teams/queries";

export default async function WorkspaceLayout({ children }: { children: ReactNode }) {
  const user = await requireUser();
  const teams = await listMyTeams(user.id);
  return (
    <>
      <TopBar user={user} teams={teams} />
      <main className="mx-auto w-full max-w-6xl px-4 py-8">{children}</main>
    </>
  );
}
