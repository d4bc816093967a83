// End-to-end specs in Chromium against the real app: built, migrated and seeded on a fresh embedded database.
import { defineConfig } from "@playwright/test";
import { chromiumPath } from "./e2e/chromium";
import { CLOCK_FILE } from "./e2e/clock";

const port = Number(process.env.E2E_PORT ?? 3100);

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
