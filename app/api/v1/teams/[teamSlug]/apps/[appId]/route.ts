// GET /api/v1/teams/{teamSlug}/apps/{appId} — one app: its steps and inputs, cost step by step, versions and batches.
import { apiRoute, keyProject } from "@/lib/authz/api";
import { appDetailAnswer } from "@/lib/api/apps";
import { getApp as getAppOperation } from "@/lib/api/operations/apps";
import { getApp } from "@/lib/apps/queries";
import { DomainError } from "@/lib/authz/result";
import { appNow } from "@/lib/clock";
import { priceListInForce } from "@/lib/price-lists/queries";

export const GET = apiRoute(getAppOperation, async (ctx, { params }) => {
  const [found, inForce] = await Promise.all([getApp(ctx.team.id, params.appId, { projectId: keyProject(ctx) }), priceListInForce(ctx.team.id, appNow())]);
  if (!found) throw new DomainError("not_found", "That app does not exist in this team.");
  return { status: 200, body: appDetailAnswer(ctx, found, inForce) };
});
