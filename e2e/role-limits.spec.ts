// Journey: a member works in the team but cannot open its admin settings.
import { expect, test } from "@playwright/test";
import { DEMO, signIn } from "./helpers";

test("a member sees the team but not its admin settings", async ({ page }) => {
  await signIn(page, DEMO.member);
  await expect(page).toHaveURL(/\/t\/demo-studio$/);
  const nav = page.getByRole("navigation", { name: "Team" });
  await expect(nav.getByRole("link", { name: "Projects" })).toBeVisible();
  await expect(nav.getByRole("link", { name: "Settings" })).toHaveCount(0);

  expect((await page.goto("/t/demo-studio/settings"))?.status()).toBe(403);
  await expect(page.getByTestId("forbidden")).toBeVisible();
  await expect(page.getByTestId("member-row")).toHaveCount(0);
  expect((await page.goto("/t/demo-studio/settings/audit"))?.status()).toBe(403);
  await expect(page.getByTestId("forbidden")).toBeVisible();

  // Members read projects but have no controls to change them.
  await page.goto("/t/demo-studio/projects");
  await expect(page.getByTestId("project-row").first()).toBeVisible();
  await expect(page.getByTestId("create-project-form")).toHaveCount(0);
});
