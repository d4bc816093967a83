// The API's words for zod's issues, where a schema gives none of its own: what is wrong and what to send instead.
import type { z } from "zod";

type Issue = z.core.$ZodRawIssue;

const TYPE_WORDS: Record<string, string> = {
  string: "text",
  number: "a number",
  int: "a whole number",
  boolean: "true or false",
  object: "an object",
  record: "an object",
  array: "a list",
};

function inputWords(input: unknown): string {
  if (input === null) return "null";
  if (Array.isArray(input)) return "a list";
  return TYPE_WORDS[typeof input] ?? typeof input;
}

function list(values: readonly unknown[]): string {
  const shown = values.map((value) => JSON.stringify(value));
  return shown.length <= 1 ? (shown[0] ?? "") : `${shown.slice(0, -1).join(", ")} or ${shown.at(-1)}`;
}

function bound(issue: { minimum?: unknown; maximum?: unknown; inclusive?: boolean; origin?: string }, min: boolean): string {
  const limit = Number(min ? issue.minimum : issue.maximum);
  const inclusive = issue.inclusive !== false;
  const figure = (value: number) => value.toLocaleString("en-US");
  switch (issue.origin) {
    case "string":
      return min ? `Use at least ${figure(limit)} character${limit === 1 ? "" : "s"}.` : `Use at most ${figure(limit)} characters.`;
    case "array":
    case "set":
      return min ? `Send at least ${figure(limit)} item${limit === 1 ? "" : "s"}.` : `Send at most ${figure(limit)} items.`;
    default:
      if (min) return inclusive ? `Use a number of at least ${figure(limit)}.` : `Use a number above ${figure(limit)}.`;
      return inclusive ? `Use a number of at most ${figure(limit)}.` : `Use a number below ${figure(limit)}.`;
  }
}

/** A sentence for an issue zod would word in its own terms; undefined keeps the schema's own message. */
export function apiIssueMessage(issue: Issue): string | undefined {
  switch (issue.code) {
    case "invalid_type":
      if (issue.input === undefined) return `Required: send ${TYPE_WORDS[issue.expected] ?? issue.expected}.`;
      if (issue.expected === "int" && typeof issue.input === "number") return "Use a whole number.";
      return `Send ${TYPE_WORDS[issue.expected] ?? issue.expected} here, not ${inputWords(issue.input)}.`;
    case "too_small":
      return bound(issue, true);
    case "too_big":
      return bound(issue, false);
    case "invalid_value":
      return `${issue.input === undefined ? "Required: use" : "Use"} one of ${list(issue.values)}.`;
    case "invalid_format":
      if (issue.format === "datetime") return "Use an ISO 8601 date and time with its offset, e.g. 2026-12-06T17:00:00Z.";
      if (issue.format === "regex") return "This is not in the expected form; see the API reference (/docs/api).";
      return `Use the ${issue.format} form.`;
    case "unrecognized_keys":
      return `Not a field of this request: ${issue.keys.join(", ")}. The API reference (/docs/api) lists the fields.`;
    default:
      return undefined;
  }
}
