// Every route handler, found by itself, sent random and hostile requests — path segments, query, body and headers — by
// a caller its access allows: no answer is our failure (5xx), every answer of the API is one its document describes,
// and after every refusal the database is as it was. Then bodies too large for the API, which are refused early.
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import type { ApiRouteHandler } from "@/lib/authz/api";
import type { RouteHandler } from "@/lib/authz/route";
import { bodyLimit } from "@/lib/api/operation";
import { apiFetch, ORIGIN } from "./api";
import { describeEachDatabase } from "./db";
import { discoverRoutes } from "./discovery";
import { DatabaseWatch, describeValue, hostileInput, hostileString, idPool, inputSchemaOf, plausible, type IdPool } from "./fuzz";
import { makeFuzzTeam, type FuzzTeam } from "./fuzz-team";
import { signInAs } from "./session";

/** Requests per handler and database. */
const RUNS = 24;
const SEED = 20261206;

/** Handlers the suite does not call, with why. A handler neither here nor fuzzed fails the first test. */
const NOT_FUZZED: Record<string, string> = {
  "app/api/auth/[...nextauth]/route.ts#GET": "Auth.js's own endpoints, which the tests replace (test/setup.ts): none of our code answers there",
  "app/api/auth/[...nextauth]/route.ts#POST": "Auth.js's own endpoints, which the tests replace (test/setup.ts): none of our code answers there",
};

/** What a handler's body is made of, where it is not JSON. */
const CSV_BODIES: Record<string, true> = { "app/t/[teamSlug]/usage/import/upload/route.ts#POST": true };

const ROUTES = await discoverRoutes();

const isApiRoute = (value: unknown): value is ApiRouteHandler => typeof value === "function" && "operation" in value;

describe("the fuzz suite's handlers", () => {
  it("are every route handler but those set aside with a reason", () => {
    expect(ROUTES.length).toBeGreaterThan(20);
    for (const key of Object.keys(NOT_FUZZED)) expect(ROUTES.map((route) => route.key), key).toContain(key);
    for (const key of Object.keys(CSV_BODIES)) expect(ROUTES.map((route) => route.key), key).toContain(key);
  });
});

/** A CSV file as an attacker writes one: the two layouts' headers, and then anything. */
const hostileCsv = fc
  .tuple(
    fc.constantFrom("date,user email,model,settings,quantity,credits,stage,outcome,project,prompt,external id", "\ufeffdate,user,model,credits", "", "a;b;c", '"'),
    fc.array(fc.oneof(hostileString, fc.constantFrom('"', '""', ",,,,", "\r", "\r\n", "\n", "\u0000")), { maxLength: 12 }),
  )
  .map(([header, cells]) => `${header}\n${cells.join(",")}`);

/** Text for a header field: Latin-1 only (a Request refuses anything else before it is sent). */
const headerText = fc.oneof(fc.constantFrom("", " ", "x".repeat(300), "é", "a b", "2b1f3c4e-6d7a-4b8c-9d0e-1f2a3b4c5d6e", "../"), fc.string({ maxLength: 20 }).map((text) => text.replace(/[^\x20-\x7e]/g, "")));

/** A value as a query parameter or JSON body carries it. */
function jsonText(value: unknown): string {
  try {
    return JSON.stringify(value, (_key, item: unknown) => (typeof item === "bigint" ? item.toString() : item instanceof Map || item instanceof Set ? [...item] : item)) ?? "";
  } catch {
    return "[]";
  }
}

function searchOf(query: unknown): string {
  if (!query || typeof query !== "object" || Array.isArray(query)) return "";
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    for (const item of Array.isArray(value) ? value : [value]) if (item !== undefined) search.append(key, typeof item === "string" ? item : jsonText(item));
  }
  const text = search.toString();
  return text ? `?${text}` : "";
}

/** A segment of the path, as sent: percent-encoded (even a malformed escape reaches the handler as sent). */
function segmentOf(value: unknown): string {
  if (typeof value !== "string" || value === "") return "x";
  try {
    return encodeURIComponent(value);
  } catch {
    return "%ZZ"; // a lone surrogate cannot be encoded
  }
}

type Sent = { request: Request; params: Record<string, string>; how: string };

