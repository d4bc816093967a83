// The price list file: export format, round trips, and errors with line numbers.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DEFAULT_PRICE_LIST } from "./default-price-list";
import { locateJson } from "./json-locate";
import { catalogEntrySchema, parsePriceListFile, priceListSchema, serializePriceList } from "./schema";
import type { CatalogEntry, PriceList, SettingDef } from "./types";

const exported = serializePriceList(DEFAULT_PRICE_LIST);
const lines = exported.split("\n");
/** 1-based number of the first line of `text` containing `needle`, at or after line `from`. */
const lineIn = (text: string, needle: string, from = 1) =>
  text.split(/\r?\n/).findIndex((line, index) => index >= from - 1 && line.includes(needle)) + 1;

function failure(text: string) {
  const result = parsePriceListFile(text);
  if (result.ok) throw new Error("expected the file to be refused");
  return result.error;
}

describe("serializePriceList", () => {
  it("writes the file format with two-space indentation", () => {
    expect(lines.slice(0, 6)).toEqual([
      "{",
      '  "format": "creditwise.price-list",',
      '  "version": 1,',
      '  "entries": [',
      "    {",
      '      "id": "qwen-image",',
    ]);
    expect(exported.endsWith("}\n")).toBe(true);
  });

  it("round-trips the default price list", () => {
    const parsed = parsePriceListFile(exported);
    expect(parsed).toEqual({ ok: true, priceList: DEFAULT_PRICE_LIST });
    expect(parsed.ok && serializePriceList(parsed.priceList)).toBe(exported);
  });

  it("round-trips optional fields and drops fields that are not part of the format", () => {
    const entry = { ...DEFAULT_PRICE_LIST.entries[0], minimumCharge: 5, note: "house rule", createdBy: "ana" } as CatalogEntry;
    const parsed = parsePriceListFile(serializePriceList({ entries: [entry] }));
    expect(parsed.ok && parsed.priceList.entries[0]).toEqual({ ...DEFAULT_PRICE_LIST.entries[0], minimumCharge: 5, note: "house rule" });
  });

  it("round-trips any valid price list", () => {
    const slug = fc.stringMatching(/^[a-z0-9]{1,8}(-[a-z0-9]{1,8}){0,2}$/);
    const label = fc.string({ minLength: 1, maxLength: 20 }).filter((text) => /\S/.test(text));
    const part = fc.integer({ min: 1, max: 100 });
    const setting = (key: string) =>
      fc.uniqueArray(fc.record({ value: slug, label, factor: fc.record({ num: part, den: part }) }), {
        minLength: 1,
        maxLength: 4,
        selector: (option) => option.value,
      }).chain((options) => fc.constantFrom(...options).map((chosen) => ({ key, label: key, default: chosen.value, options })));
    const entry = fc.record(
      {
        id: slug,
        name: label,
        outputType: fc.constantFrom("image", "video", "audio", "tool" as const),
        tier: fc.constantFrom("budget", "mid", "premium" as const),
        credits: fc.integer({ min: 1, max: 10_000 }),
        unit: label,
        settings: fc.oneof(fc.constant<SettingDef[]>([]), setting("resolution").map((one): SettingDef[] => [one])),
        minimumCharge: fc.integer({ min: 1, max: 100 }),
        useFor: fc.string({ maxLength: 40 }),
        note: fc.string({ maxLength: 40 }),
        enabled: fc.boolean(),
      },
      { requiredKeys: ["id", "name", "outputType", "tier", "credits", "unit", "settings", "useFor", "enabled"] },
    );
    const priceList = fc.uniqueArray(entry, { maxLength: 6, selector: (item) => item.id }).map((entries): PriceList => ({ entries }));
    fc.assert(
      fc.property(priceList, (list) => {
        expect(parsePriceListFile(serializePriceList(list))).toEqual({ ok: true, priceList: list });
      }),
    );
  });
});

