// The ledger list of the Credits page: keyset pages newest first on (createdAt, id), filters, and a bounded count.
import { beforeAll, describe, expect, it } from "vitest";
import { readPageRequest } from "@/lib/db/keyset";
import { db } from "@/lib/db/client";
import type { Prisma } from "@/lib/db/generated/client";
import { describeEachDatabase } from "@/test/db";
import { makeTeam, type TeamFixture } from "@/test/fixtures";
import { LEDGER_COUNT_LIMIT, LEDGER_PAGE_SIZE, listLedger, parseLedgerId } from "./queries";

const MINUTE = 60_000;
const START = Date.UTC(2026, 2, 1, 12);

// Entries written straight into the table: listing needs rows, not the ledger's arithmetic.
function entry(fixture: TeamFixture, at: number, overrides: Partial<Prisma.LedgerEntryCreateManyInput> = {}): Prisma.LedgerEntryCreateManyInput {
  return {
    teamId: fixture.team.id,
    kind: "charge",
    amount: -10,
    heldDelta: 0,
    balanceAfter: 0,
    heldAfter: 0,
    availableAfter: 0,
    createdAt: new Date(at),
    ...overrides,
  };
}

type Listed = Awaited<ReturnType<typeof listLedger>>;
const ids = (page: Listed) => page.entries.map((e) => e.id);
const follow = (fixture: TeamFixture, cursor: string, direction: "older" | "newer", filter = {}) =>
  listLedger(fixture.team, filter, readPageRequest({ [direction]: cursor }, parseLedgerId).page);

describeEachDatabase("ledger list", () => {
  let fixture: TeamFixture;
  let newestFirst: string[];

  beforeAll(async () => {
    fixture = await makeTeam("Europe/Berlin");
    const other = await makeTeam();
    // 250 entries a minute apart, except that six share one instant across the first page boundary:
    // the id must break the tie, or a page would repeat or skip them.
    const rows = Array.from({ length: 250 }, (_, i) => entry(fixture, i >= 147 && i <= 152 ? START + 147 * MINUTE : START + i * MINUTE));
    await db().ledgerEntry.createMany({ data: rows });
    await db().ledgerEntry.createMany({ data: Array.from({ length: 30 }, (_, i) => entry(other, START + i * MINUTE + 30_000)) });
    const all = await db().ledgerEntry.findMany({ where: { teamId: fixture.team.id }, orderBy: [{ createdAt: "desc" }, { id: "desc" }], select: { id: true } });
    newestFirst = all.map((row) => row.id.toString());
  });

  it("pages newest first with older and newer links, each entry exactly once, no other team's", async () => {
    const first = await listLedger(fixture.team);
    expect(ids(first)).toEqual(newestFirst.slice(0, LEDGER_PAGE_SIZE));
    expect(first.newer).toBeNull();
    expect(first.matching).toEqual({ count: 250, more: false });

    const second = await follow(fixture, first.older!, "older");
    expect(ids(second)).toEqual(newestFirst.slice(100, 200));
    const third = await follow(fixture, second.older!, "older");
    expect(ids(third)).toEqual(newestFirst.slice(200));
    expect(third.older).toBeNull();

    // Back up: newer than the third page is the second again, and newer than that the first, whole.
    const back = await follow(fixture, third.newer!, "newer");
    expect(ids(back)).toEqual(ids(second));
    expect(back.older).toBe(second.older);
    const top = await follow(fixture, back.newer!, "newer");
    expect(ids(top)).toEqual(ids(first));
    expect(top.newer).toBeNull();
  });

  it("keeps a page the same when newer entries arrive meanwhile", async () => {
    const team = await makeTeam();
    await db().ledgerEntry.createMany({ data: Array.from({ length: 120 }, (_, i) => entry(team, START + i * MINUTE)) });
    const first = await listLedger(team.team);
    const before = await follow(team, first.older!, "older");
    await db().ledgerEntry.createMany({ data: Array.from({ length: 5 }, (_, i) => entry(team, START + (500 + i) * MINUTE)) });
    expect(ids(await follow(team, first.older!, "older"))).toEqual(ids(before));
  });

  it("answers a cursor past the end with an empty page that leads back", async () => {
    const page = await listLedger(fixture.team, {}, { direction: "older", from: { createdAt: new Date(0), id: 1n } });
    expect(page.entries).toEqual([]);
    expect(page.older).toBeNull();
    expect(page.newer).not.toBeNull();
    // The page just above the cursor: the oldest hundred.
    expect(ids(await follow(fixture, page.newer!, "newer"))).toEqual(newestFirst.slice(-LEDGER_PAGE_SIZE));
  });
});

