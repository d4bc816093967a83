// Batches through their server actions: CRUD with bad input, paste, runs against items, stale saves, findings, export, other teams.
import { parse } from "csv-parse/sync";
import { beforeEach, describe, expect, it } from "vitest";
import type { ActionResult } from "@/lib/authz/result";
import type { TeamContext } from "@/lib/authz/team";
import { db } from "@/lib/db/client";
import { addGrant, settleRun } from "@/lib/ledger/commands";
import { setProjectBudget } from "@/lib/ledger/budgets";
import { updatePriceEntry } from "@/lib/price-lists/commands";
import { DEFAULT_PRICE_LIST } from "@/lib/pricing/default-price-list";
import { estimateItem, type ItemPlan } from "@/lib/recommendations";
import { describeEachDatabase } from "@/test/db";
import { makeTeam, type TeamFixture } from "@/test/fixtures";
import { signInAs } from "@/test/session";
import { GET as exportBatch } from "@/app/t/[teamSlug]/batches/[batchId]/export/route";
import {
  addItemAction,
  answerFinalQuestionsAction,
  applyFindingAction,
  createBatchAction,
  dismissFindingAction,
  duplicateBatchAction,
  duplicateItemAction,
  pasteItemsAction,
  recordItemRunAction,
  restoreFindingAction,
  setItemStatusAction,
  updateBatchAction,
  updateItemAction,
} from "./actions";
import { getBatch, listBatches, teamFindings } from "./queries";
import { expectOk, expectFailure } from "@/test/results";

const PREMIUM_TESTS: ItemPlan = {
  tests: { modelId: "flux-2-pro", settings: {}, count: 5 },
  finals: { modelId: "flux-2-pro", settings: {}, count: 1 },
  tools: [],
};
const CHEAP: ItemPlan = { tests: { modelId: "qwen-image", settings: {}, count: 2 }, finals: { modelId: "flux-2-dev", settings: {}, count: 1 }, tools: [] };

const credits = (plan: ItemPlan) => {
  const estimate = estimateItem(DEFAULT_PRICE_LIST, plan);
  if (!estimate.ok) throw new Error(estimate.error.message);
  return estimate;
};

/** Everything a batch owns, to show that a refused request wrote nothing. */
async function snapshot(teamId: string) {
  const [batches, items, dismissals, audit, runs] = await Promise.all([
    db().batch.findMany({ where: { teamId }, orderBy: { id: "asc" } }),
    db().batchItem.findMany({ where: { teamId }, orderBy: { id: "asc" } }),
    db().findingDismissal.findMany({ where: { teamId }, orderBy: { id: "asc" } }),
    db().auditLog.count({ where: { teamId } }),
    db().run.count({ where: { teamId } }),
  ]);
  return { batches, items, dismissals, audit, runs };
}

