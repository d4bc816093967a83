// Input the API refuses before its schemas read it: unstorable text anywhere, and nesting past the limit.
import { describe, expect, it } from "vitest";
import { MAX_DEPTH, MAX_VALUES, storableText, unreadableField } from "./input";

describe("unreadable input", () => {
  it("passes whole text of any script, emoji included", () => {
    expect(storableText("A kite 🪁 über Köln — 東京")).toBe(true);
    expect(unreadableField({ events: [{ prompt: "A kite 🪁", settings: { resolution: "2K" } }] }, "body")).toBeNull();
  });

  it("finds a NUL or a lone surrogate at its field, in values and in keys", () => {
    const cut = "A kite 🪁".slice(0, -1);
    expect(unreadableField({ events: [{ prompt: "fine" }, { prompt: cut }] }, "body")).toMatchObject({ field: "events.1.prompt", in: "body" });
    expect(unreadableField({ notes: "line\u0000two" }, "body")?.field).toBe("notes");
    expect(unreadableField({ eventId: "\udc00tail" }, "body")?.field).toBe("eventId");
    expect(unreadableField({ settings: { ["bad\u0000"]: "x" } }, "body")?.field).toBe("settings");
    expect(unreadableField({ from: "2026\u0000" }, "query")).toMatchObject({ field: "from", in: "query" });
  });

  it("refuses nesting past the limit without walking it, however deep", () => {
    let deep: unknown = [];
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(unreadableField({ events: [deep] }, "body")?.message).toMatch(`more than ${MAX_DEPTH} levels`);
    let fine: unknown = "x";
    for (let i = 0; i < MAX_DEPTH - 1; i++) fine = [fine];
    expect(unreadableField(fine, "body")).toBeNull();
  });

  it("refuses more values than any input has at once, without walking them (a 30 MiB list of zeros took an instance down)", () => {
    const zeros = { events: new Array(16_000_000).fill(0) };
    expect(unreadableField(zeros, "body")?.message).toMatch(/more than 100,000 values/);
    const wide = Object.fromEntries(Array.from({ length: MAX_VALUES + 1 }, (_, i) => [`k${i}`, 0]));
    expect(unreadableField({ settings: wide }, "body")?.message).toMatch(/more than/);
    const events = Array.from({ length: 1_000 }, (_, i) => ({ eventId: `e${i}`, projectId: "p", modelId: "m", quantity: 1, settings: { resolution: "2k" }, prompt: "x" }));
    expect(unreadableField({ events }, "body")).toBeNull();
  });
});
