// What the API refuses in any input before its schema reads it: text the database cannot store (NUL, half of a
// UTF-16 pair, as a string cut in the middle of an emoji has) and JSON nested deeper than any operation takes.
import type { ProblemField } from "./problem";

/** Deeper than any operation's input (events → event → settings → value is 4): deeper is refused, never walked. */
export const MAX_DEPTH = 16;

/** NUL, or a surrogate without its pair. */
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export function storableText(text: string): boolean {
  return !UNSTORABLE.test(text);
}

/**
 * The first field of `value` the API cannot take, with why: a string (or a key) with unstorable characters, or
 * nesting past MAX_DEPTH. Walked without recursion, so no input can exhaust the stack.
 */
export function unreadableField(value: unknown, where: ProblemField["in"]): ProblemField | null {
  const stack: { value: unknown; path: string[] }[] = [{ value, path: [] }];
  while (stack.length > 0) {
    const { value: item, path } = stack.pop()!;
    const field = path.join(".") || where;
    if (typeof item === "string") {
      if (!storableText(item)) return { field, in: where, message: "This text holds a NUL character or half of a character pair (a string cut in the middle of an emoji); send whole characters." };
      continue;
    }
    if (!item || typeof item !== "object") continue;
    if (path.length >= MAX_DEPTH) return { field, in: where, message: `This is nested more than ${MAX_DEPTH} levels deep; no input of the API is.` };
    for (const [key, child] of Object.entries(item)) {
      if (!storableText(key)) return { field, in: where, message: "A field name holds a NUL character or half of a character pair." };
      stack.push({ value: child, path: [...path, key] });
    }
  }
  return null;
}
