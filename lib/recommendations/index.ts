// The recommendations engine's public surface: price planned items and batches, find savings, apply them. Pure, browser-safe.
export * from "./types";
export {
  estimateItem,
  estimateBatch,
  type StepEstimate,
  type ItemEstimate,
  type ItemEstimateError,
  type ModelGroup,
  type BatchEstimate,
} from "./estimate";
export { itemFindings, batchFindings, runFindings, RUN_ITEM_ID, type RunToCheck } from "./findings";
export { acceptOpen, applyFinding, applyAllSavings } from "./apply";
export { RULES } from "./explanations";
export { PURPOSE_TIERS } from "./rules";
export { planSuggestion } from "./suggestion";
