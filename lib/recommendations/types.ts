// The shapes the recommendations engine reads and answers with: a planned item (its stage plan and flags) and findings. Pure.
import type { OutputType } from "@/lib/pricing/types";

/** Where an asset goes; the same words as a run's purpose (lib/ledger/schema PURPOSES). */
export const PURPOSES = ["internal_review", "client_draft", "final_delivery", "social_media", "print", "web"] as const;
export type Purpose = (typeof PURPOSES)[number];

/** An item's progress: planned → testing → ready for final → final approved → done, or dropped. */
export const ITEM_STATUSES = ["planned", "testing", "ready_for_final", "final_approved", "done", "dropped"] as const;
export type ItemStatus = (typeof ITEM_STATUSES)[number];

/** One step of a plan: `count` runs of one model with its settings (keys and values as the price list names them). */
export type PlanStep = { modelId: string; settings: Record<string, string>; count: number };

/**
 * How an item will be made: test iterations (none: null), finals (none: null), and tool steps applied to the
 * finals (background removal, upscale…), each with its own model and count.
 */
export type ItemPlan = { tests: PlanStep | null; finals: PlanStep | null; tools: PlanStep[] };

/** What the person says about the asset, which rules read. */
export type ItemFlags = {
  /** Used only on the web (an upscale is wasted). */
  webOnly: boolean;
  /** Will still be edited after generation (an upscale now is wasted). */
  willBeEdited: boolean;
  /** A still image would do where the plan makes video. */
  stillWouldDo: boolean;
  /** Background music (premium audio is wasted). */
  backgroundMusic: boolean;
  /** An existing output can be edited instead of regenerating. */
  editExisting: boolean;
};

export const NO_FLAGS: ItemFlags = { webOnly: false, willBeEdited: false, stillWouldDo: false, backgroundMusic: false, editExisting: false };

export type PlannedItem = {
  id: string;
  title: string;
  outputType: OutputType;
  purpose: Purpose;
  prompt: string;
  status: ItemStatus;
  plan: ItemPlan;
  flags: ItemFlags;
};

export const RULE_IDS = [
  "test-cheap",
  "match-purpose",
  "print-upscale",
  "over-engineered",
  "upscale-web",
  "upscale-before-edit",
  "still-would-do",
  "background-music",
  "premium-video-iterations",
  "edit-not-regenerate",
  "group-models",
  "empty-prompt",
] as const;
export type RuleId = (typeof RULE_IDS)[number];

/** A concrete change the app can apply: the new plan (and, for "a still would do", the new output type) of each item. */
export type FindingChange = { items: { itemId: string; plan: ItemPlan; outputType?: OutputType }[] };

export type Finding = {
  rule: RuleId;
  /** The item it is about; null for a finding about the whole batch. */
  itemId: string | null;
  /** Stable across renders while the plan is unchanged: what a dismissal remembers. */
  key: string;
  title: string;
  /** What to change, in words: "Tests: Flux 2 Pro → Qwen Image". */
  changeText: string;
  /** Why, in the product's own words. */
  explanation: string;
  /** null when the finding names something to do that is not a plan change (e.g. write the prompt). */
  change: FindingChange | null;
  /** Credits of what it is about as planned, and after the change (lib/pricing, the team's prices). */
  before: number;
  after: number;
  /** before − after. A saving is ≥ 0; a quality warning costs more (saved < 0) and is listed apart. */
  saved: number;
  kind: "saving" | "quality" | "advice";
};
