"use server";
// Server actions for approval requests: authorize → command → revalidate. Members ask and withdraw; deciding is open
// to members too, because the request's own rule says who decides it (the approver role, or people by name) and the
// command checks that.
import { revalidatePath } from "next/cache";
import { teamAction } from "@/lib/authz/action";
import { ok } from "@/lib/authz/result";
import type { TeamContext } from "@/lib/authz/team";
import { formatCredits } from "@/lib/format";
import { formatNumber } from "@/lib/format";
import { createRequest, decideRequest, runApproved, withdrawRequest } from "./request-commands";
import { createRequestSchema, decideRequestSchema, runApprovedSchema, withdrawRequestSchema } from "./request-schema";

// Every page of the team: the nav counts what waits for each person, and a run held on an approval shows everywhere.
function refresh(ctx: TeamContext) {
  revalidatePath(`/t/${ctx.team.slug}`, "layout");
}

export const createRequestAction = teamAction("member", createRequestSchema, async (ctx, input) => {
  const created = await createRequest(ctx, input);
  refresh(ctx);
  return ok(created, `Approval requested for ${formatCredits(created.estimate)} under “${created.rule.name}”.`);
});

export const withdrawRequestAction = teamAction("member", withdrawRequestSchema, async (ctx, input) => {
  await withdrawRequest(ctx, input);
  refresh(ctx);
  return ok(null, "Request withdrawn.");
});

export const decideRequestAction = teamAction("member", decideRequestSchema, async (ctx, input) => {
  const decided = await decideRequest(ctx, input);
  refresh(ctx);
  const message =
    decided.state === "approved"
      ? "Approved: the credits are held for the requester."
      : decided.state === "rejected"
        ? "Rejected; the requester will see your comment."
        : "Your approval is recorded; the request needs another approver.";
  return ok(decided, message);
});

export const runApprovedAction = teamAction("member", runApprovedSchema, async (ctx, input) => {
  const outcome = await runApproved(ctx, input);
  refresh(ctx);
  return ok(outcome, outcome.status === "admitted" ? `Running on the approval: ${formatNumber(outcome.estimate)} credits are held for this run.` : undefined);
});
