// Importing the platform's usage end to end: files become runs through the ledger, a second import changes nothing,
// bad rows are reported with reasons, only admins import, and a run never exists without its fingerprint (or back).
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { addGrant } from "@/lib/ledger/commands";
import { verifyLedger } from "@/lib/ledger/verify";
import { describeEachDatabase } from "@/test/db";
import { makeTeam, withoutApprovals, type TeamFixture } from "@/test/fixtures";
import { chunks, sample } from "@/test/imports";
import { contextOf, expectFailure, expectOk, refused } from "@/test/results";
import { signInAs } from "@/test/session";
import { startImportAction } from "./actions";
import { stageUpload, startImport } from "./commands";
import { processImportJob } from "./process";
import { getImportJob } from "./queries";
import { POST as upload } from "@/app/t/[teamSlug]/usage/import/upload/route";
import { GET as progress } from "@/app/t/[teamSlug]/usage/import/[jobId]/progress/route";
import { GET as report } from "@/app/t/[teamSlug]/usage/import/[jobId]/report/route";

import { listUsageEntries } from "@/lib/usage/lists";

const NOW = new Date("2026-12-01T12:00:00Z");


async function importText(fixture: TeamFixture, text: string, choices: Record<string, string> = {}, name = "usage.csv") {
  const ctx = contextOf(fixture, "admin");
  const { jobId } = await stageUpload(ctx, name, chunks(text), NOW);
  await startImport(ctx, { jobId, projectId: fixture.projectId, stage: "test", outcome: "accepted", purpose: "internal_review", ...choices }, NOW);
  await processImportJob(jobId);
  return (await getImportJob(fixture.team.id, jobId))!;
}

async function teamState(teamId: string) {
  const credits = await db().teamCredits.findUnique({ where: { teamId }, select: { balance: true, held: true } });
  const usage = await db().usageDay.aggregate({ where: { teamId }, _sum: { actual: true, runs: true } });
  return {
    balance: credits?.balance ?? 0,
    runs: await db().run.count({ where: { teamId } }),
    entries: await db().ledgerEntry.count({ where: { teamId } }),
    fingerprints: await db().importFingerprint.count({ where: { teamId } }),
    usageRuns: usage._sum.runs ?? 0,
    usageCredits: Number(usage._sum.actual ?? 0),
  };
}

async function rowsOf(jobId: string) {
  return db().importRow.findMany({ where: { jobId }, select: { line: true, status: true, reason: true, runId: true }, orderBy: { line: "asc" } });
}

async function namedProjects(fixture: TeamFixture) {
  for (const name of ["Spring campaign", "Social content", "Northwind client work"]) await db().project.create({ data: { teamId: fixture.team.id, name } });
}

