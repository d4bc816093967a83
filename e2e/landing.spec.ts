// Journey: a visitor arrives at the front door, reads what Creditwise is and goes on to sign up or sign in; a signed-in person goes straight to work.
import { expect, test } from "@playwright/test";
import { DEMO, signIn } from "./helpers";

test("the front door says what Creditwise is, leads to sign-up and sign-in, and every page has an icon", async ({ page }) => {
  const missing: string[] = [];
  page.on("response", (response) => {
    if (response.status() === 404) missing.push(response.url());
  });

  const response = await page.goto("/");
  expect(response?.status()).toBe(200);
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await expect(page.getByTestId("landing")).toContainText("credits");
  await expect(page.getByTestId("landing")).toContainText("budget");

  // The browser finds the icon without a 404, under both of its usual names.
  await expect(page.locator('link[rel="icon"]').first()).toBeAttached();
  for (const path of ["/favicon.ico", "/icon.svg"]) {
    const icon = await page.request.get(path);
    expect(icon.status(), path).toBe(200);
    expect(icon.headers()["content-type"], path).toMatch(/image\//);
  }
  expect(missing).toEqual([]);

  await page.getByTestId("landing").getByRole("link", { name: "Create an account" }).click();
  await expect(page).toHaveURL(/\/sign-up$/);
  await expect(page.getByRole("heading", { name: "Create your account" })).toBeVisible();

  await page.goto("/");
  await page.getByRole("navigation", { name: "Account" }).getByRole("link", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/sign-in$/);
  await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();

  // Signed in, the front door leads to the team as before.
  await signIn(page, DEMO.member);
  await page.goto("/");
  await expect(page).toHaveURL(/\/t\/demo-studio$/);
  expect(missing).toEqual([]);
});
