// toPlainInput: how a form post or a plain object becomes the object the action's schema parses.
import { describe, expect, it } from "vitest";
import { toPlainInput } from "./action";

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
