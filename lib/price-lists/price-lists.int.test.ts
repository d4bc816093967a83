// Price list versions through their server actions and export: versions by effective date, diffs, audit, import, roles and teams.
import { beforeEach, expect, it } from "vitest";
import { GET as exportPriceList } from "@/app/api/v1/teams/[teamSlug]/price-list/route";
import { db } from "@/lib/db/client";
import type { Prisma } from "@/lib/db/generated/client";
import { DEFAULT_PRICE_LIST } from "@/lib/pricing/default-price-list";
import { findEntry } from "@/lib/pricing/estimate";
import { parsePriceListFile, serializePriceList } from "@/lib/pricing/schema";
import type { CatalogEntry } from "@/lib/pricing/types";
import { describeEachDatabase } from "@/test/db";
import { makeTeam, type TeamFixture } from "@/test/fixtures";
import { signInAs } from "@/test/session";
import { addPriceEntryAction, estimateRunAction, importPriceListAction, updatePriceEntryAction } from "./actions";
import { listPriceListVersions, priceListInForce } from "./queries";
import { localInputValue } from "./rules";
import { expectOk, expectFailure } from "@/test/results";

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;

function credits(entries: readonly CatalogEntry[], id: string): number | undefined {
  return findEntry({ entries: [...entries] }, id)?.credits;
}

/** What must not change when a save is refused: the versions and the audit log. */
async function snapshot(teamId: string) {
  return {
    versions: await db().priceListVersion.findMany({ where: { teamId }, orderBy: { version: "asc" } }),
    audit: await db().auditLog.count({ where: { teamId } }),
  };
}

function later(fixture: TeamFixture, fromNow: number): string {
  return localInputValue(new Date(Date.now() + fromNow), fixture.team.timeZone);
}

async function storeVersion(teamId: string, version: number, effectiveFrom: Date, fluxCredits: number) {
  const entries = structuredClone(DEFAULT_PRICE_LIST.entries) as CatalogEntry[];
  entries.find((entry) => entry.id === "flux-2-pro")!.credits = fluxCredits;
  await db().priceListVersion.create({
    data: { teamId, version, effectiveFrom, entries: entries as unknown as Prisma.InputJsonArray, changes: [] },
  });
}

async function callExport(slug: string, query = "") {
  return exportPriceList(new Request(`http://localhost:3000/api/v1/teams/${slug}/price-list${query}`), {
    params: Promise.resolve({ teamSlug: slug }),
  });
}

