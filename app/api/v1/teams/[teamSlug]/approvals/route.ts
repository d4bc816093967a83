// POST /api/v1/teams/{teamSlug}/approvals — ask the approvers for a run the team's policy holds back, with the four answers.
import { apiRoute, checkKeyProject } from "@/lib/authz/api";
import { notNeededAnswer, requestInput, requestedAnswer } from "@/lib/api/approvals";
import { requestApproval } from "@/lib/api/operations/approvals";
import { ApprovalNotNeeded, createRequest } from "@/lib/approvals/request-commands";

export const POST = apiRoute(requestApproval, async (ctx, { body }) => {
  checkKeyProject(ctx, body.projectId);
  try {
    // The API request's key goes with it: a resend whose first answer was lost finds the request it made.
    return requestedAnswer(ctx, await createRequest(ctx, requestInput(body), undefined, ctx.ledgerKey));
  } catch (error) {
    if (error instanceof ApprovalNotNeeded) return notNeededAnswer(ctx);
    throw error;
  }
});
