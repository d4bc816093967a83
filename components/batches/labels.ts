// Words and badge tones for batches and items, shared by the batch pages and the recommendations list.
import type { BadgeTone } from "@/components/ui/badge";
import type { ItemFlags, ItemStatus } from "@/lib/recommendations/types";

export { ITEM_STATUS_LABELS } from "@/lib/batches/schema";

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