describeEachDatabase("price lists", () => {
  beforeEach(() => signInAs(null));

  it("uses the default list as version 0 until a team saves one", async () => {
    const fixture = await makeTeam();
    const inForce = await priceListInForce(fixture.team.id);
    expect(inForce).toMatchObject({ version: 0, id: null, effectiveFrom: null });
    expect(inForce.priceList).toEqual(DEFAULT_PRICE_LIST);
    expect(await db().priceListVersion.count({ where: { teamId: fixture.team.id } })).toBe(0);
  });

  it("picks the version with the latest effective date at or before the moment", async () => {
    const fixture = await makeTeam();
    const teamId = fixture.team.id;
    const jan = new Date("2026-01-01T00:00:00Z");
    const mar = new Date("2026-03-01T00:00:00Z");
    await storeVersion(teamId, 1, jan, 130);
    await storeVersion(teamId, 2, mar, 140);
    // Saved later but effective earlier than version 2: it applied only between its date and March.
    await storeVersion(teamId, 3, new Date("2026-02-01T00:00:00Z"), 135);

    const at = async (iso: string) => {
      const inForce = await priceListInForce(teamId, new Date(iso));
      return [inForce.version, credits(inForce.priceList.entries, "flux-2-pro")];
    };
    expect(await at("2025-12-31T23:59:59Z")).toEqual([0, 120]);
    expect(await at("2026-01-01T00:00:00Z")).toEqual([1, 130]);
    expect(await at("2026-02-15T00:00:00Z")).toEqual([3, 135]);
    expect(await at("2026-03-01T00:00:00Z")).toEqual([2, 140]);
    expect(await at("2030-01-01T00:00:00Z")).toEqual([2, 140]);
  });

  it("saves an edit as a new version with its diff, author and audit entry, in force now", async () => {
    const fixture = await makeTeam();
    signInAs(fixture.people.admin);
    const result = await updatePriceEntryAction({
      teamSlug: fixture.team.slug,
      modelId: "flux-2-pro",
      credits: "150",
      note: "Platform price rise",
      versionNote: "May prices",
    });
    expect(result).toMatchObject({ ok: true, data: { version: 1, scheduled: false }, message: "Saved price list version 1; it is in force now." });

    const [row] = await db().priceListVersion.findMany({ where: { teamId: fixture.team.id } });
    expect(row).toMatchObject({
      version: 1,
      createdById: fixture.people.admin.id,
      note: "May prices",
      changes: ["Flux 2 Pro: 120 → 150 credits", "Flux 2 Pro: note none → “Platform price rise”"],
    });
    const audit = await db().auditLog.findMany({ where: { teamId: fixture.team.id, action: "price_list.saved" } });
    expect(audit).toMatchObject([
      {
        actorId: fixture.people.admin.id,
        targetType: "price_list_version",
        targetId: row.id,
        details: { version: 1, scheduled: false, changes: row.changes, note: "May prices" },
      },
    ]);

    const inForce = await priceListInForce(fixture.team.id);
    expect(inForce).toMatchObject({ version: 1, createdBy: { name: fixture.people.admin.name } });
    expect(credits(inForce.priceList.entries, "flux-2-pro")).toBe(150);
    // Everything else is still the default.
    expect(inForce.priceList.entries.filter((entry) => entry.id !== "flux-2-pro")).toEqual(
      DEFAULT_PRICE_LIST.entries.filter((entry) => entry.id !== "flux-2-pro"),
    );
    expect((await listPriceListVersions(fixture.team.id)).map((item) => [item.version, item.createdBy?.name])).toEqual([
      [1, fixture.people.admin.name],
    ]);
  });

  it("refuses a price that is not a whole number as typed, such as 1e3 or 0x78, and saves nothing", async () => {
    const fixture = await makeTeam();
    signInAs(fixture.people.admin);
    for (const credits of ["1e3", "0x78", "120.0", ""]) {
      const result = await updatePriceEntryAction({ teamSlug: fixture.team.slug, modelId: "flux-2-pro", credits, versionNote: "" });
      expect(result).toMatchObject({ ok: false, fieldErrors: { credits: expect.stringContaining("whole number") } });
    }
    expect(await db().priceListVersion.count({ where: { teamId: fixture.team.id } })).toBe(0);
    // The server's estimate reads a quantity as the form does: "1e3" is no quantity, not 1,000.
    expect(await estimateRunAction({ teamSlug: fixture.team.slug, modelId: "flux-2-pro", quantity: "1e3" })).toMatchObject({
      ok: false,
      fieldErrors: { quantity: expect.any(String) },
    });
  });

  it("reads factors, tier and status from form data", async () => {
    const fixture = await makeTeam();
    signInAs(fixture.people.owner);
    const form = new FormData();
    form.set("teamSlug", fixture.team.slug);
    form.set("modelId", "veo-3-1");
    form.set("credits", "4,000");
    form.set("tier", "premium");
    form.set("enabled", "false");
    form.set("factor.duration.6", "7/8");
    form.set("factor.resolution.4k", "1.75");
    form.set("effective", "now");
    expectOk(await updatePriceEntryAction(form));
    const veo = findEntry((await priceListInForce(fixture.team.id)).priceList, "veo-3-1")!;
    expect(veo.enabled).toBe(false);
    expect(veo.settings[0].options.find((option) => option.value === "6")!.factor).toEqual({ num: 7, den: 8 });
    expect(veo.settings[1].options.find((option) => option.value === "4k")!.factor).toEqual({ num: 7, den: 4 });

    const bad = new FormData();
    for (const [key, value] of form) bad.set(key, value);
    bad.set("factor.duration.6", "seven eighths");
    bad.set("credits", "0");
    const refused = expectFailure(await updatePriceEntryAction(bad), "invalid");
    expect(refused.fieldErrors).toMatchObject({ credits: expect.stringContaining("at least 1"), "factor.duration.6": expect.stringContaining("6/8") });
  });

  it("refuses a save that changes nothing, and one that starts in the past, storing nothing", async () => {
    const fixture = await makeTeam();
    signInAs(fixture.people.admin);
    const before = await snapshot(fixture.team.id);

    const same = expectFailure(await updatePriceEntryAction({ teamSlug: fixture.team.slug, modelId: "sdxl", credits: "40" }), "invalid");
    expect(same.message).toBe("Nothing to save: this is the same as version 0. Change a price or a setting first.");
    expect(same.fieldErrors).toBeUndefined();

    const past = expectFailure(
      await updatePriceEntryAction({
        teamSlug: fixture.team.slug,
        modelId: "sdxl",
        credits: "45",
        effective: "later",
        effectiveAt: later(fixture, -2 * HOUR),
      }),
      "invalid",
    );
    expect(past.fieldErrors?.effectiveAt).toContain("has passed");
    expect(await snapshot(fixture.team.id)).toEqual(before);
  });

  it("schedules a version for later without changing today's prices, and keeps new versions after it", async () => {
    const fixture = await makeTeam();
    signInAs(fixture.people.admin);
    const { slug } = fixture.team;
    expectOk(await updatePriceEntryAction({ teamSlug: slug, modelId: "flux-2-pro", credits: "150" }));
    const scheduled = expectOk(
      await updatePriceEntryAction({ teamSlug: slug, modelId: "flux-2-pro", credits: "200", effective: "later", effectiveAt: later(fixture, 2 * DAY) }),
    );
    expect(scheduled).toMatchObject({ version: 2, scheduled: true });

    const now = await priceListInForce(fixture.team.id);
    expect([now.version, credits(now.priceList.entries, "flux-2-pro")]).toEqual([1, 150]);
    const then = await priceListInForce(fixture.team.id, new Date(Date.now() + 3 * DAY));
    expect([then.version, credits(then.priceList.entries, "flux-2-pro")]).toEqual([2, 200]);
    // The server-side estimate follows the version in force, and says which one it used.
    signInAs(fixture.people.viewer);
    expect(expectOk(await estimateRunAction({ teamSlug: slug, modelId: "flux-2-pro", quantity: 2 }))).toMatchObject({
      version: 1,
      credits: 300,
      breakdown: "Flux 2 Pro · 1K: 150 credits × 2 = 300 credits",
    });

    // Starting before the scheduled version would let it undo this change on its date.
    signInAs(fixture.people.admin);
    const before = await snapshot(fixture.team.id);
    const early = expectFailure(await updatePriceEntryAction({ teamSlug: slug, modelId: "sdxl", credits: "45" }), "invalid");
    expect(early.fieldErrors?.effective).toContain("Version 2 is scheduled");
    expect(await snapshot(fixture.team.id)).toEqual(before);

    const after = expectOk(
      await updatePriceEntryAction({ teamSlug: slug, modelId: "sdxl", credits: "45", effective: "later", effectiveAt: later(fixture, 3 * DAY) }),
    );
    expect(after.version).toBe(3);
    // Built on version 2, so the scheduled Flux price carries on.
    const last = await priceListInForce(fixture.team.id, new Date(Date.now() + 4 * DAY));
    expect([last.version, credits(last.priceList.entries, "flux-2-pro"), credits(last.priceList.entries, "sdxl")]).toEqual([3, 200, 45]);
    expect((await db().priceListVersion.findFirstOrThrow({ where: { teamId: fixture.team.id, version: 3 } })).changes).toEqual([
      "SDXL: 40 → 45 credits",
    ]);
  });

  it("adds a custom tool, refusing an id already used", async () => {
    const fixture = await makeTeam();
    signInAs(fixture.people.admin);
    const input = { teamSlug: fixture.team.slug, name: "Face Restore", outputType: "tool", tier: "none", credits: "30", unit: "image", useFor: "Old photos" };
    expect(expectOk(await addPriceEntryAction(input))).toMatchObject({ version: 1, changes: ["Added custom tool Face Restore (tool, 30 credits)"] });
    const added = findEntry((await priceListInForce(fixture.team.id)).priceList, "face-restore");
    expect(added).toEqual({ id: "face-restore", name: "Face Restore", outputType: "tool", tier: null, credits: 30, unit: "image", settings: [], useFor: "Old photos", enabled: true });

    const before = await snapshot(fixture.team.id);
    const taken = expectFailure(await addPriceEntryAction({ ...input, name: "Another", id: "sdxl" }), "invalid");
    expect(taken.fieldErrors?.id).toContain("already used by SDXL");
    const untiered = expectFailure(await addPriceEntryAction({ ...input, name: "Video thing", outputType: "video" }), "invalid");
    expect(untiered.fieldErrors?.tier).toContain("Only tools");
    expect(await snapshot(fixture.team.id)).toEqual(before);
  });

  it("refuses a bad import file with its line and reason, changing nothing", async () => {
    const fixture = await makeTeam();
    signInAs(fixture.people.admin);
    expectOk(await updatePriceEntryAction({ teamSlug: fixture.team.slug, modelId: "sdxl", credits: "45" }));
    const before = await snapshot(fixture.team.id);
    const good = serializePriceList((await priceListInForce(fixture.team.id)).priceList);

    const syntax = good.replace('"credits": 45,', '"credits": 45');
    const brokenSyntax = expectFailure(await importPriceListAction({ teamSlug: fixture.team.slug, json: syntax }), "invalid");
    expect(brokenSyntax.fieldErrors?.json).toMatch(/^Line \d+, column \d+: The file is not valid JSON/);

    const lines = good.split("\n");
    const creditsLine = lines.findIndex((line) => line.includes('"credits": 45')) + 1;
    const schema = good.replace('"credits": 45,', '"credits": -45,');
    const brokenSchema = expectFailure(await importPriceListAction({ teamSlug: fixture.team.slug, json: schema }), "invalid");
    expect(brokenSchema.fieldErrors?.json).toBe(`Line ${creditsLine}: entries[1].credits: must be a whole number of credits, at least 1`);

    const notAList = expectFailure(await importPriceListAction({ teamSlug: fixture.team.slug, json: '{"hello": 1}' }), "invalid");
    expect(notAList.fieldErrors?.json).toContain("Line 1:");
    const same = expectFailure(await importPriceListAction({ teamSlug: fixture.team.slug, json: good }), "invalid");
    expect(same.fieldErrors?.json).toContain("the same as version 1");
    expect(await snapshot(fixture.team.id)).toEqual(before);
  });

  it("imports a good file as a new version with a readable diff and an audit entry", async () => {
    const fixture = await makeTeam();
    signInAs(fixture.people.owner);
    const file = JSON.parse(serializePriceList(DEFAULT_PRICE_LIST)) as { entries: CatalogEntry[] };
    file.entries.find((entry) => entry.id === "veo-3-1")!.credits = 4200;
    file.entries = file.entries.filter((entry) => entry.id !== "sora-2-pro");
    const saved = expectOk(await importPriceListAction({ teamSlug: fixture.team.slug, json: JSON.stringify(file), versionNote: "Platform update" }));
    expect(saved).toMatchObject({ version: 1, changes: ["Veo 3.1: 4,000 → 4,200 credits", "Removed Sora 2 Pro (video, premium, 4,000 credits)"] });
    const inForce = await priceListInForce(fixture.team.id);
    expect(credits(inForce.priceList.entries, "veo-3-1")).toBe(4200);
    expect(findEntry(inForce.priceList, "sora-2-pro")).toBeUndefined();
    expect(await db().auditLog.findMany({ where: { teamId: fixture.team.id, action: "price_list.imported" } })).toMatchObject([
      { actorId: fixture.people.owner.id, details: { version: 1, changes: saved.changes, note: "Platform update" } },
    ]);
  });

  it("numbers concurrent saves one after another, each built on the one before", async () => {
    const fixture = await makeTeam();
    signInAs(fixture.people.admin);
    const models = ["qwen-image", "sdxl", "flux-2-dev", "flux-2-pro", "wan-2-5-fast", "speech-turbo"];
    const results = await Promise.all(
      models.map((modelId, index) => updatePriceEntryAction({ teamSlug: fixture.team.slug, modelId, credits: String(500 + index) })),
    );
    const versions = results.map((result) => expectOk(result).version);
    expect([...versions].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6]);
    const latest = await priceListInForce(fixture.team.id);
    expect(latest.version).toBe(6);
    expect(models.map((id) => credits(latest.priceList.entries, id))).toEqual([500, 501, 502, 503, 504, 505]);
    // Each version's diff names exactly its own change.
    const rows = await db().priceListVersion.findMany({ where: { teamId: fixture.team.id }, orderBy: { version: "asc" } });
    expect(rows.every((row) => Array.isArray(row.changes) && row.changes.length === 1)).toBe(true);
    expect(await db().auditLog.count({ where: { teamId: fixture.team.id, action: "price_list.saved" } })).toBe(6);
  });

  it("lets only admins and owners change prices, and everyone in the team estimate", async () => {
    const fixture = await makeTeam();
    const { slug } = fixture.team;
    const before = await snapshot(fixture.team.id);
    const file = serializePriceList(DEFAULT_PRICE_LIST).replace('"credits": 40,', '"credits": 41,');
    for (const person of [fixture.people.approver, fixture.people.member, fixture.people.viewer]) {
      signInAs(person);
      expectFailure(await updatePriceEntryAction({ teamSlug: slug, modelId: "sdxl", credits: "99" }), "forbidden");
      expectFailure(await addPriceEntryAction({ teamSlug: slug, name: "X", outputType: "tool", tier: "none", credits: "1", unit: "image" }), "forbidden");
      expectFailure(await importPriceListAction({ teamSlug: slug, json: file }), "forbidden");
      expect(expectOk(await estimateRunAction({ teamSlug: slug, modelId: "veo-3-1", quantity: 1, settings: { duration: "6" } }))).toMatchObject({
        version: 0,
        credits: 3000,
      });
    }
    signInAs(fixture.outsider);
    expectFailure(await updatePriceEntryAction({ teamSlug: slug, modelId: "sdxl", credits: "99" }), "not_found");
    expectFailure(await estimateRunAction({ teamSlug: slug, modelId: "sdxl", quantity: 1 }), "not_found");
    expect(await snapshot(fixture.team.id)).toEqual(before);
  });

  it("refuses an estimate the price list cannot price, at its field", async () => {
    const fixture = await makeTeam();
    signInAs(fixture.people.member);
    const unknown = expectFailure(await estimateRunAction({ teamSlug: fixture.team.slug, modelId: "nope", quantity: 1 }), "invalid");
    expect(unknown.fieldErrors?.modelId).toContain("no model “nope”");
    const setting = expectFailure(
      await estimateRunAction({ teamSlug: fixture.team.slug, modelId: "veo-3-1", quantity: 1, settings: { duration: "60" } }),
      "invalid",
    );
    expect(setting.fieldErrors?.["settings.duration"]).toContain("does not offer duration “60”");
    const quantity = expectFailure(await estimateRunAction({ teamSlug: fixture.team.slug, modelId: "sdxl", quantity: "2.5" }), "invalid");
    expect(quantity.fieldErrors?.quantity).toContain("whole number");
  });

  it("keeps each team's price list to itself", async () => {
    const a = await makeTeam();
    const b = await makeTeam();
    signInAs(a.people.admin);
    expectOk(await updatePriceEntryAction({ teamSlug: a.team.slug, modelId: "sdxl", credits: "77" }));
    const bBefore = await snapshot(b.team.id);
    // A's admin is nobody in B: the team does not exist for them.
    expectFailure(await updatePriceEntryAction({ teamSlug: b.team.slug, modelId: "sdxl", credits: "88" }), "not_found");
    expectFailure(await importPriceListAction({ teamSlug: b.team.slug, json: serializePriceList(DEFAULT_PRICE_LIST) }), "not_found");
    expect(await snapshot(b.team.id)).toEqual(bBefore);
    expect((await priceListInForce(b.team.id)).version).toBe(0);
    expect(credits((await priceListInForce(b.team.id)).priceList.entries, "sdxl")).toBe(40);
    expect((await callExport(b.team.slug)).status).toBe(404);

    signInAs(b.people.viewer);
    const response = await callExport(b.team.slug);
    expect(response.status).toBe(200);
    const parsed = parsePriceListFile(await response.text());
    expect(parsed.ok && credits(parsed.priceList.entries, "sdxl")).toBe(40);
  });

  it("exports the version in force, or a chosen one, as a file to download", async () => {
    const fixture = await makeTeam();
    signInAs(fixture.people.admin);
    expectOk(await updatePriceEntryAction({ teamSlug: fixture.team.slug, modelId: "sdxl", credits: "45" }));
    signInAs(fixture.people.member);
    const current = await callExport(fixture.team.slug);
    expect(current.headers.get("content-disposition")).toBe(`attachment; filename="${fixture.team.slug}-price-list-v1.json"`);
    expect(current.headers.get("content-type")).toContain("application/json");
    expect(await current.text()).toBe(serializePriceList((await priceListInForce(fixture.team.id)).priceList));
    const original = await callExport(fixture.team.slug, "?version=0");
    expect(await original.text()).toBe(serializePriceList(DEFAULT_PRICE_LIST));
    expect((await callExport(fixture.team.slug, "?version=9")).status).toBe(404);
    expect((await callExport(fixture.team.slug, "?version=latest")).status).toBe(400);
  });
});
