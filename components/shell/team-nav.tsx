"use client";
// The areas of a team, with the current one marked; all of them in sight at any width.
import Link from "next/link";
import { usePathname } from "next/navigation";

const AREAS = [
  { path: "", label: "Overview" },
  { path: "/projects", label: "Projects" },
  { path: "/batches", label: "Batches" },
  { path: "/apps", label: "Apps" },
  { path: "/recommendations", label: "Recommendations" },
  { path: "/approvals", label: "Approvals" },
  { path: "/usage", label: "Usage" },
  { path: "/pricing", label: "Pricing" },
  { path: "/credits", label: "Credits", adminOnly: true },
  { path: "/settings", label: "Settings", adminOnly: true },
];

/** `waiting`: approval requests waiting for this person's decision, shown beside "Approvals". */
export function TeamNav({ slug, isAdmin, waiting = 0 }: { slug: string; isAdmin: boolean; waiting?: number }) {
  const pathname = usePathname();
  const base = `/t/${slug}`;
  return (
    <nav aria-label="Team" className="border-b border-zinc-200 bg-white">
      {/* Wraps onto a second row on a phone rather than scrolling: every area stays in sight, none behind an edge. */}
      <ul className="mx-auto flex max-w-6xl flex-wrap gap-x-1 px-2 sm:px-4">
        {AREAS.filter((area) => isAdmin || !area.adminOnly).map((area) => {
          const href = base + area.path;
          const active = area.path === "" ? pathname === base : pathname === href || pathname.startsWith(`${href}/`);
          return (
            <li key={area.label}>
              <Link
                href={href}
                aria-current={active ? "page" : undefined}
                className="block whitespace-nowrap border-b-2 border-transparent px-3 py-2.5 text-sm font-medium text-zinc-600 no-underline hover:text-zinc-900 aria-[current=page]:border-brand-600 aria-[current=page]:text-zinc-900"
              >
                {area.label}
                {area.path === "/approvals" && waiting > 0 && (
                  <span data-testid="approvals-waiting">
                    {/* The figure for the eye; the words for a screen reader, as part of the link's name. */}
                    <span
                      aria-hidden="true"
                      className="ml-1.5 inline-flex min-w-5 items-center justify-center rounded-full bg-brand-600 px-1.5 text-xs font-semibold text-white tabular-nums"
                    >
                      {waiting}
                    </span>
                    <span className="sr-only">, {waiting} waiting for you</span>
                  </span>
                )}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
