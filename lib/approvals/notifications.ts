// Who hears about an approval request, written in the transaction of the change they report: the people who may
// decide a new request, and the requester when it is decided. Through the ledger's cw_notify, so every notification
// is stored once per dedupe key and emailed through the outbox the same way.
import "server-only";
import type { TransactionClient } from "@/lib/db/transaction";
import { cannotDecide, type PolicyRequirement } from "./policy";

type Tx = TransactionClient;

/** One notification (userId null: the team's admins and owners), written once however often the change is retried. */
export async function notify(
  tx: Tx,
  notification: { teamId: string; userId: string | null; kind: string; dedupeKey: string; data: Record<string, unknown>; at: Date },
): Promise<void> {
  const { teamId, userId, kind, dedupeKey, data, at } = notification;
  await tx.$executeRaw`SELECT cw_notify(${teamId}, ${userId}, ${kind}, ${dedupeKey}, ${JSON.stringify(data)}::jsonb, ${at.toISOString()}::timestamp)`;
}

/** The members who may decide a request under its rule, as decideRequest would judge them: never the requester. */
export async function decidersOf(
  tx: Tx,
  teamId: string,
  requirement: Extract<PolicyRequirement, { kind: "approval" }>,
  requesterId: string,
): Promise<string[]> {
  const members = await tx.membership.findMany({ where: { teamId }, select: { userId: true, role: true }, orderBy: { createdAt: "asc" } });
  return members
    .filter((member) => cannotDecide(requirement, { userId: member.userId, role: member.role }, { requesterId, approvedBy: [] }) === null)
    .map((member) => member.userId);
}

type RequestFigures = { id: string; teamId: string; projectId: string; requesterId: string; modelName: string; quantity: number; stage: string; estimate: number };

/** A new request: one notification for each person who may decide it. */
export async function notifyDeciders(tx: Tx, request: RequestFigures, requirement: Extract<PolicyRequirement, { kind: "approval" }>, at: Date): Promise<void> {
  const data = {
    requestId: request.id,
    projectId: request.projectId,
    requesterId: request.requesterId,
    modelName: request.modelName,
    quantity: request.quantity,
    stage: request.stage,
    estimate: request.estimate,
  };
  for (const userId of await decidersOf(tx, request.teamId, requirement, request.requesterId)) {
    await notify(tx, { teamId: request.teamId, userId, kind: "approval_requested", dedupeKey: `approval-requested:${request.id}:${userId}`, data, at });
  }
}

/** The final decision, told to the requester with the decider's comment. */
export async function notifyDecision(
  tx: Tx,
  request: RequestFigures,
  decision: { state: "approved" | "rejected"; deciderId: string; comment: string; expiresAt: Date | null },
  at: Date,
): Promise<void> {
  await notify(tx, {
    teamId: request.teamId,
    userId: request.requesterId,
    kind: "approval_decided",
    dedupeKey: `approval-decided:${request.id}`,
    data: {
      requestId: request.id,
      projectId: request.projectId,
      modelName: request.modelName,
      quantity: request.quantity,
      estimate: request.estimate,
      decision: decision.state,
      deciderId: decision.deciderId,
      comment: decision.comment,
      expiresAt: decision.expiresAt?.toISOString() ?? null,
    },
    at,
  });
}
