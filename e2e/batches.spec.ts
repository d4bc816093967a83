// Journey: a member plans a campaign batch of six assets, sees what the planning rules would change and save,
// applies the savings, watches the totals drop to the figures the rules promise, records a test run from an item,
// and downloads the batch as CSV.
import { readFileSync } from "node:fs";
import { expect, test, type Page } from "@playwright/test";
import { DEMO, signIn } from "./helpers";

type Step = { model: string; count: string };
type Asset = {
  title: string;
  output: "image" | "video" | "audio";
  purpose: string;
  prompt: string;
  tests?: Step;
  finals?: Step;
  tool?: Step;
  flags?: string[];
};

async function addItem(page: Page, asset: Asset) {
  const form = page.getByTestId("add-item-form");
  await form.getByRole("textbox", { name: "Title", exact: true }).fill(asset.title);
  await form.getByLabel("Output type", { exact: true }).selectOption(asset.output);
  await form.getByLabel("Purpose", { exact: true }).selectOption(asset.purpose);
  await form.getByLabel("Prompt").fill(asset.prompt);
  const tests = form.getByTestId("plan-tests");
  const finals = form.getByTestId("plan-finals");
  if (asset.tests) {
    await tests.getByRole("button", { name: "Add test iterations" }).click();
    await tests.getByLabel("Model").selectOption(asset.tests.model);
    await tests.getByLabel(/How many/).fill(asset.tests.count);
  }
  if (asset.finals) {
    await finals.getByLabel("Model").selectOption(asset.finals.model);
    await finals.getByLabel(/How many/).fill(asset.finals.count);
  } else {
    await finals.getByRole("button", { name: "No finals" }).click();
  }
  if (asset.tool) {
    const tools = form.getByTestId("plan-tools");
    await tools.getByRole("button", { name: "Add a tool step" }).click();
    await tools.getByLabel("Model").last().selectOption(asset.tool.model);
    await tools.getByLabel(/How many/).last().fill(asset.tool.count);
  }
  for (const flag of asset.flags ?? []) await form.getByLabel(flag).check();
  await form.getByRole("button", { name: "Add item" }).click();
  await expect(page.getByTestId("item-row").filter({ hasText: asset.title })).toBeVisible();
}

const ASSETS: Asset[] = [
  // The seed's worked example: five iterations on the premium model and nothing cheaper to test on.
  { title: "Hero key visual", output: "image", purpose: "final_delivery", prompt: "Sunlit studio shot of the spring bottle", tests: { model: "flux-2-pro", count: "5" } },
  { title: "Teaser concept check", output: "video", purpose: "internal_review", prompt: "Petals falling past the bottle, slow push in", finals: { model: "veo-3-1", count: "1" } },
  { title: "Draft voiceover", output: "audio", purpose: "internal_review", prompt: "Spring is in the air, read warmly", finals: { model: "speech-hd", count: "1" } },
  { title: "Print poster", output: "image", purpose: "print", prompt: "Poster layout of the bottle among blossoms", finals: { model: "flux-2-pro", count: "1" } },
  { title: "Social post", output: "image", purpose: "social_media", prompt: "Square crop of the bottle on pastel", finals: { model: "flux-2-dev", count: "1" } },
  {
    title: "Web banner",
    output: "image",
    purpose: "web",
    prompt: "Wide banner of blossoms with space for text",
    finals: { model: "flux-2-dev", count: "1" },
    tool: { model: "crystal-upscaler", count: "1" },
    flags: ["Web only"],
  },
];

test("a member plans a campaign batch, applies the findings, records a test run and downloads the CSV", async ({ page }) => {
  test.setTimeout(180_000);
  await signIn(page, DEMO.member);
  await page.goto("/t/demo-studio/batches");
  await expect(page.getByRole("heading", { name: "Batches", level: 1 })).toBeVisible();

  const create = page.getByTestId("create-batch-form");
  await create.getByLabel("Project").selectOption({ label: "Spring campaign" });
  const name = `Campaign assets ${Date.now()}`;
  await create.getByLabel("Batch name").fill(name);
  await create.getByRole("button", { name: "Create batch" }).click();
  await expect(page.getByRole("heading", { name, level: 1 })).toBeVisible();

  for (const asset of ASSETS) await addItem(page, asset);

  // As planned: 600 + 4,000 + 40 + 120 + 50 + 1,050 = 5,860.
  await expect(page.getByTestId("batch-total")).toHaveText("5,860");
  const findingOf = (title: string) => page.locator(`[data-testid="finding"][data-item="${title}"]`);
  await expect(findingOf("Hero key visual")).toContainText("600 → 220");
  await expect(findingOf("Hero key visual")).toContainText("saves 380 credits (63 %)");
  await expect(findingOf("Teaser concept check")).toContainText("4,000 → 60");
  await expect(findingOf("Draft voiceover")).toContainText("40 → 8");
  await expect(findingOf("Web banner").first()).toContainText("saves 1,000 credits");
  // Print without an upscale is a quality warning with its cost, not a saving.
  const print = findingOf("Print poster");
  await expect(print).toHaveAttribute("data-kind", "quality");
  await expect(print.getByTestId("finding-costs")).toBeVisible();
  await expect(page.getByTestId("could-save")).toContainText("5,352 credits");

  // Apply every saving, one click each, until none is left.
  const savings = page.locator('[data-testid="finding"][data-kind="saving"]');
  for (let applied = 0; (await savings.count()) > 0; applied++) {
    expect(applied).toBeLessThan(10);
    const count = await savings.count();
    await savings.first().getByTestId("apply-finding").click();
    await expect(savings).toHaveCount(count - 1);
  }
  await expect(page.getByTestId("batch-total")).toHaveText("508");
  await expect(print).toHaveAttribute("data-kind", "quality");

  // Record a test run from the hero item: five iterations now on Qwen Image.
  await page.getByRole("link", { name: "Hero key visual" }).click();
  await expect(page.getByTestId("item-total")).toHaveText("220");
  const run = page.getByTestId("item-run-form");
  await expect(run.getByLabel("Run")).toHaveValue("test");
  await expect(run.getByTestId("item-run-estimate")).toContainText("20");
  await run.getByRole("button", { name: "Record run" }).click();
  await expect(run.getByTestId("admission-admitted")).toContainText("20 credits are held");
  await expect(page.getByTestId("item-status")).toHaveText("Testing");
  await expect(page.getByTestId("item-run")).toHaveCount(1);

  // The CSV has every item with its plan, estimate and status.
  await page.getByRole("link", { name: `← ${name}` }).click();
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("export-csv").click()]);
  const csv = readFileSync((await download.path())!, "utf8");
  for (const asset of ASSETS) expect(csv).toContain(asset.title);
  expect(csv).toContain("Testing");
  expect(csv.split(/\r?\n/).filter(Boolean)).toHaveLength(ASSETS.length + 1);
});
