// Journey: an admin makes an API key for a script and copies its secret, shown this once; the script estimates a run
// with it; the admin revokes it and the script's next call is refused. Anyone can read the API reference, offline.
import { expect, test } from "@playwright/test";
import { DEMO, signIn } from "./helpers";

const TEAM = "demo-studio";

test("an admin makes a key, a script uses it, the admin revokes it and the script is refused", async ({ page, request }) => {
  await signIn(page, DEMO.admin);
  await page.goto(`/t/${TEAM}/settings`);
  const form = page.getByTestId("create-api-key-form");

  // Sent empty, the form says what each field needs, at the field.
  await form.getByRole("button", { name: "Create key" }).click();
  await expect(form.getByTestId("error-name")).toContainText("Name the key");
  await expect(form.getByTestId("error-scopes")).toContainText("Choose at least one scope");

  // Refused again for its name alone, the form keeps the scope that was ticked.
  await form.getByLabel(/Estimate runs and read the price list/).check();
  await form.getByRole("button", { name: "Create key" }).click();
  await expect(form.getByTestId("error-scopes")).toHaveCount(0);
  await expect(form.getByTestId("error-name")).toBeVisible();
  await expect(form.getByLabel(/Estimate runs and read the price list/)).toBeChecked();

  const name = `Render farm ${Date.now()}`;
  await form.getByLabel("Name").fill(name);
  await form.getByLabel(/Admit, settle and release runs/).check();
  await form.getByLabel("Project").selectOption({ label: "Spring campaign" });
  await form.getByRole("button", { name: "Create key" }).click();

  const created = page.getByTestId("api-key-created");
  await expect(created).toContainText("it will not be shown again");
  await expect(created).toBeFocused();
  const secret = await created.getByTestId("api-key-secret").inputValue();
  expect(secret).toMatch(/^cwk_[A-Za-z0-9_-]{43}$/);
  // The form is ready for another key; one refused meanwhile does not take the secret off the screen.
  await expect(form.getByLabel("Name")).toHaveValue("");
  await expect(form.getByLabel(/Estimate runs and read the price list/)).not.toBeChecked();
  await form.getByRole("button", { name: "Create key" }).click();
  await expect(form.getByTestId("error-name")).toBeVisible();
  await expect(created.getByTestId("api-key-secret")).toHaveValue(secret);

  const row = page.getByTestId("api-key-row").filter({ hasText: name });
  await expect(row.getByTestId("api-key-shown")).toHaveText(`${secret.slice(0, 12)}…`);
  await expect(row).toContainText("Estimate runs and read the price list");
  await expect(row).toContainText("Admit, settle and release runs");
  await expect(row).toContainText("Spring campaign");
  await expect(row.getByTestId("api-key-until")).toHaveText("until revoked");
  await expect(row).toHaveAttribute("data-state", "active");

  // After a reload the secret is gone for good: only its first characters remain, in the list.
  await page.reload();
  await expect(page.getByTestId("api-key-created")).toHaveCount(0);
  expect(await page.content()).not.toContain(secret.slice(12));
  await expect(row.getByTestId("api-key-shown")).toHaveText(`${secret.slice(0, 12)}…`);
  await expect(row.getByTestId("api-key-last-used")).toHaveText("Never");

  // A script, with nothing but the key (no session), estimates a run.
  const estimate = () =>
    request.post(`/api/v1/teams/${TEAM}/estimate`, {
      headers: { Authorization: `Bearer ${secret}` },
      data: { modelId: "flux-2-pro", quantity: 1 },
    });
  const answered = await estimate();
  expect(answered.status()).toBe(200);
  expect(await answered.json()).toMatchObject({ modelId: "flux-2-pro", quantity: 1, credits: expect.any(Number), breakdown: expect.any(String) });
  await page.reload();
  await expect(row.getByTestId("api-key-last-used")).toContainText("from ");

  // Revoked after a confirm step, the key's very next call is refused.
  await row.getByRole("button", { name: `Revoke ${name}` }).click();
  const dialog = page.getByRole("dialog", { name: `Revoke “${name}”?` });
  await expect(dialog).toContainText("stops working at once");
  await dialog.getByRole("button", { name: "Revoke key" }).click();
  await expect(dialog).toBeHidden();
  await expect(row).toHaveAttribute("data-state", "revoked");
  await expect(row.getByRole("button", { name: `Revoke ${name}` })).toHaveCount(0);
  const refused = await estimate();
  expect(refused.status()).toBe(401);
  expect(await refused.json()).toMatchObject({ code: "unauthenticated", detail: expect.stringContaining("revoked") });

  // The audit log tells both.
  await page.goto(`/t/${TEAM}/settings/audit?kind=api_key`);
  const entries = page.getByTestId("audit-row");
  await expect(entries.nth(0)).toContainText(`Revoked the API key “${name}” (${secret.slice(0, 12)}…)`);
  await expect(entries.nth(1)).toContainText(`Made the API key “${name}” (${secret.slice(0, 12)}…) with the scopes estimate, runs:write, limited to one project`);

  // The settings page leads to the API reference.
  await page.goto(`/t/${TEAM}/settings`);
  await page.getByRole("link", { name: "API reference" }).click();
  await expect(page).toHaveURL(/\/docs\/api/);
  await expect(page.getByRole("heading", { name: "Creditwise API", level: 1 })).toBeVisible();
});

test("anyone can read the API reference, and it loads nothing from other sites", async ({ page }) => {
  const elsewhere: string[] = [];
  page.on("request", (sent) => {
    const url = new URL(sent.url());
    if (url.protocol.startsWith("http") && url.hostname !== "localhost") elsewhere.push(sent.url());
  });
  const refusals: string[] = [];
  page.on("console", (message) => {
    if (/Content Security Policy|Refused to/i.test(message.text())) refusals.push(message.text());
  });
  page.on("pageerror", (error) => refusals.push(error.message));

  await page.goto("/docs/api");
  await expect(page.getByRole("heading", { name: "Creditwise API", level: 1 })).toBeVisible();
  // Operations further down render as they come into view: the sidebar brings one there.
  await page.getByRole("complementary", { name: /Sidebar/ }).getByRole("link", { name: /Estimate a run/ }).click();
  await expect(page.getByRole("heading", { name: "Estimate a run", level: 3 })).toBeVisible();
  await expect(page).toHaveURL(/#tag\/pricing\/POST/);
  // Nothing that would talk to Scalar's servers: no request client, no AI agent.
  await expect(page.getByRole("button", { name: /Test Request/i })).toHaveCount(0);
  await expect(page.getByRole("button", { name: /Ask AI/i })).toHaveCount(0);
  expect(elsewhere).toEqual([]);
  expect(refusals).toEqual([]);
});
