// Journey: in the demo studio, an admin tops up, starts and budgets a new project, and catches a mistyped correction; a member's
// run is admitted, settled over its estimate, and the next one is refused by the budget.
import { expect, test, type Locator, type Page } from "@playwright/test";
import { DEMO, signIn } from "./helpers";

const TEAM = "/t/demo-studio";
const PROJECT = `Launch teaser ${Date.now().toString(36)}`;

/** A figure as the page writes it ("12,345", "−250") as a number. */
async function figure(locator: Locator): Promise<number> {
  return Number((await locator.innerText()).replace(/[,\s]/g, "").replace("−", "-"));
}

async function openProject(page: Page) {
  await page.goto(`${TEAM}/projects`);
  await page.getByTestId("project-row").getByRole("link", { name: PROJECT }).click();
  await expect(page.getByRole("heading", { level: 1, name: PROJECT })).toBeVisible();
}

async function recordRun(page: Page, quantity: string) {
  const form = page.getByTestId("record-run-form");
  // A mid-tier model: premium ones need an approval first (e2e/approvals.spec.ts).
  await form.getByLabel("Model").selectOption("sdxl");
  await form.getByLabel("Quantity").fill(quantity);
  await form.getByLabel("Stage").selectOption("final");
  await form.getByLabel("Purpose").selectOption("social_media");
  return form;
}

