// Journey: an admin imports the platform's usage export, watches the progress bar reach the end and reads the report;
// importing the same file again finds every run already present and leaves the credits as they were.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { DEMO, signIn } from "./helpers";

const TEAM = "/t/demo-studio";
const USAGE_EVENTS = 9;
const CREDIT_EVENTS = 1;
const SPENT = 80 + 80 + 240 + 60 + 60 + 4000 + 40 + 20 + 100;

// The sample as it is, with a mark of this run in each description (the model is still found in it), so a journey run
// again against the same database imports its own rows rather than finding the last run's already present.
const mark = Date.now().toString(36);
const file = readFileSync(join(import.meta.dirname, "fixtures/platform-usage.csv"), "utf8").replace(/"\n/g, `, batch ${mark}"\n`);
const upload = { name: `platform-usage-${mark}.csv`, mimeType: "text/csv", buffer: Buffer.from(file) };

async function balance(page: Page): Promise<number> {
  await page.goto(`${TEAM}/credits`);
  return Number((await page.getByTestId("credits-balance").innerText()).replace(/[,\s]/g, "").replace("−", "-"));
}

async function importFile(page: Page, present = 0) {
  await page.goto(`${TEAM}/usage/import`);
  await expect(page.getByRole("heading", { level: 1, name: "Import usage" })).toBeVisible();
  const form = page.getByTestId("import-upload-form");
  await form.getByLabel("CSV file").setInputFiles(upload);
  await form.getByRole("button", { name: "Upload and preview" }).click();

  // The preview: the first rows with their columns, the top-up marked as skipped, the people already matched.
  const preview = page.getByTestId("import-preview");
  await expect(preview).toBeVisible();
  await expect(preview.getByTestId("import-preview-row")).toHaveCount(USAGE_EVENTS + CREDIT_EVENTS);
  await expect(preview.getByTestId("import-preview-row").first()).toContainText("Skipped");
  // Each row says what it will become, the model as the catalog spells it; a file imported before says so up front.
  await expect(preview.getByTestId("import-preview-becomes").nth(3)).toContainText("Flux 2 Pro");
  if (present > 0) await expect(page.getByTestId("import-present-count")).toContainText(`${present} rows of this file are already present`);
  else await expect(page.getByTestId("import-present-count")).toHaveCount(0);
  const start = page.getByTestId("import-start-form");
  await expect(start.getByLabel("member@demo.creditwise.test")).toHaveValue(/.+/);
  // Nothing is preselected: the export says no project, stage or outcome, so the admin chooses them.
  await expect(start.getByLabel("Project")).toHaveValue("");
  await expect(start.getByLabel("Stage")).toHaveValue("");
  await expect(start.getByLabel("Outcome")).toHaveValue("");
  await start.getByLabel("Project").selectOption({ label: "Social content" });
  await start.getByLabel("Stage").selectOption({ label: "Test (prompt check)" });
  await start.getByLabel("Outcome").selectOption({ label: "Accepted" });
  await start.getByRole("button", { name: "Import" }).click();

  // The progress bar runs to the end on its own; the report follows.
  const progress = page.getByTestId("import-progress");
  await expect(progress).toHaveAttribute("data-status", "done", { timeout: 60_000 });
  await expect(page.getByRole("progressbar", { name: "Rows imported" })).toHaveAttribute("aria-valuenow", String(USAGE_EVENTS + CREDIT_EVENTS));
  await expect(page.getByTestId("import-rows-done")).toHaveText(`${USAGE_EVENTS + CREDIT_EVENTS} of ${USAGE_EVENTS + CREDIT_EVENTS} rows`);
  await expect(page.getByTestId("import-report")).toBeVisible();
  return page.getByTestId("import-report");
}

test("an admin imports the platform's export, and importing it again changes nothing", async ({ page }) => {
  await signIn(page, DEMO.admin);
  const before = await balance(page);

  const first = await importFile(page);
  await expect(page.getByTestId("import-progress-card").getByRole("heading")).toHaveText(`Imported ${USAGE_EVENTS} rows`);
  await expect(first.getByTestId("import-imported").locator("dd")).toHaveText(String(USAGE_EVENTS));
  await expect(first.getByTestId("import-present").locator("dd")).toHaveText("0");
  await expect(first.getByTestId("import-skipped").locator("dd")).toHaveText(String(CREDIT_EVENTS));
  await expect(first.getByTestId("import-refused").locator("dd")).toHaveText("0");
  await expect(page.getByTestId("import-problems")).toContainText("credits coming in");
  // Reloading the page shows the same finished import.
  await page.reload();
  await expect(page.getByTestId("import-progress")).toHaveAttribute("data-status", "done");
  const afterFirst = await balance(page);
  expect(before - afterFirst).toBe(SPENT);

  const second = await importFile(page, USAGE_EVENTS);
  await expect(page.getByTestId("import-progress-card").getByRole("heading")).toHaveText(`Nothing new: ${USAGE_EVENTS} rows already present, ${CREDIT_EVENTS} skipped`);
  await expect(second.getByTestId("import-imported").locator("dd")).toHaveText("0");
  await expect(second.getByTestId("import-present").locator("dd")).toHaveText(String(USAGE_EVENTS));
  await expect(second.getByTestId("import-refused").locator("dd")).toHaveText("0");
  expect(await balance(page)).toBe(afterFirst);

  // Both imports are listed, and the report downloads as CSV.
  await page.goto(`${TEAM}/usage/import`);
  await expect(page.getByTestId("import-row").filter({ hasText: upload.name })).toHaveCount(2);
  await expect(page.getByTestId("import-row").filter({ hasText: upload.name }).first()).toContainText("Platform export");
  await page.getByTestId("import-row").filter({ hasText: upload.name }).first().getByRole("link").click();
  const download = page.waitForEvent("download");
  await page.getByRole("link", { name: "Download the report (CSV)" }).click();
  const report = readFileSync(await (await download).path(), "utf8");
  expect(report.split("\n")[0]).toBe("line,result,reason,run,date,user,model or description,credits");
  expect(report.match(/skipped: already present/g)).toHaveLength(USAGE_EVENTS);
});

test("a member cannot open the import", async ({ page }) => {
  await signIn(page, DEMO.member);
  const response = await page.goto(`${TEAM}/usage/import`);
  expect(response?.status()).toBe(403);
});
