// Deletes what has outlived its use: idempotency records (the ledger's and the API's) past their retention and rate-limit buckets whose window has passed.
import type { Db } from "@/lib/db/client";

const HOUR = 60 * 60 * 1000;

/** A retry with the same idempotency key within this time gets the first answer; after it, the request runs anew. */
export const IDEMPOTENCY_RETENTION_MS = 7 * 24 * HOUR;

/**
 * Longer than any rate-limit window (sign-in's is 15 minutes): a bucket older than its window counts
 * nothing, since the next attempt starts it again, so deleting it changes no limit.
 */
export const RATE_LIMIT_RETENTION_MS = 24 * HOUR;

/** Rows per DELETE: each batch is its own short statement, so no prune holds many row locks at once. */
export const PRUNE_BATCH_SIZE = 1_000;

export type PruneOptions = {
  batchSize?: number;
  /** Batches per table in one call; what is left waits for the next call. */
  maxBatches?: number;
  idempotencyRetentionMs?: number;
  rateLimitRetentionMs?: number;
};

export type PruneResult = {
  idempotencyRecords: number;
  /** The API's kept answers to Idempotency-Key requests (the same retention as the ledger's). */
  apiRequests: number;
  rateLimitBuckets: number;
  /** False when maxBatches stopped a table with expired rows left: call again soon. */
  done: boolean;
};

type Client = Pick<Db, "$executeRaw">;

async function inBatches(deleteBatch: () => Promise<number>, batchSize: number, maxBatches: number) {
  let deleted = 0;
  for (let batch = 0; batch < maxBatches; batch++) {
    const count = await deleteBatch();
    deleted += count;
    if (count < batchSize) return { deleted, done: true };
  }
  return { deleted, done: false };
}

/**
 * Prunes both tables in batches, oldest first, through their time indexes. Safe to run from every app
 * instance at once: SKIP LOCKED lets each take rows no other prune holds, and never makes a request wait.
 */
export async function pruneExpiredRecords(client: Client, now: Date = new Date(), options: PruneOptions = {}): Promise<PruneResult> {
  const batchSize = options.batchSize ?? PRUNE_BATCH_SIZE;
  const maxBatches = options.maxBatches ?? 100;
  const idempotencyCutoff = new Date(now.getTime() - (options.idempotencyRetentionMs ?? IDEMPOTENCY_RETENTION_MS)).toISOString();
  const bucketCutoff = new Date(now.getTime() - (options.rateLimitRetentionMs ?? RATE_LIMIT_RETENTION_MS)).toISOString();

  const records = await inBatches(
    () => client.$executeRaw`
      DELETE FROM "IdempotencyRecord" WHERE ("teamId", "key") IN (
        SELECT "teamId", "key" FROM "IdempotencyRecord" WHERE "createdAt" < ${idempotencyCutoff}::timestamp
        ORDER BY "createdAt" LIMIT ${batchSize} FOR UPDATE SKIP LOCKED)`,
    batchSize,
    maxBatches,
  );
  const apiRequests = await inBatches(
    () => client.$executeRaw`
      DELETE FROM "ApiRequest" WHERE ("teamId", "caller", "key") IN (
        SELECT "teamId", "caller", "key" FROM "ApiRequest" WHERE "createdAt" < ${idempotencyCutoff}::timestamp
        ORDER BY "createdAt" LIMIT ${batchSize} FOR UPDATE SKIP LOCKED)`,
    batchSize,
    maxBatches,
  );
  const buckets = await inBatches(
    () => client.$executeRaw`
      DELETE FROM "RateLimitBucket" WHERE "key" IN (
        SELECT "key" FROM "RateLimitBucket" WHERE "windowStart" < ${bucketCutoff}::timestamp
        ORDER BY "windowStart" LIMIT ${batchSize} FOR UPDATE SKIP LOCKED)`,
    batchSize,
    maxBatches,
  );
  return {
    idempotencyRecords: records.deleted,
    apiRequests: apiRequests.deleted,
    rateLimitBuckets: buckets.deleted,
    done: records.done && apiRequests.done && buckets.done,
  };
}
