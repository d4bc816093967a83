// The browser the specs and the cluster test drive: Playwright's own Chromium where it is installed, otherwise the
// system's (offline machines install Debian's); CHROMIUM_PATH chooses another.
import { existsSync } from "node:fs";
import { chromium } from "@playwright/test";

export function chromiumPath(): string | undefined {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  try {
    if (existsSync(chromium.executablePath())) return undefined;
  } catch {
    // Not installed: fall through to the system browser.
  }
  return "/usr/bin/chromium";
}
