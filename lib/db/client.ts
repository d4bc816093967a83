// The one Prisma client of this process, opened lazily on first use.
import { PrismaClient } from "./generated/client.ts";
import { databaseTarget, openAdapter, type DatabaseTarget } from "./connection.ts";

export type Db = InstanceType<typeof PrismaClient>;

type Holder = { client?: Db; close?: () => Promise<void>; closedForGood?: boolean };

// One client per process, kept on globalThis: without it every route module and
// every dev reload would open its own PGlite on the same folder.
const holder: Holder = ((globalThis as { __creditwiseDb?: Holder }).__creditwiseDb ??= {});

export function db(): Db {
  // A straggler after the shutdown closed the database must not open it again (the embedded one twice at once).
  // P1017 (the server closed the connection): a request caught here is answered "try again", on another instance.
  if (holder.closedForGood) throw Object.assign(new Error("The database is closed: this process is shutting down."), { code: "P1017" });
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

/** Replaces the process's client (tests point it at their own fresh database); without `close`, the current one stays. */
export function useDatabase(client: Db | undefined, close: (() => Promise<void>) | undefined = holder.close): void {
  holder.client = client;
  holder.close = close;
}

/** Closes the process's client; `final` (a shutdown) also stops `db()` from opening another. */
export async function closeDatabase(options: { final?: boolean } = {}): Promise<void> {
  if (options.final) holder.closedForGood = true;
  const close = holder.close;
  holder.client = undefined;
  holder.close = undefined;
  await close?.();
}
