// Import defects found in review, each with the test that showed it: a cut upload, a moved time zone, a reused
// external id, report cells, questionable dates, defaults, background recording, remembered skips, preview and messages.
import { beforeAll, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { addGrant } from "@/lib/ledger/commands";
import { describeEachDatabase } from "@/test/db";
import { makeTeam, withoutApprovals, type TeamFixture } from "@/test/fixtures";
import { chunks, sample } from "@/test/imports";
import { contextOf, refused } from "@/test/results";
import { updateTeam } from "@/lib/teams/commands";
import { signInAs } from "@/test/session";
import { POST as upload } from "@/app/t/[teamSlug]/usage/import/upload/route";
import { discardImport, discardStaleUploads, stageUpload, startImport } from "./commands";
import { processImportJob } from "./process";
import { getImportJob, listImports, presentRows, previewRows, REPORT_COLUMNS, reportRows } from "./queries";

const NOW = new Date("2026-12-01T12:00:00Z");


const DEFAULTS = { stage: "test", outcome: "accepted", purpose: "internal_review" } as const;

async function importText(fixture: TeamFixture, text: string, choices: Record<string, string> = {}, name = "usage.csv") {
  const ctx = contextOf(fixture, "admin");
  const { jobId } = await stageUpload(ctx, name, chunks(text), NOW);
  await startImport(ctx, { jobId, projectId: fixture.projectId, ...DEFAULTS, ...choices }, NOW);
  await processImportJob(jobId);
  return (await getImportJob(fixture.team.id, jobId))!;
}

/** A runs file of `count` rows, each its own content. */
function runsFile(fixture: TeamFixture, count: number): string {
  const lines = ["date,user email,model,settings,quantity,credits,stage,outcome,project,prompt,external id"];
  for (let i = 0; i < count; i++) lines.push(`2026-11-10T09:05:00Z,${fixture.people.member.email},Qwen Image,resolution=1k,4,80,test,accepted,,prompt ${i},`);
  return lines.join("\n") + "\n";
}

describeEachDatabase("import fixes", () => {
  let fixture: TeamFixture;

  beforeAll(async () => {
    fixture = await makeTeam();
    await withoutApprovals(fixture.team.id);
    await addGrant(contextOf(fixture, "owner"), { amount: 500_000, source: "Top-up", note: "" }, new Date("2026-10-01T00:00:00Z"));
  });

  it("3. two imports of one team recording at once: an external id reused with other content is refused, never taken as present", async () => {
    const team = await makeTeam();
    await withoutApprovals(team.team.id);
    await addGrant(contextOf(team, "owner"), { amount: 500_000, source: "Top-up", note: "" }, new Date("2026-10-01T00:00:00Z"));
    const file = (credits: number) =>
      ["date,user email,model,settings,quantity,credits,stage,outcome,project,prompt,external id"]
        .concat(Array.from({ length: 120 }, (_, i) => `2026-11-10T09:05:00Z,${team.people.member.email},Qwen Image,resolution=1k,1,${credits},test,accepted,,p ${i},ext-${i}`))
        .join("\n");
    const ctx = contextOf(team, "admin");
    const staged = [];
    for (const [name, credits] of [["a.csv", 10], ["b.csv", 20]] as const) {
      const { jobId } = await stageUpload(ctx, name, chunks(file(credits)), NOW);
      await startImport(ctx, { jobId, projectId: team.projectId, ...DEFAULTS }, NOW);
      staged.push(jobId);
    }
    await Promise.all(staged.map((jobId) => processImportJob(jobId, { chunkRows: 10 })));
    const [a, b] = await Promise.all(staged.map((jobId) => getImportJob(team.team.id, jobId)));
    // Whichever recorded an id first has it; the other refuses it: 120 runs, no row "already present".
    expect(a!.imported + b!.imported).toBe(120);
    expect(a!.present + b!.present).toBe(0);
    expect(a!.refused + b!.refused).toBe(120);
    expect(await db().run.count({ where: { teamId: team.team.id } })).toBe(120);
  });

  it("1. an upload cut midway rejects (no hang) and leaves no job behind", async () => {
    const ctx = contextOf(fixture, "admin");
    const text = runsFile(fixture, 3_000);
    async function* cut() {
      yield Buffer.from(text.slice(0, text.length / 2));
      throw new Error("connection reset");
    }
    const before = await db().importJob.count({ where: { teamId: fixture.team.id } });
    await expect(stageUpload(ctx, "cut.csv", cut(), NOW)).rejects.toThrow("connection reset");
    expect(await db().importJob.count({ where: { teamId: fixture.team.id } })).toBe(before);
  }, 20_000);

  it("1. a file past the size limit is refused at the file field, and leaves no job behind", async () => {
    const ctx = contextOf(fixture, "admin");
    const before = await db().importJob.count({ where: { teamId: fixture.team.id } });
    const error = await refused(stageUpload(ctx, "big.csv", chunks(runsFile(fixture, 500), 1_000), NOW, 10_000));
    expect(error.fieldErrors?.file).toMatch(/larger than/);
    expect(await db().importJob.count({ where: { teamId: fixture.team.id } })).toBe(before);
  }, 20_000);

  it("1. a job is 'uploading' while the file streams in: not listed, not startable; a draft only once fingerprints are set", async () => {
    const ctx = contextOf(fixture, "admin");
    const text = runsFile(fixture, 300);
    let seen: { status: string; listed: number } | null = null;
    async function* slow() {
      for (let i = 0; i < text.length; i += 50) {
        yield Buffer.from(text.slice(i, i + 50));
        if (seen) continue;
        const job = await db().importJob.findFirst({ where: { teamId: fixture.team.id, fileName: "slow.csv" }, select: { id: true, status: true } });
        if (!job) continue;
        seen = { status: job.status, listed: (await listImports(fixture.team.id)).filter((listed) => listed.id === job.id).length };
        const error = await refused(startImport(ctx, { jobId: job.id, projectId: fixture.projectId, ...DEFAULTS }, NOW));
        expect(error.message).toMatch(/still being uploaded/);
      }
    }
    const { jobId } = await stageUpload(ctx, "slow.csv", slow(), NOW);
    expect(seen).toEqual({ status: "uploading", listed: 0 });
    const job = await getImportJob(fixture.team.id, jobId);
    expect(job?.status).toBe("draft");
    expect(await db().importRow.count({ where: { jobId, fingerprint: "" } })).toBe(0);
  });

  it("1. uploads abandoned for over six hours are deleted by the background work; slower ones still going, and drafts, stay", async () => {
    const make = (status: "uploading" | "draft", createdAt: Date) =>
      db().importJob.create({ data: { teamId: fixture.team.id, startedById: fixture.people.admin.id, fileName: "x.csv", layout: "runs", status, createdAt }, select: { id: true } });
    const old = await make("uploading", new Date(NOW.getTime() - 7 * 3600_000));
    // A large file on a slow link may take over an hour: it is not cut off.
    const recent = await make("uploading", new Date(NOW.getTime() - 2 * 3600_000));
    const draft = await make("draft", new Date(NOW.getTime() - 2 * 3600_000));
    expect(await discardStaleUploads(NOW)).toBe(1);
    const left = await db().importJob.findMany({ where: { id: { in: [old.id, recent.id, draft.id] } }, select: { id: true } });
    expect(left.map((job) => job.id).sort()).toEqual([recent.id, draft.id].sort());
    await db().importJob.deleteMany({ where: { id: { in: [recent.id, draft.id] } } });
  });

  it("1. a row without a fingerprint is refused, never recorded nor taken as already present", async () => {
    const ctx = contextOf(fixture, "admin");
    const { jobId } = await stageUpload(ctx, "blank.csv", chunks(runsFile(fixture, 3)), NOW);
    await db().importRow.updateMany({ where: { jobId }, data: { fingerprint: "" } });
    await startImport(ctx, { jobId, projectId: fixture.projectId, ...DEFAULTS }, NOW);
    await processImportJob(jobId);
    const job = await getImportJob(fixture.team.id, jobId);
    expect(job).toMatchObject({ status: "done", imported: 0, present: 0, refused: 3 });
    expect(await db().importFingerprint.count({ where: { teamId: fixture.team.id, fingerprint: "" } })).toBe(0);
  });

  it("2. after the team's time zone changes, importing the same file again records nothing new", async () => {
    const team = await makeTeam("Europe/Berlin");
    await withoutApprovals(team.team.id);
    await addGrant(contextOf(team, "owner"), { amount: 50_000, source: "Top-up", note: "" }, new Date("2026-10-01T00:00:00Z"));
    // Local dates ("2026-11-02 09:14"), no external ids: the rows are known by their content alone.
    const first = await importText(team, sample("platform-usage.csv", team));
    expect(first).toMatchObject({ imported: 9, present: 0 });
    await updateTeam(contextOf(team, "owner"), { name: team.team.name, timeZone: "America/New_York" });
    const moved = { ...team, team: { ...team.team, timeZone: "America/New_York" } };
    const runs = await db().run.count({ where: { teamId: team.team.id } });
    const again = await importText(moved, sample("platform-usage.csv", team));
    expect(again).toMatchObject({ imported: 0, present: 9 });
    expect(await db().run.count({ where: { teamId: team.team.id } })).toBe(runs);
  });

  it("3. an external id imported before, met again with different content, is refused with where it was first", async () => {
    const header = "date,user email,model,settings,quantity,credits,stage,outcome,project,prompt,external id";
    const row = (credits: number, id: string) => `2026-11-10T09:05:00Z,${fixture.people.member.email},Qwen Image,resolution=1k,4,${credits},test,accepted,,kite,${id}`;
    const first = await importText(fixture, [header, row(80, "dup-1"), row(80, "dup-2")].join("\n"), {}, "first.csv");
    expect(first).toMatchObject({ imported: 2, present: 0, refused: 0 });
    const runs = await db().run.count({ where: { teamId: fixture.team.id } });
    const second = await importText(fixture, [header, row(80, "dup-2"), row(5000, "dup-1")].join("\n"), {}, "second.csv");
    expect(second).toMatchObject({ imported: 0, present: 1, refused: 1 });
    expect(await db().run.count({ where: { teamId: fixture.team.id } })).toBe(runs);
    const refusedRow = await db().importRow.findFirstOrThrow({ where: { jobId: second.id, line: 3 } });
    expect(refusedRow).toMatchObject({ status: "refused" });
    expect(refusedRow.reason).toContain("This external id was already imported with different content (line 2 of an earlier import");
  });

  it("3. one external id twice in a file with different content: the later row is refused, not already present", async () => {
    const header = "date,user email,model,settings,quantity,credits,stage,outcome,project,prompt,external id";
    const row = (credits: number) => `2026-11-10T09:05:00Z,${fixture.people.member.email},Qwen Image,resolution=1k,4,${credits},test,accepted,,kite,twice-1`;
    const job = await importText(fixture, [header, row(80), row(80), row(5000)].join("\n"), {}, "twice.csv");
    expect(job).toMatchObject({ imported: 1, present: 1, refused: 1 });
    const last = await db().importRow.findFirstOrThrow({ where: { jobId: job.id, line: 4 } });
    expect(last.reason).toContain("also on line 2 of this file");
  });

  it("4. the report writes credits as numbers (a negative amount is no formula) and guards text only", async () => {
    const text = sample("platform-usage.csv", fixture).replace("Monthly credit top-up", "=HYPERLINK(1)");
    const job = await importText(fixture, text, {}, "report.csv");
    const rows: (string | number)[][] = [];
    for await (const row of reportRows(job.id, job.layout)) rows.push(row);
    const credits = REPORT_COLUMNS.indexOf("credits");
    const description = REPORT_COLUMNS.indexOf("model or description");
    expect(rows[1][credits]).toBe(-80);
    expect(rows[0][credits]).toBe(20000);
    expect(rows[0][description]).toBe("'=HYPERLINK(1)");
  });

  it("6. nothing is assumed: the platform's export needs a project, a stage and an outcome chosen; a runs file that names them all needs none", async () => {
    const ctx = contextOf(fixture, "admin");
    const { jobId } = await stageUpload(ctx, "defaults.csv", chunks(sample("platform-usage.csv", fixture)), NOW);
    const error = await refused(startImport(ctx, { jobId, purpose: "internal_review" }, NOW));
    expect(error.fieldErrors).toMatchObject({
      projectId: "Choose the project for the 10 rows that name none.",
      stage: "Choose the stage for the 10 rows that name none.",
      outcome: "Choose the outcome for the 10 rows that name none.",
    });
    expect((await getImportJob(fixture.team.id, jobId))?.status).toBe("draft");
    await db().importJob.delete({ where: { id: jobId } });
    const header = "date,user email,model,settings,quantity,credits,stage,outcome,project,prompt,external id";
    const project = await db().project.create({ data: { teamId: fixture.team.id, name: "Named in file" } });
    const named = `2026-11-10T09:05:00Z,${fixture.people.member.email},Qwen Image,resolution=1k,4,80,final,rejected,Named in file,named,named-1`;
    const staged = await stageUpload(ctx, "named.csv", chunks([header, named].join("\n")), NOW);
    await startImport(ctx, { jobId: staged.jobId, purpose: "internal_review" }, NOW);
    await processImportJob(staged.jobId);
    expect(await getImportJob(fixture.team.id, staged.jobId)).toMatchObject({ status: "done", imported: 1 });
    expect(await db().run.findFirstOrThrow({ where: { teamId: fixture.team.id, externalId: "named-1" } })).toMatchObject({ projectId: project.id, stage: "final", outcome: "rejected" });
  });

  it("7. start returns at once, the rows are recorded in the background, and other requests get in between its chunks", async () => {
    const ctx = contextOf(fixture, "admin");
    const { jobId } = await stageUpload(ctx, "background.csv", chunks(runsFile(fixture, 2_000), 4_096), NOW);
    const started = performance.now();
    await startImport(ctx, { jobId, projectId: fixture.projectId, ...DEFAULTS }, NOW);
    const startMs = performance.now() - started;
    const asked = performance.now();
    await db().team.findUniqueOrThrow({ where: { id: fixture.team.id }, select: { id: true } });
    const waitedMs = performance.now() - asked;
    const meanwhile = await db().importJob.findUniqueOrThrow({ where: { id: jobId }, select: { status: true, doneRows: true } });
    console.log("7.", { startMs, waitedMs, meanwhile });
    expect(meanwhile.status).toBe("running");
    expect(meanwhile.doneRows).toBeLessThan(1_000);
    await processImportJob(jobId);
    expect(await getImportJob(fixture.team.id, jobId)).toMatchObject({ status: "done", imported: 2_000 });
  }, 60_000);

  it("8. skipping a person's (or a model's) rows is remembered for the next file, as mapping them is", async () => {
    const ctx = contextOf(fixture, "admin");
    const header = "date,user email,model,settings,quantity,credits,stage,outcome,project,prompt,external id";
    const text = [header, "2026-11-10T09:05:00Z,stranger@elsewhere.test,Qwen Image,resolution=1k,4,80,test,accepted,,,", `2026-11-10T09:06:00Z,${fixture.people.member.email},Mystery Model,,1,80,test,accepted,,,`].join("\n");
    const first = await stageUpload(ctx, "skips.csv", chunks(text), NOW);
    const found = (await getImportJob(fixture.team.id, first.jobId))!.choices.found!;
    const person = found.people.findIndex((name) => name.name === "stranger@elsewhere.test");
    const model = found.models.findIndex((name) => name.name === "mystery model");
    await startImport(ctx, { jobId: first.jobId, projectId: fixture.projectId, ...DEFAULTS, [`person.${person}`]: "skip", [`model.${model}`]: "skip" }, NOW);
    await processImportJob(first.jobId);
    expect(await getImportJob(fixture.team.id, first.jobId)).toMatchObject({ imported: 0, skipped: 2 });
    const second = await stageUpload(ctx, "skips-again.csv", chunks(text), NOW);
    const again = (await getImportJob(fixture.team.id, second.jobId))!.choices.found!;
    expect(again.people.find((name) => name.name === "stranger@elsewhere.test")).toMatchObject({ userId: "skip" });
    expect(again.models.find((name) => name.name === "mystery model")).toMatchObject({ modelId: "skip" });
    await db().importJob.delete({ where: { id: second.jobId } });
  });

  it("9. the preview says what each row becomes, flags what the import would refuse, and counts rows already present", async () => {
    const ctx = contextOf(fixture, "admin");
    const header = "date,user email,model,settings,quantity,credits,stage,outcome,project,prompt,external id";
    await db().project.create({ data: { teamId: fixture.team.id, name: "Spring campaign" } });
    const text = [
      header,
      `2026-11-10T09:05:00Z,${fixture.people.member.email},qwen-image,resolution=1k,4,80,final,,spring CAMPAIGN,,preview-1`,
      `2026-11-10T09:06:00Z,${fixture.people.member.email},Flux 2 Pro,resolution=8k,1,240,,,,,preview-2`,
      `2026-11-10T09:07:00Z,${fixture.people.member.email},Qwen Image,,1,20,,,Nowhere,,preview-3`,
    ].join("\n");
    const done = await importText(fixture, [header, text.split("\n")[1]].join("\n"), {}, "preview-first.csv");
    expect(done).toMatchObject({ imported: 1 });
    const { jobId } = await stageUpload(ctx, "preview.csv", chunks(text), NOW);
    const rows = await previewRows(fixture.team.id, jobId, fixture.team.timeZone, NOW);
    expect(rows[0]).toMatchObject({
      present: true,
      problems: [],
      becomes: { member: fixture.people.member.name, model: "Qwen Image", credits: 80, quantity: 4, project: "Spring campaign", stage: "final", outcome: null },
    });
    expect(rows[1].present).toBe(false);
    expect(rows[1].problems.join(" ")).toMatch(/8k/);
    expect(rows[1].becomes).toMatchObject({ model: "Flux 2 Pro", project: null, stage: null });
    expect(rows[2].problems).toEqual([expect.stringContaining("There is no project “Nowhere”")]);
    expect(await presentRows(fixture.team.id, jobId)).toBe(1);
    await db().importJob.delete({ where: { id: jobId } });
  });

  it("10. in the report, a row skipped as already present names the run it already is", async () => {
    const team = await makeTeam();
    await withoutApprovals(team.team.id);
    await addGrant(contextOf(team, "owner"), { amount: 50_000, source: "Top-up", note: "" }, new Date("2026-10-01T00:00:00Z"));
    const first = await importText(team, sample("platform-usage.csv", team));
    const again = await importText(team, sample("platform-usage.csv", team));
    expect(again).toMatchObject({ imported: 0, present: 9 });
    const runColumn = REPORT_COLUMNS.indexOf("run");
    const firstRuns: (string | number)[] = [];
    for await (const row of reportRows(first.id, first.layout)) firstRuns.push(row[runColumn]);
    const againRows: (string | number)[][] = [];
    for await (const row of reportRows(again.id, again.layout)) againRows.push(row);
    expect(againRows[1][REPORT_COLUMNS.indexOf("result")]).toBe("skipped: already present");
    expect(againRows.map((row) => row[runColumn])).toEqual(firstRuns);
    expect(firstRuns.filter((run) => run !== "")).toHaveLength(9);
  });

  it("11. a row that failed says to import again later only when the failure may pass", async () => {
    const team = await makeTeam();
    await withoutApprovals(team.team.id);
    await addGrant(contextOf(team, "owner"), { amount: 50_000, source: "Top-up", note: "" }, new Date("2026-10-01T00:00:00Z"));
    await db().$executeRawUnsafe(`
      CREATE FUNCTION test_fail_fingerprint() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW."fingerprint" = 'x:bug' THEN RAISE EXCEPTION 'a check that always fails'; END IF;
        IF NEW."fingerprint" = 'x:busy' THEN RAISE EXCEPTION 'could not serialize access' USING ERRCODE = '40001'; END IF;
        RETURN NEW;
      END $$`);
    await db().$executeRawUnsafe(`CREATE TRIGGER test_fail_fingerprint BEFORE INSERT ON "ImportFingerprint" FOR EACH ROW EXECUTE FUNCTION test_fail_fingerprint()`);
    try {
      const header = "date,user email,model,settings,quantity,credits,stage,outcome,project,prompt,external id";
      const lines = [header, ...["ok", "bug", "busy"].map((id, i) => `2026-11-03T1${i}:00:00Z,${team.people.member.email},SDXL,,1,40,test,accepted,,,${id}`)];
      const job = await importText(team, lines.join("\n"));
      expect(job).toMatchObject({ imported: 1, refused: 2 });
      const rows = await db().importRow.findMany({ where: { jobId: job.id }, orderBy: { line: "asc" }, select: { reason: true } });
      expect(rows[1].reason).not.toMatch(/again later/);
      expect(rows[1].reason).toMatch(/would fail the same way/);
      expect(rows[2].reason).toMatch(/import the file again later to retry/);
    } finally {
      await db().$executeRawUnsafe(`DROP TRIGGER test_fail_fingerprint ON "ImportFingerprint"`);
      await db().$executeRawUnsafe(`DROP FUNCTION test_fail_fingerprint()`);
    }
  });

  it("11. starting a discarded upload says it was discarded; discarding a started import says it started", async () => {
    const ctx = contextOf(fixture, "admin");
    const gone = await stageUpload(ctx, "gone.csv", chunks(runsFile(fixture, 2)), NOW);
    await discardImport(ctx, gone.jobId);
    expect((await refused(startImport(ctx, { jobId: gone.jobId, projectId: fixture.projectId, ...DEFAULTS }, NOW))).message).toMatch(/discarded/);
    const started = await stageUpload(ctx, "started.csv", chunks(runsFile(fixture, 2)), NOW);
    await startImport(contextOf(fixture, "owner"), { jobId: started.jobId, projectId: fixture.projectId, ...DEFAULTS }, NOW);
    expect((await refused(discardImport(ctx, started.jobId))).message).toMatch(/has started \(another admin may have just started it\)/);
    await processImportJob(started.jobId);
  });

  it("11. an empty file, or one with only its header, is refused as such at the file field", async () => {
    const ctx = contextOf(fixture, "admin");
    expect((await refused(stageUpload(ctx, "empty.csv", chunks(""), NOW))).fieldErrors?.file).toMatch(/This file is empty/);
    const header = "date,user email,model,settings,quantity,credits,stage,outcome,project,prompt,external id\n";
    expect((await refused(stageUpload(ctx, "header.csv", chunks(header), NOW))).fieldErrors?.file).toMatch(/only its header line/);
    signInAs(fixture.people.admin);
    const response = await upload(new Request(`http://localhost:3000/t/${fixture.team.slug}/usage/import/upload?name=empty.csv`, { method: "POST", headers: { "content-type": "text/csv" } }), {
      params: Promise.resolve({ teamSlug: fixture.team.slug }),
    });
    signInAs(null);
    const answer = (await response.json()) as { error: { message: string; fields?: { file: string } } };
    expect(answer.error.fields?.file, answer.error.message).toMatch(/This file is empty/);
  });
});
