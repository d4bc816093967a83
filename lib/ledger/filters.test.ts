// Reading the ledger's and a project's run filters from a URL: valid fields apply, bad ones get a message at their field.
import { describe, expect, it } from "vitest";
import { readLedgerFilter, readRunFilter } from "./filters";

const team = { projects: new Set(["p1", "p2"]), people: new Set(["u1"]) };

describe("readLedgerFilter", () => {
  it("applies every valid field and keeps what was typed", () => {
    const read = readLedgerFilter({ projectId: "p1", actorId: " u1 ", kind: "charge", from: "2026-03-01", to: "2026-03-31" }, team);
    expect(read.filter).toEqual({ projectId: "p1", actorId: "u1", kind: "charge", from: "2026-03-01", to: "2026-03-31" });
    expect(read.errors).toEqual({});
    expect(read.values).toEqual({ projectId: "p1", actorId: "u1", kind: "charge", from: "2026-03-01", to: "2026-03-31" });
  });

  it("treats absent and empty fields as no filter", () => {
    expect(readLedgerFilter({}, team)).toEqual({ values: { projectId: "", actorId: "", kind: "", from: "", to: "" }, filter: {}, errors: {} });
    expect(readLedgerFilter({ kind: "", from: "  " }, team).filter).toEqual({});
  });

  it("refuses each bad value at its field and still applies the others", () => {
    const read = readLedgerFilter({ projectId: "elsewhere", actorId: "stranger", kind: "nonsense", from: "2026-02-31", to: "31/12/2026" }, team);
    expect(read.filter).toEqual({});
    expect(read.errors).toEqual({
      projectId: "That project is not in this team.",
      actorId: "That person is not in this team.",
      kind: "“nonsense” is not a kind of ledger entry.",
      from: "2026-02-31 is not a day in the calendar.",
      to: "Enter a date like 2026-12-31.",
    });
    const mixed = readLedgerFilter({ projectId: "p2", kind: "nonsense" }, team);
    expect(mixed.filter).toEqual({ projectId: "p2" });
    expect(Object.keys(mixed.errors)).toEqual(["kind"]);
  });

  it("refuses days before 1970, which the database cannot take as a bound (year 0 does not exist)", () => {
    const read = readLedgerFilter({ from: "0000-01-01", to: "1969-12-31" }, team);
    expect(read.filter).toEqual({});
    expect(read.errors).toEqual({ from: "0000-01-01 is before 1970; choose a later day.", to: "1969-12-31 is before 1970; choose a later day." });
  });

  it("refuses an end before the start at the end field and keeps the start", () => {
    const read = readLedgerFilter({ from: "2026-04-10", to: "2026-04-01" }, team);
    expect(read.filter).toEqual({ from: "2026-04-10" });
    expect(read.errors).toEqual({ to: "The end date is before the start date." });
    expect(readLedgerFilter({ from: "2026-04-10", to: "2026-04-10" }, team).filter).toEqual({ from: "2026-04-10", to: "2026-04-10" });
  });

  it("reads the first of repeated parameters and refuses values too long to be a filter", () => {
    expect(readLedgerFilter({ kind: ["refund", "grant"] }, team).filter).toEqual({ kind: "refund" });
    const long = readLedgerFilter({ projectId: "p".repeat(5_000) }, team);
    expect(long.filter).toEqual({});
    expect(long.errors.projectId).toMatch(/too long/);
  });

  it("never takes a prototype key for a known id", () => {
    expect(readLedgerFilter({ projectId: "constructor", kind: "toString" }, team).filter).toEqual({});
  });
});

describe("readRunFilter", () => {
  it("filters a project's runs by state and member, refusing others at their fields", () => {
    expect(readRunFilter({ state: "held", member: "u1" }, team)).toMatchObject({ filter: { state: "held", member: "u1" }, errors: {} });
    expect(readRunFilter({ state: "paused", member: "u9" }, team)).toMatchObject({
      filter: {},
      errors: { state: "“paused” is not a run state.", member: "That person is not in this team." },
    });
  });
});
