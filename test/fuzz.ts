// The fuzz suite's tools: hostile values, inputs derived from an endpoint's own zod schema (plausible ones that reach
// the domain, each then broken one way), the ids of every row to aim them at, and a snapshot of the database to prove
// that what was refused changed nothing.
import fc from "fast-check";
import { z } from "zod";
import { db } from "@/lib/db/client";

// --- hostile values ------------------------------------------------------------------------------------------------

const LONG = "x".repeat(100_000);
const COMBINING = `e${"\u0301".repeat(500)}`;

/** Text a person (or a script) may send that is not what a field means: control characters, half characters, huge. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  fc.string({ maxLength: 24 }),
  fc.string({ unit: "binary", maxLength: 12 }),
  fc.constantFrom(
    "",
    " ",
    "\u0000",
    "a\u0000b",
    "\ud800",
    "\udfff",
    "🪁".slice(0, 1),
    "\u202eevil\u202c",
    "\u200f\u200e\u061c",
    "👩‍👩‍👧‍👦",
    COMBINING,
    "\ufeffBOM",
    "\r\n\t",
    LONG,
    "🪁".repeat(50_000),
    "__proto__",
    "constructor",
    "../../etc/passwd",
    "' OR 1=1 --",
    "<script>alert(1)</script>",
    "=cmd|' /C calc'!A0",
    "9".repeat(400),
    "-1",
    "1e309",
    "NaN",
    "Infinity",
    "0x10",
    "2026-02-30",
    "null",
    "{}",
  ),
);

export const hostileNumber: fc.Arbitrary<number> = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.constantFrom(0, -0, -1, 0.5, 1.5, -1.5, 2 ** 31, 2 ** 53, 2 ** 53 + 2, -(2 ** 53) - 2, 1e300, Number.MAX_VALUE, Number.MIN_VALUE, NaN, Infinity, -Infinity),
);

/** Nested deeper than any input: the walk must not blow the stack, nor a JSON column take it. */
function nested(depth: number, asArray: boolean): unknown {
  let value: unknown = "bottom";
  for (let i = 0; i < depth; i++) value = asArray ? [value] : { a: value };
  // Named in a failure's report as what it is (fast-check's printer would recurse as deep as the value).
  Object.defineProperty(value, fc.toStringMethod, { value: () => `${asArray ? "arrays" : "objects"} nested ${depth} deep`, enumerable: false });
  return value;
}

/** Keys that mean something to JavaScript objects, as own properties (as JSON.parse and React's decoder make them). */
export const PROTOTYPE_KEYS = ["__proto__", "constructor", "prototype", "toString", "valueOf", "hasOwnProperty"];

const hostileKey = fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom(...PROTOTYPE_KEYS, "", "\u0000", "\ud800", "a.b", "0", LONG.slice(0, 5_000)));

/** An object with own keys as given, "__proto__" included (an assignment would set the prototype instead). */
function ownObject(entries: [string, unknown][]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of entries) Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  return out;
}

/**
 * Any value a client can put in a field: what JSON carries, and what React's encoding of server action arguments
 * carries besides (undefined, NaN and ±Infinity, BigInt, Date, Map, Set, typed arrays, Blob).
 */
export const hostileValue: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    hostileString,
    hostileNumber,
    fc.boolean(),
    fc.constantFrom(null, undefined),
    fc.constantFrom(
      2n ** 64n,
      -1n,
      new Date("not a date"),
      new Date(8.64e15),
      new Map([["a", 1]]),
      new Set([1]),
      new Uint8Array([0, 255]),
      new Blob(["\u0000"]),
      nested(5_000, true),
      nested(5_000, false),
      [],
      {},
    ),
    fc.array(tie("value"), { maxLength: 3 }),
    fc.array(fc.tuple(hostileKey, tie("value")), { maxLength: 4 }).map(ownObject),
  ),
})).value;

// --- inputs from a schema ------------------------------------------------------------------------------------------

type JsonSchema = {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  prefixItems?: JsonSchema[];
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  format?: string;
  pattern?: string;
  default?: unknown;
};

/** The JSON Schema of what a zod schema takes (its input side); what JSON Schema cannot say is "anything". */
export function inputSchemaOf(schema: z.ZodType): JsonSchema {
  return z.toJSONSchema(schema, { io: "input", unrepresentable: "any", cycles: "ref", reused: "inline" }) as JsonSchema;
}

/** The rows an input may name, by table: the fixture teams' own, so both a team's ids and another team's are aimed at. */
export type IdPool = { byTable: Record<string, string[]>; all: string[]; emails: string[]; slugs: string[] };

