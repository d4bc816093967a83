// The bar across every signed-in page: product name, team switcher, the API reference, account and sign-out.
import Link from "next/link";
import type { SessionUser } from "@/lib/authz/session";
import { SignOutButton } from "./sign-out-button";
import { TeamSwitcher, type SwitcherTeam } from "./team-switcher";

export function TopBar({ user, teams, current }: { user: SessionUser; teams: SwitcherTeam[]; current?: SwitcherTeam }) {
  return (
    <header className="border-b border-zinc-200 bg-white">
      <div className="mx-auto flex max-w-6xl flex-wrap items-center justify-between gap-3 px-4 py-3">
        <div className="flex items-center gap-3">
          <Link href="/" className="text-lg font-semibold tracking-tight text-zinc-900 no-underline">
            Creditwise
          </Link>
          <TeamSwitcher teams={teams} current={current} />
        </div>
        <div className="flex items-center gap-2 text-sm">
          {/* The API's reference, for whoever scripts against the team (keys are made in Settings by admins). */}
          <Link href="/docs/api" className="hidden text-zinc-700 sm:block">
            API
          </Link>
          {/* A long name is cut short here (in full on the account page), so it never squeezes Sign out. */}
          <Link href="/account" className="block max-w-40 truncate text-zinc-700 sm:max-w-64" title={user.name} data-testid="account-link">
            {user.name}
          </Link>
          <SignOutButton />
        </div>
      </div>
    </header>
  );
}
