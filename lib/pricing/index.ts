// The pricing library's public surface: pure functions and data, safe to import in the browser and on the server.

export * from "./types";
export { DEFAULT_PRICE_LIST } from "./default-price-list";
export { costRanges, type CreditRange, type OutputTypeCosts } from "./ranges";
export {
  MAX_QUANTITY,
  estimateRun,
  findEntry,
  defaultSettings,
  checkQuantity,
  checkEntryPrice,
} from "./estimate";
export {
  estimatePlan,
  comparePlans,
  cheapestSensiblePlan,
  wholePercent,
  type PlanStage,
  type StageInput,
  type PlanInput,
  type StageEstimate,
  type PlanEstimate,
  type PlanEstimateOk,
  type PlanError,
  type PlanComparison,
  type PlanProposal,
} from "./plans";
export {
  compareModels,
  adaptSettings,
  type ModelComparison,
  type ModelComparisonRow,
  type SettingAdjustment,
  type AdaptedSettings,
} from "./compare";
export { versionInForce, type PriceListVersion } from "./versions";
export { diffPriceLists } from "./diff";
export {
  PRICE_LIST_FORMAT,
  PRICE_LIST_FILE_VERSION,
  MAX_ENTRY_CREDITS,
  MAX_FACTOR_PART,
  MAX_ENTRIES,
  factorSchema,
  settingOptionSchema,
  settingDefSchema,
  catalogEntrySchema,
  priceListEntriesSchema,
  priceListSchema,
  parsePriceListFile,
  serializePriceList,
  type PriceListFile,
  type PriceListFileError,
  type ParsePriceListFileResult,
} from "./schema";
export { formatFactor } from "./rational";
