// Journey: mistakes in forms are explained beside the field, focus lands on the first of them, and nothing is saved.
import { expect, test } from "@playwright/test";
import { DEMO, signIn, signUp, uniqueEmail } from "./helpers";

test("a bad sign-up shows its errors at the fields and creates no account", async ({ page }) => {
  await signUp(page, { name: "", email: "not-an-email", password: "short" });
  await expect(page.getByTestId("error-name")).toContainText("Enter your name");
  await expect(page.getByTestId("error-email")).toContainText("valid email");
  await expect(page.getByTestId("error-password")).toContainText("at least 10");
  // Focus goes to the first field in error, not to <body>.
  await expect(page.getByLabel("Name")).toBeFocused();
  await expect(page.getByLabel("Email")).toHaveValue("not-an-email");
  await expect(page).toHaveURL(/\/sign-up/);

  // Signing up twice with one address gets the same answer as the first time, so the form tells
  // no one which emails have accounts; the second password does not open the first account.
  const email = uniqueEmail("twice");
  await signUp(page, { name: "First", email });
  await expect(page.getByTestId("signed-up")).toBeVisible();
  const firstAnswer = page.url();
  await signUp(page, { name: "Second", email: email.toUpperCase(), password: "a-different-password" });
  await expect(page.getByTestId("signed-up")).toBeVisible();
  expect(page.url()).toBe(firstAnswer);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("a-different-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByTestId("error-password")).toContainText("do not match");
});

test("a wrong password is refused at the field", async ({ page }) => {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(DEMO.viewer);
  await page.getByLabel("Password").fill("not-the-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByTestId("error-password")).toContainText("do not match");
  await expect(page.getByLabel("Password")).toBeFocused();
  await expect(page).toHaveURL(/\/sign-in/);
});

test("bad team and project input is explained and changes nothing", async ({ page }) => {
  await signIn(page, DEMO.admin);
  await page.goto("/t/demo-studio/projects");
  const rows = page.getByTestId("project-row");
  const before = await rows.count();
  const form = page.getByTestId("create-project-form");
  await form.getByLabel("Project name").fill("x");
  await form.getByRole("button", { name: "Create project" }).click();
  await expect(page.getByTestId("error-name")).toContainText("at least 2");
  await expect(form.getByLabel("Project name")).toBeFocused();
  await form.getByLabel("Project name").fill("spring CAMPAIGN");
  await form.getByRole("button", { name: "Create project" }).click();
  await expect(page.getByTestId("error-name")).toContainText("already has this name");
  await expect(rows).toHaveCount(before);

  await page.goto("/teams/new");
  await page.getByLabel("Team name").fill("Demo again");
  await page.getByLabel("Address").fill("demo-studio");
  await page.getByRole("button", { name: "Create team" }).click();
  await expect(page.getByTestId("error-slug")).toContainText("already uses this address");
  await page.getByLabel("Address").fill("Bad Slug!");
  await page.getByRole("button", { name: "Create team" }).click();
  await expect(page.getByTestId("error-slug")).toContainText("lowercase letters");
  // The name is fine, so the address is the first field in error.
  await expect(page.getByLabel("Address")).toBeFocused();

  // Inviting someone already in the team is refused at the email field.
  await page.goto("/t/demo-studio/settings");
  await page.getByLabel("Email").fill(DEMO.member);
  await page.getByRole("button", { name: "Invite" }).click();
  await expect(page.getByTestId("error-email")).toContainText("already a member");
  await expect(page.getByLabel("Email")).toBeFocused();
});
