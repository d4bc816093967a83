// Names, tones and choices for credit pages — run states, ledger kinds, budget periods; pure, shared by server and client components.
import type { BadgeTone } from "@/components/ui/badge";
import type { LedgerKind, RunState } from "@/lib/ledger/kinds";
import type { OutputType } from "@/lib/pricing/types";

export { LEDGER_KINDS, RUN_STATES, type LedgerKind, type RunState } from "@/lib/ledger/kinds";

export const RUN_STATE_LABELS: Record<RunState, string> = {
  held: "Held",
  settled: "Settled",
  released: "Released",
  failed: "Failed",
};

export const RUN_STATE_TONES: Record<RunState, BadgeTone> = {
  held: "blue",
  settled: "green",
  released: "neutral",
  failed: "red",
};

export const OUTCOME_TONES: Record<string, BadgeTone> = {
  accepted: "green",
  rejected: "red",
  needs_edit: "amber",
  failed: "red",
};

export const STAGE_SHORT: Record<"test" | "draft" | "final", string> = { test: "Test", draft: "Draft", final: "Final" };

export const LEDGER_KIND_LABELS: Record<LedgerKind, string> = {
  grant: "Grant",
  hold: "Hold",
  release: "Release",
  charge: "Charge",
  refund: "Refund",
  adjustment: "Adjustment",
  expiry: "Expiry",
};

export const PERIOD_LABELS: Record<"lifetime" | "month" | "week", string> = {
  lifetime: "No reset (whole life of the project)",
  month: "Each calendar month",
  week: "Each week",
};

/** How a period reads inside a sentence or a table cell. */
export const PERIOD_SHORT: Record<"lifetime" | "month" | "week", string> = {
  lifetime: "in total",
  month: "per month",
  week: "per week",
};

export const WEEKDAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"] as const;

export const OUTPUT_TYPE_LABELS: Record<OutputType, string> = {
  image: "Images",
  video: "Video",
  audio: "Audio",
  tool: "Tools",
};
