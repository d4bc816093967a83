// The outbox: email written in the same transaction as what caused it, sent in the background by
// any app instance (a claim with a lease, so two instances never send one message at once), retried
// with backoff, and never inside a request.
import "server-only";
import { createHash } from "node:crypto";
import { db, type Db } from "@/lib/db/client";
import { isDatabaseUnavailable } from "@/lib/db/errors";
import { Prisma } from "@/lib/db/generated/client";
import type { TransactionClient } from "@/lib/db/transaction";
import { describeNotification, notificationPath } from "@/lib/ledger/alerts";
import { alertNames } from "@/lib/ledger/queries";
import { millisSetting } from "@/lib/settings";
import { deliverMail, mailEnabled, type Mail } from "./send";

/**
 * How long a claim lasts: an instance that dies mid-send gives its messages up after this (OUTBOX_LEASE_MS shortens
 * it for a harness that kills instances on purpose; it must outlast a send's own timeouts, see send.ts).
 */
const LEASE_MS = millisSetting(process.env.OUTBOX_LEASE_MS, 5 * 60_000, 5_000);
const MAX_ATTEMPTS = 8;

/** 30 s, 1 min, 2 min … up to 1 h between attempts. */
export function retryDelayMs(attempts: number): number {
  return Math.min(60 * 60_000, 30_000 * 2 ** Math.max(0, attempts - 1));
}

/** The address people open the app at, for links in email (APP_URL; no request to ask when the outbox sends). */
export function appUrl(env: Record<string, string | undefined> = process.env): string {
  return (env.APP_URL ?? `http://localhost:${env.PORT ?? 3000}`).replace(/\/+$/, "");
}

/** Puts an email in the outbox, inside the caller's transaction: it is sent only if that commits. */
export async function queueEmail(tx: TransactionClient, teamId: string, mail: Mail): Promise<void> {
  await tx.outboxMessage.create({ data: { teamId, kind: "email", payload: mail } });
}

type Claimed = { id: string; teamId: string; kind: string; notificationId: string | null; payload: Prisma.JsonValue; sentTo: Prisma.JsonValue; attempts: number };

/**
 * Claims one message that is due and not claimed by a live instance, for LEASE_MS. One at a time, so a
 * claim never waits behind other messages' sends, and a send outliving its lease is caught (see `keep`).
 */
async function claim(client: Db, now: Date): Promise<(Claimed & { lease: Date }) | null> {
  const lease = new Date(Math.max(now.getTime(), Date.now()) + LEASE_MS);
  const [row] = await client.$queryRaw<Claimed[]>`
    UPDATE "OutboxMessage" SET "lockedUntil" = ${lease}, "attempts" = "attempts" + 1
    WHERE "id" = (
      SELECT "id" FROM "OutboxMessage"
      WHERE "sentAt" IS NULL AND "abandonedAt" IS NULL AND "nextAttemptAt" <= ${now}
        AND ("lockedUntil" IS NULL OR "lockedUntil" <= ${now})
      ORDER BY "nextAttemptAt" LIMIT 1
      FOR UPDATE SKIP LOCKED)
    RETURNING "id", "teamId", "kind", "notificationId", "payload", "sentTo", "attempts"`;
  return row ? { ...row, lease } : null;
}

/**
 * Writes to a message only while this instance's claim on it holds: if another instance took it over
 * (this one stalled past the lease), nothing is overwritten, and the caller stops sending it.
 */
async function keep(client: Db, message: { id: string; lease: Date }, data: Prisma.OutboxMessageUpdateManyMutationInput): Promise<boolean> {
  const { count } = await client.outboxMessage.updateMany({ where: { id: message.id, lockedUntil: message.lease }, data });
  return count === 1;
}

