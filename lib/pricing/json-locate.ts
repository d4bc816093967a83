// Finds where things are in JSON text: the line of a syntax error, and the line of each value by its path.

export type JsonPath = readonly (string | number)[];

export type JsonLocation =
  | { ok: true; lineOf: (path: JsonPath) => number | undefined }
  | { ok: false; message: string; line: number; column: number };

class JsonProblem {
  constructor(
    readonly message: string,
    readonly offset: number,
  ) {}
}

const SIMPLE_ESCAPES: Record<string, string> = { '"': '"', "\\": "\\", "/": "/", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t" };
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

// Deep enough for any price list; stops hostile input from exhausting the stack.
const MAX_DEPTH = 256;

function describeFound(text: string, offset: number): string {
  if (offset >= text.length) return "the end of the file";
  const char = text[offset];
  if (char === "\n" || char === "\r") return "the end of the line";
  return `“${char}”`;
}

/**
 * Our own scanner rather than the engine's error text: browsers word JSON.parse
 * errors differently and some give no position at all. It accepts exactly JSON
 * (RFC 8259) and records the line where each member or element starts.
 */
export function locateJson(text: string): JsonLocation {
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) {
    const char = text.charCodeAt(i);
    if (char === 10 || (char === 13 && text.charCodeAt(i + 1) !== 10)) lineStarts.push(i + 1);
  }
  const lineAt = (offset: number): number => {
    let low = 0;
    let high = lineStarts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (lineStarts[middle] <= offset) low = middle;
      else high = middle - 1;
    }
    return low + 1;
  };

  const lines = new Map<string, number>();
  let pos = 0;

  const skipSpace = () => {
    while (pos < text.length) {
      const char = text[pos];
      if (char === " " || char === "\t" || char === "\n" || char === "\r") pos++;
      else break;
    }
  };

  const fail = (message: string, offset = pos): never => {
    throw new JsonProblem(message, offset);
  };

  const readString = (): string => {
    const start = pos;
    pos++;
    let value = "";
    while (pos < text.length) {
      const char = text[pos];
      if (char === '"') {
        pos++;
        return value;
      }
      if (char === "\\") {
        const escape = text[pos + 1];
        if (escape === "u") {
          const hex = text.slice(pos + 2, pos + 6);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) return fail("a \\u escape needs four hexadecimal digits");
          value += String.fromCharCode(parseInt(hex, 16));
          pos += 6;
          continue;
        }
        if (escape === undefined || !Object.hasOwn(SIMPLE_ESCAPES, escape)) {
          return fail(`“\\${escape ?? ""}” is not a valid escape in text; write a backslash as \\\\`);
        }
        value += SIMPLE_ESCAPES[escape];
        pos += 2;
        continue;
      }
      if (char.charCodeAt(0) < 0x20) {
        if (char === "\n" || char === "\r") return fail("this text is missing its closing double quote", start);
        return fail("a control character inside text must be escaped, for example as \\t");
      }
      value += char;
      pos++;
    }
    return fail("this text is missing its closing double quote", start);
  };

  const readNumber = () => {
    NUMBER.lastIndex = pos;
    const match = NUMBER.exec(text);
    if (!match) return fail(`${describeFound(text, pos)} does not start a valid number`);
    const after = text[pos + match[0].length];
    if (after !== undefined && /[0-9.eE+\-]/.test(after)) return fail("this number is not written the way JSON allows");
    pos += match[0].length;
  };

  const readValue = (path: (string | number)[], depth: number): void => {
    if (depth > MAX_DEPTH) return fail("the data is nested too deeply");
    skipSpace();
    const char = text[pos];
    if (char === "{") return readObject(path, depth);
    if (char === "[") return readArray(path, depth);
    if (char === '"') {
      readString();
      return;
    }
    if (char === "-" || (char >= "0" && char <= "9")) return readNumber();
    for (const word of ["true", "false", "null"]) {
      if (text.startsWith(word, pos)) {
        pos += word.length;
        return;
      }
    }
    if (char === "'") return fail("JSON text needs double quotes, not single quotes");
    if (char === "}" || char === "]") return fail(`expected a value but found ${describeFound(text, pos)}`);
    return fail(`expected a value (text in double quotes, a number, true, false, null, { … } or [ … ]) but found ${describeFound(text, pos)}`);
  };

  const readObject = (path: (string | number)[], depth: number) => {
    pos++;
    skipSpace();
    if (text[pos] === "}") {
      pos++;
      return;
    }
    for (;;) {
      skipSpace();
      if (text[pos] !== '"') {
        if (text[pos] === "}") return fail("a comma before } is not allowed in JSON; remove it", pos);
        if (text[pos] === "'") return fail("field names need double quotes, not single quotes");
        return fail(`expected a field name in double quotes but found ${describeFound(text, pos)}`);
      }
      const keyOffset = pos;
      const key = readString();
      const memberPath = [...path, key];
      lines.set(JSON.stringify(memberPath), lineAt(keyOffset));
      skipSpace();
      if (text[pos] !== ":") return fail(`expected a colon after the field name “${key}” but found ${describeFound(text, pos)}`);
      pos++;
      readValue(memberPath, depth + 1);
      // A missing comma is reported where the value ends, not at the next line's field.
      const valueEnd = pos;
      skipSpace();
      if (text[pos] === ",") {
        pos++;
        continue;
      }
      if (text[pos] === "}") {
        pos++;
        return;
      }
      return fail(`a comma or } is missing after the value of “${key}”`, valueEnd);
    }
  };

  const readArray = (path: (string | number)[], depth: number) => {
    pos++;
    skipSpace();
    if (text[pos] === "]") {
      pos++;
      return;
    }
    for (let index = 0; ; index++) {
      skipSpace();
      if (text[pos] === "]") return fail("a comma before ] is not allowed in JSON; remove it");
      const elementPath = [...path, index];
      lines.set(JSON.stringify(elementPath), lineAt(pos));
      readValue(elementPath, depth + 1);
      const valueEnd = pos;
      skipSpace();
      if (text[pos] === ",") {
        pos++;
        continue;
      }
      if (text[pos] === "]") {
        pos++;
        return;
      }
      return fail("a comma or ] is missing after an item of the list", valueEnd);
    }
  };

  try {
    skipSpace();
    if (pos >= text.length) return fail("the file is empty");
    lines.set(JSON.stringify([]), lineAt(pos));
    readValue([], 0);
    skipSpace();
    if (pos < text.length) return fail(`unexpected ${describeFound(text, pos)} after the end of the data`);
  } catch (problem) {
    if (!(problem instanceof JsonProblem)) throw problem;
    const offset = Math.min(problem.offset, text.length);
    const line = lineAt(offset);
    return { ok: false, message: problem.message, line, column: offset - lineStarts[line - 1] + 1 };
  }

  return {
    ok: true,
    lineOf: (path) => {
      // The deepest part of the path that exists in the text: a missing field is reported at its object.
      for (let length = path.length; length >= 0; length--) {
        const line = lines.get(JSON.stringify(path.slice(0, length)));
        if (line !== undefined) return line;
      }
      return undefined;
    },
  };
}
