// POST /api/v1/teams/{teamSlug}/apps/{appId}/runs — run an app: a batch in the project with one item per output.
import { apiRoute, checkKeyProject } from "@/lib/authz/api";
import { appRunAnswer } from "@/lib/api/apps";
import { runApp as runAppOperation } from "@/lib/api/operations/apps";
import { runApp } from "@/lib/apps/commands";

export const POST = apiRoute(runAppOperation, async (ctx, { params, body }) => {
  checkKeyProject(ctx, body.projectId);
  const test = body.test ?? false;
  const started = await runApp(ctx, { appId: params.appId, projectId: body.projectId, values: body.values ?? {}, test, versionId: body.versionId }, undefined, ctx.ledgerKey);
  return appRunAnswer(ctx, started, test);
});
