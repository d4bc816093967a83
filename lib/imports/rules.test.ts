// Reading imported usage files: the layout from the header, each row's values, fingerprints and names.
import { describe, expect, it } from "vitest";
import { DEFAULT_PRICE_LIST } from "@/lib/pricing/default-price-list";
import {
  contentHash,
  normalizeDateText,
  detectLayout,
  eventKind,
  fingerprintOf,
  matchMember,
  matchModel,
  modelInDescription,
  quantityIn,
  readDate,
  readDateCell,
  reportTitle,
  LAYOUTS,
  readRow,
  readSettings,
  readValues,
  readWhole,
  settingsInDescription,
} from "./rules";

const NOW = new Date("2026-12-01T12:00:00Z");
const entries = DEFAULT_PRICE_LIST.entries;

describe("detectLayout", () => {
  it("reads either layout from its header, whatever the case, spacing and order", () => {
    const platform = detectLayout(["Date", "User", "Event Type", "Amount", "Balance After", "Description"]);
    expect(platform).toMatchObject({ ok: true, detected: { layout: "platform", positions: { date: 0, eventType: 2, description: 5 } } });
    const runs = detectLayout(["\uFEFFexternal_id", "USER-EMAIL", "date", "model", " Quantity ", "credits", "notes"]);
    expect(runs).toMatchObject({ ok: true, detected: { layout: "runs", positions: { externalId: 0, user: 1, quantity: 4 }, ignored: ["notes"] } });
  });

  it("says what each layout misses when the header is neither", () => {
    const answer = detectLayout(["date", "user", "model"]);
    expect(answer.ok).toBe(false);
    if (answer.ok) return;
    expect(answer.error).toContain("for a runs file, “user email”, “quantity”, “credits”");
    expect(answer.error).toContain("for the platform's analytics export, “event type”, “amount”, “description”");
  });
});

describe("readValues and readRow", () => {
  const runs = detectLayout(["date", "user email", "model", "settings", "quantity", "credits", "stage", "outcome", "project", "prompt", "external id"]);
  if (!runs.ok) throw new Error("unreachable");

  it("refuses a line with another number of values than the header", () => {
    expect(readValues(runs.detected, ["2026-11-01", "a@b.test"], 11).error).toBe("This line has 2 values; the first line names 11 columns.");
  });

  it("reads a good runs row, and each bad value with its own message", () => {
    const good = readRow("runs", { date: "2026-11-01 10:00", user: "a@b.test", model: "SDXL", quantity: "2", credits: "1,200", stage: "Final", outcome: "needs edit", prompt: "x".repeat(5000) }, "Europe/Berlin", NOW);
    expect(good).toMatchObject({ kind: "row", row: { quantity: 2, credits: 1200, stage: "final", outcome: "needs_edit" } });
    if (good.kind === "row") {
      expect(good.row.at.toISOString()).toBe("2026-11-01T09:00:00.000Z");
      expect(good.row.prompt).toHaveLength(4000);
    }
    const bad = readRow("runs", { date: "2027-01-01", user: "", model: "SDXL", quantity: "0", credits: "", stage: "sketch" }, "UTC", NOW);
    expect(bad.kind).toBe("error");
    if (bad.kind !== "error") return;
    expect(bad.reason).toContain("in the future");
    expect(bad.reason).toContain("The user email is empty.");
    expect(bad.reason).toContain("The quantity “0”");
    expect(bad.reason).toContain("The credits are empty.");
    expect(bad.reason).toContain("Stage “sketch”");
  });

  it("reads the platform's usage events, and skips credit events and refunds with a reason", () => {
    const usage = readRow("platform", { date: "2026-11-02T09:14:00Z", user: "a@b.test", eventType: "Image generation", amount: "-240", description: "Flux 2 Pro — 2 images, 2K" }, "UTC", NOW);
    expect(usage).toMatchObject({ kind: "row", row: { credits: 240, quantity: 2, model: "Flux 2 Pro — 2 images, 2K" } });
    expect(readRow("platform", { date: "2026-11-02", user: "a", eventType: "Top-up", amount: "5000", description: "Pool" }, "UTC", NOW)).toMatchObject({ kind: "skip" });
    expect(readRow("platform", { date: "2026-11-02", user: "a", eventType: "Refund", amount: "50", description: "Failed clip" }, "UTC", NOW)).toMatchObject({ kind: "skip" });
    expect(readRow("platform", { date: "2026-11-02", user: "a", eventType: "Login", amount: "0", description: "x" }, "UTC", NOW)).toMatchObject({ kind: "error" });
    expect(readRow("platform", { date: "2026-11-02", user: "a", eventType: "Usage", amount: "", description: "SDXL" }, "UTC", NOW)).toMatchObject({
      kind: "error",
      reason: "The amount is empty.",
    });
  });
});

