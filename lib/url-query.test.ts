import { describe, expect, it } from "vitest";
import { z } from "zod";
import { firstValue, readUrlFilter, urlQueryOf } from "./url-query";

describe("a request's query", () => {
  it("is read as a page reads its URL: a repeated key keeps every value and the filter takes the first", () => {
    const query = urlQueryOf("https://x.test/t/a/usage/export/runs?project=A&project=B&stage=final&empty=");
    expect(query).toEqual({ project: ["A", "B"], stage: "final", empty: "" });
    expect(firstValue(query.project)).toBe("A");
    const read = readUrlFilter(z.object({ project: z.string().optional() }), query);
    expect(read.filter).toEqual({ project: "A" });
  });
});
