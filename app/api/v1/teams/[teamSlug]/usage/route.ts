// POST /api/v1/teams/{teamSlug}/usage — record runs that already happened, each event answered in its place (recorded, already recorded, refused).
import { apiRoute } from "@/lib/authz/api";
import { recordUsage } from "@/lib/api/operations/usage";
import { recordUsageAnswer } from "@/lib/api/usage";

export const POST = apiRoute(recordUsage, (ctx, { body }) => recordUsageAnswer(ctx, body.events));
