// A finding as the findings list gets it: its words and figures for the browser, while its change stays on the server.
import type { Finding } from "@/lib/recommendations/types";

/** What the list needs of a finding: its words and figures, not the plan it would write (that stays on the server). */
export type ListedFinding = Pick<Finding, "rule" | "key" | "title" | "changeText" | "explanation" | "before" | "after" | "saved" | "kind"> & {
  /** True when Apply can make the change; advice has none. */
  applicable: boolean;
  batchId: string;
  /** The item's title, or null for a finding about the whole batch. */
  itemTitle: string | null;
  /** Where it is, on the team-wide list: "Spring campaign · Acme launch". */
  where?: { label: string; href: string };
};

/** A finding as the list gets it: the change itself is left out of what is sent to the browser. */
export function listedFinding(finding: Finding, extra: { batchId: string; itemTitle: string | null; where?: ListedFinding["where"] }): ListedFinding {
  const { rule, key, title, changeText, explanation, before, after, saved, kind } = finding;
  return { rule, key, title, changeText, explanation, before, after, saved, kind, applicable: finding.change !== null, ...extra };
}

