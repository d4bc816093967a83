// Journey: a producer in Berlin signs up, creates the studio's team (in Berlin's time zone without choosing it), invites a colleague twice by mistake, and the colleague joins with the second link.
import { expect, test, type Locator, type Page } from "@playwright/test";
import { createAccount, uniqueEmail } from "./helpers";

test.use({ timezoneId: "Europe/Berlin" });

function overlaps(a: { x: number; y: number; width: number; height: number }, b: { x: number; y: number; width: number; height: number }) {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

/** A toast appears where it covers none of the form's controls, and leaves on its own although the pointer stays on the button. */
async function expectToastClearOf(page: Page, form: Locator, button: Locator) {
  const toast = page.getByTestId("toast").first();
  await expect(toast).toBeVisible();
  await expect(page.getByTestId("toasts")).toHaveAttribute("aria-live", "polite");
  const toastBox = (await toast.boundingBox())!;
  for (const control of await form.locator("input:not([type=hidden]), select, textarea, button").all()) {
    const box = await control.boundingBox();
    if (box) expect(overlaps(toastBox, box), `toast over ${await control.evaluate((element) => element.outerHTML.slice(0, 80))}`).toBe(false);
  }
  const buttonBox = (await button.boundingBox())!;
  await page.mouse.move(buttonBox.x + buttonBox.width / 2, buttonBox.y + buttonBox.height / 2);
  await expect(toast).toBeHidden({ timeout: 8_000 });
}

test("sign up, create a team, invite a colleague who accepts and sees the team", async ({ page, browser }) => {
  const producer = { name: "Priya Producer", email: uniqueEmail("priya") };
  await createAccount(page, producer);
  await expect(page).toHaveURL(/\/teams$/);
  await expect(page.getByText("You are not in a team yet")).toBeVisible();

  await page.getByRole("link", { name: "Create a team" }).first().click();
  const slug = `lumen-${Date.now()}`;
  await page.getByLabel("Team name").fill("Lumen Studio");
  await page.getByLabel("Address").fill(slug);
  // The browser's zone is chosen already, and UTC is offered under its own name.
  const timeZone = page.getByLabel("Time zone");
  await expect(timeZone).toHaveValue("Europe/Berlin");
  await expect(timeZone.locator('option[value="UTC"]')).toHaveText(/^UTC/);
  await page.getByRole("button", { name: "Create team" }).click();
  await expect(page).toHaveURL(new RegExp(`/t/${slug}$`));
  await expect(page.getByRole("heading", { level: 1, name: "Lumen Studio" })).toBeVisible();
  await expect(page.getByText("time zone Europe/Berlin")).toBeVisible();

  await page.getByRole("navigation", { name: "Team" }).getByRole("link", { name: "Settings" }).click();
  await expect(page.getByLabel("Time zone")).toHaveValue("Europe/Berlin");

  // Saving the settings confirms with a toast that covers none of the form and goes away; focus stays on the button.
  const settingsForm = page.locator("form").filter({ has: page.getByLabel("Team name") });
  await settingsForm.getByLabel("Team name").fill("Lumen Studio Berlin");
  const save = settingsForm.getByRole("button", { name: "Save settings" });
  await save.click();
  await expect(page.getByTestId("toast").first()).toContainText("Team settings saved.");
  await expect(save).toBeFocused();
  await expectToastClearOf(page, settingsForm, save);
  await expect(page.getByTestId("toasts")).toHaveAttribute("data-edge", "top");

  // With the button scrolled up to the top of the window, the next toast goes to the other edge instead of onto it.
  await save.evaluate((button) => window.scrollTo(0, button.getBoundingClientRect().top + window.scrollY - 40));
  await save.click();
  await expect(page.getByTestId("toasts")).toHaveAttribute("data-edge", "bottom");
  await expectToastClearOf(page, settingsForm, save);
  await page.evaluate(() => window.scrollTo(0, 0));

  // An empty address is asked for as the invitee's, not "your" address, and focus goes to the field.
  const email = page.getByLabel("Email");
  await page.getByRole("button", { name: "Invite" }).click();
  await expect(page.getByTestId("error-email")).toHaveText(/Enter the email address of the person to invite\./);
  await expect(email).toBeFocused();

  // The first invitation, with the wrong role: the link shows, focused, and no toast covers the form.
  const colleague = { name: "Cole Colleague", email: uniqueEmail("cole") };
  await email.fill(colleague.email);
  await page.getByLabel("Role", { exact: true }).selectOption("viewer");
  await page.getByRole("button", { name: "Invite" }).click();
  const created = page.getByTestId("invitation-created");
  await expect(created).toBeFocused();
  await expect(page.getByTestId("invitation-replaced")).toHaveCount(0);
  const firstLink = await page.getByTestId("invitation-link").inputValue();
  expect(firstLink).toContain("/invite/");
  await expect(page.getByTestId("toast")).toHaveCount(0);
  await expect(email).toHaveValue("");

  // Invited again as a member: the page says the first link stopped working.
  await email.fill(colleague.email);
  await page.getByLabel("Role", { exact: true }).selectOption("member");
  await page.getByRole("button", { name: "Invite" }).click();
  await expect(page.getByTestId("invitation-replaced")).toContainText("the earlier link no longer works");
  await expect(created).toBeFocused();
  const link = await page.getByTestId("invitation-link").inputValue();
  expect(link).not.toBe(firstLink);
  const rows = page.getByTestId("invitation-row").filter({ hasText: colleague.email });
  await expect(rows.filter({ hasText: "pending" })).toHaveCount(1);
  await expect(rows.filter({ hasText: "revoked" })).toHaveCount(1);

  // The colleague, in a browser of their own: the first link is refused, the second one works.
  const other = await browser.newContext();
  const colleaguePage = await other.newPage();
  await colleaguePage.goto(firstLink);
  await expect(colleaguePage.getByText("This invitation was withdrawn")).toBeVisible();
  await colleaguePage.goto(link);
  await expect(colleaguePage.getByRole("heading", { name: "Join Lumen Studio Berlin" })).toBeVisible();
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
  await expect(colleaguePage.getByRole("heading", { level: 1, name: "Lumen Studio Berlin" })).toBeVisible();
  await expect(colleaguePage.getByText("You are member here")).toBeVisible();
  await other.close();

  // Back with the producer: the colleague is a member and the audit log says so, the replaced link included.
  await page.reload();
  await expect(page.getByTestId("member-row").filter({ hasText: colleague.email })).toBeVisible();
  await page.getByRole("link", { name: "Audit log" }).click();
  const audit = page.getByTestId("audit-row");
  await expect(audit.filter({ hasText: `${colleague.email} accepted the invitation` })).toBeVisible();
  await expect(audit.filter({ hasText: `Invited ${colleague.email} again; the earlier link no longer works` })).toHaveCount(1);

  // The log filters by kind of change; an old or mangled page link shows the newest entries instead of failing.
  const auditPath = new URL(page.url()).pathname;
  const auditFilters = page.getByTestId("audit-filters");
  await auditFilters.getByLabel("Kind of change").selectOption("invitation");
  await auditFilters.getByRole("button", { name: "Filter" }).click();
  await expect(page).toHaveURL(/kind=invitation/);
  await expect(audit.filter({ hasText: "accepted the invitation" })).toBeVisible();
  await expect(audit.filter({ hasText: "Created the team" })).toHaveCount(0);
  expect((await page.goto(`${auditPath}?page=99999999999999999999`))?.status()).toBe(200);
  await expect(audit.filter({ hasText: "Created the team" })).toBeVisible();
  await page.goto(`${auditPath}?older=99999999999999999999-garbage!`);
  await expect(page.getByTestId("form-error")).toContainText("not valid");
  await expect(audit.first()).toBeVisible();
});
