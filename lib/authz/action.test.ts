// toPlainInput: how a form post or a plain object becomes the object the action's schema parses; and what the wrappers
// refuse before any schema or query reads it (found by the fuzz suite, test/fuzz-actions.int.test.ts).
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { signInAs } from "@/test/session";
import { publicAction, teamAction, toPlainInput } from "./action";
import { ok } from "./result";

describe("toPlainInput", () => {
  it("keeps one value as a value and turns repeated keys into arrays, in order", () => {
    const form = new FormData();
    form.append("name", "Spring campaign");
    form.append("tag", "print");
    form.append("tag", "web");
    form.append("tag", "social");
    expect(toPlainInput(form)).toEqual({ name: "Spring campaign", tag: ["print", "web", "social"] });
  });

  it("drops Next's $ACTION bookkeeping fields", () => {
    const form = new FormData();
    form.append("$ACTION_ID_abc123", "");
    form.append("$ACTION_REF_1", "");
    form.append("$ACTION_1:0", '{"id":"x"}');
    form.append("$ACTION_KEY", "k");
    form.append("teamSlug", "northwind");
    expect(toPlainInput(form)).toEqual({ teamSlug: "northwind" });
  });

  it("keeps empty strings as strings, so the schema (not this function) decides they are missing", () => {
    const form = new FormData();
    form.append("description", "");
    form.append("name", " ");
    expect(toPlainInput(form)).toEqual({ description: "", name: " " });
  });

  it("copies a plain object instead of handing out the caller's", () => {
    const input = { teamSlug: "northwind", role: "member" };
    const plain = toPlainInput(input);
    expect(plain).toEqual(input);
    expect(plain).not.toBe(input);
    delete plain.teamSlug;
    expect(input.teamSlug).toBe("northwind");
  });

  it("answers an empty object for no input", () => {
    expect(toPlainInput(undefined)).toEqual({});
    expect(toPlainInput(new FormData())).toEqual({});
  });
});

describe("the action wrappers", () => {
  const echo = publicAction(z.object({ name: z.string() }), async (input) => ok(input.name));
  const inTeam = teamAction("viewer", z.object({}), async () => ok(null));

  it("refuse a NUL or half a character pair at its field, before the schema (the database would fail on it)", async () => {
    expect(await echo({ name: "a\u0000b" })).toMatchObject({ ok: false, code: "invalid", fieldErrors: { name: expect.stringMatching(/NUL/) } });
    expect(await echo({ name: "\ud83e" })).toMatchObject({ ok: false, code: "invalid", fieldErrors: { name: expect.any(String) } });
    expect(await echo({ name: "🪁" })).toEqual({ ok: true, data: "🪁" });
  });

  it("refuse nesting deeper than any form, whatever the schema would make of it", async () => {
    let deep: unknown = "x";
    for (let i = 0; i < 10_000; i++) deep = [deep];
    const result = await echo({ name: "Kite", deep });
    expect(result).toMatchObject({ ok: false, code: "invalid" });
    expect(Object.entries((!result.ok && result.fieldErrors) || {})).toEqual([[expect.stringMatching(/^deep\.0\.0/), expect.stringMatching(/nested more than 16/)]]);
  });

  it("take only text as a team's slug: a list or an object is no team, and never throws on the way (was 'unexpected')", async () => {
    signInAs({ id: "someone", email: "someone@example.test", name: "Someone" });
    try {
      for (const teamSlug of [["team"], { toString: [1] }, 5, null]) {
        expect(await inTeam({ teamSlug } as never), JSON.stringify(teamSlug)).toMatchObject({ ok: false, code: "not_found" });
      }
    } finally {
      signInAs(null);
    }
  });
});
