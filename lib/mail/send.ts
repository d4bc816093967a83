// Sends email through SMTP when SMTP_URL is configured. Called only by the outbox (lib/mail/outbox.ts), never inside a request.
import "server-only";
import nodemailer from "nodemailer";

/** An email; `messageId` (RFC 5322 Message-ID) is the same each time one message is sent to one person, so a resend can be told. */
export type Mail = { to: string; subject: string; text: string; messageId?: string };

export function mailEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(env.SMTP_URL);
}

let transport: nodemailer.Transporter | null = null;

const TIMEOUTS = { connectionTimeout: 30_000, greetingTimeout: 30_000, socketTimeout: 60_000 };

/**
 * Every wait of a send ends well inside the outbox's five-minute claim, so a stalled mail server never
 * outlives it. nodemailer reads options from the URL's query; ones the URL sets itself are kept.
 */
export function withTimeouts(smtpUrl: string): string {
  const url = new URL(smtpUrl);
  for (const [key, value] of Object.entries(TIMEOUTS)) if (!url.searchParams.has(key)) url.searchParams.set(key, String(value));
  return url.toString();
}

/** Sends one message; throws when the mail server refuses it or cannot be reached, so the outbox retries. */
export async function deliverMail(mail: Mail): Promise<void> {
  transport ??= nodemailer.createTransport(withTimeouts(process.env.SMTP_URL ?? ""));
  await transport.sendMail({ from: process.env.SMTP_FROM ?? "Creditwise <no-reply@localhost>", ...mail });
}
