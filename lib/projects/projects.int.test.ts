// Projects through their server actions: create, rename, archive and restore, listed per team.
import { beforeEach, expect, it } from "vitest";
import type { ActionResult } from "@/lib/authz/result";
import { db } from "@/lib/db/client";
import { describeEachDatabase } from "@/test/db";
import { makeTeam, type TeamFixture } from "@/test/fixtures";
import { signInAs } from "@/test/session";
import { archiveProjectAction, createProjectAction, renameProjectAction, restoreProjectAction } from "./actions";
import { getProject, listProjects } from "./queries";

function expectFailure<T>(result: ActionResult<T>, code: string) {
  expect(result, JSON.stringify(result)).toMatchObject({ ok: false, code });
  if (result.ok) throw new Error("unreachable");
  return result;
}

async function createAs(fixture: TeamFixture, name: string, description?: string): Promise<string> {
  signInAs(fixture.people.admin);
  const result = await createProjectAction({ teamSlug: fixture.team.slug, name, ...(description === undefined ? {} : { description }) });
  if (!result.ok) throw new Error(`could not create ${name}: ${JSON.stringify(result)}`);
  return result.data.id;
}

async function projectRows(teamId: string) {
  return db().project.findMany({ where: { teamId }, orderBy: { id: "asc" } });
}

async function auditOf(teamId: string, action: string) {
  return db().auditLog.findMany({ where: { teamId, action }, orderBy: { createdAt: "asc" } });
}

