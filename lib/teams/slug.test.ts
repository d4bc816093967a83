// suggestSlug: the team address the create-team form proposes from the name.
import { describe, expect, it } from "vitest";
import { slugSchema } from "./schema";
import { suggestSlug } from "./slug";

describe("suggestSlug", () => {
  it("lowercases and joins words with single hyphens", () => {
    expect(suggestSlug("Northwind Studio")).toBe("northwind-studio");
    expect(suggestSlug("  Blue   Fox  Films ")).toBe("blue-fox-films");
    expect(suggestSlug("Studio 54")).toBe("studio-54");
  });

  it("turns runs of punctuation into one hyphen and trims hyphens at both ends", () => {
    expect(suggestSlug("--Acme & Sons, Ltd.!--")).toBe("acme-sons-ltd");
    expect(suggestSlug("a/b\\c_d.e")).toBe("a-b-c-d-e");
  });

  it("drops accents instead of the letters under them", () => {
    expect(suggestSlug("Café Crème")).toBe("cafe-creme");
    expect(suggestSlug("Ångström Øre Zürich")).toBe("angstrom-re-zurich");
  });

  it("answers an empty suggestion when nothing usable is left", () => {
    expect(suggestSlug("")).toBe("");
    expect(suggestSlug("!!!")).toBe("");
    expect(suggestSlug("東京")).toBe("");
  });

  it("stops at 40 characters without ending on a hyphen", () => {
    const long = suggestSlug("The Quite Remarkably Long Named Creative Agency of Northern Europe");
    expect(long.length).toBeLessThanOrEqual(40);
    expect(long).not.toMatch(/-$/);
    expect(long).toBe("the-quite-remarkably-long-named-creative");
    // The cut lands right after a word, on the hyphen that followed it.
    expect(suggestSlug(`${"a".repeat(39)} bcd`)).toBe("a".repeat(39));
  });

  it("suggests addresses the create-team form accepts", () => {
    for (const name of ["Northwind Studio", "Café Crème", "Studio 54", "--Acme & Sons, Ltd.!--", "x".repeat(60)]) {
      expect(slugSchema.safeParse(suggestSlug(name)).success, name).toBe(true);
    }
  });
});
