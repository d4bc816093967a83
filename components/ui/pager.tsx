// Newer / Older links of a keyset-paged list, with how many rows match; server-compatible.
import { formatNumber } from "@/lib/format";
import { ButtonLink } from "./button";

type Props = {
  /** Names the navigation landmark: "Ledger pages". */
  label: string;
  /** "Showing 25 of 40 requests". */
  summary?: string;
  newerHref: string | null;
  olderHref: string | null;
  testId?: string;
  /** The links' words where the list is not newest first: { newer: "Previous", older: "Next" }. */
  words?: { newer: string; older: string };
};

export function Pager({ label, summary, newerHref, olderHref, testId, words = { newer: "Newer", older: "Older" } }: Props) {
  return (
    <nav aria-label={label} className="flex flex-wrap items-center justify-between gap-3 border-t border-zinc-200 px-4 py-3 text-sm sm:px-5" data-testid={testId}>
      <span className="text-zinc-600">{summary}</span>
      <span className="flex gap-2">
        {newerHref && (
          <ButtonLink href={newerHref} variant="secondary" size="sm" rel="prev">
            {words.newer}
          </ButtonLink>
        )}
        {olderHref && (
          <ButtonLink href={olderHref} variant="secondary" size="sm" rel="next">
            {words.older}
          </ButtonLink>
        )}
      </span>
    </nav>
  );
}

/** "Showing 25 of 40 requests": the count is bounded, so past the bound it says "more than". */
export function matchingText(shown: number, matching: { count: number; more: boolean }, noun: { one: string; many: string }): string {
  if (matching.count === 0) return `No ${noun.many}`;
  const of = matching.more ? `more than ${formatNumber(matching.count)}` : formatNumber(matching.count);
  return `Showing ${formatNumber(shown)} of ${of} ${matching.count === 1 && !matching.more ? noun.one : noun.many}`;
}