describe("parsePriceListFile: JSON syntax errors", () => {
  it("reports a missing comma on the line where it is missing", () => {
    const text = exported.replace('"credits": 120,', '"credits": 120');
    const error = failure(text);
    expect(error).toMatchObject({ line: lineIn(text, '"credits": 120') });
    expect(error.message).toBe("The file is not valid JSON: a comma or } is missing after the value of “credits”.");
  });

  it("reports a trailing comma", () => {
    const text = ["{", '  "format": "creditwise.price-list",', '  "version": 1,', '  "entries": [],', "}"].join("\n");
    expect(failure(text)).toEqual({
      message: "The file is not valid JSON: a comma before } is not allowed in JSON; remove it.",
      line: 5,
      column: 1,
    });
  });

  it("refuses comments and a trailing comma in a list, which JSON does not allow", () => {
    const commented = exported.replace('"version": 1,', '"version": 1, // the file format');
    expect(failure(commented)).toMatchObject({
      message: "The file is not valid JSON: comments are not allowed in JSON; remove it.",
      line: 3,
      column: 17,
    });
    expect(failure('{\n  "entries": [1, 2,\n  ]\n}')).toMatchObject({
      message: "The file is not valid JSON: a comma before ] is not allowed in JSON; remove it.",
      line: 3,
    });
    expect(locateJson("[1, /* two */ 2]")).toMatchObject({ ok: false, line: 1, column: 5 });
  });

  it("reports an unclosed text value and single quotes", () => {
    expect(failure('{\n  "format": "creditwise\n}')).toMatchObject({ line: 2, column: 13 });
    expect(failure("{\n  'format': 1\n}")).toMatchObject({
      message: "The file is not valid JSON: field names need double quotes, not single quotes.",
      line: 2,
    });
  });

  it("reports a truncated file and an empty one", () => {
    const truncated = exported.slice(0, exported.indexOf('"id": "sdxl"'));
    expect(failure(truncated)).toMatchObject({
      message: "The file is not valid JSON: expected a field name in double quotes but found the end of the file.",
      line: lineIn(exported, '"id": "sdxl"'),
    });
    expect(failure("")).toMatchObject({ message: "The file is not valid JSON: the file is empty.", line: 1 });
  });

  it("counts lines the same with Windows line endings, and accepts a byte order mark", () => {
    const windows = exported.replace(/\n/g, "\r\n");
    expect(parsePriceListFile(`\uFEFF${windows}`).ok).toBe(true);
    expect(failure(windows.replace('"credits": 120,', '"credits": 120')).line).toBe(lineIn(exported, '"credits": 120'));
  });

  it("agrees with JSON.parse on what is valid", () => {
    const samples = [
      '{"a": [1, 2.5e3, -0, true, false, null, "x\\u00e9\\n"]}',
      "[1 2]",
      "{\"a\": 01}",
      "{\"a\": 1.}",
      "{\"a\": \"\\x\"}",
      "{} {}",
      "nul",
      '"tab\there"',
      "[-]",
      "  [ ]  ",
    ];
    for (const sample of samples) {
      let valid = true;
      try {
        JSON.parse(sample);
      } catch {
        valid = false;
      }
      expect(locateJson(sample).ok, sample).toBe(valid);
    }
    fc.assert(
      fc.property(fc.json(), (json) => {
        expect(locateJson(json).ok).toBe(true);
      }),
    );
  });

  it("refuses data nested beyond reason without overflowing the stack", () => {
    const deep = "[".repeat(100_000) + "]".repeat(100_000);
    expect(locateJson(deep)).toMatchObject({ ok: false, message: "the data is nested too deeply" });
  });
});

