// Raises in-app notifications (once per dedupe key) and emails them to the people concerned when SMTP is set up.
import "server-only";
import { db } from "@/lib/db/client";
import type { TeamRef } from "@/lib/authz/team";
import { mailEnabled, sendMail } from "@/lib/mail/send";
import type { Alert } from "./alerts";

export async function raiseAlerts(team: TeamRef, alerts: Alert[]): Promise<void> {
  if (alerts.length === 0) return;
  // The unique (team, dedupe key) makes a threshold crossed twice, or by two requests at once, one notification.
  const created = await db().notification.createManyAndReturn({
    data: alerts.map((alert) => ({ teamId: team.id, userId: alert.userId, kind: alert.kind, dedupeKey: alert.dedupeKey, title: alert.title, body: alert.body })),
    skipDuplicates: true,
    select: { id: true, userId: true, title: true, body: true },
  });
  if (created.length === 0 || !mailEnabled()) return;
  // One read for every recipient: the team's admins, and anyone a notification names.
  const named = [...new Set(created.flatMap((notification) => (notification.userId ? [notification.userId] : [])))];
  const [admins, people] = await Promise.all([
    db().membership.findMany({ where: { teamId: team.id, role: { in: ["owner", "admin"] } }, select: { user: { select: { email: true } } } }),
    db().user.findMany({ where: { id: { in: named } }, select: { id: true, email: true } }),
  ]);
  const emailOf = new Map(people.map((person) => [person.id, person.email]));
  for (const notification of created) {
    const recipients = notification.userId ? [emailOf.get(notification.userId)].filter((email) => email !== undefined) : admins.map((admin) => admin.user.email);
    for (const to of recipients) await sendMail({ to, subject: `[${team.name}] ${notification.title}`, text: notification.body });
  }
  await db().notification.updateMany({ where: { id: { in: created.map((notification) => notification.id) } }, data: { emailedAt: new Date() } });
}
