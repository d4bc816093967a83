// Reads a team's audit log, newest first, a page at a time by keyset on (createdAt, id), filtered by person, kind and days.
import "server-only";
import { db } from "@/lib/db/client";
import type { Prisma } from "@/lib/db/generated/client";
import { encodeKeyset, readKeysetPage, type PageRequest } from "@/lib/db/keyset";
import { endOfDayIn, startOfDayIn } from "@/lib/ledger/dates";
import type { AuditFilter } from "./filters";

export const AUDIT_PAGE_SIZE = 50;

/** An audit entry's id in a page link: a cuid, or anything of its alphabet and about its length. */
export function parseAuditId(text: string): string | undefined {
  return /^[A-Za-z0-9_-]{1,64}$/.test(text) ? text : undefined;
}

const auditSelect = {
  id: true,
  action: true,
  targetType: true,
  targetId: true,
  details: true,
  createdAt: true,
  actor: { select: { name: true, email: true } },
} satisfies Prisma.AuditLogSelect;

export async function listAuditLog(team: { id: string; timeZone: string }, filter: AuditFilter = {}, request: PageRequest<string> | null = null) {
  const where: Prisma.AuditLogWhereInput = {
    teamId: team.id,
    actorId: filter.actorId,
    action: filter.kind ? { startsWith: `${filter.kind}.` } : undefined,
    createdAt: {
      gte: filter.from ? startOfDayIn(filter.from, team.timeZone) : undefined,
      lt: filter.to ? endOfDayIn(filter.to, team.timeZone) : undefined,
    },
  };
  const page = await readKeysetPage(
    request,
    AUDIT_PAGE_SIZE,
    (keyset, orderBy, take) => db().auditLog.findMany({ where: keyset ? { AND: [where, keyset] } : where, orderBy, take, select: auditSelect }),
    (entry) => ({ createdAt: entry.createdAt, id: entry.id }),
  );
  return { entries: page.rows, newer: page.newer && encodeKeyset(page.newer), older: page.older && encodeKeyset(page.older) };
}