export async function idPool(): Promise<IdPool> {
  const tables = await db().$queryRawUnsafe<{ table_name: string }[]>(
    `SELECT table_name FROM information_schema.columns WHERE table_schema = current_schema() AND column_name = 'id' AND data_type = 'text'`,
  );
  const byTable: Record<string, string[]> = {};
  for (const { table_name } of tables) {
    const rows = await db().$queryRawUnsafe<{ id: string }[]>(`SELECT "id" FROM "${table_name}" ORDER BY "id" LIMIT 50`);
    if (rows.length > 0) byTable[table_name] = rows.map((row) => row.id);
  }
  const emails = (await db().user.findMany({ select: { email: true } })).map((user) => user.email);
  const slugs = (await db().team.findMany({ select: { slug: true } })).map((team) => team.slug);
  return { byTable, all: Object.values(byTable).flat(), emails, slugs };
}

/** The ids a field named like `batchItemId` or `requestId` may hold: the rows of the table its name ends with. */
function idsFor(field: string, pool: IdPool): string[] {
  const stem = field.replace(/Ids?$/, "").toLowerCase();
  const tables = Object.keys(pool.byTable).filter((table) => table.toLowerCase().endsWith(stem));
  const ids = tables.flatMap((table) => pool.byTable[table]);
  return ids.length > 0 ? ids : pool.all;
}

const MAX_DEPTH = 6;

/** Values the schema accepts, mostly: real ids for id fields, the team's people for emails, in-range numbers. */
export function plausible(schema: JsonSchema, pool: IdPool, field = "", depth = 0): fc.Arbitrary<unknown> {
  if (depth > MAX_DEPTH) return fc.constant(undefined);
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const choices = schema.anyOf ?? schema.oneOf;
  if (choices && choices.length > 0) return fc.oneof(...choices.map((choice) => plausible(choice, pool, field, depth + 1)));
  if (schema.allOf && schema.allOf.length > 0) return plausible(schema.allOf[0], pool, field, depth + 1);
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case "string": {
      if (/Id$/.test(field) && pool.all.length > 0) return fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...idsFor(field, pool)) }, { weight: 1, arbitrary: fc.string({ maxLength: 10 }) });
      if (schema.format === "email" || /email/i.test(field)) return fc.oneof(fc.constantFrom(...pool.emails), fc.emailAddress());
      if (/slug/i.test(field)) return fc.constantFrom(...pool.slugs, "new-team");
      if (schema.format === "date" || /date|on$/i.test(field)) return fc.constantFrom("2026-12-01", "2027-01-31", "2020-02-29", "");
      if (schema.format === "date-time") return fc.constantFrom("2026-11-10T09:05:00Z", "2026-12-01T00:00:00+01:00");
      if (/zone/i.test(field)) return fc.constantFrom("Europe/Berlin", "UTC", "America/Havana");
      if (/model/i.test(field)) return fc.constantFrom("qwen-image", "flux-2-pro", "flux-2-dev", "bg-remover");
      const min = schema.minLength ?? 0;
      const max = Math.max(min, Math.min(schema.maxLength ?? 16, 24));
      if (schema.pattern) {
        try {
          return fc.stringMatching(new RegExp(schema.pattern)).filter((text) => text.length >= min && text.length <= (schema.maxLength ?? Infinity));
        } catch {
          // a pattern fast-check cannot read: plain text below
        }
      }
      return fc.string({ minLength: min, maxLength: max });
    }
    case "integer":
    case "number": {
      const low = Math.max(schema.minimum ?? (schema.exclusiveMinimum !== undefined ? schema.exclusiveMinimum + 1 : 0), -1_000_000);
      const high = Math.min(schema.maximum ?? (schema.exclusiveMaximum !== undefined ? schema.exclusiveMaximum - 1 : Math.max(low, 0) + 50), 1_000_000);
      return fc.integer({ min: Math.ceil(low), max: Math.max(Math.ceil(low), Math.floor(high)) });
    }
    case "boolean":
      return fc.boolean();
    case "null":
      return fc.constant(null);
    case "array": {
      if (schema.prefixItems) return fc.tuple(...schema.prefixItems.map((item) => plausible(item, pool, field, depth + 1)));
      const minLength = schema.minItems ?? 0;
      return fc.array(schema.items ? plausible(schema.items, pool, field, depth + 1) : fc.string({ maxLength: 8 }), { minLength, maxLength: Math.max(minLength, Math.min(schema.maxItems ?? 3, 3)) });
    }
    case "object": {
      const properties = schema.properties ?? {};
      const names = Object.keys(properties);
      const record = fc.record(Object.fromEntries(names.map((name) => [name, plausible(properties[name], pool, name, depth + 1)])), {
        requiredKeys: (schema.required ?? []).filter((name) => names.includes(name)),
        noNullPrototype: true,
      });
      if (names.length === 0 && typeof schema.additionalProperties === "object") {
        return fc.dictionary(fc.string({ minLength: 1, maxLength: 10 }), plausible(schema.additionalProperties, pool, field, depth + 1), { maxKeys: 3, noNullPrototype: true });
      }
      return record;
    }
    default:
      return fc.oneof(fc.string({ maxLength: 12 }), fc.integer({ min: -5, max: 50 }), fc.boolean());
  }
}

