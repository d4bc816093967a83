// Journeys: a member prices a video before generating it; an admin changes a price and the estimate follows; the history shows who did it.
import { expect, test, type Page } from "@playwright/test";
import { DEMO, signIn } from "./helpers";

const PRICING = "/t/demo-studio/pricing";

async function openPricing(page: Page, email: string) {
  await signIn(page, email);
  await page.goto(PRICING);
  await expect(page.getByRole("heading", { name: "Pricing", level: 1 })).toBeVisible();
}

test("a member estimates a video and sees the breakdown, without edit controls", async ({ page }) => {
  await openPricing(page, DEMO.member);
  const estimator = page.getByTestId("estimator");
  await estimator.getByLabel("Model").selectOption("veo-3-1");
  await estimator.getByLabel("Duration").selectOption("6");
  await estimator.getByLabel(/How many/).fill("2");

  await expect(estimator.getByTestId("estimate-credits")).toHaveText("6,000 credits");
  await expect(estimator.getByTestId("estimate-breakdown")).toHaveText(
    "Veo 3.1 · 6 s · 1080p: 4,000 × 6/8 = 3,000 credits × 2 = 6,000 credits",
  );
  await expect(estimator.getByTestId("estimate-server")).toHaveText(/Checked on the server against price list v\d+/);

  // A mistake is explained at its field, as the pricing library words it.
  await estimator.getByLabel(/How many/).fill("0");
  await expect(estimator.getByTestId("error-quantity")).toContainText("at least 1");

  // The plan comparison opens on the worked example: 600 against 220.
  await expect(page.getByTestId("plan-written-total")).toHaveText("600");
  await expect(page.getByTestId("plan-alternative-total")).toHaveText("220");
  await expect(page.getByTestId("plan-saving")).toContainText("380 credits (63 %)");

  // Asked for a cheaper plan than five premium iterations, it keeps the final on the premium model: still 220, not 100.
  await page.getByRole("button", { name: "Suggest a cheaper plan" }).click();
  await expect(page.getByTestId("plan-reason")).toHaveText(
    "Run the 5 tests on Qwen Image (20 credits each) instead of Flux 2 Pro (120 credits each), and make the final on Flux 2 Pro.",
  );
  const alternative = page.getByTestId("plan-alternative");
  await expect(alternative.getByLabel("Final runs")).toHaveValue("1");
  await expect(alternative.getByLabel("Finals on")).toHaveValue("flux-2-pro");
  await expect(alternative.getByLabel("Test runs")).toHaveValue("5");
  await expect(alternative.getByLabel("Tests on")).toHaveValue("qwen-image");
  await expect(page.getByTestId("plan-alternative-total")).toHaveText("220");
  await expect(page.getByTestId("plan-saving")).toContainText("380 credits (63 %)");

  // A plan that already tests cheap has nothing cheaper: the alternative becomes the plan itself, not the old suggestion.
  const written = page.getByTestId("plan-written");
  await written.getByLabel("Tests on").selectOption("qwen-image");
  await expect(page.getByTestId("plan-reason")).toHaveCount(0);
  await page.getByRole("button", { name: "Suggest a cheaper plan" }).click();
  await expect(alternative.getByLabel("Tests on")).toHaveValue("qwen-image");
  await expect(page.getByTestId("plan-saving")).toHaveText("Both plans cost the same.");

  // Every cost range says what it covers, computed alike: at default settings, and across every setting.
  const video = page.getByTestId("cost-range-video");
  await expect(video.getByTestId("cost-range-defaults")).toHaveText("60–4,000 credits at default settings");
  await expect(video.getByTestId("cost-range-settings")).toHaveText("30–6,000 with every setting");
  const audio = page.getByTestId("cost-range-audio");
  await expect(audio.getByTestId("cost-range-defaults")).toHaveText("8–48 credits at default settings");
  await expect(audio.getByTestId("cost-range-settings")).toHaveText("8–200 with every setting");
  await expect(page.getByTestId("cost-range-image").getByTestId("cost-range-defaults")).toHaveText("20–600 credits at default settings");
  await expect(page.getByRole("button", { name: /^Edit / })).toHaveCount(0);
  await expect(page.getByTestId("price-list-admin")).toHaveCount(0);
  await expect(page.getByTestId("version-history")).toHaveCount(0);
});

test("an admin raises a price effective now, and the estimate follows", async ({ page }) => {
  await openPricing(page, DEMO.admin);
  const estimator = page.getByTestId("estimator");
  await estimator.getByLabel("Model").selectOption("seedance-lite");
  await expect(estimator.getByTestId("estimate-credits")).toHaveText("300 credits");

  await page.getByTestId("catalog-row-seedance-lite").getByRole("button", { name: "Edit Seedance Lite" }).click();
  const dialog = page.getByRole("dialog", { name: "Edit Seedance Lite" });
  await dialog.getByLabel("Credits per clip").fill("360");
  await expect(dialog.getByLabel("Now")).toBeChecked();
  await dialog.getByLabel("Reason for the change").fill("Platform price rise");
  await dialog.getByRole("button", { name: "Save new version" }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId("toast").first()).toContainText(/Saved price list version \d+; it is in force now/);

  await expect(page.getByTestId("catalog-row-seedance-lite").getByTestId("catalog-credits")).toHaveText("360");
  await expect(estimator.getByTestId("estimate-credits")).toHaveText("360 credits");
  await expect(estimator.getByTestId("estimate-server")).toHaveAttribute("data-state", "confirmed");

  // Members price with the new figure too.
  await page.context().clearCookies();
  await openPricing(page, DEMO.member);
  await page.getByTestId("estimator").getByLabel("Model").selectOption("seedance-lite");
  await expect(page.getByTestId("estimator").getByTestId("estimate-credits")).toHaveText("360 credits");
});

test("the version history shows who changed what, and a bad import changes nothing", async ({ page }) => {
  await openPricing(page, DEMO.owner);
  await page.getByRole("button", { name: "Edit Speech Turbo" }).click();
  const dialog = page.getByRole("dialog", { name: "Edit Speech Turbo" });
  await dialog.getByLabel("Credits per voiceover").fill("10");
  await dialog.getByRole("button", { name: "Save new version" }).click();
  await expect(dialog).toBeHidden();

  await page.context().clearCookies();
  await openPricing(page, DEMO.admin);
  const history = page.getByTestId("version-history");
  const row = history.getByTestId("version-row").filter({ hasText: "Speech Turbo: 8 → 10 credits" });
  await expect(row).toHaveCount(1);
  await expect(row.getByTestId("version-author")).toContainText("Ada Owner");
  await expect(history.getByTestId("version-row").first()).toContainText("In force");
  const versions = await history.getByTestId("version-row").count();

  await page.getByRole("button", { name: "Import JSON" }).click();
  const importer = page.getByRole("dialog", { name: "Import a price list" });
  await importer.getByLabel("Price list file").fill('{\n  "format": "creditwise.price-list",\n  "version": 1,\n  "entries": [\n    {"id": "x"\n  ]\n}');
  await importer.getByRole("button", { name: "Import as new version" }).click();
  await expect(importer.getByTestId("error-json")).toContainText(/Line \d+/);
  await importer.getByRole("button", { name: "Cancel" }).click();
  await page.reload();
  await expect(page.getByTestId("version-history").getByTestId("version-row")).toHaveCount(versions);
});
