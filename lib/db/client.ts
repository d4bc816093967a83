// The one Prisma client of this process, opened lazily on first use.
import { PrismaClient } from "./generated/client.ts";
import { databaseTarget, openAdapter, type DatabaseTarget } from "./connection.ts";

export type Db = InstanceType<typeof PrismaClient>;

type Holder = { client?: Db; close?: () => Promise<void> };

// One client per process, kept on globalThis: without it every route module and
// every dev reload would open its own PGlite on the same folder.
const holder: Holder = ((globalThis as { __creditwiseDb?: Holder }).__creditwiseDb ??= {});

export function db(): Db {
  if (!holder.client) {
    const opened = openDatabase(databaseTarget());
    holder.client = opened.client;
    holder.close = opened.close;
  }
  return holder.client;
}

export function openDatabase(target: DatabaseTarget): { client: Db; close: () => Promise<void> } {
  const adapter = openAdapter(target);
  const client = new PrismaClient({ adapter: adapter.factory });
  return {
    client,
    close: async () => {
      await client.$disconnect();
      await adapter.close();
    },
  };
}

/** Replaces the process's client (tests point it at their own fresh database). */
export function useDatabase(client: Db | undefined, close?: () => Promise<void>): void {
  holder.client = client;
  holder.close = close;
}

export async function closeDatabase(): Promise<void> {
  const close = holder.close;
  holder.client = undefined;
  holder.close = undefined;
  await close?.();
}
