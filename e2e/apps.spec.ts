// Journey: a member builds a three-step app (Flux 2 Dev at 2K → remove the background → upscale ×2) for the web,
// sees its cost per run and the finding that an upscale is wasted on the web; tests it with three outputs, runs each
// final and settles it as accepted; an approver publishes it; another member runs it for a project — a batch appears
// with the right items and estimate — and the app's page shows that run.
import { expect, test, type Browser, type Page } from "@playwright/test";
import { signIn } from "./helpers";

const TEAM = "/t/demo-studio";
const CREATOR = "creator@demo.creditwise.test";
const APPROVER = "approver@demo.creditwise.test";
const MEMBER = "member@demo.creditwise.test";

async function personPage(browser: Browser, email: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await signIn(page, email);
  return page;
}

test("a tested app with a known cost per run, published by an approver and run by the team", async ({ browser }) => {
  const name = `Product shot ${Date.now()}`;
  const creator = await personPage(browser, CREATOR);

  // Build the app: three steps, each priced while typing.
  await creator.goto(`${TEAM}/apps`);
  await creator.getByRole("link", { name: "New app" }).click();
  const editor = creator.getByTestId("app-editor");
  await editor.getByLabel("Name").fill(name);
  await editor.getByLabel("For", { exact: true }).selectOption("web");
  const steps = editor.getByTestId("app-step");
  await steps.nth(0).getByLabel("Model").selectOption("flux-2-dev");
  await steps.nth(0).getByLabel("Resolution").selectOption("2k");
  await editor.getByRole("button", { name: "Add a tool step" }).click();
  await steps.nth(1).getByLabel("Model").selectOption("bg-remover");
  await editor.getByRole("button", { name: "Add a tool step" }).click();
  await steps.nth(2).getByLabel("Model").selectOption("crystal-upscaler");
  await steps.nth(2).getByLabel("Scale").selectOption("2x");
  await expect(editor.getByTestId("app-cost-step")).toHaveCount(3);
  const perOutput = await editor.getByTestId("app-cost-total").textContent();
  expect(perOutput).toMatch(/^[\d,]+ credits$/);
  // An upscale is wasted on the web: the recommendations say so before anyone runs it.
  await expect(editor.locator('[data-testid="app-finding"][data-rule="upscale-web"]')).toBeVisible();

  // A bad default is named at its field and nothing is saved.
  const outputs = editor.locator('[data-testid="app-input"][data-kind="outputs"]');
  await outputs.getByLabel("Default").fill("9");
  await editor.getByRole("button", { name: "Save as a draft" }).click();
  await expect(outputs.getByText("The default must lie between the fewest and the most.")).toBeVisible();
  // The refusal keeps every choice on screen as it is kept in the form (React does not reset it).
  await expect(editor.getByLabel("For", { exact: true })).toHaveValue("web");
  await expect(steps.nth(0).getByLabel("Model")).toHaveValue("flux-2-dev");
  await expect(steps.nth(2).getByLabel("Model")).toHaveValue("crystal-upscaler");
  await expect(steps.nth(2).getByLabel("Scale")).toHaveValue("2x");
  await outputs.getByLabel("Default").fill("1");
  await editor.locator('[data-testid="app-input"][data-kind="prompt"]').getByLabel("Default prompt").fill("A red kite on white");
  await editor.getByRole("button", { name: "Save as a draft" }).click();

  await expect(creator.getByRole("heading", { level: 1, name })).toBeVisible();
  await expect(creator.getByTestId("draft-test-runs")).toContainText("0 of 3 accepted test runs");
  await expect(creator.getByTestId("version-1-cost-total")).toHaveText(perOutput!);
  await expect(creator.locator('[data-testid="app-finding"][data-rule="upscale-web"]')).toBeVisible();
  const appUrl = creator.url();

  // Test it with three outputs: a test batch of three items.
  const testForm = creator.getByTestId("run-test-form");
  await testForm.getByLabel("Project").selectOption({ label: "Print catalogue" });
  await testForm.getByLabel("Outputs").fill("3");
  await testForm.getByRole("button", { name: "Test version 1" }).click();
  await expect(creator.getByRole("heading", { level: 1, name: `${name} (test)` })).toBeVisible();
  await expect(creator.getByText("a test of")).toBeVisible();
  const batchUrl = creator.url();
  for (const n of [1, 2, 3]) {
    await creator.getByRole("link", { name: `${name} ${n}`, exact: true }).click();
    const run = creator.getByTestId("item-run-form");
    await run.getByRole("button", { name: "Record run" }).click();
    await expect(run.getByTestId("admission-admitted")).toBeVisible();
    if (n === 1) {
      // The first output's background removal, recorded as part of its final: it adds to the cost, not to the tests.
      await run.getByLabel("Run").selectOption({ label: "Tool step 1 on the final: BG Remover" });
      await run.getByRole("button", { name: "Record run" }).click();
      await expect(run.getByTestId("admission-admitted")).toContainText("20 credits are held");
    }
    await creator.goto(batchUrl);
  }
  const holds = creator.getByTestId("batch-hold");
  await expect(holds).toHaveCount(4);
  for (let left = 4; left > 0; left--) {
    await holds.first().getByRole("button", { name: "Settle" }).click();
    const settle = creator.getByRole("dialog", { name: /Settle 1 × / });
    await settle.getByLabel("Outcome").selectOption("accepted");
    await settle.getByRole("button", { name: "Settle run" }).click();
    await expect(holds).toHaveCount(left - 1);
  }
  await creator.goto(appUrl);
  await expect(creator.getByTestId("draft-test-runs")).toContainText("3 of 3 accepted test runs: ready for an approver to publish.");
  // A member cannot publish, even their own app.
  await expect(creator.getByRole("button", { name: "Publish version 1" })).toHaveCount(0);

  // The approver publishes it.
  const approver = await personPage(browser, APPROVER);
  await approver.goto(appUrl);
  await approver.getByRole("button", { name: "Publish version 1" }).click();
  await approver.getByRole("dialog", { name: `Publish version 1 of “${name}”?` }).getByRole("button", { name: "Publish" }).click();
  await expect(approver.getByText("Published v1").first()).toBeVisible();

  // Another member finds it in the catalog and runs it for a project with two outputs.
  const member = await personPage(browser, MEMBER);
  await member.goto(`${TEAM}/apps`);
  const row = member.getByTestId("app-row").filter({ hasText: name });
  await expect(row).toContainText("Published v1");
  await expect(row.getByTestId("app-cost-per-run")).toContainText(perOutput!);
  await row.getByRole("link", { name }).click();
  const runForm = member.getByTestId("run-form");
  await runForm.getByLabel("Project").selectOption({ label: "Spring campaign" });
  await runForm.getByLabel("Prompt").fill("A blue kite over the sea");
  await runForm.getByLabel("Outputs").fill("2");
  const perOutputCredits = Number(perOutput!.replace(/[^\d]/g, ""));
  const twoOutputs = `${(perOutputCredits * 2).toLocaleString("en-US")} credits`;
  await expect(runForm.getByTestId("run-cost-total")).toHaveText(twoOutputs);
  await expect(runForm.getByTestId("run-budget")).toContainText("Spring campaign");
  await expect(runForm.getByTestId("run-policy")).toContainText("without an approval");
  // An empty prompt is refused at the prompt, and nothing is made.
  await runForm.getByLabel("Prompt").fill("");
  await runForm.getByRole("button", { name: "Run version 1" }).click();
  await expect(runForm.getByText("Write the prompt.")).toBeVisible();
  await expect(runForm.getByLabel("Project")).toHaveValue(await runForm.getByLabel("Project").locator("option", { hasText: "Spring campaign" }).getAttribute("value") ?? "");
  await expect(runForm.getByLabel("Outputs")).toHaveValue("2");
  await runForm.getByLabel("Prompt").fill("A blue kite over the sea");
  await runForm.getByRole("button", { name: "Run version 1" }).click();

  // The batch: two items following the app's steps, priced as the form said.
  await expect(member).toHaveURL(/\/batches\/[^/]+$/);
  await expect(member.getByRole("heading", { level: 1, name })).toBeVisible();
  await expect(member.getByText(/made by\s+/)).toContainText("version 1");
  await expect(member.getByTestId("batch-progress")).toHaveText("0 / 2");
  await expect(member.getByTestId("batch-total")).toHaveText((perOutputCredits * 2).toLocaleString("en-US"));

  // The app's page lists the run, with who started it.
  await member.goto(appUrl);
  const runs = member.getByTestId("app-batch").filter({ hasNotText: "Test" });
  await expect(runs).toHaveCount(1);
  await expect(runs).toContainText("Spring campaign");
  await expect(runs).toContainText("Mia Member");
  await expect(member.getByTestId("app-batch")).toHaveCount(2);
  await expect(member.getByTestId("app-use-runs")).toHaveText("1");
  await expect(member.getByTestId("app-use-last")).not.toHaveText("Never");
});
