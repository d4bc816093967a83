// Which failures of a group of ledger calls may be retried call by call: only statements the database refused.
import { describe, expect, it } from "vitest";
import { refusedByDatabase } from "./batch";

const refused = (originalCode?: string) => ({ code: "P2010", meta: { driverAdapterError: { name: "DriverAdapterError", cause: { originalCode } } } });

describe("refusedByDatabase", () => {
  it("is true for a statement PostgreSQL refused, which rolled the group back", () => {
    expect(refusedByDatabase(refused("22P02"))).toBe(true); // a bad enum value
    expect(refusedByDatabase(refused("23505"))).toBe(true); // a duplicate key
    expect(refusedByDatabase(refused("40P01"))).toBe(true); // a deadlock victim
  });

  it("is false when the connection or the server failed, and the group may have committed unseen", () => {
    expect(refusedByDatabase(refused("08006"))).toBe(false);
    expect(refusedByDatabase(refused("57P01"))).toBe(false);
    expect(refusedByDatabase(refused(undefined))).toBe(false);
    expect(refusedByDatabase(new Error("Connection terminated unexpectedly"))).toBe(false);
    expect(refusedByDatabase(null)).toBe(false);
  });
});
