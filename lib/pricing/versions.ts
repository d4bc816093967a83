// Picks the price list version that applies at a moment, so every charge uses the price of its day.

import type { PriceList } from "./types";

export interface PriceListVersion {
  version: number;
  effectiveFrom: Date;
  priceList: PriceList;
}

/**
 * The version with the latest `effectiveFrom` at or before `at`. When two take
 * effect at the same instant the higher `version` wins, or, without version
 * numbers, the one later in the array. Versions with an invalid date never apply.
 */
export function versionInForce<T extends { effectiveFrom: Date; version?: number }>(
  versions: readonly T[],
  at: Date,
): T | undefined {
  const moment = at.getTime();
  if (Number.isNaN(moment)) return undefined;
  let chosen: T | undefined;
  let chosenTime = -Infinity;
  for (const candidate of versions) {
    const time = candidate.effectiveFrom.getTime();
    if (Number.isNaN(time) || time > moment) continue;
    if (chosen === undefined || time > chosenTime || (time === chosenTime && !isOlderVersion(candidate, chosen))) {
      chosen = candidate;
      chosenTime = time;
    }
  }
  return chosen;
}

// Array order decides unless both carry version numbers that differ.
function isOlderVersion(candidate: { version?: number }, chosen: { version?: number }): boolean {
  if (typeof candidate.version === "number" && typeof chosen.version === "number") {
    return candidate.version < chosen.version;
  }
  return false;
}
