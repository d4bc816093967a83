// The time zones a team can choose from, and the one to preselect for a browser; pure, shared by server and browser.

export const UTC = "UTC";

// Names for the same clock as UTC that a browser may report.
const UTC_ALIASES = new Set(["UTC", "Etc/UTC", "Etc/UCT", "UCT", "Etc/GMT", "GMT", "Etc/Universal", "Universal", "Etc/Zulu", "Zulu"]);

export type TimeZoneOption = { value: string; label: string };

/**
 * UTC first and said plainly (the runtime's list of zones leaves it out), then every zone the runtime
 * knows, and the team's current zone if the list lacks it, so a form never shows another zone than the saved one.
 */
export function timeZoneOptions(supported: readonly string[], current?: string): TimeZoneOption[] {
  const zones = new Set(supported.filter((zone) => !UTC_ALIASES.has(zone)));
  if (current && !UTC_ALIASES.has(current)) zones.add(current);
  return [
    { value: UTC, label: "UTC — Coordinated Universal Time" },
    ...[...zones].sort().map((zone) => ({ value: zone, label: zone.replaceAll("_", " ") })),
  ];
}

/** The browser's zone when the list offers it (under its own name or its canonical one), else UTC. */
export function preferredTimeZone(browserZone: string | undefined | null, options: readonly TimeZoneOption[]): string {
  if (!browserZone) return UTC;
  if (UTC_ALIASES.has(browserZone)) return UTC;
  const offered = new Set(options.map((option) => option.value));
  if (offered.has(browserZone)) return browserZone;
  try {
    // Browsers and the server may name a zone differently (Asia/Kolkata, Asia/Calcutta); the runtime's canonical name links them.
    const canonical = new Intl.DateTimeFormat("en-US", { timeZone: browserZone }).resolvedOptions().timeZone;
    if (offered.has(canonical)) return canonical;
  } catch {
    // Not a zone this runtime knows.
  }
  return UTC;
}

/** The zone the browser runs in, or null where it cannot be read (on the server it is the host's, so not asked there). */
export function browserTimeZone(): string | null {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || null;
  } catch {
    return null;
  }
}
