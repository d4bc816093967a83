// The API's words for zod's issues: what is wrong and what to send, never zod's own wording; a schema's message wins.
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { apiIssueMessage } from "./messages";

const body = z.strictObject({
  quantity: z.number().int().min(1).max(10_000),
  stage: z.enum(["test", "draft", "final"]),
  occurredAt: z.iso.datetime({ offset: true }),
  eventId: z.string().min(1).max(200),
  events: z.array(z.unknown()).min(1, "Send at least one event."),
});

function messages(input: unknown): Record<string, string> {
  const parsed = body.safeParse(input, { error: apiIssueMessage });
  if (parsed.success) return {};
  return Object.fromEntries(parsed.error.issues.map((issue) => [issue.path.join(".") || issue.code, issue.message]));
}

describe("the API's messages", () => {
  it("says what to send for missing, mistyped, out-of-range and unknown values", () => {
    expect(messages({ quantity: 0.5, stage: "later", occurredAt: "yesterday", eventId: "", events: [], extra: 1 })).toEqual({
      quantity: "Use a whole number.",
      stage: 'Use one of "test", "draft" or "final".',
      occurredAt: "Use an ISO 8601 date and time with its offset, e.g. 2026-12-06T17:00:00Z.",
      eventId: "Use at least 1 character.",
      events: "Send at least one event.",
      unrecognized_keys: "Not a field of this request: extra. The API reference (/docs/api) lists the fields.",
    });
    expect(messages({ quantity: 20_000 }).quantity).toBe("Use a number of at most 10,000.");
    expect(messages({}).stage).toBe('Required: use one of "test", "draft" or "final".');
    expect(messages({}).eventId).toBe("Required: send text.");
    expect(messages({ quantity: "4" }).quantity).toBe("Send a number here, not text.");
    expect(z.object({ settings: z.record(z.string(), z.string()) }).safeParse({ settings: "2k" }, { error: apiIssueMessage }).error?.issues[0].message).toBe(
      "Send an object here, not text.",
    );
  });
});
