// Journey: someone outside a team finds nothing at its addresses — not even that it exists.
import { expect, test } from "@playwright/test";
import { createAccount, uniqueEmail } from "./helpers";

test("an outsider gets 404 on every team URL, and the API says the same", async ({ page }) => {
  await createAccount(page, { name: "Otto Outsider", email: uniqueEmail("otto") });
  await expect(page).toHaveURL(/\/teams$/);
  for (const path of ["/t/demo-studio", "/t/demo-studio/projects", "/t/demo-studio/settings", "/t/demo-studio/pricing"]) {
    const response = await page.goto(path);
    expect(response?.status(), path).toBe(404);
    await expect(page.getByTestId("not-found")).toBeVisible();
    await expect(page.getByText("Demo Studio")).toHaveCount(0);
  }
  const api = await page.request.get("/api/v1/teams/demo-studio/projects");
  expect(api.status()).toBe(404);

  // Signed out, team pages send you to sign in instead.
  await page.context().clearCookies();
  await page.goto("/t/demo-studio/projects");
  await expect(page).toHaveURL(/\/sign-in\?next=/);
});
