// The outbox: email written in the same transaction as what caused it, sent in the background by
// any app instance (a claim with a lease, so two instances never send one message at once), retried
// with backoff, and never inside a request.
import "server-only";
import { db, type Db } from "@/lib/db/client";
import type { Prisma } from "@/lib/db/generated/client";
import type { TransactionClient } from "@/lib/db/transaction";
import { describeNotification } from "@/lib/ledger/alerts";
import { alertNames } from "@/lib/ledger/queries";
import { deliverMail, mailEnabled, type Mail } from "./send";

/** How long a claim lasts: an instance that dies mid-send gives its messages up after this. */
const LEASE_MS = 5 * 60_000;
const MAX_ATTEMPTS = 8;

/** 30 s, 1 min, 2 min … up to 1 h between attempts. */
export function retryDelayMs(attempts: number): number {
  return Math.min(60 * 60_000, 30_000 * 2 ** Math.max(0, attempts - 1));
}

/** Puts an email in the outbox, inside the caller's transaction: it is sent only if that commits. */
export async function queueEmail(tx: TransactionClient, teamId: string, mail: Mail): Promise<void> {
  await tx.outboxMessage.create({ data: { teamId, kind: "email", payload: mail } });
}

type Claimed = { id: string; teamId: string; kind: string; notificationId: string | null; payload: Prisma.JsonValue; sentTo: Prisma.JsonValue; attempts: number };

/** Claims up to `limit` messages that are due and not claimed by a live instance. */
async function claim(client: Db, now: Date, limit: number): Promise<Claimed[]> {
  const lease = new Date(now.getTime() + LEASE_MS);
  return client.$queryRaw<Claimed[]>`
    UPDATE "OutboxMessage" SET "lockedUntil" = ${lease}, "attempts" = "attempts" + 1
    WHERE "id" IN (
      SELECT "id" FROM "OutboxMessage"
      WHERE "sentAt" IS NULL AND "abandonedAt" IS NULL AND "nextAttemptAt" <= ${now}
        AND ("lockedUntil" IS NULL OR "lockedUntil" <= ${now})
      ORDER BY "nextAttemptAt" LIMIT ${limit}
      FOR UPDATE SKIP LOCKED)
    RETURNING "id", "teamId", "kind", "notificationId", "payload", "sentTo", "attempts"`;
}

/** The emails one message stands for, written now (names and recipients as they are at sending time). */
async function compose(client: Db, message: Claimed): Promise<Mail[]> {
  if (message.kind === "email") return message.payload ? [message.payload as Mail] : [];
  if (message.kind !== "notification" || !message.notificationId) return [];
  const notification = await client.notification.findFirst({
    where: { id: message.notificationId, teamId: message.teamId },
    select: { kind: true, userId: true, data: true, title: true, body: true, team: { select: { name: true } } },
  });
  if (!notification) return [];
  const recipients = notification.userId
    ? await client.user.findMany({ where: { id: notification.userId, memberships: { some: { teamId: message.teamId } } }, select: { id: true, email: true } })
    : (
        await client.membership.findMany({
          where: { teamId: message.teamId, role: { in: ["owner", "admin"] } },
          select: { user: { select: { id: true, email: true } } },
        })
      ).map((membership) => membership.user);
  const names = await alertNames(message.teamId, [notification], client);
  return recipients.map((person) => {
    const words = describeNotification(notification, names, person.id);
    return { to: person.email, subject: `[${notification.team.name}] ${words.title}`, text: words.body };
  });
}

export type DrainResult = { sent: number; retrying: number; abandoned: number; skipped: number };

/**
 * Sends what is due. Each message's recipients already reached are remembered, so a retry after a
 * partial failure does not send anyone the same email twice.
 */
export async function drainOutbox(options: { now?: Date; limit?: number; deliver?: (mail: Mail) => Promise<void>; enabled?: boolean } = {}): Promise<DrainResult> {
  const client = db();
  const now = options.now ?? new Date();
  const deliver = options.deliver ?? deliverMail;
  const enabled = options.enabled ?? mailEnabled();
  const result: DrainResult = { sent: 0, retrying: 0, abandoned: 0, skipped: 0 };
  for (const message of await claim(client, now, options.limit ?? 20)) {
    if (!enabled) {
      await client.outboxMessage.update({
        where: { id: message.id },
        data: { sentAt: now, lockedUntil: null, payload: undefined, lastError: "Not sent: email is not set up (SMTP_URL)." },
      });
      result.skipped++;
      continue;
    }
    const sentTo = new Set(Array.isArray(message.sentTo) ? (message.sentTo as string[]) : []);
    try {
      for (const mail of await compose(client, message)) {
        if (sentTo.has(mail.to)) continue;
        await deliver(mail);
        sentTo.add(mail.to);
      }
      await client.outboxMessage.update({
        where: { id: message.id },
        data: { sentAt: new Date(), lockedUntil: null, sentTo: [...sentTo], payload: message.kind === "email" ? {} : undefined, lastError: null },
      });
      result.sent++;
    } catch (error) {
      const giveUp = message.attempts >= MAX_ATTEMPTS;
      await client.outboxMessage.update({
        where: { id: message.id },
        data: {
          lockedUntil: null,
          sentTo: [...sentTo],
          lastError: error instanceof Error ? error.message.slice(0, 500) : String(error).slice(0, 500),
          nextAttemptAt: new Date(now.getTime() + retryDelayMs(message.attempts)),
          abandonedAt: giveUp ? now : null,
        },
      });
      if (giveUp) result.abandoned++;
      else result.retrying++;
    }
  }
  return result;
}
