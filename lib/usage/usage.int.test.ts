// The Usage area's reads: every filter counts exactly the runs it names (compared with the runs themselves), pages walk
// every run once in each order, the CSV export adds up to the totals, and the ledger list follows the same filter.
import fc from "fast-check";
import { parse } from "csv-parse/sync";
import { stringify } from "csv-stringify/sync";
import { beforeAll, expect, it } from "vitest";
import type { TeamContext } from "@/lib/authz/team";
import { createBatch } from "@/lib/batches/commands";
import { db } from "@/lib/db/client";
import { addGrant, admitRun, recordRun, refundRun } from "@/lib/ledger/commands";
import { describeEachDatabase } from "@/test/db";
import { makeTeam, makeUser, withoutApprovals, type TeamFixture } from "@/test/fixtures";
import { contextOf } from "@/test/results";
import { ENTRY_COLUMNS, RUN_COLUMNS, entryRows, runRows } from "./export";
import { NO_OUTCOME, RUN_SORTS, readUsageFilter, type UsageFilter } from "./filters";
import { listUsageEntries, listUsageRuns, USAGE_PAGE_SIZE, type UsageCursor } from "./lists";
import { usageDirectory, usageSummary } from "./queries";

const DAY = 86_400_000;
// Noon in Berlin on 1 March 2026, and the days after it.
const START = Date.parse("2026-03-01T11:00:00.000Z");
const at = (day: number, hour = 0) => new Date(START + day * DAY + hour * 3_600_000);

const MODELS = ["qwen-image", "flux-2-pro", "speech-turbo", "wan-2-5-fast"] as const;
const STAGES = ["test", "draft", "final"] as const;
const OUTCOMES = ["accepted", "rejected", "needs_edit", "failed"] as const;

type RunRow = Awaited<ReturnType<typeof allRuns>>[number];

function allRuns(teamId: string) {
  return db().run.findMany({
    where: { teamId },
    select: { id: true, projectId: true, userId: true, modelId: true, outputType: true, tier: true, stage: true, outcome: true, state: true, actual: true, refunded: true, overrun: true, createdAt: true, batchItem: { select: { batchId: true } } },
  });
}

function dayInBerlin(date: Date): string {
  return new Intl.DateTimeFormat("sv-SE", { timeZone: "Europe/Berlin", year: "numeric", month: "2-digit", day: "2-digit" }).format(date);
}

function matches(run: RunRow, filter: UsageFilter): boolean {
  const day = dayInBerlin(run.createdAt);
  return (
    day >= filter.from &&
    day <= filter.to &&
    (!filter.project || run.projectId === filter.project) &&
    (!filter.member || run.userId === filter.member) &&
    (!filter.model || run.modelId === filter.model) &&
    (!filter.type || run.outputType === filter.type) &&
    (!filter.tier || run.tier === filter.tier) &&
    (!filter.stage || run.stage === filter.stage) &&
    (!filter.outcome || (filter.outcome === NO_OUTCOME ? run.outcome === null : run.outcome === filter.outcome)) &&
    (!filter.batch || run.batchItem?.batchId === filter.batch)
  );
}

async function collect<T>(batches: AsyncGenerator<T[]>): Promise<T[]> {
  const all: T[] = [];
  for await (const batch of batches) all.push(...batch);
  return all;
}

