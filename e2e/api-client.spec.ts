// Journey: the README's example — an admin makes a key in the browser, and scripts/example-client.ts, run as the README
// says against this `npm start`, estimates, admits (twice, one hold), settles and records usage (twice, once).
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { expect, test } from "@playwright/test";
import { DEMO, signIn } from "./helpers";

const TEAM = "demo-studio";
const run = promisify(execFile);

test("the example client's steps succeed with a key made in Settings", async ({ page, baseURL }) => {
  await signIn(page, DEMO.admin);
  await page.goto(`/t/${TEAM}/settings`);
  const form = page.getByTestId("create-api-key-form");
  await form.getByLabel("Name").fill("Example client");
  for (const scope of [/Estimate runs and read the price list/, /Admit, settle and release runs/, /Record usage that already happened/]) await form.getByLabel(scope).check();
  await form.getByRole("button", { name: "Create key" }).click();
  const secret = await page.getByTestId("api-key-created").getByTestId("api-key-secret").inputValue();

  const { stdout } = await run("npx", ["tsx", "scripts/example-client.ts"], {
    env: { ...process.env, CREDITWISE_URL: baseURL, CREDITWISE_TEAM: TEAM, CREDITWISE_API_KEY: secret },
    timeout: 60_000,
  });
  expect(stdout).toMatch(/Estimate: \d+ credits/);
  expect(stdout).toMatch(/Admitted: run \S+, \d+ credits held/);
  expect(stdout).toContain("the same run (replayed), nothing held twice");
  expect(stdout).toMatch(/Settled: \d+ credits charged/);
  expect(stdout).toMatch(/Recorded: event \S+ → recorded/);
  expect(stdout).toMatch(/Sent again: event \S+ → already_recorded/);
  expect(stdout).toContain("Done: every step succeeded.");

  // The key's runs are the admin's, in the team's history.
  await page.goto(`/t/${TEAM}/usage`);
  await expect(page.getByText("Product shot, studio light").first()).toBeVisible();
});
