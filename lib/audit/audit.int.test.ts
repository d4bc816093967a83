// The audit log page's query: keyset pages newest first, filters by person, kind of change and days, and page links that cannot break it.
import { beforeAll, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { INVALID_PAGE_LINK, readPageRequest } from "@/lib/db/keyset";
import { describeEachDatabase } from "@/test/db";
import { makeTeam, type TeamFixture } from "@/test/fixtures";
import { readAuditFilter } from "./filters";
import { AUDIT_PAGE_SIZE, listAuditLog, parseAuditId } from "./queries";

const MINUTE = 60_000;
const START = Date.UTC(2026, 5, 1, 9);

describeEachDatabase("audit log", () => {
  let fixture: TeamFixture;
  let newestFirst: string[];

  beforeAll(async () => {
    fixture = await makeTeam("Asia/Tokyo");
    const other = await makeTeam();
    const { admin, owner } = fixture.people;
    const actions = ["project.created", "invitation.created", "credits.granted", "price_list.saved"];
    // 60 changes a minute apart, four of them at one instant across the first page boundary.
    await db().auditLog.createMany({
      data: Array.from({ length: 60 }, (_, i) => ({
        teamId: fixture.team.id,
        actorId: i % 3 === 0 ? owner.id : admin.id,
        action: actions[i % 4],
        createdAt: new Date(i >= 8 && i <= 11 ? START + 8 * MINUTE : START + i * MINUTE),
      })),
    });
    await db().auditLog.createMany({ data: Array.from({ length: 5 }, (_, i) => ({ teamId: other.team.id, actorId: other.people.owner.id, action: "project.created", createdAt: new Date(START + i * MINUTE) })) });
    const rows = await db().auditLog.findMany({ where: { teamId: fixture.team.id }, orderBy: [{ createdAt: "desc" }, { id: "desc" }], select: { id: true } });
    newestFirst = rows.map((row) => row.id);
  });

  const ids = (page: Awaited<ReturnType<typeof listAuditLog>>) => page.entries.map((entry) => entry.id);
  const follow = (query: Record<string, string>, filter = {}) => listAuditLog(fixture.team, filter, readPageRequest(query, parseAuditId).page);

  it("pages newest first by keyset, each change once, none of another team's", async () => {
    const first = await listAuditLog(fixture.team);
    expect(ids(first)).toEqual(newestFirst.slice(0, AUDIT_PAGE_SIZE));
    expect(first.newer).toBeNull();
    const second = await follow({ older: first.older! });
    expect(ids(second)).toEqual(newestFirst.slice(AUDIT_PAGE_SIZE));
    expect(second.older).toBeNull();
    expect(ids(await follow({ newer: second.newer! }))).toEqual(ids(first));
  });

  it("filters by person, kind of change and days in the team's time zone", async () => {
    const { owner } = fixture.people;
    const byOwner = await listAuditLog(fixture.team, { actorId: owner.id });
    expect(byOwner.entries).toHaveLength(20);
    expect(new Set(byOwner.entries.map((entry) => entry.actor?.name))).toEqual(new Set([owner.name]));
    const credits = await listAuditLog(fixture.team, { kind: "credits" });
    expect(new Set(credits.entries.map((entry) => entry.action))).toEqual(new Set(["credits.granted"]));
    expect(credits.entries).toHaveLength(15);
    // 09:00 UTC on June 1 is 18:00 in Tokyo, so every change is on June 1 there; none on May 31 or June 2.
    expect((await listAuditLog(fixture.team, { from: "2026-06-01", to: "2026-06-01" })).entries).toHaveLength(AUDIT_PAGE_SIZE);
    expect((await listAuditLog(fixture.team, { to: "2026-05-31" })).entries).toEqual([]);
    expect((await listAuditLog(fixture.team, { from: "2026-06-02" })).entries).toEqual([]);
  });

  it("reads the filter from the URL with messages for what it cannot use", () => {
    const team = { people: new Set([fixture.people.owner.id]) };
    expect(readAuditFilter({ actorId: fixture.people.owner.id, kind: "price_list", from: "2026-06-01" }, team).filter).toEqual({
      actorId: fixture.people.owner.id,
      kind: "price_list",
      from: "2026-06-01",
    });
    expect(readAuditFilter({ actorId: fixture.outsider.id, kind: "coffee", to: "2026-13-01" }, team).errors).toEqual({
      actorId: "That person is not in this team.",
      kind: "“coffee” is not a kind of change.",
      to: "2026-13-01 is not a day in the calendar.",
    });
  });

  it("answers a huge page number or a garbage cursor with the first page, never an error", async () => {
    const first = ids(await listAuditLog(fixture.team));
    expect(ids(await follow({ page: "99999999999999999999" }))).toEqual(first);
    for (const older of ["garbage", "99999999999999999999-x", "1-'; DROP TABLE", `1-${"a".repeat(100)}`]) {
      const read = readPageRequest({ older }, parseAuditId);
      expect(read).toEqual({ page: null, error: INVALID_PAGE_LINK });
      expect(ids(await listAuditLog(fixture.team, {}, read.page))).toEqual(first);
    }
    // A well-formed cursor past every entry is an empty page that leads back.
    const past = await follow({ older: "0-zzz" });
    expect(past.entries).toEqual([]);
    expect(past.newer).not.toBeNull();
  });
});
