// Sends email through SMTP when SMTP_URL is configured; otherwise mail is simply not sent.
import "server-only";
import nodemailer from "nodemailer";

export type Mail = { to: string; subject: string; text: string };

export function mailEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(env.SMTP_URL);
}

/** Sends one message; answers false (and logs) instead of failing the caller's change. */
export async function sendMail(mail: Mail): Promise<boolean> {
  if (!mailEnabled()) return false;
  try {
    const transport = nodemailer.createTransport(process.env.SMTP_URL);
    await transport.sendMail({ from: process.env.SMTP_FROM ?? "Creditwise <no-reply@localhost>", ...mail });
    return true;
  } catch (error) {
    console.error("[mail] could not send", error);
    return false;
  }
}
