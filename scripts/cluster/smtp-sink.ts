// A mail server that keeps what it is sent (smtp-server), so a harness can count each email the outbox delivered.
import { SMTPServer } from "smtp-server";

export type Received = { messageId: string; to: string[] };

export async function startSmtpSink(port: number): Promise<{ url: string; received: Received[]; close: () => Promise<void> }> {
  const received: Received[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    onData(stream, session, callback) {
      let text = "";
      stream.on("data", (chunk: Buffer) => (text += chunk.toString()));
      stream.on("end", () => {
        const messageId = /^Message-ID:\s*(.+)$/im.exec(text)?.[1]?.trim() ?? "";
        received.push({ messageId, to: session.envelope.rcptTo.map((address) => address.address) });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return { url: `smtp://127.0.0.1:${port}`, received, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
