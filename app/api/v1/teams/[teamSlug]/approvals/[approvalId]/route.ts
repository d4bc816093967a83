// GET /api/v1/teams/{teamSlug}/approvals/{approvalId} — a request's state, decisions and, once approved, its hold and how to run it.
import { apiRoute } from "@/lib/authz/api";
import { approvalDetailAnswer, checkRequestReachable } from "@/lib/api/approvals";
import { getApproval } from "@/lib/api/operations/approvals";
import { requestDetail } from "@/lib/approvals/request-queries";

export const GET = apiRoute(getApproval, async (ctx, { params }) => {
  // As in the app, every member of the team reads every request of it.
  const detail = checkRequestReachable(ctx, await requestDetail(ctx, params.approvalId));
  return { status: 200, body: approvalDetailAnswer(ctx, detail) };
});