describe("parsePriceListFile: schema errors", () => {
  it("reports a fractional price with the path, a plain reason and the line", () => {
    const text = exported.replace('"credits": 120,', '"credits": 12.5,');
    expect(failure(text)).toEqual({
      message: "entries[3].credits: must be a whole number of credits, at least 1",
      line: lineIn(text, '"credits": 12.5'),
    });
  });

  it("reports zero and negative prices the same way", () => {
    expect(failure(exported.replace('"credits": 600,', '"credits": 0,')).message).toBe(
      "entries[4].credits: must be a whole number of credits, at least 1",
    );
    const negative = exported.replace('"credits": 600,', '"credits": -5,');
    expect(failure(negative).line).toBe(lineIn(negative, '"credits": -5'));
  });

  it("reports a missing field at its entry", () => {
    const text = exported.replace('      "credits": 120,\n', "");
    const entryLine = lineIn(text, '"id": "flux-2-pro"') - 1;
    expect(failure(text)).toEqual({ message: "entries[3].credits: is missing", line: entryLine });
  });

  it("reports a duplicate id at the second entry", () => {
    const text = exported.replace('"id": "sdxl"', '"id": "qwen-image"');
    expect(failure(text)).toEqual({
      message: "entries[1].id: the id “qwen-image” is already used by entries[0]",
      line: lineIn(text, '"id": "qwen-image"', 7),
    });
  });

  it("reports ids that are not slugs", () => {
    expect(failure(exported.replace('"id": "sdxl"', '"id": "SDXL XL"')).message).toBe(
      "entries[1].id: must use only lowercase letters, digits and single hyphens, such as flux-2-pro",
    );
  });

  it("reports a default that is not among the options", () => {
    const text = exported.replace('"default": "8"', '"default": "9"');
    expect(failure(text)).toEqual({
      message: "entries[8].settings[0].default: “9” is not one of the options (4, 6, 8)",
      line: lineIn(text, '"default": "9"'),
    });
  });

  it("reports factors that are not positive whole numbers", () => {
    const zero = exported.replace('"num": 6,\n                "den": 8', '"num": 0,\n                "den": 8');
    expect(failure(zero)).toMatchObject({
      message: "entries[8].settings[0].options[1].factor.num: must be a whole number from 1 to 10,000",
      line: lineIn(zero, '"num": 0'),
    });
    const fraction = exported.replace('"num": 6,\n                "den": 8', '"num": 6,\n                "den": 0.5');
    expect(failure(fraction).message).toMatch(/^entries\[8\]\.settings\[0\]\.options\[1\]\.factor\.den: /);
  });

  it("reports unknown fields, wrong formats and versions", () => {
    const coloured = exported.replace('"enabled": true', '"enabled": true, "colour": "red"');
    expect(failure(coloured)).toEqual({ message: "entries[0]: unknown field “colour”", line: lineIn(coloured, '"colour"') });
    expect(failure(exported.replace('"version": 1', '"version": 2'))).toEqual({
      message: "version: must be 1; this file was written by another version of Creditwise",
      line: 3,
    });
    expect(failure('{"format": "something-else", "version": 1, "entries": []}').message).toBe(
      "format: must be “creditwise.price-list”; this does not look like a Creditwise price list",
    );
    expect(failure("[]")).toEqual({ message: "The file must hold one JSON object with format, version and entries", line: 1 });
  });

  it("tells how many more problems there are", () => {
    const text = exported.replace('"credits": 120,', '"credits": 0,').replace('"credits": 600,', '"credits": 0,');
    expect(failure(text).message).toBe("entries[3].credits: must be a whole number of credits, at least 1 (and 1 more problem)");
  });

  it("allows a missing tier only for tools", () => {
    const entry = DEFAULT_PRICE_LIST.entries[0];
    expect(catalogEntrySchema.safeParse({ ...entry, tier: null }).success).toBe(false);
    expect(catalogEntrySchema.safeParse({ ...DEFAULT_PRICE_LIST.entries[13], tier: null }).success).toBe(true);
    expect(catalogEntrySchema.safeParse({ ...DEFAULT_PRICE_LIST.entries[13], tier: "budget" }).success).toBe(true);
  });

  it("refuses a model whose dearest settings would cost more than can be charged", () => {
    const entry = structuredClone(DEFAULT_PRICE_LIST.entries[8]) as CatalogEntry;
    entry.credits = 9_000_000;
    const result = catalogEntrySchema.safeParse(entry);
    expect(result.success).toBe(false);
    expect(!result.success && result.error.issues[0].message).toBe(
      "at its dearest settings this would cost 13,500,000 credits per clip, more than the 10,000,000 allowed",
    );
  });

  it("refuses duplicate setting keys and option values", () => {
    const entry = structuredClone(DEFAULT_PRICE_LIST.entries[8]) as CatalogEntry;
    entry.settings[1].key = "duration";
    entry.settings[0].options[1].value = "4";
    const issues = catalogEntrySchema.safeParse(entry).error?.issues.map((issue) => [issue.path.join("."), issue.message]);
    expect(issues).toEqual([
      ["settings.0.options.1.value", "the value “4” is listed twice"],
      ["settings.1.key", "the setting “duration” is listed twice"],
    ]);
  });

  it("accepts the default list as a file object", () => {
    expect(priceListSchema.safeParse(JSON.parse(exported)).success).toBe(true);
  });
});
