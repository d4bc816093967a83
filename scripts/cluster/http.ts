// What the harness's clients send: API calls with a key, retried as a careful client would (the same Idempotency-Key
// on another instance after no answer, a 503 or a 409 "still being answered"), and server actions as a page posts them.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { root } from "../app-server";

export type Answer = { status: number; body: unknown };

/** Whether to send again: no answer at all, the database or the instance not ready, or the first request still running. */
function retryable(answer: Answer | null): boolean {
  if (!answer) return true;
  // A write cut off without a key that makes a resend harmless: resending could do it twice.
  if ((answer.body as { code?: string } | null)?.code === "outcome_unknown") return false;
  if (answer.status >= 500) return true;
  return answer.status === 409 && (answer.body as { code?: string } | null)?.code === "idempotency_key_in_use";
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function once(origin: string, method: string, path: string, headers: Record<string, string>, body?: unknown): Promise<Answer | null> {
  try {
    const response = await fetch(`${origin}${path}`, {
      method,
      headers: { "content-type": "application/json", ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(30_000),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // not JSON: kept as text for the report
    }
    return { status: response.status, body: parsed };
  } catch {
    return null; // no answer: the connection was refused or cut
  }
}

export type Sent = { answer: Answer; attempts: Answer[] };

/**
 * Sends until a definitive answer (anything but a network failure, a 5xx or a 409 "in use"), alternating instances,
 * for up to `deadlineMs`. Every answer is kept, so a check can compare what each attempt said.
 */
export async function sendUntilAnswered(
  origins: () => string[],
  request: { method: string; path: string; key: string; idempotencyKey?: string; body?: unknown },
  deadlineMs = 120_000,
): Promise<Sent> {
  const attempts: Answer[] = [];
  const headers: Record<string, string> = { authorization: `Bearer ${request.key}` };
  if (request.idempotencyKey) headers["idempotency-key"] = request.idempotencyKey;
  const deadline = Date.now() + deadlineMs;
  for (let attempt = 0; ; attempt++) {
    const live = origins();
    const origin = live[attempt % live.length];
    const answer = await once(origin, request.method, request.path, headers, request.body);
    if (answer) attempts.push(answer);
    if (!retryable(answer)) return { answer: answer!, attempts };
    if (Date.now() > deadline) throw new Error(`${request.method} ${request.path} had no definitive answer in ${deadlineMs / 1000} s: ${JSON.stringify(attempts.slice(-3))}`);
    await pause(200 + Math.random() * 400);
  }
}

type ManifestEntry = { filename: string; exportedName: string };

/** The id a production build gave a server action, from its manifest (what a page's form posts with). */
export function actionId(exportedName: string): string {
  const manifest = JSON.parse(readFileSync(join(root, ".next", "server", "server-reference-manifest.json"), "utf8")) as { node: Record<string, ManifestEntry> };
  const found = Object.entries(manifest.node).find(([, entry]) => entry.exportedName === exportedName);
  if (!found) throw new Error(`No server action ${exportedName} in the build.`);
  return found[0];
}

/** Calls a server action as the page's form does (the action's id, its argument, the session cookie); its result. */
export async function callAction(origin: string, cookie: string, pagePath: string, exportedName: string, input: unknown): Promise<{ ok: boolean; code?: string; message?: string } | null> {
  try {
    const response = await fetch(`${origin}${pagePath}`, {
      method: "POST",
      redirect: "manual",
      headers: { "next-action": actionId(exportedName), "content-type": "text/plain;charset=UTF-8", accept: "text/x-component", origin, cookie },
      body: JSON.stringify([input]),
      signal: AbortSignal.timeout(30_000),
    });
    const text = await response.text();
    // The flight answer: row 1 is the action's return value.
    const row = text.split("\n").find((line) => line.startsWith("1:"));
    return row ? (JSON.parse(row.slice(2)) as { ok: boolean; code?: string; message?: string }) : null;
  } catch {
    return null;
  }
}
