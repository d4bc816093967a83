// Page links of keyset paging: what a cursor reads as, and that anything else gives the first page with a message.
import { describe, expect, it } from "vitest";
import { INVALID_PAGE_LINK, encodeKeyset, keysetWhere, readPageRequest } from "./keyset";

const digits = (text: string) => (/^\d{1,19}$/.test(text) ? BigInt(text) : undefined);

describe("readPageRequest", () => {
  it("reads back the cursor it wrote, in either direction", () => {
    const key = { createdAt: new Date("2026-03-01T10:00:00.123Z"), id: 4321n };
    const cursor = encodeKeyset(key);
    expect(cursor).toBe("1772359200123-4321");
    expect(readPageRequest({ older: cursor }, digits)).toEqual({ page: { direction: "older", from: key } });
    expect(readPageRequest({ newer: cursor }, digits)).toEqual({ page: { direction: "newer", from: key } });
    expect(readPageRequest({}, digits)).toEqual({ page: null });
  });

  it("gives the first page and a message for anything it did not write", () => {
    const bad = [
      { older: "garbage" },
      { older: "99999999999999999999-1" },
      { older: "9000000000000000-1" },
      { older: "1772359200123-" },
      { older: "1772359200123-12a" },
      { newer: "1772359200123-99999999999999999999" },
      { older: "1-1", newer: "2-2" },
      { older: `1-${"9".repeat(500)}` },
    ];
    for (const query of bad) expect(readPageRequest(query, digits), JSON.stringify(query)).toEqual({ page: null, error: INVALID_PAGE_LINK });
  });

  it("ignores an old-style page number", () => {
    expect(readPageRequest({ page: "99999999999999999999" }, digits)).toEqual({ page: null });
  });
});

describe("keysetWhere", () => {
  it("bounds the time alone, so the index can start at the cursor, and breaks ties by id", () => {
    const from = { createdAt: new Date(1_000), id: 7n };
    expect(keysetWhere("older", from)).toEqual({
      AND: [{ createdAt: { lte: from.createdAt } }, { OR: [{ createdAt: { lt: from.createdAt } }, { createdAt: from.createdAt, id: { lt: 7n } }] }],
    });
    expect(keysetWhere("newer", from)).toEqual({
      AND: [{ createdAt: { gte: from.createdAt } }, { OR: [{ createdAt: { gt: from.createdAt } }, { createdAt: from.createdAt, id: { gt: 7n } }] }],
    });
  });
});