test("grant, budget, an admitted and settled run, a refused run, and the ledger", async ({ page, browser }) => {
  // The demo studio has months of history: the admin sees its credits, and adds 10,000.
  await signIn(page, DEMO.admin);
  await page.getByRole("navigation", { name: "Team" }).getByRole("link", { name: "Credits" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Credits" })).toBeVisible();
  const available = page.getByTestId("credits-available");
  const before = await figure(available);
  expect(before).toBeGreaterThan(0);
  await expect(page.getByTestId("grant-row").filter({ hasText: "Monthly pool" }).first()).toBeVisible();
  const grant = page.getByTestId("grant-form");
  await grant.getByLabel("Credits").fill("10000");
  await grant.getByLabel("Source").selectOption("Top-up");
  await grant.getByLabel("Note").fill("November top-up");
  await grant.getByRole("button", { name: "Add credits" }).click();
  await expect(page.getByTestId("grant-row").filter({ hasText: "November top-up" })).toContainText("Top-up");
  await expect.poll(() => figure(available)).toBe(before + 10_000);

  // A mistyped correction would leave the team far below zero: the form names the figure and records nothing until confirmed.
  const adjust = page.getByTestId("adjustment-form");
  await adjust.getByLabel("Correction in credits").fill("-99999999");
  await adjust.getByLabel("Reason").fill("Correction of a double top-up");
  await adjust.getByRole("button", { name: "Record adjustment" }).click();
  const confirm = page.getByTestId("adjustment-confirm");
  await expect(confirm).toContainText(`takes the team's available credits to −${(99_999_999 - before - 10_000).toLocaleString("en-US")}`);
  await expect(confirm).toContainText("Nothing has been recorded yet");
  expect(await figure(available)).toBe(before + 10_000);
  // The admin meant 250: corrected, it is recorded without asking.
  await adjust.getByLabel("Correction in credits").fill("-250");
  await adjust.getByRole("button", { name: /Record anyway/ }).click();
  await expect.poll(() => figure(available)).toBe(before + 10_000 - 250);
  await expect(page.getByTestId("ledger-row").filter({ hasText: "Correction of a double top-up" })).toContainText("−250");

  // A new project for the launch teaser, with 1,000 a month and a hard cap.
  await page.goto(`${TEAM}/projects`);
  await page.getByTestId("create-project-form").getByLabel("Project name").fill(PROJECT);
  await page.getByRole("button", { name: "Create project" }).click();
  await expect(page.getByTestId("project-row").filter({ hasText: PROJECT })).toBeVisible();

  await openProject(page);
  await expect(page.getByTestId("no-budget")).toBeVisible();
  const budgetForm = page.getByTestId("budget-form");
  // "1e3" is no whole number as typed: refused at its field, and the period chosen stays chosen.
  await budgetForm.getByLabel("Budget period").selectOption("lifetime");
  await budgetForm.getByLabel("Budget in credits").fill("1e3");
  await budgetForm.getByRole("button", { name: "Set budget" }).click();
  await expect(budgetForm.getByTestId("error-credits")).toContainText("whole number");
  await expect(budgetForm.getByLabel("Budget period")).toHaveValue("lifetime");
  await expect(budgetForm.getByLabel("Budget in credits")).toBeFocused();
  await budgetForm.getByLabel("Budget in credits").fill("1000");
  await budgetForm.getByLabel("Budget period").selectOption("month");
  await expect(budgetForm.getByLabel("Hard cap")).toBeChecked();
  await budgetForm.getByRole("button", { name: "Set budget" }).click();
  await expect(page.getByTestId("budget-bar")).toHaveAttribute("data-tone", "green");
  await expect(page.getByTestId("budget-bar")).toHaveAttribute("aria-valuemax", "1000");

  // A member, in a browser of their own, prices 15 × SDXL while typing, and the ledger admits it.
  const memberContext = await browser.newContext();
  const member = await memberContext.newPage();
  await signIn(member, DEMO.member);
  await openProject(member);
  await expect(member.getByTestId("budget-form")).toHaveCount(0);
  const form = await recordRun(member, "15");
  await expect(form.getByTestId("live-estimate")).toContainText("600");
  await expect(form.getByTestId("live-estimate")).toContainText("SDXL");
  await form.getByRole("button", { name: "Record run" }).click();
  await expect(member.getByTestId("admission-admitted")).toContainText("600 credits are held");
  await expect(member.getByTestId("budget-bar")).toHaveAttribute("aria-valuenow", "600");

  // It cost 850 on the platform: settled at that, it takes the project to 85 % of its budget.
  const hold = member.getByTestId("hold-row");
  await expect(hold).toHaveCount(1);
  await hold.getByRole("button", { name: "Settle" }).click();
  const settle = member.getByRole("dialog", { name: /Settle 15 × SDXL/ });
  await expect(settle.getByLabel("Actual credits")).toHaveValue("600");
  await settle.getByLabel("Actual credits").fill("850");
  await settle.getByLabel("Outcome").selectOption("accepted");
  await settle.getByRole("button", { name: "Settle run" }).click();
  await expect(settle).toBeHidden();
  await expect(hold).toHaveCount(0);
  await expect(member.getByTestId("run-row").first()).toHaveAttribute("data-state", "settled");
  await expect(member.getByTestId("budget-bar")).toHaveAttribute("data-tone", "amber");

  // The same run again needs 600 with only 150 left: refused, with the figures, and nothing held.
  await recordRun(member, "15");
  await form.getByRole("button", { name: "Record run" }).click();
  const denied = member.getByTestId("admission-denied");
  await expect(denied).toContainText("850 of 1,000 used");
  await expect(denied).toContainText("short by 450");
  await expect(member.getByTestId("hold-row")).toHaveCount(0);

  // The member sees their own credit limit on the overview (the demo gives Mia one for the whole team).
  await member.goto(TEAM);
  await expect(member.getByTestId("my-limits")).toContainText("Your credit limit: ");
  // The overview shows Social content's bar in amber.
  await member.goto(TEAM);
  const overviewBar = member.getByTestId("project-budget").filter({ hasText: PROJECT }).getByTestId("budget-bar");
  await expect(overviewBar).toHaveAttribute("data-tone", "amber");
  await expect(overviewBar).toHaveAttribute("aria-valuenow", "850");
  await expect(member.getByRole("meter", { name: `Budget of ${PROJECT}` })).toBeVisible();
  await expect(member.getByRole("navigation", { name: "Team" }).getByRole("link", { name: "Credits" })).toHaveCount(0);
  await memberContext.close();

  // Back with the admin: the ledger has the grant and the charge, and filters by project and kind.
  await page.goto(`${TEAM}/credits`);
  await expect.poll(() => figure(page.getByTestId("credits-available"))).toBe(before + 10_000 - 250 - 850);
  const ledger = page.getByTestId("ledger-row");
  await expect(ledger.filter({ hasText: "+10,000" })).toHaveAttribute("data-kind", "grant");
  const charge = ledger.filter({ hasText: "−850" });
  await expect(charge).toHaveAttribute("data-kind", "charge");
  await expect(charge).toContainText(PROJECT);
  await expect(charge).toContainText("Mia Member");

  const filters = page.getByTestId("ledger-filters");
  await filters.getByLabel("Project").selectOption({ label: PROJECT });
  await filters.getByLabel("Kind").selectOption("charge");
  await filters.getByRole("button", { name: "Filter" }).click();
  await expect(page).toHaveURL(/kind=charge/);
  await expect(ledger).toHaveCount(1);
  await expect(ledger).toHaveAttribute("data-kind", "charge");

  // The projects list shows each project's budget, what this period has used and what is left.
  await page.goto(`${TEAM}/projects`);
  const social = page.getByTestId("project-row").filter({ hasText: PROJECT });
  await expect(social.getByTestId("project-budget")).toContainText("1,000 per month");
  await expect(social.getByTestId("project-used")).toContainText("850");
  await expect(social.getByTestId("project-left")).toContainText("150");
  await expect(social.getByTestId("project-left")).toHaveAttribute("data-tone", "amber");

  // The audit log writes credits as the ledger does.
  await page.goto(`${TEAM}/settings/audit`);
  await expect(page.getByTestId("audit-row").filter({ hasText: "Added 10,000 credits (Top-up)" })).toHaveCount(1);

  // A date that is no date is explained at its field rather than breaking the page.
  await page.goto(`${TEAM}/credits?from=2026-02-31&kind=nonsense`);
  await expect(page.getByTestId("error-from")).toContainText("not a day");
  await expect(page.getByTestId("error-kind")).toContainText("not a kind");
  await expect(ledger.first()).toBeVisible();
  await expect(page.getByTestId("ledger-count")).toContainText("Showing");

  // The project's runs filter explains a state that does not exist at its field, and still lists the runs.
  await openProject(page);
  await page.goto(`${page.url()}?state=paused`);
  await expect(page.getByTestId("error-state")).toContainText("not a run state");
});
