// Journey: a member reviews where the team's credits went — filters to one project and one model, sees the chart and the
// figures follow, restacks the chart, sorts the runs by credits, and downloads the runs whose total matches the page.
import { readFileSync } from "node:fs";
import { parse } from "csv-parse/sync";
import { expect, test, type Page } from "@playwright/test";
import { DEMO, signIn } from "./helpers";

const figure = async (page: Page, testId: string) => Number((await page.getByTestId(testId).innerText()).replace(/[^\d−-]/g, "").replace("−", "-"));

test("a member filters the usage, sees the chart change, sorts the runs and downloads a CSV that adds up", async ({ page }) => {
  await signIn(page, DEMO.member);
  await page.getByRole("navigation", { name: "Team" }).getByRole("link", { name: "Usage" }).click();
  await expect(page.getByRole("heading", { name: "Usage", level: 1 })).toBeVisible();
  // The demo team has 90 days of history: the last 90 days show several models.
  const filters = page.getByTestId("usage-filters");
  await filters.getByLabel("Days").selectOption({ label: "Last 90 days" });
  await filters.getByRole("button", { name: "Filter" }).click();
  await expect(page).toHaveURL(/range=90d/);
  const allCharged = await figure(page, "usage-charged");
  expect(allCharged).toBeGreaterThan(0);
  const chart = page.getByTestId("credits-over-time");
  await expect(chart).toBeVisible();

  // Stacked by model, the chart shows several models; filtered to one project and one model, only that one.
  await page.getByLabel("Stacked by", { exact: true }).selectOption("model");
  await expect(page).toHaveURL(/stack=model/);
  await expect(chart).toHaveAttribute("aria-label", /stacked by model/);
  await expect.poll(async () => (await chart.getAttribute("data-series"))?.split("|").length ?? 0).toBeGreaterThan(1);
  await filters.getByLabel("Project").selectOption({ label: "Spring campaign" });
  await filters.getByLabel("Model").selectOption({ label: "Flux 2 Pro" });
  await filters.getByRole("button", { name: "Filter" }).click();
  await expect(page).toHaveURL(/model=flux-2-pro/);
  await expect(chart).toHaveAttribute("data-series", "Flux 2 Pro");
  const charged = await figure(page, "usage-charged");
  expect(charged).toBeGreaterThan(0);
  expect(charged).toBeLessThan(allCharged);
  // The chart's table says the same figures.
  await page.getByText("Show as a table").first().click();
  const totalCells = page.getByTestId("credits-over-time-table").locator("tbody tr td:last-child");
  const tableSum = (await totalCells.allInnerTexts()).reduce((sum, text) => sum + Number(text.replace(/[^\d]/g, "")), 0);
  expect(tableSum).toBe(charged - (await figure(page, "usage-refunded")));

  // Every run in the table is of that model; sorted by credits, the largest comes first.
  const runs = page.getByTestId("usage-runs");
  await expect(runs.locator("td[data-column=model]").first()).toHaveText("Flux 2 Pro");
  await runs.getByTestId("sort-charged").click();
  await expect(page).toHaveURL(/sort=credits/);
  await expect(runs.locator("th[aria-sort=descending]")).toContainText("Charged");
  const chargedCells = (await runs.locator("td[data-column=charged]").allInnerTexts()).map((text) => Number(text.replace(/[^\d]/g, "")));
  expect(chargedCells).toEqual([...chargedCells].sort((a, b) => b - a));
  // Hiding a column is kept in the URL.
  await page.getByTestId("usage-runs-columns").getByText("Columns", { exact: true }).click();
  // Columns: the prompt can be hidden and the notes (hidden at first, for a laptop's width) shown; kept in the URL.
  await expect(runs.locator("td[data-column=notes]")).toHaveCount(0);
  await page.getByTestId("usage-runs-columns").getByLabel("Notes").check();
  await page.getByTestId("usage-runs-columns").getByLabel("Prompt").uncheck();
  await expect(page).toHaveURL(/hide=[^&]*prompt/);
  await expect(runs.locator("td[data-column=prompt]")).toHaveCount(0);
  await expect(runs.locator("td[data-column=notes]").first()).toBeVisible();

  // The file has exactly the filter's runs, and its charged column adds up to the page's figure.
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("export-runs").click()]);
  const rows = parse(readFileSync((await download.path())!, "utf8"), { columns: true }) as Record<string, string>[];
  expect(rows.length).toBe(await figure(page, "usage-runs-count"));
  expect(rows.every((row) => row.model === "Flux 2 Pro" && row.project === "Spring campaign")).toBe(true);
  expect(rows.reduce((sum, row) => sum + Number(row.charged), 0)).toBe(charged);

  // The transactions of the same filter show the balance after each entry.
  await page.getByRole("navigation", { name: "History" }).getByRole("link", { name: "Transactions" }).click();
  await expect(page).toHaveURL(/tab=transactions/);
  await expect(page.getByTestId("usage-entries").getByRole("columnheader", { name: "Balance after" })).toBeVisible();
});

test("a bad filter value is explained at its field and the rest still applies", async ({ page }) => {
  await signIn(page, DEMO.viewer);
  await page.goto("/t/demo-studio/usage?range=90d&stage=final&model=not-a-model&from=2026-13-40");
  await expect(page.getByText("That model is not in the team's price list.")).toBeVisible();
  await expect(page.getByTestId("usage-filters").getByLabel("Stage")).toHaveValue("final");
  await expect(page.getByText("Some filters could not be used")).toBeVisible();
});
