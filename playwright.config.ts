// End-to-end specs in Chromium against the real app: built, migrated and seeded on a fresh embedded database.
import { existsSync } from "node:fs";
import { defineConfig } from "@playwright/test";
import { chromium } from "@playwright/test";
import { CLOCK_FILE } from "./e2e/clock";

const port = Number(process.env.E2E_PORT ?? 3100);

// Playwright's own Chromium where it is installed; otherwise the system's (offline machines install Debian's).
function chromiumPath(): string | undefined {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  try {
    if (existsSync(chromium.executablePath())) return undefined;
  } catch {
    // Not installed: fall through to the system browser.
  }
  return "/usr/bin/chromium";
}

export default defineConfig({
  testDir: "e2e",
  fullyParallel: false,
  workers: 1,
  // The journeys share one server and database: a retry would meet the first attempt's data.
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? [["list"]] : [["list"]],
  use: {
    baseURL: `http://localhost:${port}`,
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: chromiumPath(),
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
  webServer: {
    command: "rm -rf .data/e2e && node scripts/start.mjs",
    url: `http://localhost:${port}/api/health`,
    timeout: 240_000,
    reuseExistingServer: false,
    stdout: "pipe",
    env: {
      PORT: String(port),
      PGLITE_DATA_DIR: ".data/e2e/pglite",
      DATABASE_URL: "",
      NEXT_TELEMETRY_DISABLED: "1",
      // The journeys move the app's clock forward (an approval expiring): e2e/clock.ts.
      CREDITWISE_CLOCK_FILE: CLOCK_FILE,
    },
  },
});
