// Runs linked to an app's items by other paths than the item's own form — an approval request, a tool step, the API —
// follow the same rules: only the tester runs a test, only the app's steps, and only an output's final makes it done.
import { beforeEach, expect, it } from "vitest";
import { createRequest, decideRequest, runApproved } from "@/lib/approvals/request-commands";
import type { TeamContext } from "@/lib/authz/team";
import { recordItemRun, setItemStatus } from "@/lib/batches/commands";
import { db } from "@/lib/db/client";
import { addGrant, settleRun } from "@/lib/ledger/commands";
import { apiClient, makeApiKey } from "@/test/api";
import { ANSWERS } from "@/test/approvals";
import { appTestItem, publishedApp } from "@/test/apps";
import { describeEachDatabase } from "@/test/db";
import { contextOf } from "@/test/results";
import { makeTeam, makeUser, withoutApprovals, type TeamFixture } from "@/test/fixtures";
import { runApp } from "./commands";
import { acceptedTestRuns, getApp } from "./queries";

/** A policy under which every final needs one approver's approval (saved as an admin's edit would be). */
async function finalsNeedApproval(teamId: string): Promise<void> {
  const latest = await db().approvalPolicyVersion.findFirst({ where: { teamId }, orderBy: { version: "desc" }, select: { version: true } });
  await db().approvalPolicyVersion.create({
    data: {
      teamId,
      version: (latest?.version ?? 0) + 1,
      rules: [{ id: "finals", name: "Every final", when: { stages: ["final"] }, require: { kind: "approval", approvals: 1, approvers: { kind: "role" }, validHours: 24 } }],
      pendingDays: 7,
    },
  });
}

describeEachDatabase("review 2 of the apps mends", () => {
  let fixture: TeamFixture;
  let member: TeamContext;
  let approver: TeamContext;
  let admin: TeamContext;

  beforeEach(async () => {
    fixture = await makeTeam();
    member = contextOf(fixture, "member");
    approver = contextOf(fixture, "approver");
    admin = contextOf(fixture, "admin");
    await addGrant(admin, { amount: 1_000_000, source: "Top-up", note: "" });
  });


  it("a settled tool step (tool:0) alone does not let an app item be marked done", async () => {
    await withoutApprovals(fixture.team.id);
    const { appId } = await publishedApp(fixture);
    const { batchId } = await runApp(member, { appId, projectId: fixture.projectId, values: { variants: 1 }, test: false });
    const [item] = await db().batchItem.findMany({ where: { batchId } });
    // Only the background remover is recorded and settled: no output was ever generated on the first step.
    const tool = await recordItemRun(member, { itemId: item.id, stage: "tool:0", quantity: 1, notes: "" });
    if (tool.status !== "admitted") throw new Error(tool.status);
    await settleRun(member, { runId: tool.runId, actual: tool.estimate, outcome: "accepted" });
    const run = await db().run.findUniqueOrThrow({ where: { id: tool.runId }, select: { stage: true, modelId: true } });
    expect(run).toEqual({ stage: "final", modelId: "bg-remover" });
    // "done needs a settled final run" — a tool step is not the final.
    await expect(setItemStatus(member, { itemId: item.id, version: item.version, status: "done" })).rejects.toMatchObject({ message: expect.stringMatching(/final run/) });
  });

  it("someone other than the tester cannot link a run to a draft's test item through an approval request", async () => {
    await finalsNeedApproval(fixture.team.id);
    const { appId, item } = await appTestItem(fixture);
    const other = await makeUser();
    await db().membership.create({ data: { teamId: fixture.team.id, userId: other.id, role: "member" } });
    const otherCtx: TeamContext = { user: other, team: fixture.team, role: "member" };
    // recordItemRun refuses them (the mend) …
    await expect(recordItemRun(otherCtx, { itemId: item.id, stage: "final", quantity: 1, notes: "" })).rejects.toMatchObject({ code: "forbidden" });
    // … but the approval path takes the same item, any model: expected refused as forbidden.
    let linked = false;
    try {
      const { requestId } = await createRequest(otherCtx, {
        projectId: fixture.projectId,
        batchItemId: item.id,
        modelId: "flux-2-dev",
        settings: { resolution: "2k" },
        quantity: 1,
        stage: "final",
        purpose: "print",
        notes: "",
        answers: ANSWERS,
      });
      const decided = await decideRequest(approver, { requestId, decision: "approve", comment: "" });
      const used = await runApproved(otherCtx, { requestId });
      if (used.status !== "admitted") throw new Error(used.status);
      await settleRun(otherCtx, { runId: used.runId, actual: 100, outcome: "accepted" });
      linked = (await db().run.count({ where: { id: decided.holdRunId!, batchItemId: item.id, userId: other.id } })) === 1;
    } catch (error) {
      expect(error).toMatchObject({ code: "forbidden" });
    }
    // What it does now: the other member's run sits on the test item and shows in the test batch's figures.
    const detail = await getApp(fixture.team.id, appId);
    const testBatch = detail!.batches.find((batch) => batch.test)!;
    expect({ linked, runs: testBatch.runs, accepted: testBatch.accepted }).toEqual({ linked: false, runs: 0, accepted: 0 });
  });

  it("an approval request for an app item on other settings than the app's is refused; the gate counts the app's settings only", async () => {
    await finalsNeedApproval(fixture.team.id);
    const { versionId, item } = await appTestItem(fixture);
    // The draft makes Flux 2 Dev at 2K; the tester asks for a cheaper 1K final linked to the test item.
    await expect(
      createRequest(member, {
        projectId: fixture.projectId,
        batchItemId: item.id,
        modelId: "flux-2-dev",
        settings: { resolution: "1k" },
        quantity: 1,
        stage: "final",
        purpose: "print",
        notes: "",
        answers: ANSWERS,
      }),
    ).rejects.toMatchObject({ fieldErrors: { batchItemId: expect.stringMatching(/made by an app/) } });
    // And were such a run in the ledger (written by any path), the gate would not count it; the app's own settings count.
    const run = (settings: Record<string, string>) =>
      db().run.create({
        data: {
          teamId: fixture.team.id,
          projectId: fixture.projectId,
          userId: fixture.people.member.id,
          batchItemId: item.id,
          modelId: "flux-2-dev",
          modelName: "Flux 2 Dev",
          outputType: "image",
          tier: "mid",
          settings,
          quantity: 1,
          stage: "final",
          purpose: "print",
          estimate: 100,
          actual: 100,
          priceListVersion: 0,
          state: "settled",
          outcome: "accepted",
        },
      });
    await run({ resolution: "1k" });
    expect((await acceptedTestRuns(fixture.team.id, [versionId])).get(versionId) ?? 0).toBe(0);
    await run({ resolution: "2k" });
    expect((await acceptedTestRuns(fixture.team.id, [versionId])).get(versionId)).toBe(1);
  });

  it("a script can name the version it priced when running an app over the API (as the form can)", async () => {
    await withoutApprovals(fixture.team.id);
    const { appId, versionId } = await publishedApp(fixture);
    const { secret } = await makeApiKey(fixture, { creator: "member" });
    const { response } = await apiClient(secret).POST("/teams/{teamSlug}/apps/{appId}/runs", {
      params: { path: { teamSlug: fixture.team.slug, appId } },
      body: { projectId: fixture.projectId, versionId },
    });
    expect(response.status).toBe(201);
  });
});
