import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { csvStreamResponse, spreadsheetText } from "./csv";

async function* batches(count: number, size: number) {
  for (let b = 0; b < count; b++) yield Array.from({ length: size }, (_, i) => [b * size + i, `name, "quoted" ${i}`, "=SUM(A1)"]);
}

describe("CSV downloads", () => {
  it("stream every batch after the header, quoting what needs it", async () => {
    const response = csvStreamResponse("runs.csv", ["n", "name", "formula"], batches(3, 1_000));
    expect(response.headers.get("Content-Disposition")).toContain('filename="runs.csv"');
    const rows = parse(await response.text(), { columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(3_000);
    expect(rows[2_999]).toEqual({ n: "2999", name: 'name, "quoted" 999', formula: "=SUM(A1)" });
  });

  it("stop reading, and let the source go, when the reader goes away", async () => {
    let read = 0;
    let closed = false;
    async function* endless() {
      try {
        for (;;) {
          read++;
          yield [[read, "x".repeat(1_000)]];
        }
      } finally {
        closed = true;
      }
    }
    const response = csvStreamResponse("big.csv", ["n", "text"], endless());
    const reader = response.body!.getReader();
    await reader.read();
    await reader.cancel();
    const seen = read;
    const errors: unknown[] = [];
    const onError = (error: unknown) => errors.push(error);
    process.on("uncaughtException", onError);
    await new Promise((resolve) => setTimeout(resolve, 50));
    process.off("uncaughtException", onError);
    expect(errors).toEqual([]);
    expect(read - seen).toBeLessThan(100);
    expect(closed).toBe(true);
  });

  it("keep a typed formula as text", () => {
    expect(spreadsheetText("=HYPERLINK(1)")).toBe("'=HYPERLINK(1)");
    expect(spreadsheetText("plain")).toBe("plain");
  });
});
