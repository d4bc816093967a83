// The client handed to code running inside one database transaction.
import type { Prisma } from "./generated/client";

export type TransactionClient = Prisma.TransactionClient;
