// Names and tones of approval requests' states and views; pure, shared by server and client components.
import type { BadgeTone } from "@/components/ui/badge";
import type { RequestView } from "@/lib/approvals/request-filters";
import type { RequestState } from "@/lib/approvals/requests";

export const REQUEST_STATE_LABELS: Record<RequestState, string> = {
  pending: "Waiting",
  approved: "Approved",
  rejected: "Rejected",
  withdrawn: "Withdrawn",
  lapsed: "Lapsed",
  expired: "Expired",
  used: "Used",
};

export const REQUEST_STATE_TONES: Record<RequestState, BadgeTone> = {
  pending: "amber",
  approved: "green",
  rejected: "red",
  withdrawn: "neutral",
  lapsed: "neutral",
  expired: "neutral",
  used: "blue",
};

export const REQUEST_VIEW_LABELS: Record<RequestView, string> = {
  waiting: "Waiting for me",
  mine: "My requests",
  all: "All",
};
