// A shutdown stops the background work between steps and gives back the outbox messages it still holds.
import { beforeEach, expect, it } from "vitest";
import { db, useDatabase as pointDatabaseAt, type Db } from "@/lib/db/client";
import { drainOutbox, queueEmail, releaseOutboxClaims } from "@/lib/mail/outbox";
import { describeEachDatabase } from "@/test/db";
import { makeTeam, type TeamFixture } from "@/test/fixtures";

async function queue(fixture: TeamFixture, count: number): Promise<void> {
  await db().$transaction(async (tx) => {
    for (let i = 0; i < count; i++) await queueEmail(tx, fixture.team.id, { to: `person${i}@example.test`, subject: `Message ${i}`, text: "Hello" });
  });
}

const unsent = (fixture: TeamFixture) => db().outboxMessage.findMany({ where: { teamId: fixture.team.id, sentAt: null }, select: { lockedUntil: true, sentTo: true } });

describeEachDatabase("graceful shutdown of background work", () => {
  let fixture: TeamFixture;

  beforeEach(async () => {
    // Other tests' messages go first, unsent.
    await drainOutbox({ enabled: false, limit: 10_000 });
    fixture = await makeTeam();
  });

  it("stops claiming messages once the process is stopping, leaving the rest for another instance", async () => {
    await queue(fixture, 3);
    let stopping = false;
    const sent: string[] = [];
    const result = await drainOutbox({
      enabled: true,
      deliver: async (mail) => {
        sent.push(mail.to);
        stopping = true; // the shutdown begins while the first message is being sent
      },
      stop: () => stopping,
    });
    expect(result).toMatchObject({ sent: 1 });
    expect(sent).toEqual(["person0@example.test"]);
    const left = await unsent(fixture);
    expect(left).toHaveLength(2);
    expect(left.every((message) => message.lockedUntil === null)).toBe(true);
  });

  it("gives back a message whose send outlives the wait: another instance can take it at once, and the late send writes nothing", async () => {
    await queue(fixture, 1);
    let finishSend = () => {};
    let sending = () => {};
    let stalledId: string | undefined;
    const started = new Promise<void>((resolve) => (sending = resolve));
    const draining = drainOutbox({
      enabled: true,
      deliver: (mail) => {
        stalledId = mail.messageId;
        sending();
        return new Promise<void>((resolve) => (finishSend = resolve));
      },
    });
    await started;
    const [claimed] = await unsent(fixture);
    expect(claimed.lockedUntil).not.toBeNull();

    expect(await releaseOutboxClaims()).toBe(1);
    const [released] = await unsent(fixture);
    expect(released.lockedUntil).toBeNull();

    // Another instance takes it over and sends it.
    const other: { to: string; messageId?: string }[] = [];
    expect(await drainOutbox({ enabled: true, deliver: async (mail) => void other.push(mail) })).toMatchObject({ sent: 1 });
    expect(other.map((mail) => mail.to)).toEqual(["person0@example.test"]);
    // The same Message-ID as the stalled send's: a mail server or a reader can tell the two are one email.
    expect(other[0].messageId).toMatch(/^<.+@creditwise>$/);
    expect(other[0].messageId).toBe(stalledId);

    // The stalled send ends: it is no longer this process's claim, so it neither counts nor overwrites.
    finishSend();
    expect(await draining).toMatchObject({ sent: 0 });
    const message = await db().outboxMessage.findFirstOrThrow({ where: { teamId: fixture.team.id } });
    expect(message.sentAt).not.toBeNull();
    expect(await releaseOutboxClaims()).toBe(0);
  });

  it("a mail server's words that look like a lost database connection are the mail server's failure: retried later, counted", async () => {
    await queue(fixture, 1);
    const now = new Date();
    const result = await drainOutbox({
      enabled: true,
      now,
      deliver: async () => {
        throw new Error("421 4.4.2 mx.example.test: Connection terminated");
      },
    });
    expect(result).toMatchObject({ retrying: 1 });
    const message = await db().outboxMessage.findFirstOrThrow({ where: { teamId: fixture.team.id } });
    expect(message.attempts).toBe(1);
    expect(message.lastError).toMatch(/421/);
    expect(message.nextAttemptAt.getTime()).toBeGreaterThan(now.getTime());
  });

  it("a message the database's outage kept from being given back is given back at shutdown, with whom it reached", async () => {
    await queue(fixture, 1);
    const real = db();
    let failing = true;
    const outage = Object.assign(new Error("Can't reach database server"), { code: "P1001" });
    // Writes to the outbox fail while the database is away; the mail server works.
    const away = new Proxy(real, {
      get(target, property) {
        const value = Reflect.get(target, property, target) as unknown;
        if (property !== "outboxMessage") return typeof value === "function" ? value.bind(target) : value;
        return new Proxy(target.outboxMessage, {
          get(model, method) {
            const call = Reflect.get(model, method, model) as unknown;
            if (method === "updateMany" && failing) return () => Promise.reject(outage);
            return typeof call === "function" ? call.bind(model) : call;
          },
        });
      },
    }) as Db;
    pointDatabaseAt(away);
    try {
      expect(await drainOutbox({ enabled: true, deliver: async () => undefined })).toMatchObject({ sent: 0, retrying: 0 });
    } finally {
      pointDatabaseAt(real);
    }
    failing = false;
    expect(await releaseOutboxClaims()).toBe(1);
    const message = await db().outboxMessage.findFirstOrThrow({ where: { teamId: fixture.team.id } });
    expect(message).toMatchObject({ lockedUntil: null, attempts: 0, sentTo: ["person0@example.test"], sentAt: null });
  });
});