/** The emails one message stands for, written now (names and recipients as they are at sending time). */
async function compose(client: Db, message: Claimed): Promise<Mail[]> {
  if (message.kind === "email") return message.payload ? [message.payload as Mail] : [];
  if (message.kind !== "notification" || !message.notificationId) return [];
  const notification = await client.notification.findFirst({
    where: { id: message.notificationId, teamId: message.teamId },
    select: { kind: true, userId: true, data: true, title: true, body: true, team: { select: { name: true, slug: true } } },
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
  const path = notificationPath(notification, notification.team.slug);
  const link = path ? `\n\n${appUrl()}${path}` : "";
  return recipients.map((person) => {
    const words = describeNotification(notification, names, person.id);
    return { to: person.email, subject: `[${notification.team.name}] ${words.title}`, text: `${words.body}${link}` };
  });
}

export type DrainResult = { sent: number; retrying: number; abandoned: number; skipped: number };

type Held = { id: string; lease: Date };
// The claims this process holds while it sends, so a shutdown can give back one whose send outlives it.
const state = globalThis as typeof globalThis & { __creditwiseOutboxClaims?: Set<Held>; __creditwiseOutboxGiveBack?: Map<Held, string[]> };
const held = (state.__creditwiseOutboxClaims ??= new Set());
// Claims whose message could not be given back because the database was out of reach: tried again each round.
const giveBack = (state.__creditwiseOutboxGiveBack ??= new Map());

/** Gives a message back untouched but for the recipients reached (the attempt does not count); later if the database is away. */
async function giveBackUntried(client: Db, message: Held, sentTo: string[]): Promise<boolean> {
  try {
    const given = await keep(client, message, { lockedUntil: null, sentTo, attempts: { decrement: 1 } });
    giveBack.delete(message);
    return given;
  } catch (error) {
    if (isDatabaseUnavailable(error)) giveBack.set(message, sentTo);
    // Any other failure: its lease runs out and another round takes it; it must not stop this process's outbox.
    else {
      giveBack.delete(message);
      console.error("[outbox] giving a message back failed; its claim runs out instead", error);
    }
    return false;
  }
}

/**
 * Gives back every claim this process still holds (a send that outlived the shutdown's wait): another instance takes
 * the message at once rather than after the lease. Recipients already reached stay written down, so they are not
 * sent it again; a send cut off here may be sent again in full by the next instance, never lost.
 */
export async function releaseOutboxClaims(): Promise<number> {
  let released = 0;
  for (const message of [...held]) {
    held.delete(message);
    if (await keep(db(), message, { lockedUntil: null })) released++;
  }
  // And those a database outage kept from being given back, with the recipients they reached.
  for (const [message, sentTo] of [...giveBack]) if (await giveBackUntried(db(), message, sentTo)) released++;
  return released;
}

/**
 * Sends what is due, one message at a time. Each recipient reached is written down at once, so a retry
 * after a partial failure, or another instance taking over a stalled one, does not send them the same
 * email again.
 */
export async function drainOutbox(
  options: { now?: Date; limit?: number; deliver?: (mail: Mail) => Promise<void>; enabled?: boolean; stop?: () => boolean } = {},
): Promise<DrainResult> {
  const client = db();
  const now = options.now ?? new Date();
  const deliver = options.deliver ?? deliverMail;
  const enabled = options.enabled ?? mailEnabled();
  const result: DrainResult = { sent: 0, retrying: 0, abandoned: 0, skipped: 0 };
  for (const [message, sentTo] of [...giveBack]) await giveBackUntried(client, message, sentTo);
  for (let i = 0; i < (options.limit ?? 20) && !options.stop?.(); i++) {
    const message = await claim(client, now);
    if (!message) break;
    held.add(message);
    try {
      await sendClaimed(client, message, now, deliver, enabled, result);
    } finally {
      held.delete(message);
    }
  }
  return result;
}

/** One outbox message to one person: the same Message-ID however often it is sent (a takeover after a stall). */
export function messageIdFor(outboxId: string, to: string): string {
  return `<${outboxId}.${createHash("sha256").update(to.toLowerCase()).digest("hex").slice(0, 16)}@creditwise>`;
}

/** Sends one claimed message and writes down how it went, while the claim is still this process's. */
async function sendClaimed(client: Db, message: Claimed & Held, now: Date, deliver: (mail: Mail) => Promise<void>, enabled: boolean, result: DrainResult): Promise<void> {
  if (!enabled) {
    await keep(client, message, { sentAt: now, lockedUntil: null, payload: Prisma.DbNull, lastError: "Not sent: email is not set up (SMTP_URL)." });
    result.skipped++;
    return;
  }
  const sentTo = new Set(Array.isArray(message.sentTo) ? (message.sentTo as string[]) : []);
  // Whether the failure came from the mail server (its words may look like a lost database connection: they are not).
  let delivering = false;
  try {
    let ours = true;
    for (const mail of await compose(client, message)) {
      if (sentTo.has(mail.to)) continue;
      delivering = true;
      await deliver({ ...mail, messageId: messageIdFor(message.id, mail.to) });
      delivering = false;
      sentTo.add(mail.to);
      ours = await keep(client, message, { sentTo: [...sentTo] });
      if (!ours) break;
    }
    if (ours && (await keep(client, message, { sentAt: new Date(), lockedUntil: null, payload: message.kind === "email" ? Prisma.DbNull : undefined, lastError: null }))) {
      result.sent++;
    }
  } catch (error) {
    // The database out of reach is not the mail server's failure: the message goes back as it was, for the next round.
    if (!delivering && isDatabaseUnavailable(error)) {
      await giveBackUntried(client, message, [...sentTo]);
      return;
    }
    const giveUp = message.attempts >= MAX_ATTEMPTS;
    await keep(client, message, {
      lockedUntil: null,
      sentTo: [...sentTo],
      lastError: error instanceof Error ? error.message.slice(0, 500) : String(error).slice(0, 500),
      nextAttemptAt: new Date(now.getTime() + retryDelayMs(message.attempts)),
      abandonedAt: giveUp ? now : null,
      // An invitation link is a secret: it does not stay in the database once it will never be sent.
      ...(giveUp ? { payload: Prisma.DbNull } : {}),
    });
    if (giveUp) result.abandoned++;
    else result.retrying++;
  }
}