describeEachDatabase("every route handler under hostile input", () => {
  let own: FuzzTeam;
  let other: FuzzTeam;
  let pool: IdPool;

  beforeAll(async () => {
    own = await makeFuzzTeam();
    other = await makeFuzzTeam();
    pool = await idPool();
    process.env.API_RATE_LIMIT_PER_MINUTE = "1000000";
  });

  /** A request for an API operation: segments, query and body from its schemas, each possibly broken; a key of the team. */
  function apiRequests(handler: ApiRouteHandler): fc.Arbitrary<Sent> {
    const { operation } = handler;
    const params = operation.params ? plausible(inputSchemaOf(operation.params), pool) : fc.constant({});
    const segments = fc.oneof({ weight: 3, arbitrary: params }, fc.dictionary(fc.constantFrom("runId", "approvalId", "batchId", "appId"), hostileString, { noNullPrototype: true }));
    const query = operation.query ? hostileInput(inputSchemaOf(operation.query), pool) : fc.constant({ how: "no query", input: {} });
    const body = operation.body ? hostileInput(inputSchemaOf(operation.body), pool) : fc.constant({ how: "no body", input: {} });
    const rawBody = fc.oneof({ weight: 6, arbitrary: body.map(({ how, input }) => ({ how, text: jsonText(input) })) }, hostileString.map((text) => ({ how: "not JSON", text })));
    const slug = fc.oneof({ weight: 8, arbitrary: fc.constant(own.team.slug) }, fc.constant(other.team.slug), hostileString);
    return fc.tuple(segments, query, rawBody, slug, fc.option(headerText)).map(([segmentValues, queryInput, bodyText, teamSlug, idempotencyKey]) => {
      const values = segmentValues as Record<string, unknown>;
      const path = operation.path.replace("{teamSlug}", segmentOf(teamSlug)).replace(/\{(\w+)\}/g, (_, name: string) => segmentOf(values[name]));
      const headers: Record<string, string> = { authorization: `Bearer ${own.apiKey}`, "content-type": "application/json", host: "localhost:3000" };
      if (idempotencyKey !== null) headers["idempotency-key"] = idempotencyKey;
      const post = operation.method === "post";
      const request = new Request(`${ORIGIN}/api/v1${path}${searchOf(queryInput.input)}`, { method: operation.method.toUpperCase(), headers, ...(post ? { body: bodyText.text } : {}) });
      return { request, params: {}, how: `query ${queryInput.how}, body ${post ? bodyText.how : "none"}` };
    });
  }

  /** A request for any other handler: its segments from the ids of both teams or hostile, any query, a hostile body. */
  function otherRequests(key: string, file: string, method: string): fc.Arbitrary<Sent> {
    const names = [...file.matchAll(/\[(?:\.\.\.)?(\w+)\]/g)].map((match) => match[1]);
    const segment = (name: string) =>
      name === "teamSlug"
        ? fc.oneof({ weight: 8, arbitrary: fc.constant(own.team.slug) }, fc.constant(other.team.slug), hostileString)
        : fc.oneof(plausible({ type: "string" }, pool, `${name.replace(/Id$/, "")}Id`), fc.constantFrom("runs", "transactions"), hostileString);
    const body = CSV_BODIES[key] ? hostileCsv : hostileInput({ type: "object" }, pool).map(({ input }) => jsonText(input));
    const query = fc.dictionary(fc.string({ minLength: 1, maxLength: 12 }), hostileString, { maxKeys: 4, noNullPrototype: true });
    return fc.tuple(fc.tuple(...names.map(segment)), query, body).map(([values, queryInput, bodyText]) => {
      const params = Object.fromEntries(names.map((name, i) => [name, String(values[i])]));
      let path = file.replace(/^app/, "").replace(/\/route\.ts$/, "");
      names.forEach((name, i) => (path = path.replace(/\[(?:\.\.\.)?\w+\]/, segmentOf(values[i]) || name)));
      const withBody = method !== "GET";
      const request = new Request(`${ORIGIN}${path}${searchOf(queryInput)}`, { method, headers: { host: "localhost:3000" }, ...(withBody ? { body: bodyText } : {}) });
      return { request, params, how: withBody ? `body ${describeValue(bodyText)}` : "" };
    });
  }

  ROUTES.forEach(({ key, file, name, value }, index) => {
    if (NOT_FUZZED[key]) return;
    it(`${key}: no 5xx, answers as documented, refusals change nothing`, async () => {
      const api = isApiRoute(value);
      const access = (value as Partial<RouteHandler>).access;
      signInAs(!api && access?.kind === "team" ? own.people[access.role] : null);
      const watch = new DatabaseWatch();
      await watch.start();
      await fc.assert(
        fc.asyncProperty(api ? apiRequests(value) : otherRequests(key, file, name), async ({ request, params, how }) => {
          const what = `${request.method} ${describeValue(request.url)} ${how}`;
          const handler = value as (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;
          const response = api ? await apiFetch(request) : await handler(request, { params: Promise.resolve(params) });
          expect(response.status, what).toBeLessThan(500);
          await response.body?.cancel();
          const changes = await watch.changesAfter(response.status >= 400 ? "refused" : "accepted");
          expect(changes, `${key} refused ${what}\nand yet changed:\n  ${changes.join("\n  ")}`).toEqual([]);
        }),
        { numRuns: RUNS, seed: SEED + index, endOnFailure: true },
      );
      signInAs(null);
    });
  });

  describe("bodies over the API's limit", () => {
    const url = () => `${ORIGIN}/api/v1/teams/${own.team.slug}/usage`;
    const CHUNK = 64 * 1024;

    /** A body that never ends, counting what the handler pulled of it. */
    function endless() {
      const counted = { bytes: 0 };
      const stream = new ReadableStream<Uint8Array>({
        pull(controller) {
          counted.bytes += CHUNK;
          controller.enqueue(new Uint8Array(CHUNK).fill(0x20));
        },
      });
      return { counted, stream };
    }

    it("are refused with 413 once the limit is passed, never read to their end", async () => {
      const { counted, stream } = endless();
      const headers = { authorization: `Bearer ${own.apiKey}`, "content-type": "application/json", host: "localhost:3000" };
      const response = await apiFetch(new Request(url(), { method: "POST", headers, body: stream, duplex: "half" } as RequestInit));
      expect(response.status).toBe(413);
      expect(((await response.json()) as { code: string }).code).toBe("payload_too_large");
      const limit = bodyLimit((await import("@/lib/api/operations/usage")).recordUsage);
      expect(counted.bytes).toBeGreaterThan(limit);
      expect(counted.bytes).toBeLessThanOrEqual(limit + 4 * CHUNK);
    });

    it("are refused before a byte is read when their Content-Length says so", async () => {
      const { counted, stream } = endless();
      const headers = { authorization: `Bearer ${own.apiKey}`, "content-type": "application/json", host: "localhost:3000", "content-length": String(1024 ** 3) };
      const response = await apiFetch(new Request(url(), { method: "POST", headers, body: stream, duplex: "half" } as RequestInit));
      expect(response.status).toBe(413);
      // A stream is asked for its first piece when it is made; nothing past that was read.
      expect(counted.bytes).toBeLessThanOrEqual(CHUNK);
    });
  });
});
