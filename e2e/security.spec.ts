// Journeys: the app's security headers and scripts under its policy; sign-in never leaves the site but keeps deep links; a password change signs out the other browsers.
import { expect, test, type Page } from "@playwright/test";
import { DEMO, DEMO_PASSWORD, createAccount, uniqueEmail } from "./helpers";

/** Signs in on the sign-in page the app sent us to, keeping its `next`. */
async function signInHere(page: Page, email: string, password = DEMO_PASSWORD) {
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

test("pages carry a nonce policy that forbids framing, scripts still run, and the API has its own headers", async ({ page, baseURL }) => {
  const violations: string[] = [];
  page.on("console", (message) => {
    if (/Content Security Policy|Refused to (execute|load)/i.test(message.text())) violations.push(message.text());
  });
  const response = await page.goto("/sign-in");
  const headers = response!.headers();
  const policy = headers["content-security-policy"];
  expect(policy).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
  expect(policy).toContain("frame-ancestors 'none'");
  expect(policy).not.toMatch(/script-src[^;]*'unsafe-inline'/);
  expect(headers["x-content-type-options"]).toBe("nosniff");
  expect(headers["referrer-policy"]).toBe("same-origin");
  expect(headers["x-frame-options"]).toBe("DENY");
  expect(headers["strict-transport-security"]).toMatch(/^max-age=\d+/); // `npm start` is production
  const nonce = /'nonce-([^']+)'/.exec(policy)![1];
  expect((await page.goto("/sign-in"))!.headers()["content-security-policy"]).not.toContain(nonce);

  // Next's scripts carry the nonce and run: the form works through its server action.
  await signInHere(page, DEMO.viewer);
  await expect(page).toHaveURL(/\/t\/demo-studio$/);
  await page.getByRole("navigation", { name: "Team" }).getByRole("link", { name: "Projects" }).click();
  await expect(page).toHaveURL(/\/t\/demo-studio\/projects$/); // client-side navigation: the app hydrated
  expect(violations).toEqual([]);

  // Markup injected into the page cannot run script: inline handlers carry no nonce.
  const ran = await page.evaluate(async () => {
    document.body.insertAdjacentHTML("beforeend", `<img src="/not-an-image.png" onerror="window.__injected = true">`);
    await new Promise((resolve) => setTimeout(resolve, 500));
    return (window as unknown as { __injected?: boolean }).__injected === true;
  });
  expect(ran).toBe(false);
  expect(violations.some((text) => /inline event handler|script-src/i.test(text))).toBe(true);
  violations.length = 0;

  const api = await page.request.get("/api/v1/teams/demo-studio/projects");
  expect(api.status()).toBe(200);
  expect(api.headers()["content-security-policy"]).toContain("default-src 'none'");
  expect(api.headers()["x-content-type-options"]).toBe("nosniff");
  expect(baseURL).toBeTruthy();
});

test("no `next` takes a person off the site, before or after signing in", async ({ page, baseURL }) => {
  const origin = new URL(baseURL!).origin;
  const tricks = ["/%09/evil.example", "//evil.example", "/%5Cevil.example", "https://evil.example", "/.//evil.example", "%2F%2Fevil.example"];
  await page.goto(`/sign-in?next=${tricks[0]}`);
  await signInHere(page, DEMO.viewer);
  await expect(page).not.toHaveURL(/\/sign-in/);
  expect(new URL(page.url()).origin).toBe(origin);

  // Signed in, the sign-in page forwards at once: still only within the site.
  for (const next of tricks) {
    await page.goto(`/sign-in?next=${next}`);
    await expect(page).not.toHaveURL(/\/sign-in/);
    expect(new URL(page.url()).origin, next).toBe(origin);
  }
});

test("a deep link survives signing in: pricing and a project page", async ({ page }) => {
  await page.goto("/t/demo-studio/pricing");
  await expect(page).toHaveURL(/\/sign-in\?next=%2Ft%2Fdemo-studio%2Fpricing$/);
  await signInHere(page, DEMO.member);
  await expect(page).toHaveURL(/\/t\/demo-studio\/pricing$/);

  await page.goto("/t/demo-studio/projects");
  const projectPath = await page.getByTestId("project-row").first().getByRole("link").first().getAttribute("href");
  expect(projectPath).toMatch(/^\/t\/demo-studio\/projects\/[^/]+$/);
  await page.context().clearCookies();
  await page.goto(`${projectPath}?kind=charge`);
  await expect(page).toHaveURL(/\/sign-in\?next=/);
  await signInHere(page, DEMO.member);
  await expect(page).toHaveURL(new RegExp(`${projectPath}\\?kind=charge$`));
});

test("a member gets 403 with the friendly page on an admin page", async ({ page }) => {
  await page.goto("/t/demo-studio/settings");
  await signInHere(page, DEMO.member);
  await expect(page).toHaveURL(/\/t\/demo-studio\/settings$/);
  for (const path of ["/t/demo-studio/settings", "/t/demo-studio/settings/audit", "/t/demo-studio/credits"]) {
    const response = await page.goto(path);
    expect(response?.status(), path).toBe(403);
    await expect(page.getByTestId("forbidden")).toContainText("you are member in this team");
    // Inside the team's frame, with the way back.
    await expect(page.getByRole("navigation", { name: "Team" })).toBeVisible();
    await expect(page.getByRole("link", { name: "Back to the team's overview" })).toHaveAttribute("href", "/t/demo-studio");
  }
});

test("changing the password signs out every other browser and keeps this one", async ({ page, browser }) => {
  const person = { name: "Sam Sessions", email: uniqueEmail("sam"), password: "the-first-long-password" };
  await createAccount(page, person);
  const phone = await browser.newContext();
  const phonePage = await phone.newPage();
  await phonePage.goto("/account");
  await signInHere(phonePage, person.email, person.password);
  await expect(phonePage).toHaveURL(/\/account$/);

  await page.goto("/account");
  await page.getByLabel("Current password").fill(person.password);
  await page.getByRole("textbox", { name: "New password", exact: true }).fill("the-second-long-password");
  await page.getByLabel("Repeat the new password").fill("the-second-long-password");
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page.getByText("Your other sessions have ended.")).toBeVisible();

  // This browser carries on; the other one is asked to sign in again.
  await page.goto("/teams");
  await expect(page).toHaveURL(/\/teams$/);
  await phonePage.goto("/teams");
  await expect(phonePage).toHaveURL(/\/sign-in\?next=%2Fteams$/);
  await signInHere(phonePage, person.email, "the-second-long-password");
  await expect(phonePage).toHaveURL(/\/teams$/);
  await phone.close();
});
