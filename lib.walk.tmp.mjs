import { chromium } from "/work/main/node_modules/@playwright/test/index.mjs";
export const BASE = "http://localhost:3460";
export async function open(email, { width = 1280, height = 800, mobile = false } = {}) {
  const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--headless", "--no-sandbox", "--disable-gpu"] });
  const context = await browser.newContext({ viewport: { width, height }, acceptDownloads: true, isMobile: mobile, hasTouch: mobile, deviceScaleFactor: 1 });
  const page = await context.newPage();
  const logs = [];
  page.on("console", (m) => { if (m.type() === "error" || m.type() === "warning") logs.push(`[${m.type()}] ${page.url()} :: ${m.text()}`); });
  page.on("pageerror", (e) => logs.push(`[pageerror] ${page.url()} :: ${e.message}`));
  page.on("response", (r) => { if (r.status() >= 400) logs.push(`[http ${r.status()}] ${r.url()}`); });
  if (email) {
    await page.goto(BASE + "/sign-in");
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill("creditwise-demo");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL((u) => !u.pathname.startsWith("/sign-in"), { timeout: 20000 });
  }
  return { browser, context, page, logs };
}
export async function timed(page, url) {
  const t = Date.now();
  const r = await page.goto(BASE + url, { waitUntil: "networkidle" });
  return { ms: Date.now() - t, status: r?.status() };
}
export async function shot(page, name, full = true) {
  await page.screenshot({ path: `/tmp/walk/${name}.png`, fullPage: full });
}
export async function overflow(page) {
  return page.evaluate(() => ({ sw: document.documentElement.scrollWidth, cw: document.documentElement.clientWidth }));
}
export async function slices(page, name, h = 1100) {
  const { height, width } = await page.evaluate(() => ({ height: document.documentElement.scrollHeight, width: document.documentElement.clientWidth }));
  const out = [];
  for (let y = 0, i = 0; y < height; y += h, i++) {
    const p = `/tmp/walk/${name}-${i}.png`;
    await page.screenshot({ path: p, fullPage: true, clip: { x: 0, y, width, height: Math.min(h, height - y) } });
    out.push(p);
  }
  return out;
}