describeEachDatabase("batches", () => {
  let fixture: TeamFixture;
  let slug: string;

  async function newBatch(name = "Spring campaign", who: keyof TeamFixture["people"] = "member") {
    signInAs(fixture.people[who]);
    return expectOk(await createBatchAction({ teamSlug: slug, projectId: fixture.projectId, name })).batchId;
  }

  async function newItem(batchId: string, plan: ItemPlan = PREMIUM_TESTS, extra: Record<string, unknown> = {}) {
    return expectOk(
      await addItemAction({ teamSlug: slug, batchId, title: "Hero visual", outputType: "image", purpose: "final_delivery", prompt: "A kite over a field", plan: JSON.stringify(plan), ...extra }),
    ).itemId;
  }

  beforeEach(async () => {
    signInAs(null);
    fixture = await makeTeam();
    slug = fixture.team.slug;
  });

  describe("batches and items", () => {
    it("creates, renames and duplicates a batch with audit entries; viewers may not", async () => {
      signInAs(fixture.people.viewer);
      expectFailure(await createBatchAction({ teamSlug: slug, projectId: fixture.projectId, name: "Spring" }), "forbidden");

      const batchId = await newBatch();
      const itemId = await newItem(batchId, PREMIUM_TESTS, { "flag.webOnly": "on" });
      const item = await db().batchItem.findUniqueOrThrow({ where: { id: itemId } });
      expect(item).toMatchObject({ teamId: fixture.team.id, status: "planned", version: 1, position: 1, plan: PREMIUM_TESTS });
      expect(item.flags).toMatchObject({ webOnly: true, willBeEdited: false });

      expectOk(await updateBatchAction({ teamSlug: slug, batchId, version: "1", name: "Spring launch", dueDate: "2027-03-01", notes: "Posters" }));
      const batch = await db().batch.findUniqueOrThrow({ where: { id: batchId } });
      expect(batch).toMatchObject({ name: "Spring launch", notes: "Posters", version: 2 });
      expect(batch.dueDate?.toISOString().slice(0, 10)).toBe("2027-03-01");
      // The same form again, opened at version 1: refused, nothing written.
      const before = await snapshot(fixture.team.id);
      expectFailure(await updateBatchAction({ teamSlug: slug, batchId, version: "1", name: "Other", notes: "" }), "conflict");
      expect(await snapshot(fixture.team.id)).toEqual(before);

      // A run against the original, to show the copy has none and is planned afresh.
      await db().batchItem.update({ where: { id: itemId }, data: { status: "testing" } });
      const copyId = expectOk(await duplicateBatchAction({ teamSlug: slug, batchId })).batchId;
      const copy = await getBatch(fixture.team.id, copyId);
      expect(copy?.batch.name).toBe("Spring launch (copy)");
      expect(copy?.items).toHaveLength(1);
      expect(copy?.items[0]).toMatchObject({ status: "planned", title: "Hero visual", plan: PREMIUM_TESTS, runs: [], spent: 0 });

      const actions = (await db().auditLog.findMany({ where: { teamId: fixture.team.id }, orderBy: { createdAt: "asc" } })).map((a) => a.action);
      expect(actions).toEqual(expect.arrayContaining(["batch.created", "batch.item_added", "batch.updated", "batch.duplicated"]));
    });

    it("counts progress on the batch list as the batch page does: dropped items are not to do", async () => {
      const batchId = await newBatch();
      await newItem(batchId, CHEAP);
      const dropped = await newItem(batchId, CHEAP);
      expectOk(await setItemStatusAction({ teamSlug: slug, itemId: dropped, version: "1", status: "dropped" }));
      const [summary] = await listBatches(fixture.team.id);
      expect(summary).toMatchObject({ itemCount: 1, doneCount: 0, planned: credits(CHEAP).credits });
    });

    it("refuses bad input at the field and writes nothing", async () => {
      const batchId = await newBatch();
      const before = await snapshot(fixture.team.id);
      const base = { teamSlug: slug, batchId, title: "Hero", outputType: "image", purpose: "web", prompt: "", plan: JSON.stringify(CHEAP) };
      const cases: [Record<string, unknown>, string][] = [
        [{ ...base, title: "" }, "title"],
        [{ ...base, title: "x".repeat(201) }, "title"],
        [{ ...base, prompt: "x".repeat(4001) }, "prompt"],
        [{ ...base, outputType: "hologram" }, "outputType"],
        [{ ...base, purpose: "fun" }, "purpose"],
        [{ ...base, plan: "{not json" }, "plan"],
        [{ ...base, plan: JSON.stringify({ ...CHEAP, tests: { modelId: "qwen-image", settings: {}, count: 0 } }) }, "plan.tests.count"],
        [{ ...base, plan: JSON.stringify({ ...CHEAP, tests: { modelId: "qwen-image", settings: {}, count: "1e3" } }) }, "plan.tests.count"],
        [{ ...base, plan: JSON.stringify({ ...CHEAP, finals: { modelId: "no-such-model", settings: {}, count: 1 } }) }, "plan.finals.modelId"],
        [{ ...base, plan: JSON.stringify({ ...CHEAP, finals: { modelId: "veo-3-1", settings: {}, count: 1 } }) }, "plan.finals.modelId"],
        [{ ...base, plan: JSON.stringify({ ...CHEAP, tools: [{ modelId: "qwen-image", settings: {}, count: 1 }] }) }, "plan.tools.0.modelId"],
        [{ ...base, plan: JSON.stringify({ tests: null, finals: null, tools: [] }) }, "plan"],
        [{ ...base, plan: JSON.stringify({ ...CHEAP, tests: { modelId: "x".repeat(101), settings: {}, count: 1 } }) }, "plan.tests.modelId"],
      ];
      for (const [input, field] of cases) {
        const result = expectFailure(await addItemAction(input), "invalid");
        expect(Object.keys(result.fieldErrors ?? {}), field).toContain(field);
      }
      expectFailure(await createBatchAction({ teamSlug: slug, projectId: fixture.projectId, name: "" }), "invalid");
      expectFailure(await createBatchAction({ teamSlug: slug, projectId: fixture.projectId, name: "Ok", dueDate: "2027-02-30" }), "invalid");
      expectFailure(await createBatchAction({ teamSlug: slug, projectId: fixture.projectId, name: "Ok", notes: "x".repeat(2001) }), "invalid");
      expect(await snapshot(fixture.team.id)).toEqual(before);
    });

    it("refuses a stale item save with the conflict message and keeps the newer version", async () => {
      const batchId = await newBatch();
      const itemId = await newItem(batchId);
      const form = { teamSlug: slug, itemId, version: "1", title: "Hero", outputType: "image", purpose: "web", prompt: "p", plan: JSON.stringify(CHEAP) };
      expectOk(await updateItemAction(form));
      const saved = await db().batchItem.findUniqueOrThrow({ where: { id: itemId } });
      expect(saved).toMatchObject({ title: "Hero", version: 2, plan: CHEAP });

      const before = await snapshot(fixture.team.id);
      const stale = expectFailure(await updateItemAction({ ...form, title: "Someone else's title" }), "conflict");
      expect(stale.message).toMatch(/^Someone else changed this item since you opened it.*your changes are still in the form/);
      expectFailure(await setItemStatusAction({ teamSlug: slug, itemId, version: "1", status: "dropped" }), "conflict");
      expectFailure(await answerFinalQuestionsAction({ teamSlug: slug, itemId, version: "1", qualityNeeded: "yes" }), "conflict");
      expect(await snapshot(fixture.team.id)).toEqual(before);

      expectOk(await answerFinalQuestionsAction({ teamSlug: slug, itemId, version: "2", qualityNeeded: "yes", qualityNeededNote: "Client print", editInstead: "no" }));
      const answered = await getBatch(fixture.team.id, batchId);
      expect(answered?.items[0].answers).toEqual({
        qualityNeeded: { answer: "yes", note: "Client print" },
        videoNecessary: { answer: null, note: "" },
        editInstead: { answer: "no", note: "" },
        isFinalVersion: { answer: null, note: "" },
      });
      expect(answered?.items[0].version).toBe(3);
    });

    it("duplicates an item at the end of the batch, planned", async () => {
      const batchId = await newBatch();
      const itemId = await newItem(batchId);
      await db().batchItem.update({ where: { id: itemId }, data: { status: "ready_for_final" } });
      const copyId = expectOk(await duplicateItemAction({ teamSlug: slug, itemId })).itemId;
      expect(await db().batchItem.findUniqueOrThrow({ where: { id: copyId } })).toMatchObject({ title: "Hero visual (copy)", position: 2, status: "planned", version: 1 });
    });

    it("moves status by hand, drops from anywhere, and marks done only after a settled final", async () => {
      const batchId = await newBatch();
      const itemId = await newItem(batchId);
      expectOk(await setItemStatusAction({ teamSlug: slug, itemId, version: "1", status: "ready_for_final" }));
      const done = expectFailure(await setItemStatusAction({ teamSlug: slug, itemId, version: "2", status: "done" }), "invalid");
      expect(done.fieldErrors?.status).toMatch(/settle a final run/);
      expectOk(await setItemStatusAction({ teamSlug: slug, itemId, version: "2", status: "dropped" }));
      expectFailure(await setItemStatusAction({ teamSlug: slug, itemId, version: "3", status: "finished" }), "invalid");
    });
  });

  describe("paste", () => {
    it("adds one item per line, titled by the prompt's first words", async () => {
      const batchId = await newBatch();
      const result = expectOk(
        await pasteItemsAction({
          teamSlug: slug,
          batchId,
          format: "lines",
          text: "A red kite over a green field at dawn with mist rising slowly\n\n  A lighthouse at night  \n",
          outputType: "image",
          purpose: "social_media",
          plan: JSON.stringify(CHEAP),
        }),
      );
      expect(result).toEqual({ added: 2 });
      const items = (await getBatch(fixture.team.id, batchId))!.items;
      expect(items.map((item) => [item.position, item.title, item.prompt, item.purpose])).toEqual([
        [1, "A red kite over a green field at", "A red kite over a green field at dawn with mist rising slowly", "social_media"],
        [2, "A lighthouse at night", "A lighthouse at night", "social_media"],
      ]);
    });

    it("reads CSV with models, counts, tools and flags", async () => {
      const batchId = await newBatch();
      const text = [
        "title,prompt,output_type,purpose,test_model,test_count,final_model,final_count,tools,flags",
        "Poster,A kite,image,print,qwen-image,4,flux-2-pro,2,bg-remover+crystal-upscaler,web_only+will_be_edited",
        '"Teaser, 15 s",A field in spring,video,client_draft,wan-2-5-fast,3,veo-3-1,1,,still_would_do',
        ",Background track,audio,social_media,,0,music-1-5,1,,background_music",
      ].join("\n");
      expectOk(await pasteItemsAction({ teamSlug: slug, batchId, format: "csv", text, outputType: "image", purpose: "web", plan: JSON.stringify(CHEAP) }));
      const items = (await getBatch(fixture.team.id, batchId))!.items;
      expect(items.map((item) => item.title)).toEqual(["Poster", "Teaser, 15 s", "Background track"]);
      expect(items[0].plan).toMatchObject({
        tests: { modelId: "qwen-image", count: 4 },
        finals: { modelId: "flux-2-pro", count: 2 },
        tools: [{ modelId: "bg-remover", count: 2 }, { modelId: "crystal-upscaler", count: 2 }],
      });
      expect(items[0].flags).toMatchObject({ webOnly: true, willBeEdited: true, stillWouldDo: false });
      expect(items[1]).toMatchObject({ outputType: "video", purpose: "client_draft", flags: { stillWouldDo: true } });
      expect(items[2]).toMatchObject({ outputType: "audio", plan: { tests: null, finals: { modelId: "music-1-5", count: 1 }, tools: [] } });
    });

    it("reads the header csv-parse reads: after a blank first line, quoted, or with old Mac line ends", async () => {
      const batchId = await newBatch();
      for (const text of ["\ntitle,prompt\nA,a kite\n", '"title","prompt"\r\nB,a kite', "title,prompt\rC,a kite"]) {
        expect(
          expectOk(await pasteItemsAction({ teamSlug: slug, batchId, format: "csv", text, outputType: "image", purpose: "web", plan: JSON.stringify(CHEAP) })),
          JSON.stringify(text),
        ).toEqual({ added: 1 });
      }
      expect((await getBatch(fixture.team.id, batchId))!.items.map((item) => item.title)).toEqual(["A", "B", "C"]);
    });

    it("reports the first bad line by number and adds nothing", async () => {
      const batchId = await newBatch();
      await newItem(batchId);
      const before = await snapshot(fixture.team.id);
      const header = "title,prompt,test_model,test_count";
      const cases: [string, RegExp][] = [
        [`${header}\nOne,a,qwen-image,2\nTwo,b,qwen-image,2\nThree,c,imaginary-model,2`, /^Line 4: test_model: there is no model “imaginary-model”/],
        [`${header}\nOne,a,qwen-image,2\nTwo,b,qwen-image,two`, /^Line 3: test_count “two” is not a whole number/],
        [`${header}\nOne,a,qwen-image,1.5`, /^Line 2: test_count “1.5”/],
        [`${header},colour\nOne,a,qwen-image,2,red`, /^Line 1: unknown column “colour”/],
        [`title,prompt,flags\nOne,a,sparkly`, /^Line 2: flag “sparkly”/],
        [`title,prompt,output_type\nOne,a,image\nTwo,b,video`, /^Line 3: tests.modelId: Qwen Image makes an image output/],
      ];
      for (const [text, message] of cases) {
        const result = expectFailure(
          await pasteItemsAction({ teamSlug: slug, batchId, format: "csv", text, outputType: "image", purpose: "web", plan: JSON.stringify(CHEAP) }),
          "invalid",
        );
        expect(result.fieldErrors?.text, text).toMatch(message);
        expect(result.message).toMatch(message);
      }
      const tooMany = expectFailure(
        await pasteItemsAction({ teamSlug: slug, batchId, format: "lines", text: "a\n".repeat(1001), outputType: "image", purpose: "web", plan: JSON.stringify(CHEAP) }),
        "invalid",
      );
      expect(tooMany.fieldErrors?.text).toMatch(/at most 1,000 items/);
      const tooLong = expectFailure(
        await pasteItemsAction({ teamSlug: slug, batchId, format: "lines", text: "x".repeat(500_001), outputType: "image", purpose: "web", plan: JSON.stringify(CHEAP) }),
        "invalid",
      );
      expect(tooLong.fieldErrors?.text).toMatch(/at most 500,000 characters/);
      expect(await snapshot(fixture.team.id)).toEqual(before);
    });

    it("takes exactly 1,000 items: a last line break or a CSV header is not an item", async () => {
      const batchId = await newBatch();
      const lines = Array.from({ length: 1000 }, (_, i) => `Prompt ${i + 1}`).join("\n") + "\n";
      expect(expectOk(await pasteItemsAction({ teamSlug: slug, batchId, format: "lines", text: lines, outputType: "image", purpose: "web", plan: JSON.stringify(CHEAP) })).added).toBe(1000);
      const other = await newBatch("Summer");
      const csv = `title,prompt\r\n${Array.from({ length: 1000 }, (_, i) => `Item ${i + 1},Prompt ${i + 1}`).join("\r\n")}\r\n`;
      expect(expectOk(await pasteItemsAction({ teamSlug: slug, batchId: other, format: "csv", text: csv, outputType: "image", purpose: "web", plan: JSON.stringify(CHEAP) })).added).toBe(1000);
    });
  });

  describe("runs against items", () => {
    let member: TeamContext;

    beforeEach(async () => {
      member = { user: fixture.people.member, team: fixture.team, role: "member" };
      await addGrant({ ...member, user: fixture.people.admin, role: "admin" }, { amount: 10_000, source: "Top-up", note: "" });
    });

    it("admits a test run with the plan's model, links it, and moves the item to testing", async () => {
      const batchId = await newBatch();
      const itemId = await newItem(batchId, CHEAP);
      const admitted = expectOk(await recordItemRunAction({ teamSlug: slug, itemId, stage: "test", quantity: "2", idempotencyKey: "item-run-0001" }));
      expect(admitted).toMatchObject({ status: "admitted", estimate: 40, priceListVersion: 0, replayed: false });
      if (admitted.status !== "admitted") return;
      const run = await db().run.findUniqueOrThrow({ where: { id: admitted.runId } });
      expect(run).toMatchObject({ batchItemId: itemId, projectId: fixture.projectId, modelId: "qwen-image", stage: "test", purpose: "final_delivery", state: "held", estimate: 40 });
      expect(await db().batchItem.findUniqueOrThrow({ where: { id: itemId } })).toMatchObject({ status: "testing", version: 2 });

      // A retry with the same key: the first answer, one run.
      expect(expectOk(await recordItemRunAction({ teamSlug: slug, itemId, stage: "test", quantity: "2", idempotencyKey: "item-run-0001" }))).toMatchObject({
        status: "admitted",
        runId: admitted.runId,
        replayed: true,
      });
      expect(await db().run.count({ where: { batchItemId: itemId } })).toBe(1);

      // Settle through the existing path; the batch shows what it spent.
      await settleRun(member, { runId: admitted.runId, actual: 30, outcome: "accepted" });
      const final = expectOk(await recordItemRunAction({ teamSlug: slug, itemId, stage: "final", quantity: "1" }));
      expect(final).toMatchObject({ status: "admitted", estimate: credits(CHEAP).finals });
      const view = (await getBatch(fixture.team.id, batchId))!;
      expect(view.items[0].spent).toBe(30 + credits(CHEAP).finals);
      expect(view.items[0].runs.map((r) => [r.stage, r.state])).toEqual([
        ["test", "settled"],
        ["final", "held"],
      ]);
      const [summary] = await listBatches(fixture.team.id);
      expect(summary).toMatchObject({ id: batchId, itemCount: 1, doneCount: 0, planned: credits(CHEAP).credits, spent: 30 + credits(CHEAP).finals });

      if (final.status !== "admitted") return;
      await settleRun(member, { runId: final.runId, actual: credits(CHEAP).finals, outcome: "accepted" });
      const version = (await db().batchItem.findUniqueOrThrow({ where: { id: itemId } })).version;
      expectOk(await setItemStatusAction({ teamSlug: slug, itemId, version: String(version), status: "done" }));
    });

    it("answers a denial like admitRun, holds nothing and leaves the item planned", async () => {
      const batchId = await newBatch();
      const itemId = await newItem(batchId, CHEAP);
      await setProjectBudget({ ...member, user: fixture.people.admin, role: "admin" }, { projectId: fixture.projectId, credits: 30, period: "month", weekStartsOn: 1, alertPercent: 80, hardCap: true });
      const denied = expectOk(await recordItemRunAction({ teamSlug: slug, itemId, stage: "test", quantity: "2" }));
      expect(denied).toMatchObject({ status: "denied", denial: { limit: "project_budget", needed: 40 }, estimate: 40 });
      expect(await db().run.count({ where: { teamId: fixture.team.id } })).toBe(0);
      expect(await db().batchItem.findUniqueOrThrow({ where: { id: itemId } })).toMatchObject({ status: "planned", version: 1 });
      expect((await getBatch(fixture.team.id, batchId))?.budget).toMatchObject({ credits: 30, remaining: 30 });
    });

    it("refuses a stage the plan does not have, a dropped item, and another team's item", async () => {
      const batchId = await newBatch();
      const itemId = await newItem(batchId, { tests: null, finals: { modelId: "qwen-image", settings: {}, count: 1 }, tools: [] });
      expect(expectFailure(await recordItemRunAction({ teamSlug: slug, itemId, stage: "test", quantity: "1" }), "invalid").fieldErrors?.stage).toMatch(/no test step/);

      const other = await makeTeam();
      signInAs(other.people.member);
      expectFailure(await recordItemRunAction({ teamSlug: other.team.slug, itemId, stage: "final", quantity: "1" }), "not_found");
      expect(await db().run.count({ where: { batchItemId: itemId } })).toBe(0);
    });

    it("is refused by the database when a run would name another team's item, whatever path writes it", async () => {
      const batchId = await newBatch();
      const itemId = await newItem(batchId, CHEAP);
      const other = await makeTeam();
      const run = await db().run.create({
        data: {
          teamId: other.team.id,
          projectId: other.projectId,
          userId: other.people.member.id,
          modelId: "qwen-image",
          modelName: "Qwen Image",
          outputType: "image",
          quantity: 1,
          stage: "test",
          purpose: "web",
          estimate: 20,
          priceListVersion: 0,
          state: "released",
        },
      });
      await expect(db().run.update({ where: { id: run.id }, data: { batchItemId: itemId } })).rejects.toThrow();
      expect((await db().run.findUniqueOrThrow({ where: { id: run.id } })).batchItemId).toBeNull();
    });
  });

  describe("findings", () => {
    it("applies a finding recomputed on the server, bumps the item's version and audits it", async () => {
      const batchId = await newBatch();
      const itemId = await newItem(batchId);
      const { findings, saved } = await teamFindings(fixture.team.id);
      expect(findings).toHaveLength(1);
      const finding = findings[0];
      expect(finding).toMatchObject({ rule: "test-cheap", itemId, batchId, batchName: "Spring campaign", kind: "saving" });
      expect(saved).toBe(finding.saved);
      expect((await listBatches(fixture.team.id))[0].openFindingsSaved).toBe(finding.saved);

      const applied = expectOk(await applyFindingAction({ teamSlug: slug, batchId, key: finding.key, version: "1" }));
      expect(applied).toMatchObject({ saved: finding.saved, rule: "test-cheap", itemIds: [itemId] });
      const item = await db().batchItem.findUniqueOrThrow({ where: { id: itemId } });
      expect(item.version).toBe(2);
      expect(credits(item.plan as ItemPlan).credits).toBe(finding.after);
      expect((await teamFindings(fixture.team.id)).findings).toEqual([]);
      expect(await db().auditLog.findFirst({ where: { teamId: fixture.team.id, action: "batch.finding_applied" } })).toMatchObject({
        actorId: fixture.people.member.id,
        targetId: batchId,
        details: { key: finding.key, rule: "test-cheap", saved: finding.saved },
      });

      // Applied once, the key is gone: a second click is told so and changes nothing.
      const before = await snapshot(fixture.team.id);
      expect(expectFailure(await applyFindingAction({ teamSlug: slug, batchId, key: finding.key }), "conflict").message).toMatch(/no longer applies/);
      expect(await snapshot(fixture.team.id)).toEqual(before);
    });

    it("takes a dismissal back: the finding shows again, audited; another team's or a viewer's attempt changes nothing", async () => {
      const batchId = await newBatch();
      await newItem(batchId);
      const [finding] = (await teamFindings(fixture.team.id)).findings;
      expectOk(await dismissFindingAction({ teamSlug: slug, batchId, key: finding.key, reason: "The client wants premium tests" }));
      const [dismissal] = (await getBatch(fixture.team.id, batchId))!.dismissals;

      const before = await snapshot(fixture.team.id);
      signInAs(fixture.people.viewer);
      expectFailure(await restoreFindingAction({ teamSlug: slug, batchId, dismissalId: dismissal.id }), "forbidden");
      const other = await makeTeam();
      signInAs(other.people.owner);
      expectFailure(await restoreFindingAction({ teamSlug: other.team.slug, batchId, dismissalId: dismissal.id }), "not_found");
      expect(await snapshot(fixture.team.id)).toEqual(before);

      signInAs(fixture.people.member);
      expectOk(await restoreFindingAction({ teamSlug: slug, batchId, dismissalId: dismissal.id }));
      expect((await teamFindings(fixture.team.id)).findings.map((open) => open.key)).toEqual([finding.key]);
      expect(await db().auditLog.findFirst({ where: { teamId: fixture.team.id, action: "batch.finding_restored" } })).toMatchObject({
        actorId: fixture.people.member.id,
        details: { key: finding.key, reason: "The client wants premium tests" },
      });
      expect(expectFailure(await restoreFindingAction({ teamSlug: slug, batchId, dismissalId: dismissal.id }), "not_found").message).toMatch(/taken back already/);
    });

    it("dismisses with a reason: remembered, audited, no longer open; forgotten when the plan changes", async () => {
      const batchId = await newBatch();
      const itemId = await newItem(batchId);
      const [finding] = (await teamFindings(fixture.team.id)).findings;
      expectFailure(await dismissFindingAction({ teamSlug: slug, batchId, key: finding.key, reason: " " }), "invalid");
      expectFailure(await dismissFindingAction({ teamSlug: slug, batchId, key: finding.key, reason: "x".repeat(501) }), "invalid");
      expectOk(await dismissFindingAction({ teamSlug: slug, batchId, key: finding.key, reason: "The client wants premium tests" }));
      expect(await teamFindings(fixture.team.id)).toEqual({ findings: [], saved: 0 });
      expect((await listBatches(fixture.team.id))[0].openFindingsSaved).toBe(0);
      expect((await getBatch(fixture.team.id, batchId))?.dismissals).toMatchObject([
        { key: finding.key, rule: "test-cheap", itemId, reason: "The client wants premium tests", userName: fixture.people.member.name },
      ]);
      expect(await db().auditLog.findFirst({ where: { teamId: fixture.team.id, action: "batch.finding_dismissed" } })).toMatchObject({
        details: { key: finding.key, reason: "The client wants premium tests" },
      });
      expectFailure(await dismissFindingAction({ teamSlug: slug, batchId, key: finding.key, reason: "Again" }), "conflict");

      // A changed plan is looked at afresh.
      const plan = { ...PREMIUM_TESTS, tests: { modelId: "flux-2-pro", settings: {}, count: 6 } };
      expectOk(await updateItemAction({ teamSlug: slug, itemId, version: "1", title: "Hero", outputType: "image", purpose: "web", prompt: "p", plan: JSON.stringify(plan) }));
      expect((await teamFindings(fixture.team.id)).findings).toHaveLength(1);
    });

    it("refuses to apply a finding whose figures changed since the page showed them (a new price), and changes nothing", async () => {
      const batchId = await newBatch();
      // A print final without an upscale: a quality warning that adds Crystal Upscaler at 1,000 credits.
      const itemId = await newItem(batchId, { tests: null, finals: { modelId: "flux-2-pro", settings: {}, count: 1 }, tools: [] }, { purpose: "print" });
      const [shown] = (await teamFindings(fixture.team.id)).findings;
      expect(shown).toMatchObject({ rule: "print-upscale", itemId, saved: -1000 });
      const admin = { user: fixture.people.admin, team: fixture.team, role: "admin" } as const;
      await updatePriceEntry(admin, { modelId: "crystal-upscaler", credits: 5000 }, { effective: { effective: "now" }, note: "" });
      const before = await snapshot(fixture.team.id);
      const refused = expectFailure(await applyFindingAction({ teamSlug: slug, batchId, key: shown.key, before: String(shown.before), after: String(shown.after) }), "conflict");
      expect(refused.message).toMatch(/figures changed/);
      expect(await snapshot(fixture.team.id)).toEqual(before);
      // Shown again with today's figures, it applies.
      const [fresh] = (await teamFindings(fixture.team.id)).findings;
      expect(fresh).toMatchObject({ key: shown.key, saved: -5000 });
      expectOk(await applyFindingAction({ teamSlug: slug, batchId, key: fresh.key, before: String(fresh.before), after: String(fresh.after) }));
    });

    it("leaves a dismissed saving out of the totals, even after another finding changed the item", async () => {
      const batchId = await newBatch();
      // A client draft with premium tests and a premium final: test cheap and match purpose, both savings.
      await newItem(batchId, PREMIUM_TESTS, { purpose: "client_draft" });
      const { findings } = await teamFindings(fixture.team.id);
      const testCheap = findings.find((finding) => finding.rule === "test-cheap")!;
      const matchPurpose = findings.find((finding) => finding.rule === "match-purpose")!;
      expect(matchPurpose).toBeDefined();
      expectOk(await dismissFindingAction({ teamSlug: slug, batchId, key: testCheap.key, reason: "The client wants premium tests" }));
      const open = await teamFindings(fixture.team.id);
      expect(open.findings.map((finding) => finding.rule)).toEqual(["match-purpose"]);
      expect(open.saved).toBe(matchPurpose.saved);
      expect((await listBatches(fixture.team.id))[0].openFindingsSaved).toBe(matchPurpose.saved);
    });

    it("leaves out batches of archived projects and filters by project and rule", async () => {
      await newItem(await newBatch());
      expect((await teamFindings(fixture.team.id, { projectId: fixture.projectId, rule: "test-cheap" })).findings).toHaveLength(1);
      expect((await teamFindings(fixture.team.id, { rule: "group-models" })).findings).toHaveLength(0);
      await db().project.update({ where: { id: fixture.projectId }, data: { archivedAt: new Date() } });
      expect(await teamFindings(fixture.team.id)).toEqual({ findings: [], saved: 0 });
    });
  });

  describe("export", () => {
    async function download(teamSlug: string, batchId: string) {
      return exportBatch(new Request(`http://localhost:3000/t/${teamSlug}/batches/${batchId}/export`), { params: Promise.resolve({ teamSlug, batchId }) });
    }

    it("answers a CSV whose figures are the estimates", async () => {
      const batchId = await newBatch("Spring campaign: posters");
      await newItem(batchId);
      await newItem(batchId, { ...CHEAP, tools: [{ modelId: "bg-remover", settings: {}, count: 1 }] }, { title: "=HYPERLINK(\"x\")" });
      signInAs(fixture.people.viewer);
      const response = await download(slug, batchId);
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toMatch(/^text\/csv/);
      expect(response.headers.get("content-disposition")).toContain('filename="spring-campaign-posters.csv"');
      const rows = parse(await response.text(), { columns: true }) as Record<string, string>[];
      const premium = credits(PREMIUM_TESTS);
      const cheap = credits({ ...CHEAP, tools: [{ modelId: "bg-remover", settings: {}, count: 1 }] });
      expect(rows).toEqual([
        {
          item: "Hero visual",
          "output type": "image",
          purpose: "Final delivery",
          status: "Planned",
          plan: "Tests: 5 × Flux 2 Pro; Final: 1 × Flux 2 Pro",
          "tests credits": String(premium.tests),
          "finals credits": String(premium.finals),
          "tools credits": "0",
          estimate: String(premium.credits),
          spent: "0",
        },
        expect.objectContaining({ item: "'=HYPERLINK(\"x\")", "tools credits": String(cheap.tools), estimate: String(cheap.credits) }),
      ]);
    });

    it("is not found for another team's batch, and refused to outsiders", async () => {
      const batchId = await newBatch();
      const other = await makeTeam();
      signInAs(other.people.owner);
      expect((await download(other.team.slug, batchId)).status).toBe(404);
      signInAs(fixture.outsider);
      expect((await download(slug, batchId)).status).toBe(404);
    });
  });

  describe("archived projects", () => {
    it("refuses every change to a batch of an archived project, says why, and writes nothing", async () => {
      const batchId = await newBatch();
      const itemId = await newItem(batchId);
      const [finding] = (await teamFindings(fixture.team.id)).findings;
      await db().project.update({ where: { id: fixture.projectId }, data: { archivedAt: new Date() } });
      const before = await snapshot(fixture.team.id);
      signInAs(fixture.people.member);
      const plan = JSON.stringify(CHEAP);
      const attempts: ActionResult<unknown>[] = [
        await updateBatchAction({ teamSlug: slug, batchId, version: "1", name: "Renamed" }),
        await duplicateBatchAction({ teamSlug: slug, batchId }),
        await addItemAction({ teamSlug: slug, batchId, title: "x", outputType: "image", purpose: "web", plan }),
        await updateItemAction({ teamSlug: slug, itemId, version: "1", title: "x", outputType: "image", purpose: "web", plan }),
        await duplicateItemAction({ teamSlug: slug, itemId }),
        await pasteItemsAction({ teamSlug: slug, batchId, format: "lines", text: "a", outputType: "image", purpose: "web", plan }),
        await setItemStatusAction({ teamSlug: slug, itemId, version: "1", status: "dropped" }),
        await answerFinalQuestionsAction({ teamSlug: slug, itemId, version: "1", qualityNeeded: "no" }),
        await applyFindingAction({ teamSlug: slug, batchId, key: finding.key }),
        await dismissFindingAction({ teamSlug: slug, batchId, key: finding.key, reason: "no" }),
        await recordItemRunAction({ teamSlug: slug, itemId, stage: "test", quantity: "1" }),
      ];
      for (const result of attempts) expect(expectFailure(result, "invalid").message).toMatch(/archived/);
      expect(await snapshot(fixture.team.id)).toEqual(before);
    });
  });

  describe("other teams' ids", () => {
    it("refuses every action on another team's batch or item and writes nothing", async () => {
      const batchId = await newBatch();
      const itemId = await newItem(batchId);
      const [finding] = (await teamFindings(fixture.team.id)).findings;
      const other = await makeTeam();
      const before = await snapshot(fixture.team.id);
      signInAs(other.people.owner);
      const theirs = other.team.slug;
      const plan = JSON.stringify(CHEAP);
      const attempts: ActionResult<unknown>[] = [
        await createBatchAction({ teamSlug: theirs, projectId: fixture.projectId, name: "Sneaky" }),
        await updateBatchAction({ teamSlug: theirs, batchId, version: "1", name: "Sneaky" }),
        await duplicateBatchAction({ teamSlug: theirs, batchId }),
        await addItemAction({ teamSlug: theirs, batchId, title: "x", outputType: "image", purpose: "web", plan }),
        await updateItemAction({ teamSlug: theirs, itemId, version: "1", title: "x", outputType: "image", purpose: "web", plan }),
        await duplicateItemAction({ teamSlug: theirs, itemId }),
        await pasteItemsAction({ teamSlug: theirs, batchId, format: "lines", text: "a", outputType: "image", purpose: "web", plan }),
        await setItemStatusAction({ teamSlug: theirs, itemId, version: "1", status: "dropped" }),
        await answerFinalQuestionsAction({ teamSlug: theirs, itemId, version: "1", qualityNeeded: "no" }),
        await applyFindingAction({ teamSlug: theirs, batchId, key: finding.key }),
        await dismissFindingAction({ teamSlug: theirs, batchId, key: finding.key, reason: "no" }),
        await recordItemRunAction({ teamSlug: theirs, itemId, stage: "test", quantity: "1" }),
      ];
      for (const result of attempts) expectFailure(result, "not_found");
      expect(await snapshot(fixture.team.id)).toEqual(before);
      expect(await db().batch.count({ where: { teamId: other.team.id } })).toBe(0);
      expect(await getBatch(other.team.id, batchId)).toBeNull();
      expect(await listBatches(other.team.id)).toEqual([]);
    });
  });
});