describe("values", () => {
  it("reads dates with an offset as that instant, and without one in the team's zone", () => {
    expect(readDate("2026-11-03T14:05:00Z", "Asia/Tokyo")?.toISOString()).toBe("2026-11-03T14:05:00.000Z");
    expect(readDate("2026-11-03 14:05", "Asia/Tokyo")?.toISOString()).toBe("2026-11-03T05:05:00.000Z");
    expect(readDate("2026-11-03", "Europe/Berlin")?.toISOString()).toBe("2026-11-02T23:00:00.000Z");
    expect(readDate("2026-02-30", "UTC")).toBeNull();
    expect(readDate("03/11/2026", "UTC")).toBeNull();
  });

  it("refuse a local time the team's clock skipped or showed twice, asking for an offset", () => {
    const gap = readDateCell("2026-03-29 02:30", "Europe/Berlin");
    expect(gap).toEqual({ ok: false, error: expect.stringContaining("never happened in Europe/Berlin") });
    expect(!gap.ok && gap.error).toContain("2026-03-29T02:30:00+01:00");
    const twice = readDateCell("2026-10-25 02:30", "Europe/Berlin");
    expect(twice).toEqual({ ok: false, error: expect.stringContaining("happened twice in Europe/Berlin") });
    expect(!twice.ok && twice.error).toContain("2026-10-25T02:30:00+02:00 or 2026-10-25T02:30:00+01:00");
    expect(readDateCell("2026-10-25T02:30:00+01:00", "Europe/Berlin")).toEqual({ ok: true, at: new Date("2026-10-25T01:30:00Z") });
    expect(readDateCell("2026-10-25 03:30", "Europe/Berlin")).toEqual({ ok: true, at: new Date("2026-10-25T02:30:00Z") });
  });

  it("refuse dates before 2000 and dates in the future, saying why", () => {
    const now = new Date("2026-12-01T12:00:00Z");
    const row = (date: string) => readRow("runs", { date, user: "a@b.test", model: "sdxl", quantity: "1", credits: "40" }, "UTC", now);
    expect(row("1999-12-31")).toEqual({ kind: "error", reason: expect.stringContaining("before the year 2000") });
    expect(row("0026-11-01")).toEqual({ kind: "error", reason: expect.stringContaining("before the year 2000") });
    expect(row("2026-12-02")).toEqual({ kind: "error", reason: expect.stringContaining("in the future") });
    expect(row("2026-10-25 02:30").kind).toBe("row");
    expect(readRow("runs", { date: "2026-03-29 02:30", user: "a@b.test", model: "sdxl", quantity: "1", credits: "40" }, "Europe/Berlin", now)).toEqual({
      kind: "error",
      reason: expect.stringContaining("never happened"),
    });
  });

  it("reads whole numbers only, never a fraction or an empty cell as 0", () => {
    expect(readWhole("1,200")).toBe(1200);
    expect(readWhole("-120")).toBe(-120);
    expect(readWhole("12.5")).toBeNull();
    expect(readWhole("")).toBeNull();
    expect(readWhole("1,20")).toBeNull();
  });

  it("reads settings written as pairs or as JSON", () => {
    expect(readSettings("Resolution=2K; duration = 10")).toEqual({ ok: true, settings: { resolution: "2k", duration: "10" } });
    expect(readSettings('{"resolution":"2k"}')).toEqual({ ok: true, settings: { resolution: "2k" } });
    expect(readSettings("2k")).toMatchObject({ ok: false });
  });

  it("classifies the platform's event types", () => {
    expect(["Image generation", "Usage", "Tool run"].map(eventKind)).toEqual(["usage", "usage", "usage"]);
    expect(["Top-up", "Monthly grant", "Credit purchase"].map(eventKind)).toEqual(["credit", "credit", "credit"]);
    expect(eventKind("Refund")).toBe("refund");
  });

  it("finds the quantity a description names", () => {
    expect(quantityIn("Flux 2 Pro — 4 images, 2K")).toBe(4);
    expect(quantityIn("Wan 2.5 Fast — 1 clip, 5 s")).toBe(1);
    expect(quantityIn("Speech HD")).toBeNull();
  });
});

