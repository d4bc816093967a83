// What a person sees in the browser while PostgreSQL is down, and after: the team's Overview opened with the database
// stopped says so (not a generic apology), and Try again brings the page back once it is up, without a reload.
import { chromium } from "@playwright/test";
import { chromiumPath } from "../../e2e/chromium";
import type { Check } from "./checks";
import type { OwnPostgres } from "./postgres";

export async function outagePageCheck(origin: string, cookie: string, path: string, heading: string, postgres: OwnPostgres, check: Check): Promise<void> {
  const browser = await chromium.launch({ executablePath: chromiumPath(), args: ["--headless", "--no-sandbox", "--disable-gpu"] });
  try {
    const context = await browser.newContext();
    await context.addCookies(
      cookie.split("; ").map((pair) => {
        const at = pair.indexOf("=");
        return { name: pair.slice(0, at), value: pair.slice(at + 1), url: origin };
      }),
    );
    const page = await context.newPage();
    postgres.down();
    try {
      await page.goto(`${origin}${path}`);
      await page.getByRole("heading", { level: 1, name: "The database cannot be reached just now" }).waitFor({ timeout: 15_000 });
      check(true, "a page opened while PostgreSQL is down says the database cannot be reached", (await page.getByRole("status").textContent()) ?? "");
    } catch (error) {
      check(false, "a page opened while PostgreSQL is down says the database cannot be reached", String(error).slice(0, 300));
    } finally {
      postgres.up();
    }
    try {
      await page.getByRole("button", { name: "Try again" }).click();
      await page.getByRole("heading", { level: 1, name: heading }).waitFor({ timeout: 20_000 });
      check(true, "once it is back, Try again shows the page (no reload)");
    } catch (error) {
      check(false, "once it is back, Try again shows the page (no reload)", `${String(error).slice(0, 200)} — page says: ${(await page.locator("main").first().textContent())?.slice(0, 200)}`);
    }
  } finally {
    await browser.close();
  }
}
