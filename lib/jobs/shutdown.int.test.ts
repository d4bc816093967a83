// A shutdown stops the background work between steps and gives back the outbox messages it still holds.
import { beforeEach, expect, it } from "vitest";
import { db } from "@/lib/db/client";
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
});
