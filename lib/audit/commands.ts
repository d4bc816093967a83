// Appends to a team's audit log inside the transaction of the change it records.
import "server-only";
import type { Prisma } from "@/lib/db/generated/client";
import type { TransactionClient } from "@/lib/db/transaction";

export type AuditEntry = {
  teamId: string;
  actorId: string | null;
  action: string;
  targetType?: string;
  targetId?: string;
  details?: Prisma.InputJsonObject;
  /** When the change took effect, if not now (history played back, like the demo team's). */
  at?: Date;
};

export async function recordAudit(tx: TransactionClient, entry: AuditEntry): Promise<void> {
  await tx.auditLog.create({
    data: {
      teamId: entry.teamId,
      actorId: entry.actorId,
      action: entry.action,
      targetType: entry.targetType ?? null,
      targetId: entry.targetId ?? null,
      details: entry.details ?? {},
      ...(entry.at ? { createdAt: entry.at } : {}),
    },
  });
}
