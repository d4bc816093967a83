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

/** More values than any operation's input has (1,000 usage events of a dozen fields and their settings come to ~35,000). */
export const MAX_VALUES = 100_000;

type Node = { value: unknown; parent: Node | null; key: string; depth: number };

function pathOf(node: Node, where: ProblemField["in"]): string {
  const keys: string[] = [];
  for (let at: Node | null = node; at && at.parent; at = at.parent) keys.push(at.key);
  return keys.reverse().join(".") || where;
}

const UNSTORABLE_MESSAGE = "This text holds a NUL character or half of a character pair (a string cut in the middle of an emoji); send whole characters.";

/**
 * The first field of `value` the API cannot take, with why: a string (or a key) with unstorable characters, nesting
 * past MAX_DEPTH, or more than MAX_VALUES values in all. Walked without recursion and without copying paths (a path
 * is built only for the field refused), and refused before a huge list is walked, so no input can exhaust the stack,
 * the memory or the time of an instance.
 */
export function unreadableField(value: unknown, where: ProblemField["in"]): ProblemField | null {
  const stack: Node[] = [{ value, parent: null, key: "", depth: 0 }];
  let seen = 0;
  const tooMany = { field: where, in: where, message: `This holds more than ${MAX_VALUES.toLocaleString("en-US")} values; no input of the app or its API does.` };
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (++seen > MAX_VALUES) return tooMany;
    const item = node.value;
    if (typeof item === "string") {
      if (!storableText(item)) return { field: pathOf(node, where), in: where, message: UNSTORABLE_MESSAGE };
      continue;
    }
    if (!item || typeof item !== "object") continue;
    if (node.depth >= MAX_DEPTH) return { field: pathOf(node, where), in: where, message: `This is nested more than ${MAX_DEPTH} levels deep; no input of the app or its API is.` };
    const depth = node.depth + 1;
    if (Array.isArray(item)) {
      if (seen + stack.length + item.length > MAX_VALUES) return tooMany;
      for (let index = item.length - 1; index >= 0; index--) stack.push({ value: item[index], parent: node, key: String(index), depth });
      continue;
    }
    for (const key in item) {
      if (!Object.hasOwn(item, key)) continue;
      if (!storableText(key)) return { field: pathOf(node, where), in: where, message: "A field name holds a NUL character or half of a character pair." };
      if (seen + stack.length >= MAX_VALUES) return tooMany;
      stack.push({ value: (item as Record<string, unknown>)[key], parent: node, key, depth });
    }
  }
  return null;
}