describeEachDatabase("ledger list filters", () => {
  let fixture: TeamFixture;
  let otherProject: string;

  beforeAll(async () => {
    fixture = await makeTeam("America/New_York");
    otherProject = (await db().project.create({ data: { teamId: fixture.team.id, name: "Other" }, select: { id: true } })).id;
    const { admin, member } = fixture.people;
    await db().ledgerEntry.createMany({
      data: [
        entry(fixture, Date.UTC(2026, 2, 1, 4, 59), { kind: "grant", amount: 1000, actorId: admin.id }), // Feb 28, 23:59 in New York
        entry(fixture, Date.UTC(2026, 2, 1, 5, 0), { projectId: fixture.projectId, actorId: member.id }), // Mar 1, 00:00 EST
        entry(fixture, Date.UTC(2026, 2, 10), { kind: "hold", projectId: otherProject, actorId: member.id }),
        entry(fixture, Date.UTC(2026, 2, 31, 12), { kind: "refund", amount: 5, projectId: fixture.projectId, actorId: admin.id }),
        entry(fixture, Date.UTC(2026, 3, 1, 3, 59, 59, 999), { kind: "release", projectId: otherProject, actorId: admin.id }), // Mar 31, 23:59:59.999 EDT
        entry(fixture, Date.UTC(2026, 3, 1, 4, 0), { kind: "adjustment", actorId: admin.id }), // Apr 1, 00:00 EDT
      ],
    });
  });

  const kinds = (page: Listed) => page.entries.map((e) => e.kind);

  it("filters by project, person, kind and days in the team's time zone, and counts the matches", async () => {
    const { admin, member } = fixture.people;
    const project = await listLedger(fixture.team, { projectId: fixture.projectId });
    expect(kinds(project)).toEqual(["refund", "charge"]);
    expect(project.matching).toEqual({ count: 2, more: false });
    expect(kinds(await listLedger(fixture.team, { actorId: member.id }))).toEqual(["hold", "charge"]);
    expect(kinds(await listLedger(fixture.team, { actorId: admin.id, kind: "refund" }))).toEqual(["refund"]);
    // March in New York: from its first instant (EST) to the last millisecond before April begins (EDT).
    const march = await listLedger(fixture.team, { from: "2026-03-01", to: "2026-03-31" });
    expect(kinds(march)).toEqual(["release", "refund", "hold", "charge"]);
    expect(march.matching).toEqual({ count: 4, more: false });
    expect(kinds(await listLedger(fixture.team, { projectId: otherProject, from: "2026-04-01" }))).toEqual([]);
    expect(kinds(await listLedger(fixture.team, { to: "2026-02-28" }))).toEqual(["grant"]);
  });

  it("keeps the filter across pages", async () => {
    const team = await makeTeam();
    const rows = Array.from({ length: 230 }, (_, i) => entry(team, START + i * MINUTE, { kind: i % 2 ? "hold" : "charge" }));
    await db().ledgerEntry.createMany({ data: rows });
    const first = await listLedger(team.team, { kind: "hold" });
    const second = await follow(team, first.older!, "older", { kind: "hold" });
    expect(first.entries.length + second.entries.length).toBe(115);
    expect(second.older).toBeNull();
    expect(new Set([...kinds(first), ...kinds(second)])).toEqual(new Set(["hold"]));
  });
});

describe("ledger ids in page links", () => {
  it("reads only a BIGSERIAL's digits within its range", () => {
    expect(parseLedgerId("9223372036854775807")).toBe(9_223_372_036_854_775_807n);
    expect(parseLedgerId("9223372036854775808")).toBeUndefined();
    expect(parseLedgerId("-1")).toBeUndefined();
    expect(parseLedgerId("1e3")).toBeUndefined();
  });
});

describeEachDatabase("ledger list count", () => {
  it(`counts matches up to ${LEDGER_COUNT_LIMIT} and says "more" past it`, async () => {
    const fixture = await makeTeam();
    await db().ledgerEntry.createMany({ data: Array.from({ length: LEDGER_COUNT_LIMIT + 5 }, (_, i) => entry(fixture, START + i * 1_000)) });
    const page = await listLedger(fixture.team);
    expect(page.matching).toEqual({ count: LEDGER_COUNT_LIMIT, more: true });
    expect(page.entries).toHaveLength(LEDGER_PAGE_SIZE);
    expect((await listLedger(fixture.team, { kind: "grant" })).matching).toEqual({ count: 0, more: false });
  });
});
