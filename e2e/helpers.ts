// Steps the journeys share: signing up and signing in through the real forms.
import { expect, type Page } from "@playwright/test";

export const DEMO_PASSWORD = "creditwise-demo";
export const DEMO = {
  owner: "owner@demo.creditwise.test",
  admin: "admin@demo.creditwise.test",
  member: "member@demo.creditwise.test",
  viewer: "viewer@demo.creditwise.test",
};

export function uniqueEmail(prefix: string): string {
  return `${prefix}-${Date.now()}-${Math.floor(Math.random() * 1e6)}@example.test`;
}

export async function signUp(page: Page, person: { name: string; email: string; password?: string }, path = "/sign-up") {
  await page.goto(path);
  await page.getByLabel("Name").fill(person.name);
  await page.getByLabel("Email").fill(person.email);
  await page.getByLabel("Password").fill(person.password ?? "a-long-enough-password");
  await page.getByRole("button", { name: "Create account" }).click();
}

/** Signs up, then signs in on the page sign-up sends everyone to (it never starts a session itself). */
export async function createAccount(page: Page, person: { name: string; email: string; password?: string }, path = "/sign-up") {
  await signUp(page, person, path);
  await expect(page.getByTestId("signed-up")).toBeVisible();
  await page.getByLabel("Email").fill(person.email);
  await page.getByLabel("Password").fill(person.password ?? "a-long-enough-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).not.toHaveURL(/\/sign-in/);
}

export async function signIn(page: Page, email: string, password = DEMO_PASSWORD) {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).not.toHaveURL(/\/sign-in/);
}
