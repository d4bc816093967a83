// Unit tests (*.test.ts) and database integration tests (*.int.test.ts); the zone-sensitive ones once per host zone.
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

// Tests of code that computes in a team's time zone. The server may run in any zone, so these run
// under several: UTC, one with daylight saving at 01:00 UTC (London), one whose clocks change at
// midnight (Havana), one that moves by half an hour (Lord Howe) and one a half hour off UTC (Kolkata).
const ZONE_TESTS = [
  "lib/ledger/periods.test.ts",
  "lib/ledger/dates.test.ts",
  "lib/ledger/period-keys.test.ts",
  "lib/ledger/clock-changes.test.ts",
  "lib/price-lists/rules.test.ts",
  "lib/price-lists/clock-changes.test.ts",
];
const HOST_ZONES = ["UTC", "Europe/London", "America/Havana", "Australia/Lord_Howe", "Asia/Kolkata"];

export default defineConfig({
  resolve: {
    alias: {
      "@/": here("./"),
      "server-only": here("./test/server-only.ts"),
    },
  },
  test: {
    exclude: ["node_modules/**", ".next/**", "e2e/**", ".data/**"],
    environment: "node",
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Forks: each worker is a process started with its project's TZ, read before any Date exists.
    pool: "forks",
    // Both cores: vitest counts one fewer than there are, which is one worker on a 2-core CI machine.
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: {
          name: "app",
          include: ["**/*.test.ts"],
          exclude: ZONE_TESTS,
          globalSetup: ["./test/global-setup.ts"],
          setupFiles: ["./test/setup.ts"],
          // next-auth imports "next/server" without an extension, which only a bundler resolves.
          server: { deps: { inline: ["next-auth"] } },
        },
      },
      ...HOST_ZONES.map((zone) => ({
        extends: true as const,
        test: {
          name: `host ${zone}`,
          include: ZONE_TESTS,
          env: { TZ: zone, HOST_TIME_ZONE: zone },
          setupFiles: ["./test/host-zone.ts"],
          // Pure functions only: one worker per host zone runs all these files, a process per file would cost more than the tests.
          isolate: false,
        },
      })),
    ],
  },
});