describeEachDatabase("projects", () => {
  beforeEach(() => signInAs(null));

  it("lets an admin create a project, trimmed, with an audit entry; a member may not", async () => {
    const fixture = await makeTeam();
    signInAs(fixture.people.member);
    const before = await projectRows(fixture.team.id);
    expectFailure(await createProjectAction({ teamSlug: fixture.team.slug, name: "Spring campaign" }), "forbidden");
    expect(await projectRows(fixture.team.id)).toEqual(before);

    signInAs(fixture.people.admin);
    const result = await createProjectAction({ teamSlug: fixture.team.slug, name: "  Spring campaign ", description: " Posters and reels " });
    expect(result).toMatchObject({ ok: true, data: { name: "Spring campaign" }, message: "Project “Spring campaign” created." });
    if (!result.ok) return;
    const project = await db().project.findUniqueOrThrow({ where: { id: result.data.id } });
    expect(project).toMatchObject({
      teamId: fixture.team.id,
      name: "Spring campaign",
      description: "Posters and reels",
      archivedAt: null,
      createdById: fixture.people.admin.id,
    });
    expect(await auditOf(fixture.team.id, "project.created")).toMatchObject([
      { actorId: fixture.people.admin.id, targetType: "project", targetId: project.id, details: { name: "Spring campaign" } },
    ]);
    expect(await projectRows(fixture.team.id)).toHaveLength(before.length + 1);
  });

  it("refuses a name another project of the team has in any case, but not another team's", async () => {
    const fixture = await makeTeam();
    const other = await makeTeam();
    await createAs(fixture, "Spring campaign");
    const before = await projectRows(fixture.team.id);
    const auditBefore = await db().auditLog.count({ where: { teamId: fixture.team.id } });

    for (const name of ["Spring campaign", "SPRING CAMPAIGN", " spring Campaign "]) {
      const result = expectFailure(await createProjectAction({ teamSlug: fixture.team.slug, name }), "conflict");
      expect(result.fieldErrors, name).toEqual({ name: "Another project in this team already has this name." });
    }
    const short = expectFailure(await createProjectAction({ teamSlug: fixture.team.slug, name: "S" }), "invalid");
    expect(Object.keys(short.fieldErrors ?? {})).toEqual(["name"]);
    expect(await projectRows(fixture.team.id)).toEqual(before);
    expect(await db().auditLog.count({ where: { teamId: fixture.team.id } })).toBe(auditBefore);

    await createAs(other, "spring campaign");
    expect((await projectRows(other.team.id)).map((p) => p.name)).toContain("spring campaign");
  });

  it("creates one project when the same name arrives several times at once, in any case", async () => {
    for (let round = 0; round < 3; round++) {
      const fixture = await makeTeam();
      signInAs(fixture.people.admin);
      const results = await Promise.all(
        ["Spring", "spring", "Spring", "SPRING"].map((name) => createProjectAction({ teamSlug: fixture.team.slug, name })),
      );
      expect(results.filter((result) => result.ok), JSON.stringify(results)).toHaveLength(1);
      for (const result of results.filter((r) => !r.ok)) expect(result).toMatchObject({ code: "conflict", fieldErrors: { name: expect.any(String) } });
      expect(await db().project.count({ where: { teamId: fixture.team.id, name: { equals: "spring", mode: "insensitive" } } })).toBe(1);
      expect(await auditOf(fixture.team.id, "project.created")).toHaveLength(1);
    }
  });

  it("renames a project with an audit entry, refusing a name taken by another of the team's projects", async () => {
    const fixture = await makeTeam();
    const spring = await createAs(fixture, "Spring");
    await createAs(fixture, "Summer");

    const taken = expectFailure(await renameProjectAction({ teamSlug: fixture.team.slug, projectId: spring, name: "summer" }), "conflict");
    expect(Object.keys(taken.fieldErrors ?? {})).toEqual(["name"]);
    expect((await db().project.findUniqueOrThrow({ where: { id: spring } })).name).toBe("Spring");

    // Its own name in another case is not a clash.
    expect(await renameProjectAction({ teamSlug: fixture.team.slug, projectId: spring, name: "SPRING" })).toMatchObject({ ok: true });
    expect(await renameProjectAction({ teamSlug: fixture.team.slug, projectId: spring, name: "Autumn", description: "Leaves" })).toEqual({
      ok: true,
      data: null,
      message: "Project saved.",
    });
    expect(await db().project.findUniqueOrThrow({ where: { id: spring } })).toMatchObject({ name: "Autumn", description: "Leaves" });
    expect((await auditOf(fixture.team.id, "project.renamed")).map((entry) => entry.details)).toEqual([
      { from: "Spring", to: "SPRING" },
      { from: "SPRING", to: "Autumn" },
    ]);

    signInAs(fixture.people.approver);
    expectFailure(await renameProjectAction({ teamSlug: fixture.team.slug, projectId: spring, name: "Winter" }), "forbidden");
    expect((await db().project.findUniqueOrThrow({ where: { id: spring } })).name).toBe("Autumn");
  });

  it("archives and restores, refusing to do either twice", async () => {
    const fixture = await makeTeam();
    const id = await createAs(fixture, "Launch");
    const { slug } = fixture.team;

    expect(await archiveProjectAction({ teamSlug: slug, projectId: id })).toMatchObject({ ok: true, message: "Project archived." });
    const archivedAt = (await db().project.findUniqueOrThrow({ where: { id } })).archivedAt;
    expect(archivedAt).toBeInstanceOf(Date);

    const again = expectFailure(await archiveProjectAction({ teamSlug: slug, projectId: id }), "conflict");
    expect(again.message).toBe("This project is already archived.");
    expect((await db().project.findUniqueOrThrow({ where: { id } })).archivedAt).toEqual(archivedAt);

    expect(await restoreProjectAction({ teamSlug: slug, projectId: id })).toMatchObject({ ok: true, message: "Project restored." });
    expect((await db().project.findUniqueOrThrow({ where: { id } })).archivedAt).toBeNull();
    expect(expectFailure(await restoreProjectAction({ teamSlug: slug, projectId: id }), "conflict").message).toBe("This project is not archived.");

    expect(
      (await db().auditLog.findMany({ where: { teamId: fixture.team.id, targetId: id }, orderBy: { createdAt: "asc" } })).map((entry) => entry.action),
    ).toEqual(["project.created", "project.archived", "project.restored"]);
  });

  it("lists active, archived or all projects of one team only", async () => {
    const fixture = await makeTeam();
    const other = await makeTeam();
    const fixtureProject = (await db().project.findUniqueOrThrow({ where: { id: fixture.projectId } })).name;
    await createAs(fixture, "Beta");
    const alpha = await createAs(fixture, "Alpha");
    const gamma = await createAs(fixture, "Gamma");
    signInAs(fixture.people.admin);
    await archiveProjectAction({ teamSlug: fixture.team.slug, projectId: alpha });
    await archiveProjectAction({ teamSlug: fixture.team.slug, projectId: gamma });
    // Distinct archive times, so the order below is by time and not by the name that breaks ties.
    await db().project.update({ where: { id: alpha }, data: { archivedAt: new Date("2025-01-01T00:00:00Z") } });
    await db().project.update({ where: { id: gamma }, data: { archivedAt: new Date("2025-02-01T00:00:00Z") } });

    const names = async (filter?: "include" | "exclude" | "only") => (await listProjects(fixture.team.id, filter)).map((p) => p.name);
    expect(await names()).toEqual(["Beta", fixtureProject]);
    expect(await names("exclude")).toEqual(["Beta", fixtureProject]);
    // Archived ones: most recently archived first.
    expect(await names("only")).toEqual(["Gamma", "Alpha"]);
    expect(await names("include")).toEqual(["Beta", fixtureProject, "Gamma", "Alpha"]);

    const otherNames = (await listProjects(other.team.id, "include")).map((p) => p.name);
    expect(otherNames).toHaveLength(1);
    expect(otherNames).not.toContain("Beta");
  });

  it("treats another team's project id as unknown, changing nothing", async () => {
    const a = await makeTeam();
    const b = await makeTeam();
    const bArchived = await createAs(b, "B archived");
    signInAs(b.people.admin);
    await archiveProjectAction({ teamSlug: b.team.slug, projectId: bArchived });
    const before = await projectRows(b.team.id);
    const auditBefore = await db().auditLog.count();

    signInAs(a.people.owner);
    const results = [
      await renameProjectAction({ teamSlug: a.team.slug, projectId: b.projectId, name: "Hijacked" }),
      await archiveProjectAction({ teamSlug: a.team.slug, projectId: b.projectId }),
      await restoreProjectAction({ teamSlug: a.team.slug, projectId: bArchived }),
      await renameProjectAction({ teamSlug: b.team.slug, projectId: b.projectId, name: "Hijacked" }),
    ];
    for (const result of results) expectFailure(result, "not_found");
    expect(await projectRows(b.team.id)).toEqual(before);
    expect(await db().auditLog.count()).toBe(auditBefore);
    expect(await getProject(a.team.id, b.projectId)).toBeNull();
    expect(await getProject(b.team.id, b.projectId)).toMatchObject({ id: b.projectId });
  });
});