/** How an input was broken, to name it when a property fails. */
export type Mutation = "plausible" | "one field hostile" | "field missing" | "extra field" | "whole input hostile";

/**
 * Inputs for an endpoint: a plausible one (which may be accepted), or a plausible one with one field made hostile,
 * one field taken away or one added (prototype keys among them), or something else entirely in its place.
 */
export function hostileInput(schema: JsonSchema, pool: IdPool): fc.Arbitrary<{ how: Mutation; input: unknown }> {
  const base = plausible(schema, pool);
  const fields = Object.keys(schema.properties ?? {});
  const asObject = (value: unknown): Record<string, unknown> => (value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : {});
  const arbitraries: fc.Arbitrary<{ how: Mutation; input: unknown }>[] = [
    base.map((input) => ({ how: "plausible" as const, input })),
    fc.tuple(base, fc.constantFrom(...PROTOTYPE_KEYS, "unexpected", "teamId", "userId", "role"), hostileValue).map(([input, key, value]) => ({
      how: "extra field" as const,
      input: ownObject([...Object.entries(asObject(input)), [key, value]]),
    })),
    hostileValue.map((input) => ({ how: "whole input hostile" as const, input })),
  ];
  if (fields.length > 0) {
    arbitraries.push(
      fc.tuple(base, fc.constantFrom(...fields), hostileValue).map(([input, field, value]) => ({ how: "one field hostile" as const, input: { ...asObject(input), [field]: value } })),
      fc.tuple(base, fc.constantFrom(...fields)).map(([input, field]) => {
        const copy = { ...asObject(input) };
        delete copy[field];
        return { how: "field missing" as const, input: copy };
      }),
    );
  }
  return fc.oneof(...arbitraries);
}

/**
 * An input as a form would post it: scalars as text, lists as repeated keys, objects as JSON text (as the pages'
 * forms that carry structured fields do), a Blob as a file.
 */
export function toFormData(input: unknown): FormData {
  const form = new FormData();
  if (!input || typeof input !== "object" || Array.isArray(input)) {
    form.append("value", textOf(input));
    return form;
  }
  for (const [key, value] of Object.entries(input)) {
    if (value === undefined) continue;
    if (value instanceof Blob) form.append(key, value, "file.bin");
    else if (Array.isArray(value)) for (const item of value) form.append(key, item instanceof Blob ? item : textOf(item));
    else form.append(key, textOf(value));
  }
  return form;
}

function textOf(value: unknown): string {
  if (typeof value === "string") return value;
  if (typeof value === "bigint") return value.toString();
  if (value === null || value === undefined) return "";
  if (typeof value === "object") {
    try {
      return JSON.stringify(value, (_key, item: unknown) => (typeof item === "bigint" ? item.toString() : item)) ?? "";
    } catch {
      return "[deep]";
    }
  }
  return String(value);
}

/** A short description of a value for a failure message (a 100,000-character string is not printed whole). */
export function describeValue(value: unknown): string {
  const text = value instanceof FormData ? `FormData ${textOf(Object.fromEntries([...value.entries()].map(([key, item]) => [key, typeof item === "string" ? item : "[file]"])))}` : textOf(value);
  return text.length > 300 ? `${text.slice(0, 300)}… (${text.length} characters)` : text;
}

// --- the database's snapshot ---------------------------------------------------------------------------------------

/**
 * Bookkeeping that a refusal writes, by design, left out of the comparison — each with why. Everything else of the
 * database is compared, whatever the table (found in information_schema, so a new table is compared from its first day).
 */
export const REFUSALS_MAY_WRITE: Record<string, { columns?: string[]; why: string }> = {
  RateLimitBucket: { why: "counts attempts, refused ones included (sign-in, sign-up, an API key's requests): counting them is its job" },
  ApiKey: { columns: ["lastUsedAt", "lastUsedAddress"], why: "when and from where a key was last used: a refused request used it" },
  ApiRequest: { why: "the answer to a request sent with an Idempotency-Key is kept whatever it was, so that a retry gets the same answer" },
};

