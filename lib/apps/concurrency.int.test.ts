// Apps changed while someone starts them, on PostgreSQL (several connections): a run either comes before a retire,
// a publish or a change of the draft, or sees what it committed — never a batch of a version that stopped being it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDatabase, db, useDatabase } from "@/lib/db/client";
import { publishedApp } from "@/test/apps";
import { openFreshDatabase } from "@/test/db";
import { makeTeam, type TeamFixture } from "@/test/fixtures";
import { retireApp, runApp } from "./commands";

describe.skipIf(!process.env.TEST_DATABASE_URL)("apps under concurrent changes on PostgreSQL (needs TEST_DATABASE_URL)", () => {
  let fixture: TeamFixture;

  beforeAll(async () => {
    const database = await openFreshDatabase("postgres");
    useDatabase(database.client, database.close);
    fixture = await makeTeam();
  });
  afterAll(async () => {
    await closeDatabase();
  });

  it("refuses a run that started while the app was being retired, once the retire commits", async () => {
    const { appId } = await publishedApp(fixture);
    const member = { user: fixture.people.member, team: fixture.team, role: "member" as const };
    let commitRetire!: () => void;
    let retireLocked!: () => void;
    const locked = new Promise<void>((resolve) => (retireLocked = resolve));
    // An admin's retire holds the app's row (as retireApp does) and commits only when told to.
    const retiring = db().$transaction(
      async (tx) => {
        await tx.$queryRaw`SELECT 1 FROM "App" WHERE "id" = ${appId} FOR UPDATE`;
        await tx.app.update({ where: { id: appId }, data: { retiredAt: new Date(), retiredById: fixture.people.admin.id } });
        retireLocked();
        await new Promise<void>((resolve) => (commitRetire = resolve));
      },
      { timeout: 20_000 },
    );
    await locked;
    const running = runApp(member, { appId, projectId: fixture.projectId, values: { variants: 2 }, test: false });
    const settled = running.then(
      () => "started",
      (error: Error) => error.message,
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    commitRetire();
    await retiring;
    await expect(settled).resolves.toMatch(/was retired/);
    expect(await db().batch.count({ where: { teamId: fixture.team.id } })).toBe(0);
  });

  it("lets runs and a retire of the same app go at once without deadlock: each run is before the retire or refused", async () => {
    const team = await makeTeam();
    const { appId } = await publishedApp(team);
    const member = { user: team.people.member, team: team.team, role: "member" as const };
    const admin = { user: team.people.admin, team: team.team, role: "admin" as const };
    const runs = Array.from({ length: 8 }, () => runApp(member, { appId, projectId: team.projectId, values: { variants: 1 }, test: false }).then(() => "ok", (error: Error) => error.message));
    const retired = retireApp(admin, appId);
    const outcomes = await Promise.all(runs);
    await retired;
    for (const outcome of outcomes) expect(outcome === "ok" || /was retired/.test(outcome)).toBe(true);
    expect(await db().batch.count({ where: { teamId: team.team.id } })).toBe(outcomes.filter((outcome) => outcome === "ok").length);
  });
});
