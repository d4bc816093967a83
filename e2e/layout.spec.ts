// Journey: a studio whose names, notes and reasons are long works on a laptop and on a phone: nothing runs off the page, every tab and figure is in reach.
import { expect, test, type Page } from "@playwright/test";
import { createAccount, uniqueEmail } from "./helpers";

// One unbroken word each: the worst case for a layout.
const longWord = (length: number, stem: string) => stem.repeat(Math.ceil(length / stem.length)).slice(0, length);

const LAPTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };

async function expectNoSidewaysScroll(page: Page, where: string) {
  const { scroll, width } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, width: window.innerWidth }));
  expect(scroll, `${where}: the page is ${scroll}px wide in a ${width}px window`).toBeLessThanOrEqual(width);
}

/** Every table's scroll area shows the whole table: no column pushed out of sight by a long word. */
async function expectTablesFit(page: Page, where: string) {
  const overflowing = await page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>("[role=region]")]
      .filter((region) => region.scrollWidth > region.clientWidth + 1)
      .map((region) => `${region.getAttribute("aria-label")}: ${region.scrollWidth}px in ${region.clientWidth}px`),
  );
  expect(overflowing, where).toEqual([]);
}

test("long names, notes and reasons wrap, and a phone reaches every tab, credit figure and state", async ({ page }) => {
  test.setTimeout(180_000);
  await page.setViewportSize(LAPTOP);
  const person = { name: "Lena Long", email: uniqueEmail("lena") };
  await createAccount(page, person);
  await expect(page).toHaveURL(/\/teams$/);

  // The person gives themselves a name of 100 letters in one word, from the account page.
  const name = longWord(100, "Bartholomew");
  await page.getByTestId("account-link").click();
  const nameForm = page.getByTestId("change-name-form");
  await nameForm.getByLabel("Name").fill("   ");
  await nameForm.getByRole("button", { name: "Save name" }).click();
  await expect(nameForm.getByTestId("error-name")).toHaveText(/Enter your name/);
  await expect(nameForm.getByLabel("Name")).toBeFocused();
  await nameForm.getByLabel("Name").fill(name);
  await nameForm.getByRole("button", { name: "Save name" }).click();
  await expect(page.getByTestId("toast").first()).toContainText("Your name has been changed.");
  await expect(page.getByTestId("account-link")).toHaveText(name);
  await expect(nameForm.getByRole("button", { name: "Save name" })).toBeFocused();

  const slug = `wide-${Date.now()}`;
  await page.goto("/teams/new");
  await page.getByLabel("Team name").fill(longWord(80, "Widestudio"));
  await page.getByLabel("Address").fill(slug);
  await page.getByRole("button", { name: "Create team" }).click();
  await expect(page).toHaveURL(new RegExp(`/t/${slug}$`));
  const base = `/t/${slug}`;

  // Credits with a 200-letter note, and a correction with a 300-letter reason.
  await page.goto(`${base}/credits`);
  const grant = page.getByTestId("grant-form");
  await grant.getByLabel("Credits").fill("5000");
  await grant.getByLabel("Note").fill(longWord(200, "Invoice"));
  await grant.getByRole("button", { name: "Add credits" }).click();
  await expect(page.getByTestId("credits-available")).toHaveText("5,000");
  const adjustment = page.getByTestId("adjustment-form");
  await adjustment.getByLabel("Correction in credits").fill("1");
  await adjustment.getByLabel("Reason").fill(longWord(300, "Reconciliation"));
  await adjustment.getByRole("button", { name: "Record adjustment" }).click();
  await expect(page.getByTestId("credits-available")).toHaveText("5,001");

  // A project whose name and description are one long word each, and a run on it.
  await page.goto(`${base}/projects`);
  const projectName = longWord(80, "Campaign");
  const create = page.getByTestId("create-project-form");
  await create.getByLabel("Project name").fill(projectName);
  await create.getByLabel("Description").fill(longWord(500, "Description"));
  await create.getByRole("button", { name: "Create project" }).click();
  await page.getByTestId("project-row").getByRole("link", { name: projectName }).click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText(projectName);
  const projectUrl = page.url();
  const record = page.getByTestId("record-run-form");
  await record.getByLabel("Model").selectOption("flux-2-dev");
  await record.getByLabel("Quantity").fill("2");
  await record.getByRole("button", { name: "Record run" }).click();
  // The answer takes the focus, so it is read out at once.
  await expect(page.getByTestId("admission-admitted")).toBeFocused();

  // A batch with a long name and an item whose title is one long word, planned to get a finding.
  await page.goto(`${base}/batches`);
  const batchName = longWord(120, "Batchname");
  const newBatch = page.getByTestId("create-batch-form");
  await newBatch.getByLabel("Batch name").fill(batchName);
  await newBatch.getByRole("button", { name: "Create batch" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText(batchName);
  const batchUrl = page.url();
  const item = page.getByTestId("add-item-form");
  await item.getByRole("textbox", { name: "Title", exact: true }).fill(longWord(200, "Itemtitle"));
  await item.getByLabel("Prompt").fill(longWord(600, "Prompt"));
  await item.getByTestId("plan-tests").getByRole("button", { name: "Add test iterations" }).click();
  await item.getByTestId("plan-tests").getByLabel("Model").selectOption("flux-2-pro");
  await item.getByRole("button", { name: "Add item" }).click();
  await expect(page.getByTestId("finding").first()).toBeVisible();
  const itemUrl = `${page.url().replace(/[?#].*$/, "")}/items/${await page.getByTestId("item-row").first().getAttribute("data-item-id")}`;

  const pages = [
    base,
    `${base}/projects`,
    projectUrl,
    `${base}/credits`,
    `${base}/settings`,
    `${base}/settings/audit`,
    `${base}/pricing`,
    `${base}/batches`,
    `${base}/apps`,
    `${base}/apps/new`,
    batchUrl,
    itemUrl,
    `${base}/recommendations`,
    `${base}/usage`,
    `${base}/usage?tab=transactions`,
    `${base}/usage/import`,
    "/account",
    "/teams",
  ];
  for (const viewport of [LAPTOP, PHONE]) {
    await page.setViewportSize(viewport);
    for (const path of pages) {
      await page.goto(path);
      const where = `${path} at ${viewport.width}px`;
      await expectNoSidewaysScroll(page, where);
      if (viewport === LAPTOP) await expectTablesFit(page, where);
    }
  }

  // On the phone (still 390 px): every tab of the team is on screen, none hidden behind an edge.
  await page.goto(base);
  const nav = page.getByRole("navigation", { name: "Team" });
  const tabs = nav.getByRole("link");
  await expect(tabs).toHaveCount(10);
  for (const tab of await tabs.all()) await expect(tab).toBeInViewport({ ratio: 1 });

  // The overview's runs show their credits and state without scrolling sideways; when and who go under the run.
  const run = page.getByTestId("run-row").first();
  // Scrolled down to the table only: the table itself is never scrolled sideways.
  await run.evaluate((row) => window.scrollTo(0, row.getBoundingClientRect().top + window.scrollY - 200));
  await expect(run.getByTestId("run-credits")).toBeInViewport({ ratio: 1 });
  await expect(run.getByTestId("run-credits")).toContainText("100");
  await expect(run.getByTestId("run-state")).toBeInViewport({ ratio: 1 });
  await expect(run.getByTestId("run-state")).toContainText("Held");
  await expect(run.getByTestId("run-what")).toContainText(name);

  // The long reason wraps inside its cell on the phone too, rather than making the ledger 3,000 px wide.
  await page.goto(`${base}/credits`);
  const reasonCell = page.getByTestId("ledger-row").filter({ hasText: "Reconciliation" }).locator("td").last();
  expect((await reasonCell.boundingBox())!.width).toBeLessThan(PHONE.width);
});
