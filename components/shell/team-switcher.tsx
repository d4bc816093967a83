// Switch between the teams a person belongs to; a native disclosure, so it works by keyboard and without script.
import Link from "next/link";
import { ROLE_LABELS, type Role } from "@/lib/authz/roles";

export type SwitcherTeam = { slug: string; name: string; role: Role };

export function TeamSwitcher({ teams, current }: { teams: SwitcherTeam[]; current?: SwitcherTeam }) {
  return (
    <details className="relative" data-testid="team-switcher">
      <summary className="flex cursor-pointer list-none items-center gap-2 rounded-md border border-zinc-300 bg-white px-3 py-1.5 text-sm font-medium hover:bg-zinc-50">
        <span className="max-w-48 truncate">{current ? current.name : "Choose a team"}</span>
        <span aria-hidden="true">▾</span>
        <span className="sr-only">Switch team</span>
      </summary>
      <div className="absolute left-0 z-20 mt-1 w-64 rounded-md border border-zinc-200 bg-white py-1 shadow-lg">
        <ul>
          {teams.map((team) => (
            <li key={team.slug}>
              <Link
                href={`/t/${team.slug}`}
                aria-current={team.slug === current?.slug ? "page" : undefined}
                className="flex items-center justify-between gap-2 px-3 py-2 text-sm text-zinc-900 no-underline hover:bg-zinc-100 aria-[current=page]:font-semibold"
              >
                <span className="truncate">{team.name}</span>
                <span className="text-xs text-zinc-500">{ROLE_LABELS[team.role]}</span>
              </Link>
            </li>
          ))}
        </ul>
        <div className="mt-1 border-t border-zinc-200 pt-1">
          <Link href="/teams" className="block px-3 py-2 text-sm no-underline hover:bg-zinc-100">
            All teams
          </Link>
          <Link href="/teams/new" className="block px-3 py-2 text-sm no-underline hover:bg-zinc-100">
            Create a team
          </Link>
        </div>
      </div>
    </details>
  );
}
