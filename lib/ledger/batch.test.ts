// Which failures of a group of ledger calls may be retried call by call, and how a group is ordered and laned.
import { describe, expect, it } from "vitest";
import { laneOf, refusedByDatabase, sendingOrder, type LedgerCall } from "./batch";

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

describe("sendingOrder", () => {
  const call = (team: string, runId: string): LedgerCall => ({ op: "settle", team, runId });

  it("sends a group by team, each team's calls in the order they came", () => {
    const calls = [call("t2", "a"), call("t1", "b"), call("t2", "c"), call("t1", "d"), call("t3", "e")];
    expect(sendingOrder(calls).map((i) => calls[i].runId)).toEqual(["b", "d", "a", "c", "e"]);
  });
});

describe("laneOf", () => {
  it("puts a team in the same lane every time", () => {
    const lanes = Array.from({ length: 200 }, (_, i) => laneOf(`team${i}`));
    expect(Array.from({ length: 200 }, (_, i) => laneOf(`team${i}`))).toEqual(lanes);
    expect(new Set(lanes).size).toBeGreaterThan(1);
  });
});