describe("fingerprints", () => {
  it("are the external id when there is one, else the content and its occurrence", () => {
    expect(fingerprintOf(" plat-1 ", "abc", 3)).toBe("x:plat-1");
    expect(fingerprintOf("", "abc", 2)).toBe("abc#2");
  });

  it("hash the same row alike however it is spaced, cased or its date written, and tell different rows apart", () => {
    const a = contentHash("runs", { date: "2026-11-01 10:00", user: "A@B.test", model: "SDXL", quantity: "1", credits: "40", prompt: "A kite" });
    const b = contentHash("runs", { date: "2026-11-01T10:00:00", user: " a@b.test ", model: "sdxl", quantity: "1", credits: "40", prompt: "A  kite" });
    const c = contentHash("runs", { date: "2026-11-01T10:00:00", user: "a@b.test", model: "sdxl", quantity: "1", credits: "41", prompt: "A kite" });
    const prompt = contentHash("runs", { date: "2026-11-01T10:00:00", user: "a@b.test", model: "sdxl", quantity: "1", credits: "40", prompt: "a kite" });
    expect(a).toBe(b);
    expect(c).not.toBe(a);
    expect(prompt).not.toBe(a);
    expect(contentHash("platform", { date: "2026-11-01" })).not.toBe(contentHash("runs", { date: "2026-11-01" }));
    // An offset names the instant: written in UTC or in another offset, the same row.
    expect(contentHash("runs", { date: "2026-11-01T11:00:00+01:00" })).toBe(contentHash("runs", { date: "2026-11-01T10:00Z" }));
  });

  it("hash a date without an offset as written, not as an instant of the team's zone", () => {
    expect(normalizeDateText("2026-11-01 10:00")).toBe("2026-11-01T10:00:00");
    expect(normalizeDateText(" 2026-11-01 ")).toBe("2026-11-01");
    expect(normalizeDateText("2026-11-01T11:00:00+01:00")).toBe("2026-11-01T10:00:00.000Z");
    expect(normalizeDateText("yesterday")).toBe("yesterday");
  });
});

describe("names", () => {
  const members = [
    { id: "u1", email: "mia@studio.test", name: "Mia Member" },
    { id: "u2", email: "jo@studio.test", name: "Jo" },
    { id: "u3", email: "jo2@studio.test", name: "Jo" },
  ];

  it("matches a person by email, then by a name only one member has", () => {
    expect(matchMember("MIA@studio.test", members)?.id).toBe("u1");
    expect(matchMember(" mia  member ", members)?.id).toBe("u1");
    expect(matchMember("Jo", members)).toBeNull();
    expect(matchMember("nobody@x.test", members)).toBeNull();
  });

  it("matches a model by id or name, and finds the longest one in a description", () => {
    expect(matchModel("Flux 2 Pro", entries)).toBe("flux-2-pro");
    expect(matchModel("veo-3-1", entries)).toBe("veo-3-1");
    expect(matchModel("Veo 3.1", entries)).toBe("veo-3-1");
    expect(matchModel("Midjourney", entries)).toBeNull();
    expect(modelInDescription("Flux 2 Pro — 2 images", entries)).toEqual({ name: "flux 2 pro", modelId: "flux-2-pro" });
    expect(modelInDescription("Wan 2.5 Fast — 1 clip, 5 s", entries)).toEqual({ name: "wan 2.5 fast", modelId: "wan-2-5-fast" });
    expect(modelInDescription("Kling 2 — 2 clips", entries)).toEqual({ name: "kling 2", modelId: null });
    expect(modelInDescription("Kling 2 — 2 clips", entries, { "kling 2": "wan-2-5-fast" })).toEqual({ name: "kling 2", modelId: "wan-2-5-fast" });
  });

  it("reads the settings a description names by label or value", () => {
    const veo = entries.find((entry) => entry.id === "veo-3-1")!;
    expect(settingsInDescription("Veo 3.1 — 1 clip, 8 s, 1080p", veo)).toEqual({ duration: "8", resolution: "1080p" });
    expect(settingsInDescription("Veo 3.1", veo)).toEqual({});
  });
});

describe("the report", () => {
  it("is titled by what the import did, never \"Imported\" over nothing imported", () => {
    expect(reportTitle({ imported: 9, present: 0, skipped: 1, refused: 0 })).toBe("Imported 9 rows");
    expect(reportTitle({ imported: 2, present: 1, skipped: 0, refused: 0 })).toBe("Imported 2 rows; 1 was already present");
    expect(reportTitle({ imported: 0, present: 12, skipped: 0, refused: 0 })).toBe("Nothing new: all 12 rows were already present");
    expect(reportTitle({ imported: 0, present: 1, skipped: 0, refused: 0 })).toBe("Nothing new: the row was already present");
    expect(reportTitle({ imported: 0, present: 9, skipped: 1, refused: 0 })).toBe("Nothing new: 9 rows already present, 1 skipped");
    expect(reportTitle({ imported: 0, present: 9, skipped: 1, refused: 2 })).toBe("Nothing new: 9 rows already present, 1 skipped, 2 refused");
    expect(reportTitle({ imported: 0, present: 0, skipped: 0, refused: 3 })).toBe("Nothing imported: every row was skipped or refused");
  });

  it("names the layouts in short words for the list", () => {
    expect([LAYOUTS.platform.short, LAYOUTS.runs.short]).toEqual(["Platform export", "Runs file"]);
  });
});
