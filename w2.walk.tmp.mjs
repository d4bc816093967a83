import { open, timed, slices } from "./lib.walk.tmp.mjs";
const { browser, page } = await open("member@demo.creditwise.test");
await timed(page, "/t/demo-studio/usage");
console.log(await slices(page, "m-usage-laptop"));
await browser.close();
const m = await open("member@demo.creditwise.test", { width: 390, height: 844, mobile: true });
await timed(m.page, "/t/demo-studio/usage");
console.log(await slices(m.page, "m-usage-phone", 1400));
await m.browser.close();
