// Journey: a producer signs up, creates the studio's team and invites a colleague, who accepts and lands in the team.
import { expect, test } from "@playwright/test";
import { createAccount, uniqueEmail } from "./helpers";

test("sign up, create a team, invite a colleague who accepts and sees the team", async ({ page, browser }) => {
  const producer = { name: "Priya Producer", email: uniqueEmail("priya") };
  await createAccount(page, producer);
  await expect(page).toHaveURL(/\/teams$/);
  await expect(page.getByText("You are not in a team yet")).toBeVisible();

  await page.getByRole("link", { name: "Create a team" }).first().click();
  const slug = `lumen-${Date.now()}`;
  await page.getByLabel("Team name").fill("Lumen Studio");
  await page.getByLabel("Address").fill(slug);
  await page.getByLabel("Time zone").selectOption("Europe/Berlin");
  await page.getByRole("button", { name: "Create team" }).click();
  await expect(page).toHaveURL(new RegExp(`/t/${slug}$`));
  await expect(page.getByRole("heading", { level: 1, name: "Lumen Studio" })).toBeVisible();

  await page.getByRole("navigation", { name: "Team" }).getByRole("link", { name: "Settings" }).click();
  const colleague = { name: "Cole Colleague", email: uniqueEmail("cole") };
  await page.getByLabel("Email").fill(colleague.email);
  await page.getByLabel("Role", { exact: true }).selectOption("member");
  await page.getByRole("button", { name: "Invite" }).click();
  const link = await page.getByTestId("invitation-link").inputValue();
  expect(link).toContain("/invite/");
  await expect(page.getByTestId("invitation-row").filter({ hasText: colleague.email })).toContainText("pending");

  // The colleague, in a browser of their own, opens the link, makes an account and accepts.
  const other = await browser.newContext();
  const colleaguePage = await other.newPage();
  await colleaguePage.goto(link);
  await expect(colleaguePage.getByRole("heading", { name: "Join Lumen Studio" })).toBeVisible();
  await colleaguePage.getByRole("link", { name: "Create an account" }).click();
  await colleaguePage.getByLabel("Name").fill(colleague.name);
  await colleaguePage.getByLabel("Email").fill(colleague.email);
  await colleaguePage.getByLabel("Password").fill("another-long-password");
  await colleaguePage.getByRole("button", { name: "Create account" }).click();
  await expect(colleaguePage.getByTestId("signed-up")).toBeVisible();
  await colleaguePage.getByLabel("Email").fill(colleague.email);
  await colleaguePage.getByLabel("Password").fill("another-long-password");
  await colleaguePage.getByRole("button", { name: "Sign in" }).click();
  await expect(colleaguePage).toHaveURL(/\/invite\//);
  await colleaguePage.getByRole("button", { name: "Accept invitation" }).click();
  await expect(colleaguePage).toHaveURL(new RegExp(`/t/${slug}$`));
  await expect(colleaguePage.getByRole("heading", { level: 1, name: "Lumen Studio" })).toBeVisible();
  await expect(colleaguePage.getByText("You are member here")).toBeVisible();
  await other.close();

  // Back with the producer: the colleague is a member and the audit log says so.
  await page.reload();
  await expect(page.getByTestId("member-row").filter({ hasText: colleague.email })).toBeVisible();
  await page.getByRole("link", { name: "Audit log" }).click();
  await expect(page.getByTestId("audit-row").filter({ hasText: `${colleague.email} accepted the invitation` })).toBeVisible();

  // The log filters by kind of change; an old or mangled page link shows the newest entries instead of failing.
  const audit = new URL(page.url()).pathname;
  const auditFilters = page.getByTestId("audit-filters");
  await auditFilters.getByLabel("Kind of change").selectOption("invitation");
  await auditFilters.getByRole("button", { name: "Filter" }).click();
  await expect(page).toHaveURL(/kind=invitation/);
  await expect(page.getByTestId("audit-row").filter({ hasText: "accepted the invitation" })).toBeVisible();
  await expect(page.getByTestId("audit-row").filter({ hasText: "Created the team" })).toHaveCount(0);
  expect((await page.goto(`${audit}?page=99999999999999999999`))?.status()).toBe(200);
  await expect(page.getByTestId("audit-row").filter({ hasText: "Created the team" })).toBeVisible();
  await page.goto(`${audit}?older=99999999999999999999-garbage!`);
  await expect(page.getByTestId("form-error")).toContainText("not valid");
  await expect(page.getByTestId("audit-row").first()).toBeVisible();
});
