// Groups the credit operations of one team that arrive together into one database transaction (group commit).
import "server-only";
import { db } from "@/lib/db/client";
import type { TransactionClient } from "@/lib/db/transaction";

/** One call of a ledger function, as cw_batch takes it. */
export type LedgerCall = { op: "admit" | "record" | "settle" | "release"; team: string } & Record<string, unknown>;

type Waiting = { call: LedgerCall; resolve: (answer: unknown) => void; reject: (error: unknown) => void };

// Operations of one team happen one after another anyway (they lock the team's totals row), so
// while one transaction is in flight the next arrivals wait here and then go together. Teams share
// a few lanes rather than one queue each: with many teams busy at once, a commit and a round trip
// per operation cost more than the operations themselves, and a lane's group carries the
// operations of all its teams. A team always maps to the same lane, so its operations stay in
// order. Nothing depends on this for correctness: other processes still meet at the row lock.
const queues = new Map<number, Waiting[]>();
const MAX_BATCH = 64;
const LANES = 4;

/** The lane of a team (FNV-1a of its id): the same in every process. */
export function laneOf(team: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < team.length; i++) hash = Math.imul(hash ^ team.charCodeAt(i), 0x01000193);
  return (hash >>> 0) % LANES;
}

/**
 * The calls of a group in the order they are sent: by team, each team's in the order they came. cw_batch
 * locks each call's team as it reaches it, so every group — of any lane or process — takes its teams'
 * locks in the same order, and two groups cannot wait for each other.
 */
export function sendingOrder(calls: LedgerCall[]): number[] {
  return calls.map((_, i) => i).sort((a, b) => (calls[a].team < calls[b].team ? -1 : calls[a].team > calls[b].team ? 1 : a - b));
}

async function execute(calls: LedgerCall[]): Promise<unknown[]> {
  const order = sendingOrder(calls);
  const rows = await db().$queryRaw<{ result: string }[]>`SELECT cw_batch(${JSON.stringify(order.map((i) => calls[i]))}::jsonb)::text AS result`;
  const sent = JSON.parse(rows[0].result) as unknown[];
  const answers: unknown[] = new Array(calls.length);
  order.forEach((i, j) => (answers[i] = sent[j]));
  return answers;
}

async function drain(lane: number, queue: Waiting[]) {
  while (queue.length > 0) {
    const batch = queue.splice(0, MAX_BATCH);
    try {
      const answers = await execute(batch.map((waiting) => waiting.call));
      batch.forEach((waiting, i) => waiting.resolve(answers[i]));
    } catch (error) {
      // Only a statement the database refused is known to have rolled back. After a lost connection the
      // group may have committed, and sent again its admissions would hold twice: each caller gets the
      // error instead, and a retry with its idempotency key gets the first answer.
      if (batch.length === 1 || !refusedByDatabase(error)) {
        for (const waiting of batch) waiting.reject(error);
        continue;
      }
      // One failing call must not fail the calls it happened to travel with: retry each alone.
      for (const waiting of batch) {
        try {
          waiting.resolve((await execute([waiting.call]))[0]);
        } catch (single) {
          waiting.reject(single);
        }
      }
    }
  }
  queues.delete(lane);
}

/**
 * Whether PostgreSQL refused a statement (the error carries its SQLSTATE), which rolls the transaction
 * back, as opposed to a connection lost, a server shutting down or a system error, after which a
 * commit may have happened unseen.
 */
export function refusedByDatabase(error: unknown): boolean {
  const code = (error as { meta?: { driverAdapterError?: { cause?: { originalCode?: unknown } } } } | null)?.meta?.driverAdapterError?.cause?.originalCode;
  return typeof code === "string" && /^[0-9A-Z]{5}$/.test(code) && !/^(08|57|58|XX)/.test(code);
}

/** Calls run inside the caller's own transaction (which may hold locks of its own first), in the order given. */
export async function runLedgerCallsIn(tx: Pick<TransactionClient, "$queryRaw">, calls: LedgerCall[]): Promise<unknown[]> {
  const rows = await tx.$queryRaw<{ result: string }[]>`SELECT cw_batch(${JSON.stringify(calls)}::jsonb)::text AS result`;
  return JSON.parse(rows[0].result) as unknown[];
}

export function runLedgerCall(call: LedgerCall): Promise<unknown> {
  if (process.env.LEDGER_BATCHING === "off") return execute([call]).then((answers) => answers[0]);
  return new Promise((resolve, reject) => {
    const lane = laneOf(call.team);
    const queue = queues.get(lane);
    if (queue) {
      queue.push({ call, resolve, reject });
      return;
    }
    const fresh: Waiting[] = [{ call, resolve, reject }];
    queues.set(lane, fresh);
    void drain(lane, fresh);
  });
}

const IN_ORDER_CHUNK = 200;

/** Calls of one team applied strictly in the order given, a chunk per transaction (imports, played-back history). */
export async function runLedgerCallsInOrder(calls: LedgerCall[]): Promise<unknown[]> {
  const answers: unknown[] = [];
  for (let i = 0; i < calls.length; i += IN_ORDER_CHUNK) answers.push(...(await execute(calls.slice(i, i + IN_ORDER_CHUNK))));
  return answers;
}
