import { open, timed, shot, slices, BASE } from "./lib.walk.tmp.mjs";
const { browser, page, logs } = await open("member@demo.creditwise.test");
await timed(page, "/t/demo-studio/usage");
for (const name of ["range","project","member","model","type","tier","stage","outcome","batch"]) {
  const opts = await page.locator(`[data-testid=usage-filters] select[name=${name}] option`).evaluateAll(os => os.map(o => `${o.value}=${o.textContent}`));
  console.log(name, JSON.stringify(opts));
}
const totals = async () => (await page.locator('[data-testid="usage-totals"]').innerText()).replace(/\n/g," | ");
const desc = async () => page.locator("header p, h1 + p").first().innerText().catch(()=>"?");
const opts = await page.locator(`select[name=range] option`).evaluateAll(os => os.map(o => o.value));
for (const v of opts) {
  if (v === "custom") continue;
  await page.selectOption("select[name=range]", v);
  const t = Date.now();
  await Promise.all([page.waitForURL(/range=/), page.getByRole("button", { name: "Filter", exact: true }).click()]);
  await page.waitForLoadState("networkidle");
  console.log("\nRANGE", v, (Date.now()-t)+"ms", page.url());
  console.log(await desc());
  console.log(await totals());
}
await browser.close();
console.log(logs.join("\n"));
