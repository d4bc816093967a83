// Settings read from the environment: durations in milliseconds, read strictly.

/** The longest delay a Node timer keeps; past it Node fires at once. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * A duration setting: digits only, at least `min`, at most a timer's limit; anything else (empty, "30s", "1e4", 0)
 * keeps the default — a typo must not turn a shutdown's deadline or a lease into a millisecond.
 */
export function millisSetting(value: string | undefined, fallback: number, min = 1): number {
  if (value === undefined || !/^\d+$/.test(value.trim())) return fallback;
  const ms = Number(value.trim());
  return ms >= min && ms <= MAX_TIMER_MS ? ms : fallback;
}
