// Reads a team's audit log, newest first, a page at a time.
import "server-only";
import { db } from "@/lib/db/client";

export const AUDIT_PAGE_SIZE = 50;

export async function listAuditLog(teamId: string, page = 1) {
  const skip = (Math.max(1, page) - 1) * AUDIT_PAGE_SIZE;
  const [entries, total] = await Promise.all([
    db().auditLog.findMany({
      where: { teamId },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      skip,
      take: AUDIT_PAGE_SIZE,
      select: {
        id: true,
        action: true,
        targetType: true,
        targetId: true,
        details: true,
        createdAt: true,
        actor: { select: { name: true, email: true } },
      },
    }),
    db().auditLog.count({ where: { teamId } }),
  ]);
  return { entries, total, pages: Math.max(1, Math.ceil(total / AUDIT_PAGE_SIZE)) };
}