export type Snapshot = Record<string, string[]>;

let snapshotSql: { client: unknown; sql: string; tables: string[] } | null = null;

/** One statement that hashes every row of every table (less the bookkeeping above), built once per database. */
async function snapshotStatement(): Promise<{ sql: string; tables: string[] }> {
  if (snapshotSql?.client === db()) return snapshotSql;
  const rows = await db().$queryRawUnsafe<{ table_name: string }[]>(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' AND table_name NOT LIKE '\\_prisma%' ORDER BY table_name`,
  );
  const tables = rows.map((row) => row.table_name).filter((table) => !(REFUSALS_MAY_WRITE[table] && !REFUSALS_MAY_WRITE[table].columns));
  const parts = tables.map((table) => `'${table}', (SELECT coalesce(json_agg(${rowHash(table)}), '[]') FROM "${table}" t)`);
  // json_build_object takes at most 100 arguments: one object per 40 tables.
  const groups: string[] = [];
  for (let i = 0; i < parts.length; i += 40) groups.push(`json_build_object(${parts.slice(i, i + 40).join(", ")})::text`);
  snapshotSql = { client: db(), sql: `SELECT ${groups.map((group, i) => `${group} AS g${i}`).join(", ")}`, tables };
  return snapshotSql;
}

function rowHash(table: string): string {
  const columns = REFUSALS_MAY_WRITE[table]?.columns;
  return columns ? `md5((to_jsonb(t) - '{${columns.join(",")}}'::text[])::text)` : `md5(to_jsonb(t)::text)`;
}

/** Every row of the database, as a hash per row by table. */
export async function takeSnapshot(): Promise<Snapshot> {
  const { sql } = await snapshotStatement();
  const [row] = await db().$queryRawUnsafe<Record<string, string>[]>(sql);
  const snapshot: Snapshot = {};
  for (const text of Object.values(row)) for (const [table, hashes] of Object.entries(JSON.parse(text) as Record<string, string[]>)) snapshot[table] = hashes.sort();
  return snapshot;
}

/** What changed between two snapshots, by table, with the rows now there that were not (empty when nothing did). */
export async function snapshotChanges(before: Snapshot, after: Snapshot): Promise<string[]> {
  const changes: string[] = [];
  for (const table of Object.keys(after)) {
    const was = new Set(before[table] ?? []);
    const now = new Set(after[table]);
    const added = [...now].filter((hash) => !was.has(hash));
    const removed = [...was].filter((hash) => !now.has(hash));
    if (added.length === 0 && removed.length === 0) continue;
    const rows = added.length
      ? await db().$queryRawUnsafe<{ row: string }[]>(`SELECT left(to_jsonb(t)::text, 400) AS row FROM "${table}" t WHERE ${rowHash(table)} = ANY($1::text[]) LIMIT 5`, added)
      : [];
    changes.push(`${table}: ${added.length} row(s) new or changed, ${removed.length} gone or changed${rows.map((row) => `\n    now: ${row.row}`).join("")}`);
  }
  return changes;
}

/** The next transaction id: it moves whenever anything was written (any write takes one), and reading it takes none. */
async function nextTransaction(): Promise<string> {
  const [row] = await db().$queryRawUnsafe<{ xmax: string }[]>(`SELECT pg_snapshot_xmax(pg_current_snapshot())::text AS xmax`);
  return row.xmax;
}

/**
 * The database as the last input left it. After each input, `changesSince` answers what a refused input changed: the
 * snapshot is taken again only when a transaction wrote since the last look (on PostgreSQL, another database of the
 * cluster may have too; then it is taken anyway), and compared row by row.
 */
export class DatabaseWatch {
  private before: Snapshot = {};
  private xmax = "";

  async start(): Promise<void> {
    this.xmax = await nextTransaction();
    this.before = await takeSnapshot();
  }

  /** After an input: for a refused one, what it changed (empty when nothing); an accepted one becomes the new baseline. */
  async changesAfter(outcome: "accepted" | "refused"): Promise<string[]> {
    await backgroundWork();
    const xmax = await nextTransaction();
    if (xmax === this.xmax) return [];
    const after = await takeSnapshot();
    const changes = outcome === "refused" ? await snapshotChanges(this.before, after) : [];
    this.before = after;
    this.xmax = xmax;
    return changes;
  }
}

/** Waits for what an accepted input started in the background of this process (an import's rows), so it is not taken for a later input's doing. */
export async function backgroundWork(): Promise<void> {
  const imports = (globalThis as { __creditwiseImports?: Map<string, Promise<void>> }).__creditwiseImports;
  if (imports) await Promise.allSettled([...imports.values()]);
}
