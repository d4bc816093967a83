// The paste form's limits: items counted as paste reads them.
import { describe, expect, it } from "vitest";
import { DEFAULT_PRICE_LIST } from "@/lib/pricing/default-price-list";
import { parsePastedItems } from "./rules";
import { pasteItemsSchema, pasteSizeProblem } from "./schema";

const plan = JSON.stringify({ tests: null, finals: { modelId: "flux-2-dev", settings: {}, count: 1 }, tools: [] });
const paste = (format: "lines" | "csv", text: string) =>
  pasteItemsSchema.safeParse({ batchId: "cmbatch0000000000000000000", text, format, outputType: "image", purpose: "web", plan });

describe("pasteItemsSchema", () => {
  it("counts a CSV's items by record: a quoted prompt over several lines is one item", () => {
    const rows = Array.from({ length: 600 }, (_, i) => `Item ${i + 1},"A kite\nover a field"`);
    const result = paste("csv", `title,prompt\n${rows.join("\n")}\n`);
    expect(result.success, JSON.stringify(result.error?.issues)).toBe(true);
    const tooMany = paste("csv", `title,prompt\n${Array.from({ length: 1001 }, (_, i) => `Item ${i + 1},"a\nb"`).join("\n")}`);
    expect(tooMany.error?.issues[0].message).toMatch(/at most 1,000 items/);
  });
});

describe("paste size", () => {
  it("refuses a paste too large for one request as it is sent (UTF-8), not only by its length", () => {
    // 400,000 characters of Japanese are 1.2 MB: more than a server action takes (1 MB), though under 500,000 characters.
    const text = "雨".repeat(400_000);
    expect(paste("lines", text).error?.issues[0].message).toMatch(/too large/);
    expect(pasteSizeProblem(text)).toMatch(/too large/);
    expect(pasteSizeProblem("a kite\n".repeat(100_000))).toBeNull();
  });
});

describe("parsePastedItems", () => {
  it("reads old Mac line ends in a list of prompts as it counts them: one item per line", () => {
    const parsed = parsePastedItems(DEFAULT_PRICE_LIST, "a kite\rtwo kites\rthree kites", "lines", { outputType: "image", purpose: "web", plan: JSON.parse(plan) });
    expect(parsed.ok && parsed.items.map((item) => item.prompt)).toEqual(["a kite", "two kites", "three kites"]);
  });
});