describeEachDatabase("usage history", () => {
  let fixture: TeamFixture;
  let admin: TeamContext;
  let projects: string[];
  let people: string[];
  let batchId: string;
  let runs: RunRow[];

  beforeAll(async () => {
    fixture = await makeTeam("Europe/Berlin");
    admin = contextOf(fixture, "admin");
    await withoutApprovals(fixture.team.id);
    await addGrant(admin, { amount: 5_000_000, source: "Top-up", note: "" }, at(-1));
    const second = await db().project.create({ data: { teamId: fixture.team.id, name: "Second" }, select: { id: true } });
    projects = [fixture.projectId, second.id];
    const contexts = [admin, contextOf(fixture, "member"), contextOf(fixture, "approver")];
    people = contexts.map((ctx) => ctx.user.id);
    const batch = await createBatch(admin, { projectId: fixture.projectId, name: "Spring", notes: "" });
    batchId = batch.batchId;
    const item = await db().batchItem.create({
      data: { teamId: fixture.team.id, batchId, position: 1, title: "Hero", outputType: "image", purpose: "web", prompt: "A hero", plan: {} },
      select: { id: true },
    });

    // 130 runs over 40 days, every model, stage, outcome, person and project; some held, some refunded, some in the batch.
    for (let i = 0; i < 130; i++) {
      const ctx = contexts[i % contexts.length];
      const request = {
        projectId: projects[i % 2],
        modelId: MODELS[i % MODELS.length],
        settings: {},
        quantity: 1 + (i % 3),
        stage: STAGES[i % STAGES.length],
        purpose: "internal_review" as const,
        prompt: `prompt ${i % 7}`,
        notes: "",
      };
      const when = at(Math.floor(i / 3.25), i % 24);
      if (i % 11 === 5) {
        await admitRun(ctx, request, when);
        continue;
      }
      const recorded = await recordRun(ctx, { ...request, actual: 10 + ((i * 37) % 300), outcome: OUTCOMES[i % OUTCOMES.length] }, when);
      if (i % 13 === 0) await refundRun(admin, { runId: recorded.runId, credits: 5, reason: "Platform refund" }, when);
      if (i % 6 === 0) await db().run.update({ where: { id: recorded.runId }, data: { batchItemId: item.id } });
    }
    runs = await allRuns(fixture.team.id);
    // Another team's runs on the same days must never be counted.
    const other = await makeTeam("Europe/Berlin");
    const otherAdmin = contextOf(other, "admin");
    await withoutApprovals(other.team.id);
    await addGrant(otherAdmin, { amount: 10_000, source: "Top-up", note: "" }, at(-1));
    await recordRun(otherAdmin, { projectId: other.projectId, modelId: "qwen-image", settings: {}, quantity: 1, stage: "test", purpose: "internal_review", notes: "", actual: 999, outcome: "accepted" }, at(3));
  });

  const wholeRange = (): UsageFilter => ({ range: "custom", from: "2026-02-01", to: "2026-05-01" });

  async function expectCounts(filter: UsageFilter) {
    const expected = runs.filter((run) => matches(run, filter));
    const totals = (await usageSummary(fixture.team, filter, "day", "type")).totals;
    expect(totals.runs).toBe(expected.length);
    expect(totals.charged).toBe(expected.reduce((sum, run) => sum + (run.actual ?? 0), 0));
    expect(totals.refunded).toBe(expected.reduce((sum, run) => sum + run.refunded, 0));
    expect(totals.accepted).toBe(expected.filter((run) => run.outcome === "accepted").length);
    expect(totals.decided).toBe(expected.filter((run) => run.outcome !== null).length);
    expect(totals.overruns).toBe(expected.filter((run) => run.overrun).length);
    expect(totals.byStage.final).toBe(expected.filter((run) => run.stage === "final").reduce((sum, run) => sum + (run.actual ?? 0), 0));
    return expected.length;
  }

  it("counts exactly the runs each filter names, each alone", async () => {
    const singles: Partial<UsageFilter>[] = [
      ...projects.map((project) => ({ project })),
      ...people.map((member) => ({ member })),
      ...MODELS.map((model) => ({ model })),
      { type: "image" },
      { type: "audio" },
      { tier: "premium" },
      { tier: "budget" },
      ...STAGES.map((stage) => ({ stage })),
      ...[...OUTCOMES, NO_OUTCOME].map((outcome) => ({ outcome: outcome as UsageFilter["outcome"] })),
      { batch: batchId },
    ];
    for (const single of singles) expect(await expectCounts({ ...wholeRange(), ...single })).toBeGreaterThan(0);
    // The first and last day count whole, in the team's zone.
    expect(await expectCounts({ range: "custom", from: "2026-03-02", to: "2026-03-02" })).toBeGreaterThan(0);
    expect(await expectCounts({ range: "custom", from: "2026-03-05", to: "2026-03-09", batch: batchId })).toBeGreaterThan(0);
  });

  it("counts exactly the runs of any two filters together, over any days", async () => {
    const pick = fc.oneof(
      fc.constantFrom(0, 1).map((i) => ({ project: projects[i] })),
      fc.constantFrom(0, 1, 2).map((i) => ({ member: people[i] })),
      fc.constantFrom(...MODELS).map((model) => ({ model })),
      fc.constantFrom("image" as const, "audio" as const, "video" as const).map((type) => ({ type })),
      fc.constantFrom("budget" as const, "premium" as const).map((tier) => ({ tier })),
      fc.constantFrom(...STAGES).map((stage) => ({ stage })),
      fc.constantFrom(...OUTCOMES, NO_OUTCOME).map((outcome) => ({ outcome })),
      fc.constant({ batch: "" }),
    );
    const days = fc.tuple(fc.integer({ min: -2, max: 42 }), fc.integer({ min: 0, max: 20 }));
    await fc.assert(
      fc.asyncProperty(fc.array(pick, { maxLength: 2 }), days, async (picked, [start, length]) => {
        const filter: UsageFilter = { range: "custom", from: dayInBerlin(at(start)), to: dayInBerlin(at(start + length)) };
        for (const one of picked) Object.assign(filter, "batch" in one ? { batch: batchId } : one);
        await expectCounts(filter);
      }),
      { numRuns: 60 },
    );
  });

  it("charts and breakdowns add up to the totals", async () => {
    const filter = wholeRange();
    const totals = (await usageSummary(fixture.team, filter, "day", "type")).totals;
    const net = totals.charged - totals.refunded;
    for (const stack of ["type", "project", "model", "member"] as const) {
      for (const by of ["day", "week", "month"] as const) {
        const { series } = await usageSummary(fixture.team, filter, by, stack);
        expect(series.reduce((sum, point) => sum + point.credits, 0)).toBe(net);
        expect(series.reduce((sum, point) => sum + point.runs, 0)).toBe(totals.runs);
      }
    }
    const { modelShares: models, stageShares, memberShares } = await usageSummary(fixture.team, filter, "day", "type");
    expect(stageShares.reduce((sum, row) => sum + row.runs, 0)).toBe(totals.runs);
    expect(memberShares.map((row) => row.key).sort()).toEqual([...people].sort());
    expect(memberShares.reduce((sum, row) => sum + row.credits, 0)).toBe(net);
    expect(models.map((row) => row.key).sort()).toEqual([...MODELS].sort());
    expect(models.reduce((sum, row) => sum + row.credits, 0)).toBe(net);
    // Largest spend first.
    expect(models.map((row) => row.credits)).toEqual([...models.map((row) => row.credits)].sort((a, b) => b - a));
    const { series: days } = await usageSummary(fixture.team, filter, "day", "type");
    // Days are the team's: a run at 23:30 UTC on 1 March is on 2 March in Berlin.
    expect(new Set(days.map((point) => point.bucket))).toEqual(new Set(runs.map((run) => dayInBerlin(run.createdAt))));
  });

  it("pages walk every run of the filter once, in each order, forwards and back", async () => {
    const filter: UsageFilter = { ...wholeRange(), project: projects[0] };
    const expected = runs.filter((run) => matches(run, filter));
    expect(expected.length).toBeGreaterThan(USAGE_PAGE_SIZE);
    for (const sort of RUN_SORTS) {
      const pages: string[][] = [];
      let cursor: UsageCursor | null = null;
      let page = await listUsageRuns(fixture.team, filter, sort, null);
      expect(page.newer).toBeNull();
      for (;;) {
        pages.push(page.runs.map((run) => run.id));
        if (!page.older) break;
        cursor = { direction: "older", key: Number(page.older.split("~")[0]), id: page.older.split("~")[1] };
        page = await listUsageRuns(fixture.team, filter, sort, cursor);
      }
      const seen = pages.flat();
      expect(seen.length).toBe(expected.length);
      expect(new Set(seen)).toEqual(new Set(expected.map((run) => run.id)));
      const byId = new Map(expected.map((run) => [run.id, run]));
      const keys = seen.map((id) => (sort === "newest" || sort === "oldest" ? byId.get(id)!.createdAt.getTime() : (byId.get(id)!.actual ?? 0)));
      const ordered = [...keys].sort((a, b) => (sort === "newest" || sort === "credits" ? b - a : a - b));
      expect(keys).toEqual(ordered);
      // Back from the last page: "newer" gives the page before it.
      if (pages.length > 1 && page.newer) {
        const back = await listUsageRuns(fixture.team, filter, sort, { direction: "newer", key: Number(page.newer.split("~")[0]), id: page.newer.split("~")[1] });
        expect(back.runs.map((run) => run.id)).toEqual(pages[pages.length - 2]);
      }
    }
  });

  it("exports exactly the runs of the filter, and the file adds up to the page's totals", async () => {
    for (const filter of [wholeRange(), { ...wholeRange(), model: "flux-2-pro" }, { ...wholeRange(), batch: batchId }, { ...wholeRange(), outcome: NO_OUTCOME }] as UsageFilter[]) {
      const totals = (await usageSummary(fixture.team, filter, "day", "type")).totals;
      const rows = await collect(runRows(fixture.team, filter, "newest"));
      const file = parse(stringify(rows)) as string[][];
      expect(file.length).toBe(totals.runs);
      const column = (name: string) => RUN_COLUMNS.indexOf(name);
      expect(file.reduce((sum, row) => sum + Number(row[column("charged")]), 0)).toBe(totals.charged);
      expect(file.reduce((sum, row) => sum + Number(row[column("refunded")]), 0)).toBe(totals.refunded);
      expect(file.reduce((sum, row) => sum + Number(row[column("net credits")]), 0)).toBe(totals.charged - totals.refunded);
    }
  });

  it("lists the ledger entries of the filter with the balance after each, and exports the same", async () => {
    const all = await listUsageEntries(fixture.team, wholeRange(), null);
    expect(all.entries[0].balanceAfter).toBe((await db().teamCredits.findUniqueOrThrow({ where: { teamId: fixture.team.id } })).balance);
    const flux: UsageFilter = { ...wholeRange(), model: "flux-2-pro" };
    const fluxRuns = new Set(runs.filter((run) => matches(run, flux)).map((run) => run.id));
    const exported = await collect(entryRows(fixture.team, flux));
    expect(exported.length).toBeGreaterThan(0);
    const runColumn = ENTRY_COLUMNS.indexOf("run id");
    for (const row of exported) expect(fluxRuns.has(String(row[runColumn]))).toBe(true);
    const listed = await listUsageEntries(fixture.team, flux, null);
    expect(listed.entries.map((entry) => entry.id.toString())).toEqual(exported.slice(0, USAGE_PAGE_SIZE).map((row) => row[ENTRY_COLUMNS.indexOf("entry id")]));
    // A member's entries are those of their runs, whoever settled or refunded them.
    const member: UsageFilter = { ...wholeRange(), member: people[1] };
    const theirs = new Set(runs.filter((run) => run.userId === people[1]).map((run) => run.id));
    for (const row of await collect(entryRows(fixture.team, member))) {
      const runId = String(row[runColumn]);
      expect(runId === "" || theirs.has(runId)).toBe(true);
    }
  });

  it("keeps typed text that a spreadsheet would run as a formula as text in the file", async () => {
    const team = await makeTeam("UTC");
    const owner = contextOf(team, "owner");
    await withoutApprovals(team.team.id);
    await addGrant(owner, { amount: 1_000, source: "Top-up", note: "" }, at(-1));
    await db().project.update({ where: { id: team.projectId }, data: { name: "=HYPERLINK(\"x\")" } });
    await recordRun(owner, { projectId: team.projectId, modelId: "qwen-image", settings: {}, quantity: 1, stage: "test", purpose: "internal_review", prompt: "+1 fox", notes: "@home", actual: 20, outcome: "accepted" }, at(1));
    const [row] = await collect(runRows(team.team, { range: "custom", from: "2026-03-01", to: "2026-03-31" }, "newest"));
    const cell = (name: string) => row[RUN_COLUMNS.indexOf(name)];
    expect([cell("project"), cell("prompt"), cell("notes"), cell("charged")]).toEqual(["'=HYPERLINK(\"x\")", "'+1 fox", "'@home", 20]);
    expect(cell("date")).toBe("2026-03-02 11:00:00");
  });

  it("answers a crafted page link with the first page, never a database error", async () => {
    const { loadUsagePage } = await import("./page-data");
    const links = [
      { older: "99999999999~x", sort: "credits" },
      { newer: "-99999999999~x", sort: "cheapest" },
      { older: "9999999999999999~x" },
      { older: "8640000000000001~x" },
      { older: "300000000000000~x" },
      { newer: "-70000000000000~x" },
      { older: "300000000000000~1", tab: "transactions" },
      { older: "1700000000000~99999999999999999999", tab: "transactions" },
      { older: "1700000000000~not-a-number", tab: "transactions" },
    ];
    for (const link of links) {
      const page = await loadUsagePage(fixture.team, { range: "90d", ...link }, at(40));
      expect(page.pageError, JSON.stringify(link)).toMatch(/not valid/);
      expect("runs" in page.list ? page.list.runs.length : page.list.entries.length).toBeGreaterThan(0);
    }
  });

  it("knows every batch of the team, however many, and no other team's", async () => {
    const many = Array.from({ length: 501 }, (_, i) => ({ teamId: fixture.team.id, projectId: fixture.projectId, name: `Later ${i}` }));
    await db().batch.createMany({ data: many });
    const stranger = await makeTeam();
    const theirs = await createBatch(contextOf(stranger, "admin"), { projectId: stranger.projectId, name: "Theirs", notes: "" });
    const { directory: after } = await usageDirectory(fixture.team, at(10), { batch: batchId });
    expect(after.batches.has(batchId)).toBe(true);
    const read = readUsageFilter({ batch: batchId }, after, "2026-03-20");
    expect(read.errors).toEqual({});
    const refused = readUsageFilter({ batch: theirs.batchId }, (await usageDirectory(fixture.team, at(10), { batch: theirs.batchId })).directory, "2026-03-20");
    expect(refused.errors.batch).toMatch(/not in this team/);
    await db().batch.deleteMany({ where: { teamId: fixture.team.id, name: { startsWith: "Later " } } });
  });

  it("refuses ids of another team and bad values at their field, and keeps the rest", async () => {
    const stranger = await makeTeam();
    const outsider = await makeUser();
    const { directory } = await usageDirectory(fixture.team, at(10));
    const read = readUsageFilter(
      { project: stranger.projectId, member: outsider.id, model: "no-such-model", stage: "final", from: "2026-03-05", to: "2026-03-01", tier: "gold" },
      directory,
      "2026-03-20",
    );
    expect(Object.keys(read.errors).sort()).toEqual(["member", "model", "project", "tier", "to"]);
    expect(read.usage).toMatchObject({ stage: "final", range: "custom", from: "2026-03-05", to: "2026-03-20" });
    expect(read.usage.project).toBeUndefined();
  });
});
