// Journey: a member's Veo final is held back for an approval; the member answers the four questions and asks; they
// cannot approve it themselves; the approver sees the count in the nav, reads the cheaper alternative and approves
// with a comment, which holds the credits; the member runs it and settles it. Another approval is left unused: two
// days later (the server's clock moved, not slept) it has expired and its hold is released.
import { expect, test, type Browser, type Page } from "@playwright/test";
import { setClockAhead } from "./clock";
import { DEMO, signIn } from "./helpers";

const TEAM = "/t/demo-studio";
const APPROVER = "approver@demo.creditwise.test";
const CREATOR = "creator@demo.creditwise.test";

async function personPage(browser: Browser, email: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await signIn(page, email);
  return page;
}

async function openProject(page: Page, name: string) {
  await page.goto(`${TEAM}/projects`);
  await page.getByTestId("project-row").getByRole("link", { name }).click();
  await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
}

/** Asks for a Veo 3.1 final on the project page, answers the four questions, and returns the request's address. */
async function requestVeoFinal(page: Page, project: string, note: string): Promise<string> {
  await openProject(page, project);
  const holdsBefore = await page.getByTestId("hold-row").count();
  const form = page.getByTestId("record-run-form");
  await form.getByLabel("Model").selectOption("veo-3-1");
  await form.getByLabel("Quantity").fill("1");
  await form.getByLabel("Stage").selectOption("final");
  await form.getByLabel("Purpose").selectOption("internal_review");
  await form.getByRole("button", { name: "Record run" }).click();

  const needs = page.getByTestId("admission-needs-approval");
  await expect(needs).toContainText("Needs approval: Runs on a premium model. Nothing was held.");
  await expect(needs).toContainText("4,000 credits");
  await expect(page.getByTestId("hold-row")).toHaveCount(holdsBefore);

  await needs.getByRole("button", { name: "Request approval" }).click();
  const dialog = page.getByRole("dialog", { name: "Request approval" });
  // All four questions are required: sent without them, the first is named.
  await dialog.getByRole("button", { name: "Send request" }).click();
  await expect(dialog.getByTestId("error-qualityNeeded")).toBeVisible();
  await dialog.getByLabel("Is this quality needed?").selectOption("yes");
  await dialog.getByLabel("Is video necessary?").selectOption("yes");
  await dialog.getByLabel("Can an existing output be edited instead?").selectOption("no");
  await dialog.getByLabel("Is this the final version?").selectOption("yes");
  await dialog.getByLabel("Notes").fill(note);
  await dialog.getByRole("button", { name: "Send request" }).click();
  const requested = page.getByTestId("approval-requested");
  await expect(requested).toBeVisible();
  await requested.getByRole("link", { name: "the request's page" }).click();
  await expect(page.getByTestId("request-state")).toContainText("Waiting");
  return page.url();
}

async function approve(page: Page, url: string, comment: string) {
  await page.goto(url);
  await page.getByTestId("decide-form").getByLabel("Comment").fill(comment);
  await page.getByTestId("decide-form").getByRole("button", { name: "Approve" }).click();
  await expect(page.getByTestId("request-state")).toContainText("Approved");
}

test.afterAll(() => setClockAhead(0));

test("a premium final is approved, held, run and settled; an unused approval expires and gives its credits back", async ({ page, browser }) => {
  await signIn(page, DEMO.member);
  const requestUrl = await requestVeoFinal(page, "Spring campaign", "Teaser cut for the client review");
  // Nobody decides their own request: the member is offered no decision, only to withdraw.
  await expect(page.getByTestId("decide-form")).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Withdraw" })).toBeVisible();
  await expect(page.getByTestId("request-answers")).toContainText("Is this the final version?");

  // The approver sees what waits for them in the nav, and the request with its cheaper alternative.
  const approver = await personPage(browser, APPROVER);
  const nav = approver.getByRole("navigation", { name: "Team" });
  await expect(nav.getByTestId("approvals-waiting")).toContainText("1 waiting for you");
  await nav.getByRole("link", { name: /Approvals/ }).click();
  const row = approver.getByTestId("approval-row").filter({ hasText: "Mia Member" });
  await expect(row).toContainText("Veo 3.1");
  await row.getByRole("link").first().click();
  await expect(approver.getByTestId("request-estimate")).toContainText("4,000");
  await expect(approver.getByTestId("request-settings")).toHaveText("Duration 8 s · Resolution 1080p");
  const alternatives = approver.getByTestId("finding");
  await expect(alternatives.first()).toBeVisible();
  await expect(alternatives.first()).toContainText(/save/i);
  // A rejection needs a reason; the approver approves instead, with a comment.
  await approver.getByTestId("decide-form").getByRole("button", { name: "Reject" }).click();
  await expect(approver.getByTestId("decide-form").getByTestId("error-comment")).toContainText("Say why");
  await approve(approver, requestUrl, "Go ahead for the client review");
  await expect(approver.getByTestId("request-timeline")).toContainText("Credits held for the run");
  await expect(approver.getByTestId("request-timeline")).toContainText("Ledger: hold placed");
  await expect(nav.getByTestId("approvals-waiting")).toHaveCount(0);

  // The member runs it on the approval's hold and settles it.
  await page.goto(requestUrl);
  await expect(page.getByTestId("request-decisions")).toContainText("Go ahead for the client review");
  await page.getByRole("button", { name: "Run it" }).click();
  await expect(page.getByTestId("admission-admitted")).toContainText("4,000 approved credits are held");
  const hold = page.getByTestId("approved-hold");
  await hold.getByRole("button", { name: "Settle" }).click();
  const settle = page.getByRole("dialog", { name: /Settle 1 × Veo 3\.1/ });
  await expect(settle.getByLabel("Actual credits")).toHaveValue("4000");
  await settle.getByLabel("Outcome").selectOption("accepted");
  await settle.getByRole("button", { name: "Settle run" }).click();
  await expect(settle).toBeHidden();
  await page.reload();
  await expect(page.getByTestId("request-state")).toContainText("Run with this approval and settled at 4,000 credits");
  await expect(page.getByTestId("request-timeline")).toContainText("Ledger: charged");

  // Another approval, for a creator, is never used. Two days on, it has expired and its hold is released.
  const creator = await personPage(browser, CREATOR);
  const unusedUrl = await requestVeoFinal(creator, "Spring campaign", "Alternative ending, in case");
  await approve(approver, unusedUrl, "Fine, if the first one fails");
  await creator.goto(unusedUrl);
  await expect(creator.getByRole("button", { name: "Run it" })).toBeVisible();

  setClockAhead(49);
  // The app's background sweep, or the team's next credit operation, releases it: whichever comes first.
  await expect
    .poll(
      async () => {
        await creator.reload();
        return creator.getByTestId("request-timeline").innerText();
      },
      { timeout: 30_000 },
    )
    .toContain("Ledger: hold released");
  await expect(creator.getByTestId("request-state")).toContainText("The approval expired unused");
  await expect(creator.getByTestId("request-timeline")).toContainText("The approval expired unused; its hold was released");
  await expect(creator.getByRole("button", { name: "Run it" })).toHaveCount(0);
  setClockAhead(0);
});