describeEachDatabase("usage import", () => {
  let fixture: TeamFixture;

  beforeAll(async () => {
    fixture = await makeTeam();
    await withoutApprovals(fixture.team.id);
    await namedProjects(fixture);
    await addGrant(contextOf(fixture, "owner"), { amount: 50_000, source: "Top-up", note: "" }, new Date("2026-10-01T00:00:00Z"));
  });

  it("records the platform's usage events as runs through the ledger, and skips its credit events with a reason", async () => {
    const before = await teamState(fixture.team.id);
    const job = await importText(fixture, sample("platform-usage.csv", fixture));
    expect(job).toMatchObject({ status: "done", layout: "platform", totalRows: 10, doneRows: 10, imported: 9, present: 0, skipped: 1, refused: 0 });
    const after = await teamState(fixture.team.id);
    const spent = 80 + 80 + 240 + 60 + 60 + 4000 + 40 + 20 + 100;
    expect(after.runs - before.runs).toBe(9);
    expect(after.fingerprints - before.fingerprints).toBe(9);
    expect(before.balance - after.balance).toBe(spent);
    expect(after.usageRuns - before.usageRuns).toBe(9);
    expect(after.usageCredits - before.usageCredits).toBe(spent);
    const rows = await rowsOf(job.id);
    expect(rows[0]).toMatchObject({ status: "skipped" });
    expect(rows[0].reason).toContain("credits coming in");
    // The run is the row's: its person, its date, the model found in the description, its settings, its credits.
    const veo = await db().run.findFirstOrThrow({ where: { teamId: fixture.team.id, modelId: "veo-3-1" } });
    expect(veo).toMatchObject({ userId: fixture.people.admin.id, actual: 4000, quantity: 1, state: "settled", outcome: "accepted", stage: "test" });
    expect(veo.settings).toMatchObject({ duration: "8", resolution: "1080p" });
    expect(veo.createdAt.toISOString()).toBe("2026-11-03T14:02:00.000Z");
    const flux = await db().run.findFirstOrThrow({ where: { teamId: fixture.team.id, modelId: "flux-2-pro" } });
    expect(flux).toMatchObject({ quantity: 2, estimate: 240, actual: 240, overrun: false });
    expect(await verifyLedger(db(), fixture.team.id, NOW)).toEqual([]);
  });

  it("imports the same file again without changing anything: every run is already present", async () => {
    const before = await teamState(fixture.team.id);
    const job = await importText(fixture, sample("platform-usage.csv", fixture));
    expect(job).toMatchObject({ status: "done", imported: 0, present: 9, skipped: 1, refused: 0 });
    expect(await teamState(fixture.team.id)).toEqual(before);
    expect(await verifyLedger(db(), fixture.team.id, NOW)).toEqual([]);
  });

  it("imports only the new rows of an overlapping runs file, by external id, keeping each row's prompt", async () => {
    const lines = sample("runs-sample.csv", fixture).trim().split("\n");
    const first = [lines[0], ...lines.slice(1, 5)].join("\n");
    const second = [lines[0], ...lines.slice(3, 7)].join("\n");
    const a = await importText(fixture, first);
    expect(a).toMatchObject({ imported: 4, present: 0, refused: 0 });
    const before = await teamState(fixture.team.id);
    const b = await importText(fixture, second);
    expect(b).toMatchObject({ imported: 2, present: 2, refused: 0 });
    expect((await teamState(fixture.team.id)).runs - before.runs).toBe(2);
    const voiceover = await db().run.findFirstOrThrow({ where: { teamId: fixture.team.id, externalId: "plat-1006" } });
    expect(voiceover).toMatchObject({ prompt: "Northwind product voiceover full script", outcome: "needs_edit", stage: "final", estimate: 100 });
    const project = await db().project.findFirstOrThrow({ where: { teamId: fixture.team.id, name: "Northwind client work" } });
    expect(voiceover.projectId).toBe(project.id);
    expect(await verifyLedger(db(), fixture.team.id, NOW)).toEqual([]);
  });

  it("without external ids, identical rows of one file are each a run, and an overlapping file adds only what is new", async () => {
    const header = "date,user email,model,settings,quantity,credits,stage,outcome,project,prompt,external id";
    const row = `2026-11-20 10:00,${fixture.people.member.email},Qwen Image,resolution=1k,1,20,test,rejected,,A twin row,`;
    const other = `2026-11-20 11:00,${fixture.people.member.email},SDXL,,1,40,draft,accepted,,Another row,`;
    const a = await importText(fixture, [header, row, row].join("\n"));
    expect(a).toMatchObject({ imported: 2, present: 0 });
    // The same twins, and a third like them, and a new row: the third twin and the new row are new.
    const b = await importText(fixture, [header, row, other, row, row].join("\n"));
    expect(b).toMatchObject({ imported: 2, present: 2 });
    expect(await db().run.count({ where: { teamId: fixture.team.id, prompt: "A twin row" } })).toBe(3);
  });

  it("imports the good rows of a file with bad ones, and refuses each bad row with its reason", async () => {
    const before = await teamState(fixture.team.id);
    const job = await importText(fixture, sample("runs-bad-rows.csv", fixture));
    expect(job).toMatchObject({ status: "done", totalRows: 12, imported: 2, refused: 10, present: 0 });
    const rows = await rowsOf(job.id);
    const reason = (line: number) => rows.find((row) => row.line === line)?.reason ?? "";
    expect(rows.filter((row) => row.status === "imported").map((row) => row.line)).toEqual([2, 13]);
    expect(reason(3)).toContain("is not a date");
    expect(reason(4)).toContain("The credits are empty");
    expect(reason(5)).toContain("quantity");
    expect(reason(6)).toContain("12.5");
    expect(reason(7)).toContain("Stage “sketch”");
    expect(reason(8)).toContain("“midjourney 7” is not a model");
    expect(reason(9)).toContain("Nobody in the team is “stranger@example.test”");
    expect(reason(10)).toMatch(/8k|resolution/i);
    expect(reason(11)).toContain("There is no project “No such project”");
    expect(reason(12)).toContain("This line has 5 values; the first line names 11 columns.");
    expect((await teamState(fixture.team.id)).runs - before.runs).toBe(2);
    expect(await verifyLedger(db(), fixture.team.id, NOW)).toEqual([]);
  });

  it("maps an unknown person and model as the importer chose, remembers it, and skips what they chose to skip", async () => {
    const header = "date,user email,model,settings,quantity,credits,stage,outcome,project,prompt,external id";
    const text = [
      header,
      "2026-11-21 09:00,Ana from Platform,Flux Pro Two,,1,120,final,accepted,,Mapped row,map-1",
      "2026-11-21 09:10,ghost@example.test,Qwen Image,,1,20,test,accepted,,Skipped row,map-2",
    ].join("\n");
    const ctx = contextOf(fixture, "admin");
    const { jobId } = await stageUpload(ctx, "mapped.csv", chunks(text), NOW);
    const staged = (await getImportJob(fixture.team.id, jobId))!;
    const people = staged.choices.found!.people.map((found) => found.name);
    const models = staged.choices.found!.models;
    expect(people).toEqual(expect.arrayContaining(["ana from platform", "ghost@example.test"]));
    expect(models.find((found) => found.name === "qwen image")?.modelId).toBe("qwen-image");
    expect(models.find((found) => found.name === "flux pro two")?.modelId).toBeNull();
    const choice: Record<string, string> = {
      [`person.${people.indexOf("ana from platform")}`]: fixture.people.member.id,
      [`person.${people.indexOf("ghost@example.test")}`]: "skip",
      [`model.${models.findIndex((found) => found.name === "flux pro two")}`]: "flux-2-pro",
    };
    // A person outside the team cannot be chosen.
    const wrong = await refused(
      startImport(ctx, { jobId, projectId: fixture.projectId, stage: "test", outcome: "accepted", purpose: "internal_review", ...choice, [`person.${people.indexOf("ana from platform")}`]: fixture.outsider.id }, NOW),
    );
    expect(Object.values(wrong.fieldErrors ?? {})[0]).toContain("Choose a member of this team");
    await startImport(ctx, { jobId, projectId: fixture.projectId, stage: "test", outcome: "accepted", purpose: "internal_review", ...choice }, NOW);
    await processImportJob(jobId);
    expect(await getImportJob(fixture.team.id, jobId)).toMatchObject({ imported: 1, skipped: 1, refused: 0 });
    const run = await db().run.findFirstOrThrow({ where: { teamId: fixture.team.id, externalId: "map-1" } });
    expect(run).toMatchObject({ userId: fixture.people.member.id, modelId: "flux-2-pro", stage: "final" });
    // Remembered: the next file's names come already mapped.
    const next = await stageUpload(ctx, "again.csv", chunks(text.replace("map-1", "map-3").replace("map-2", "map-4")), NOW);
    const found = (await getImportJob(fixture.team.id, next.jobId))!.choices.found!;
    expect(found.people.find((person) => person.name === "ana from platform")?.userId).toBe(fixture.people.member.id);
    expect(found.models.find((model) => model.name === "flux pro two")?.modelId).toBe("flux-2-pro");
  });

  it("refuses a file whose header is neither layout, saying what is missing, and keeps nothing of it", async () => {
    const jobs = await db().importJob.count({ where: { teamId: fixture.team.id } });
    const error = await refused(stageUpload(contextOf(fixture, "admin"), "odd.csv", chunks("when,who,what\n2026-11-01,a,b\n"), NOW));
    expect(error.message).toMatch(/Missing for a runs file, “date”, “user email”, “model”, “quantity”, “credits”; for the platform's analytics export/);
    expect(await db().importJob.count({ where: { teamId: fixture.team.id } })).toBe(jobs);
  });

  it("writes a run and its fingerprint together or neither: a refusal by the ledger, and a failure mid-chunk", async () => {
    const team = await makeTeam();
    await withoutApprovals(team.team.id);
    const header = "date,user email,model,settings,quantity,credits,stage,outcome,project,prompt,external id";
    const email = team.people.member.email;
    // The second billion takes the balance below the ledger's bound: the ledger refuses it.
    const text = [header, `2026-11-02 10:00,${email},Qwen Image,,1,1000000000,test,accepted,,,big-1`, `2026-11-02 11:00,${email},Qwen Image,,1,1000000000,test,accepted,,,big-2`].join("\n");
    const job = await importText(team, text);
    expect(job).toMatchObject({ imported: 1, refused: 1 });
    const rows = await rowsOf(job.id);
    expect(rows[1].reason).toContain("cannot go below");
    expect(await db().importFingerprint.count({ where: { teamId: team.team.id } })).toBe(1);
    expect(await db().run.count({ where: { teamId: team.team.id } })).toBe(1);

    await addGrant(contextOf(team, "owner"), { amount: 1_000_000_000, source: "Top-up", note: "" }, new Date("2026-11-02T12:00:00Z"));
    // A failure after the run was written (its fingerprint refused by a trigger) rolls the run back with it; the rest
    // of the chunk is recorded row by row, and the failing row alone is refused.
    await db().$executeRawUnsafe(`
      CREATE FUNCTION test_refuse_fingerprint() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW."fingerprint" = 'x:boom' THEN RAISE EXCEPTION 'disk full'; END IF; RETURN NEW; END $$`);
    await db().$executeRawUnsafe(`CREATE TRIGGER test_refuse_fingerprint BEFORE INSERT ON "ImportFingerprint" FOR EACH ROW EXECUTE FUNCTION test_refuse_fingerprint()`);
    try {
      const lines = [header, ...["a", "b", "boom", "c"].map((id, i) => `2026-11-03 1${i}:00,${email},SDXL,,1,40,test,accepted,,,${id}`)];
      const crashed = await importText(team, lines.join("\n"));
      expect(crashed).toMatchObject({ status: "done", imported: 3, refused: 1 });
      expect((await rowsOf(crashed.id)).find((row) => row.status === "refused")?.reason).toContain("Something went wrong");
    } finally {
      await db().$executeRawUnsafe(`DROP TRIGGER test_refuse_fingerprint ON "ImportFingerprint"`);
      await db().$executeRawUnsafe(`DROP FUNCTION test_refuse_fingerprint()`);
    }
    const runs = await db().run.findMany({ where: { teamId: team.team.id }, select: { id: true, externalId: true, importMark: { select: { fingerprint: true } } } });
    expect(runs.map((run) => run.externalId).sort()).toEqual(["a", "b", "big-1", "c"]);
    for (const run of runs) expect(run.importMark?.fingerprint).toBe(`x:${run.externalId}`);
    expect(await db().importFingerprint.count({ where: { teamId: team.team.id } })).toBe(4);
    expect(await verifyLedger(db(), team.team.id, NOW)).toEqual([]);
  });

  it("reports every row with its result, as CSV", async () => {
    const job = (await db().importJob.findFirstOrThrow({ where: { teamId: fixture.team.id, fileName: "usage.csv", refused: { gt: 5 } }, select: { id: true } }))!;
    signInAs(fixture.people.admin);
    const response = await report(new Request(`http://localhost:3000/t/${fixture.team.slug}/usage/import/${job.id}/report`), {
      params: Promise.resolve({ teamSlug: fixture.team.slug, jobId: job.id }),
    });
    signInAs(null);
    expect(response.status).toBe(200);
    const text = await response.text();
    const lines = text.trim().split("\n");
    expect(lines[0]).toBe("line,result,reason,run,date,user,model or description,credits");
    expect(lines).toHaveLength(13);
    expect(text).toContain('7,refused,"Stage “sketch” is not one of test, draft, final.",');
    expect(lines.filter((line) => line.includes(",imported,"))).toHaveLength(2);
  });
});

describeEachDatabase("usage import: who may", () => {
  let fixture: TeamFixture;
  let other: TeamFixture;
  let jobId: string;
  const body = "date,user email,model,settings,quantity,credits,stage,outcome,project,prompt,external id\n2026-11-01,x@example.test,SDXL,,1,40,,,,,\n";

  beforeAll(async () => {
    fixture = await makeTeam();
    other = await makeTeam();
    jobId = (await stageUpload(contextOf(other, "admin"), "theirs.csv", chunks(body), NOW)).jobId;
  });

  async function post(role: "admin" | "member" | "viewer") {
    signInAs(fixture.people[role]);
    try {
      return await upload(new Request(`http://localhost:3000/t/${fixture.team.slug}/usage/import/upload?name=x.csv`, { method: "POST", body, headers: { "content-type": "text/csv" } }), {
        params: Promise.resolve({ teamSlug: fixture.team.slug }),
      });
    } finally {
      signInAs(null);
    }
  }

  it("dates each run at its row but records its ledger entry now, so the balance after each entry reads in order, and raises one alert for the import", async () => {
    const team = await makeTeam();
    await withoutApprovals(team.team.id);
    const started = new Date();
    // Premium finals past a balance of nothing, their dates out of order.
    const days = ["2026-11-25", "2026-11-03", "2026-11-14", "2026-11-01", "2026-11-20"];
    const text = [
      "date,user email,model,settings,quantity,credits,stage,outcome,project,prompt,external id",
      ...days.map((day, i) => `${day}T10:00:00Z,${team.people.member.email},Flux 2 Pro,resolution=2k,1,240,final,accepted,,Hero ${i},hero-${i}`),
    ].join("\n");
    const job = await importText(team, text);
    expect(job.imported).toBe(5);
    const runs = await db().run.findMany({ where: { teamId: team.team.id }, select: { createdAt: true } });
    expect(runs.map((run) => run.createdAt.toISOString().slice(0, 10)).sort()).toEqual([...days].sort());
    const entries = await db().ledgerEntry.findMany({ where: { teamId: team.team.id, kind: "charge" }, orderBy: { id: "asc" } });
    expect(entries).toHaveLength(5);
    for (const entry of entries) expect(entry.createdAt.getTime()).toBeGreaterThanOrEqual(started.getTime() - 1_000);
    // Newest first by date, as the Usage page lists them: each balance is the one after it plus its own amount.
    const listed = (await listUsageEntries(team.team, { range: "custom", from: "2026-01-01", to: "2030-01-01" }, null)).entries;
    for (let i = 0; i + 1 < listed.length; i++) expect(listed[i].balanceAfter).toBe(listed[i + 1].balanceAfter + listed[i].amount);
    const notifications = await db().notification.findMany({ where: { teamId: team.team.id }, select: { kind: true, data: true } });
    expect(notifications.filter((n) => n.kind === "over_budget" || n.kind === "unapproved_premium_final")).toEqual([]);
    expect(notifications.filter((n) => n.kind === "import_finished")).toEqual([
      { kind: "import_finished", data: expect.objectContaining({ imported: 5, overBudget: 5, premiumFinals: 5 }) },
    ]);
    expect(await verifyLedger(db(), team.team.id)).toEqual([]);
  });

  it("lets admins upload, and not members or viewers", async () => {
    expect((await post("admin")).status).toBe(201);
    expect((await post("member")).status).toBe(403);
    expect((await post("viewer")).status).toBe(403);
    expect(await db().importJob.count({ where: { teamId: fixture.team.id } })).toBe(1);
  });

  it("refuses members and viewers the start of an import", async () => {
    const own = await stageUpload(contextOf(fixture, "admin"), "ours.csv", chunks(body), NOW);
    for (const role of ["member", "viewer"] as const) {
      signInAs(fixture.people[role]);
      const result = await startImportAction({ teamSlug: fixture.team.slug, jobId: own.jobId, projectId: fixture.projectId, stage: "test", outcome: "accepted", purpose: "internal_review" });
      signInAs(null);
      expectFailure(result, "forbidden");
    }
    expect(await getImportJob(fixture.team.id, own.jobId)).toMatchObject({ status: "draft" });
  });

  it("answers another team's import as not found, in the action and the routes", async () => {
    signInAs(fixture.people.admin);
    const result = await startImportAction({ teamSlug: fixture.team.slug, jobId, projectId: fixture.projectId, stage: "test", outcome: "accepted", purpose: "internal_review" });
    expectFailure(result, "not_found");
    const params = { params: Promise.resolve({ teamSlug: fixture.team.slug, jobId }) };
    expect((await progress(new Request(`http://localhost:3000/t/${fixture.team.slug}/usage/import/${jobId}/progress`), params)).status).toBe(404);
    expect((await report(new Request(`http://localhost:3000/t/${fixture.team.slug}/usage/import/${jobId}/report`), params)).status).toBe(404);
    signInAs(null);
    expect(await getImportJob(other.team.id, jobId)).toMatchObject({ status: "draft" });
  });

  it("lets an admin start their own import through the action", async () => {
    const own = await stageUpload(contextOf(fixture, "admin"), "ours.csv", chunks(body), NOW);
    signInAs(fixture.people.admin);
    const result = await startImportAction({ teamSlug: fixture.team.slug, jobId: own.jobId, projectId: fixture.projectId, stage: "test", outcome: "accepted", purpose: "internal_review" });
    signInAs(null);
    expect(expectOk(result)).toEqual({ jobId: own.jobId });
    await processImportJob(own.jobId);
    // Nobody in the team is x@example.test: refused with that reason, and the job is done.
    expect(await getImportJob(fixture.team.id, own.jobId)).toMatchObject({ status: "done", refused: 1 });
  });
});

describe("usage import: memory", () => {
  // One database kind is enough here: what is measured is this process's heap, not the database.
  describeEachDatabase("a 10,000-row file", (kind) => {
    it.runIf(kind === "pglite")("streams in and is recorded without the heap growing with the file", { timeout: 240_000 }, async () => {
      const fixture = await makeTeam();
      const header = "date,user email,model,settings,quantity,credits,stage,outcome,project,prompt,external id\n";
      const email = fixture.people.member.email;
      async function* file() {
        yield Buffer.from(header);
        for (let i = 0; i < 10_000; i++) {
          const minute = String(i % 60).padStart(2, "0");
          yield Buffer.from(`2026-11-${String(1 + (i % 28)).padStart(2, "0")} 10:${minute},${email},Qwen Image,,1,20,test,accepted,,A prompt for row ${i} ${"x".repeat(200)},mem-${i}\n`);
        }
      }
      const ctx = contextOf(fixture, "admin");
      const baseline = process.memoryUsage().heapUsed;
      let peak = baseline;
      const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().heapUsed)), 5);
      try {
        const { jobId, rows } = await stageUpload(ctx, "big.csv", file(), NOW);
        expect(rows).toBe(10_000);
        await startImport(ctx, { jobId, projectId: fixture.projectId, stage: "test", outcome: "accepted", purpose: "internal_review" }, NOW);
        await processImportJob(jobId);
        expect(await getImportJob(fixture.team.id, jobId)).toMatchObject({ status: "done", imported: 10_000 });
      } finally {
        clearInterval(sampler);
      }
      // The file is ~2.5 MB of text and 10,000 runs; held whole with its parsed rows and answers it would be far more.
      expect(peak - baseline).toBeLessThan(96 * 1024 * 1024);
    });
  });
});
