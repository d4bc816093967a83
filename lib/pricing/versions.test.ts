// Which price list version is in force at a given moment.

import { describe, expect, it } from "vitest";
import { versionInForce } from "./versions";

const at = (iso: string) => new Date(iso);

describe("versionInForce", () => {
  const versions = [
    { version: 1, effectiveFrom: at("2026-01-01T00:00:00Z") },
    { version: 3, effectiveFrom: at("2026-03-01T00:00:00Z") },
    { version: 2, effectiveFrom: at("2026-02-01T00:00:00Z") },
  ];

  it("picks the latest version that took effect at or before the moment, in any array order", () => {
    expect(versionInForce(versions, at("2026-02-15T12:00:00Z"))?.version).toBe(2);
    expect(versionInForce(versions, at("2026-12-31T00:00:00Z"))?.version).toBe(3);
  });

  it("applies a version from its exact effective instant, not a millisecond before", () => {
    expect(versionInForce(versions, at("2026-03-01T00:00:00Z"))?.version).toBe(3);
    expect(versionInForce(versions, at("2026-02-28T23:59:59.999Z"))?.version).toBe(2);
  });

  it("has nothing in force before the first version or without versions", () => {
    expect(versionInForce(versions, at("2025-12-31T23:59:59Z"))).toBeUndefined();
    expect(versionInForce([], at("2026-01-01T00:00:00Z"))).toBeUndefined();
  });

  it("breaks ties on the same instant by the higher version number", () => {
    const same = at("2026-04-01T00:00:00Z");
    const tied = [
      { version: 5, effectiveFrom: same },
      { version: 4, effectiveFrom: same },
    ];
    expect(versionInForce(tied, at("2026-04-02T00:00:00Z"))?.version).toBe(5);
  });

  it("breaks ties without version numbers by array order, the later one winning", () => {
    const same = at("2026-04-01T00:00:00Z");
    const tied = [
      { name: "first", effectiveFrom: same },
      { name: "second", effectiveFrom: new Date(same) },
    ];
    expect(versionInForce(tied, same)?.name).toBe("second");
  });

  it("ignores versions with an invalid date, and answers nothing for an invalid moment", () => {
    const broken = [{ version: 1, effectiveFrom: at("2026-01-01T00:00:00Z") }, { version: 2, effectiveFrom: new Date("nope") }];
    expect(versionInForce(broken, at("2027-01-01T00:00:00Z"))?.version).toBe(1);
    expect(versionInForce(versions, new Date(Number.NaN))).toBeUndefined();
  });

  it("compares instants, so time zones of the input do not matter", () => {
    const local = [{ version: 1, effectiveFrom: at("2026-05-01T00:00:00+02:00") }];
    expect(versionInForce(local, at("2026-04-30T22:00:00Z"))?.version).toBe(1);
    expect(versionInForce(local, at("2026-04-30T21:59:59Z"))).toBeUndefined();
  });
});
