// Finds where things are in JSON text: the line of a syntax error, and the line of each value by its path.
import { createScanner, findNodeAtLocation, getLocation, parseTree, printParseErrorCode, type Node, type ParseError } from "jsonc-parser";

export type JsonPath = readonly (string | number)[];

export type JsonLocation =
  | { ok: true; lineOf: (path: JsonPath) => number | undefined }
  | { ok: false; message: string; line: number; column: number };

// Strict JSON: jsonc-parser reads comments and trailing commas unless told not to, and we report both as errors.
const STRICT = { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false } as const;

// Deep enough for any price list; jsonc-parser parses recursively, so hostile nesting must stop before it.
const MAX_DEPTH = 256;

const VALUE_KINDS = "text in double quotes, a number, true, false, null, { … } or [ … ]";

function describeFound(text: string, offset: number): string {
  if (offset >= text.length) return "the end of the file";
  const char = text[offset];
  if (char === "\n" || char === "\r") return "the end of the line";
  return `“${char}”`;
}

/** Offsets where lines begin; a line ends at LF, CRLF or a lone CR, as editors count them. */
function lineStartsOf(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const char = text.charCodeAt(i);
    if (char === 10 || (char === 13 && text.charCodeAt(i + 1) !== 10)) starts.push(i + 1);
  }
  return starts;
}

function lineIndexAt(starts: number[], offset: number): number {
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (starts[middle] <= offset) low = middle;
    else high = middle - 1;
  }
  return low;
}

/** The first bracket that opens past MAX_DEPTH, found with the (iterative) scanner. */
function tooDeepAt(text: string): number | undefined {
  const scanner = createScanner(text, true);
  let depth = 0;
  // Token kinds are a const enum, which isolated modules cannot read: the token's first character tells the same.
  for (scanner.scan(); scanner.getTokenOffset() < text.length; scanner.scan()) {
    const first = text[scanner.getTokenOffset()];
    if (first === "{" || first === "[") {
      if (++depth > MAX_DEPTH) return scanner.getTokenOffset();
    } else if (first === "}" || first === "]") {
      depth = Math.max(0, depth - 1);
    }
  }
  return undefined;
}

/** Where the value before `offset` ends: a missing comma is reported there, not at the next line's field. */
function endOfPrevious(text: string, offset: number): number {
  let end = Math.min(offset, text.length);
  while (end > 0 && /\s/.test(text[end - 1])) end--;
  return end;
}

/** The message for jsonc-parser's first error, and the offset people should look at. */
function explain(text: string, error: ParseError): { message: string; offset: number } {
  const { offset } = error;
  const found = describeFound(text, offset);
  const code = printParseErrorCode(error.error);
  switch (code) {
    case "CommaExpected":
    case "CloseBraceExpected":
    case "CloseBracketExpected": {
      const end = endOfPrevious(text, offset);
      // A file cut off right after an opening bracket: what is missing is its first member or item.
      if (text[end - 1] === "{") return { message: `expected a field name in double quotes but found ${found}`, offset };
      if (text[end - 1] === "[") return { message: `expected a value (${VALUE_KINDS}) but found ${found}`, offset };
      // "01": the scanner ends a number at a leading zero and reads the rest as another value.
      if (/\d/.test(text[end - 1] ?? "") && /\d/.test(text[offset] ?? "") && end === offset) {
        return { message: "this number is not written the way JSON allows", offset };
      }
      const last = getLocation(text, Math.max(0, end - 1)).path.at(-1);
      const inList = code === "CloseBracketExpected" || (code === "CommaExpected" && typeof last === "number");
      const message = inList
        ? "a comma or ] is missing after an item of the list"
        : `a comma or } is missing after the value of “${typeof last === "string" ? last : ""}”`;
      return { message, offset: end };
    }
    case "PropertyNameExpected":
      if (text[offset] === "}") return { message: "a comma before } is not allowed in JSON; remove it", offset };
      return { message: `expected a field name in double quotes but found ${found}`, offset };
    case "ValueExpected":
      if (text.trim() === "") return { message: "the file is empty", offset: 0 };
      if (text[offset] === "]" && text[endOfPrevious(text, offset) - 1] === ",") {
        return { message: "a comma before ] is not allowed in JSON; remove it", offset };
      }
      if (text[offset] === "}" || text[offset] === "]") return { message: `expected a value but found ${found}`, offset };
      return { message: `expected a value (${VALUE_KINDS}) but found ${found}`, offset };
    case "ColonExpected": {
      const key = getLocation(text, offset).path.at(-1);
      return { message: `expected a colon after the field name “${typeof key === "string" ? key : ""}” but found ${found}`, offset };
    }
    case "EndOfFileExpected":
      return { message: `unexpected ${found} after the end of the data`, offset };
    case "InvalidCommentToken":
    case "UnexpectedEndOfComment":
      return { message: "comments are not allowed in JSON; remove it", offset };
    case "UnexpectedEndOfString":
      return { message: "this text is missing its closing double quote", offset };
    case "InvalidNumberFormat":
    case "UnexpectedEndOfNumber":
      return { message: "this number is not written the way JSON allows", offset };
    case "InvalidUnicode":
      return { message: "a \\u escape needs four hexadecimal digits", offset };
    case "InvalidEscapeCharacter": {
      const escape = /\\(?!["\\/bfnrtu])(.?)/.exec(text.slice(offset, offset + error.length));
      return { message: `“\\${escape?.[1] ?? ""}” is not a valid escape in text; write a backslash as \\\\`, offset: offset + (escape?.index ?? 0) };
    }
    case "InvalidCharacter": {
      const control = /[\u0000-\u001f]/.exec(text.slice(offset, offset + error.length));
      return { message: "a control character inside text must be escaped, for example as \\t", offset: offset + (control?.index ?? 0) };
    }
    case "InvalidSymbol":
    default:
      if (text[offset] === "'") {
        const message = getLocation(text, offset).isAtPropertyKey
          ? "field names need double quotes, not single quotes"
          : "JSON text needs double quotes, not single quotes";
        return { message, offset };
      }
      return { message: `expected a value (${VALUE_KINDS}) but found ${found}`, offset };
  }
}

/**
 * Our own wording over jsonc-parser's error codes rather than the engine's error text: browsers word
 * JSON.parse errors differently and some give no position at all. Accepts exactly JSON (no comments,
 * no trailing commas) and finds the line of each member or element through the parse tree.
 */
export function locateJson(text: string): JsonLocation {
  const starts = lineStartsOf(text);
  const at = (message: string, offset: number): JsonLocation => {
    const clamped = Math.min(Math.max(0, offset), text.length);
    const index = lineIndexAt(starts, clamped);
    return { ok: false, message, line: index + 1, column: clamped - starts[index] + 1 };
  };

  const deep = tooDeepAt(text);
  if (deep !== undefined) return at("the data is nested too deeply", deep);
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, STRICT);
  if (errors.length > 0) {
    const { message, offset } = explain(text, errors[0]);
    return at(message, offset);
  }
  if (!root) return at("the file is empty", 0);

  // A member's line is its field name's; an element's is where it starts.
  const lineOfNode = (node: Node) => lineIndexAt(starts, node.parent?.type === "property" ? node.parent.offset : node.offset) + 1;
  return {
    ok: true,
    lineOf: (path) => {
      // The deepest part of the path that exists in the text: a missing field is reported at its object.
      for (let length = path.length; length >= 0; length--) {
        const node = length === 0 ? root : findNodeAtLocation(root, path.slice(0, length) as (string | number)[]);
        if (node) return lineOfNode(node);
      }
      return undefined;
    },
  };
}
