// GET /api/v1/teams/{teamSlug}/apps — the team's apps, published first, each with its cost per run and what it takes.
import { apiRoute, keyProject } from "@/lib/authz/api";
import { appListRow } from "@/lib/api/apps";
import { listApps as listAppsOperation } from "@/lib/api/operations/apps";
import { listApps } from "@/lib/apps/queries";
import { appNow } from "@/lib/clock";

export const GET = apiRoute(listAppsOperation, async (ctx) => {
  const apps = await listApps(ctx.team.id, appNow(), { projectId: keyProject(ctx) });
  return { status: 200, body: { apps: apps.map((app) => appListRow(ctx, app)) } };
});
