// POST /api/v1/teams/{teamSlug}/estimate — what a run costs by the price list in force, with its breakdown; writes nothing.
import { apiRoute } from "@/lib/authz/api";
import { estimateRun } from "@/lib/api/operations/pricing";
import { estimateRunInForce } from "@/lib/price-lists/queries";

export const POST = apiRoute(estimateRun, async (ctx, { body }) => {
  const estimate = await estimateRunInForce(ctx.team.id, { modelId: body.modelId, settings: body.settings ?? {}, quantity: body.quantity });
  const { version, ...figures } = estimate;
  return { status: 200, body: { priceListVersion: version, ...figures } };
});
