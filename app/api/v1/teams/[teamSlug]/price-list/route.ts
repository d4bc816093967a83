// GET /api/v1/teams/{teamSlug}/price-list[?version=N] — the price list in force (or version N) as a file to download and import elsewhere.
import { DomainError } from "@/lib/authz/result";
import { apiRoute } from "@/lib/authz/api";
import { getPriceList } from "@/lib/api/operations/pricing";
import { priceListInForce, priceListVersion } from "@/lib/price-lists/queries";
import { serializePriceList } from "@/lib/pricing/schema";

export const GET = apiRoute(getPriceList, async (ctx, { query }) => {
  const chosen = query.version === undefined ? await priceListInForce(ctx.team.id) : await priceListVersion(ctx.team.id, query.version);
  if (!chosen) throw new DomainError("not_found", `This team has no price list version ${query.version}.`);
  const filename = `${ctx.team.slug}-price-list-v${chosen.version}.json`;
  return new Response(serializePriceList(chosen.priceList), {
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "Content-Disposition": `attachment; filename="${filename}"`,
      "Cache-Control": "private, no-store",
      "X-Price-List-Version": String(chosen.version),
    },
  });
});
