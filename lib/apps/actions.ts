"use server";
// Server actions for apps: authorize → command → revalidate. Members make and change drafts, test their own and run
// published apps; approvers publish; admins retire apps and set how many accepted test runs publishing needs.
import { revalidatePath } from "next/cache";
import { teamAction } from "@/lib/authz/action";
import { ok } from "@/lib/authz/result";
import type { TeamContext } from "@/lib/authz/team";
import { formatNumber } from "@/lib/format";
import { createApp, publishVersion, retireApp, runApp, saveDraft, setAppTestRuns } from "./commands";
import { appIdSchema, appTestRunsSchema, createAppFormSchema, publishVersionSchema, runAppSchema, saveDraftSchema } from "./schema";

function refresh(ctx: TeamContext, appId?: string) {
  revalidatePath(`/t/${ctx.team.slug}/apps`);
  if (appId) revalidatePath(`/t/${ctx.team.slug}/apps/${appId}`);
}

export const createAppAction = teamAction("member", createAppFormSchema, async (ctx, input) => {
  const created = await createApp(ctx, input);
  refresh(ctx);
  return ok(created, `App “${input.name}” saved as a draft: test it, then ask an approver to publish it.`);
});

export const saveDraftAction = teamAction("member", saveDraftSchema, async (ctx, input) => {
  const saved = await saveDraft(ctx, input);
  refresh(ctx, input.appId);
  return ok({ appId: input.appId, ...saved }, `Saved as draft version ${saved.version}.`);
});

export const publishVersionAction = teamAction("approver", publishVersionSchema, async (ctx, input) => {
  const published = await publishVersion(ctx, input.versionId);
  revalidatePath(`/t/${ctx.team.slug}/apps`, "layout");
  return ok(published, `Version ${published.version} published: the whole team can run it now.`);
});

export const retireAppAction = teamAction("admin", appIdSchema, async (ctx, input) => {
  await retireApp(ctx, input.appId);
  refresh(ctx, input.appId);
  return ok(null, "App retired: nobody can start it any more; its runs stay in the history.");
});

export const runAppAction = teamAction("member", runAppSchema, async (ctx, input) => {
  const started = await runApp(ctx, input);
  refresh(ctx, input.appId);
  revalidatePath(`/t/${ctx.team.slug}/batches`);
  const outputs = `${formatNumber(started.items)} ${started.items === 1 ? "output" : "outputs"}`;
  return ok(started, input.test ? `Test batch made with ${outputs}: run each one and record its outcome.` : `Batch made with ${outputs}.`);
});

export const setAppTestRunsAction = teamAction("admin", appTestRunsSchema, async (ctx, input) => {
  await setAppTestRuns(ctx, input.appTestRuns);
  refresh(ctx);
  return ok(null, `Apps now need ${formatNumber(input.appTestRuns)} accepted test ${input.appTestRuns === 1 ? "run" : "runs"} before they are published.`);
});
