// Sends email through SMTP when SMTP_URL is configured. Called only by the outbox (lib/mail/outbox.ts), never inside a request.
import "server-only";
import nodemailer from "nodemailer";

export type Mail = { to: string; subject: string; text: string };

export function mailEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(env.SMTP_URL);
}

let transport: nodemailer.Transporter | null = null;

/** Sends one message; throws when the mail server refuses it or cannot be reached, so the outbox retries. */
export async function deliverMail(mail: Mail): Promise<void> {
  transport ??= nodemailer.createTransport(process.env.SMTP_URL);
  await transport.sendMail({ from: process.env.SMTP_FROM ?? "Creditwise <no-reply@localhost>", ...mail });
}
