import { describe, expect, it } from "vitest";
import { createRequestSchema, decideRequestSchema } from "./request-schema";

const form = {
  projectId: "p1",
  modelId: "veo-3-1",
  "setting.duration": "8",
  quantity: "1",
  stage: "final",
  purpose: "final_delivery",
  qualityNeeded: "yes",
  videoNecessary: "yes",
  editInstead: "no",
  isFinalVersion: "yes",
  isFinalVersionNote: "Signed off by the client",
};

describe("createRequestSchema", () => {
  it("reads the run and the four answers from the form", () => {
    const parsed = createRequestSchema.parse(form);
    expect(parsed).toMatchObject({ projectId: "p1", settings: { duration: "8" }, quantity: 1, stage: "final" });
    expect(parsed.batchItemId).toBeUndefined();
    expect(parsed.answers).toEqual({
      qualityNeeded: { answer: "yes", note: "" },
      videoNecessary: { answer: "yes", note: "" },
      editInstead: { answer: "no", note: "" },
      isFinalVersion: { answer: "yes", note: "Signed off by the client" },
    });
  });

  it.each(["qualityNeeded", "videoNecessary", "editInstead", "isFinalVersion"])("requires an answer to %s", (question) => {
    for (const value of [undefined, "", "maybe"]) {
      const result = createRequestSchema.safeParse({ ...form, [question]: value });
      expect(result.success).toBe(false);
      expect(result.error?.issues.map((issue) => issue.path.join("."))).toContain(question);
    }
  });

  it("bounds the quantity", () => {
    expect(createRequestSchema.safeParse({ ...form, quantity: "0" }).success).toBe(false);
    expect(createRequestSchema.safeParse({ ...form, quantity: "10001" }).success).toBe(false);
  });
});

describe("decideRequestSchema", () => {
  it("needs a comment to reject, not to approve", () => {
    expect(decideRequestSchema.safeParse({ requestId: "r1", decision: "approve" }).success).toBe(true);
    const rejected = decideRequestSchema.safeParse({ requestId: "r1", decision: "reject", comment: "  " });
    expect(rejected.error?.issues[0]).toMatchObject({ path: ["comment"] });
    expect(decideRequestSchema.safeParse({ requestId: "r1", decision: "reject", comment: "x".repeat(1001) }).success).toBe(false);
    expect(decideRequestSchema.safeParse({ requestId: "r1", decision: "maybe" }).success).toBe(false);
  });
});
