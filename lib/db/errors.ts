// Recognises the database errors that domains turn into messages for people.
import { Prisma } from "./generated/client";

/** A unique constraint refused the write (Prisma's P2002): someone else got there first. */
export function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002";
}
