// Words and badge tones for batches and items, shared by the batch pages and the recommendations list.
import type { BadgeTone } from "@/components/ui/badge";
import type { ItemFlags, ItemStatus } from "@/lib/recommendations/types";

export const ITEM_STATUS_LABELS: Record<ItemStatus, string> = {
  planned: "Planned",
  testing: "Testing",
  ready_for_final: "Ready for final",
  final_approved: "Final approved",
  done: "Done",
  dropped: "Dropped",
};

export const ITEM_STATUS_TONES: Record<ItemStatus, BadgeTone> = {
  planned: "neutral",
  testing: "blue",
  ready_for_final: "amber",
  final_approved: "amber",
  done: "green",
  dropped: "neutral",
};

export const FLAG_LABELS: Record<keyof ItemFlags, { label: string; hint: string }> = {
  webOnly: { label: "Web only", hint: "It is shown on screens only: an upscale is wasted." },
  willBeEdited: { label: "Will be edited further", hint: "It goes to an editor after generation: upscale after the edit, not before." },
  stillWouldDo: { label: "A still image would do", hint: "Planned as video, but a still would serve the purpose." },
  backgroundMusic: { label: "Background music", hint: "It sits under other sound: premium audio is not heard." },
  editExisting: { label: "Edit an existing output", hint: "An earlier output can be edited instead of generating a new one." },
};

export const FLAG_KEYS = Object.keys(FLAG_LABELS) as (keyof ItemFlags)[];

/** The four questions to answer before a final (the seed's checklist), in the product's words. */
export const FINAL_QUESTIONS = [
  { key: "qualityNeeded", question: "Is this quality needed for where it goes?" },
  { key: "videoNecessary", question: "Is video necessary, or would a still do?" },
  { key: "editInstead", question: "Could an existing output be edited instead?" },
  { key: "isFinalVersion", question: "Is this the final version (no more changes expected)?" },
] as const;
export type FinalQuestionKey = (typeof FINAL_QUESTIONS)[number]["key"];
