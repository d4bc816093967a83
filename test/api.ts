// The API as tests call it: the typed client over the route handlers in-process, every answer checked against the
// OpenAPI document (the contract), and keys made as an admin would.
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import { createCreditwiseClient, type CreditwiseClient } from "@/lib/api/client";
import { openApiDocument } from "@/lib/api/openapi";
import { createApiKey } from "@/lib/api-keys/commands";
import type { ApiScope } from "@/lib/api-keys/rules";
import type { Role } from "@/lib/authz/roles";
import { db } from "@/lib/db/client";
import type { TeamFixture } from "./fixtures";

export const ORIGIN = "http://localhost:3000";

type Handler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;
type RouteModule = Record<string, unknown>;

const routeModules = import.meta.glob<RouteModule>("/app/api/v1/**/route.ts");

/** Each API route file as a pattern over the URL path, with its parameters' names. */
const ROUTES = Object.entries(routeModules).map(([file, load]) => {
  const names: string[] = [];
  const pattern = file
    .replace(/^\/app/, "")
    .replace(/\/route\.ts$/, "")
    .split("/")
    .map((segment) => {
      const param = /^\[(\w+)\]$/.exec(segment);
      if (!param) return segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      names.push(param[1]);
      return "([^/]+)";
    })
    .join("/");
  return { file, load, names, pattern: new RegExp(`^${pattern}$`) };
});

const document = JSON.parse(JSON.stringify(openApiDocument())) as {
  paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema: object }> }> }>>;
  components: object;
};
const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
const validators = new Map<string, ValidateFunction>();

function operationOf(method: string, path: string): { path: string; method: string } | null {
  const relative = path.replace(/^\/api\/v1/, "");
  for (const [template, item] of Object.entries(document.paths)) {
    const pattern = new RegExp(`^${template.replace(/\{\w+\}/g, "[^/]+")}$`);
    if (pattern.test(relative) && item[method.toLowerCase()]) return { path: template, method: method.toLowerCase() };
  }
  return null;
}

/**
 * Checks an answer against the document: the status must be one the operation lists, with that content type, and the
 * body must match its schema. A drift throws, so the test that received it fails.
 */
export async function checkContract(request: Request, response: Response): Promise<void> {
  const url = new URL(request.url);
  if (url.pathname === "/api/v1/openapi.json") return;
  const operation = operationOf(request.method, url.pathname);
  if (!operation) throw new Error(`Contract: ${request.method} ${url.pathname} is not in the OpenAPI document`);
  const status = String(response.status);
  const spec = document.paths[operation.path][operation.method].responses[status];
  if (!spec) throw new Error(`Contract: ${request.method} ${operation.path} answered ${status}, which the document does not list`);
  const contentType = (response.headers.get("content-type") ?? "").split(";")[0].trim();
  const media = spec.content?.[contentType];
  if (!media) throw new Error(`Contract: ${request.method} ${operation.path} ${status} answered ${contentType}, the document says ${Object.keys(spec.content ?? {})}`);
  const id = `${operation.method} ${operation.path} ${status} ${contentType}`;
  let validate = validators.get(id);
  if (!validate) {
    validate = ajv.compile({ ...media.schema, components: document.components });
    validators.set(id, validate);
  }
  const body: unknown = await response.clone().json();
  if (!validate(body)) {
    throw new Error(`Contract: ${id} does not match its schema: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(body).slice(0, 2000)}`);
  }
}

/** fetch for the API's route handlers, called in this process; every answer is checked against the contract. */
export async function apiFetch(request: Request): Promise<Response> {
  const url = new URL(request.url);
  for (const route of ROUTES) {
    const match = route.pattern.exec(url.pathname);
    if (!match) continue;
    const handler = (await route.load())[request.method] as Handler | undefined;
    if (!handler) return new Response(null, { status: 405 });
    const decode = (segment: string) => {
      try {
        return decodeURIComponent(segment);
      } catch {
        return segment; // malformed percent-encoding reaches the handler as sent
      }
    };
    const params = Object.fromEntries(route.names.map((name, index) => [name, decode(match[index + 1])]));
    const response = await handler(request, { params: Promise.resolve(params) });
    await checkContract(request, response);
    return response;
  }
  return new Response(null, { status: 404 });
}

/** The typed client, with a key (or as whoever the test signed in when no key is given). */
export function apiClient(apiKey?: string, headers?: Record<string, string>): CreditwiseClient {
  return createCreditwiseClient({ origin: ORIGIN, apiKey, fetch: apiFetch, headers: { host: "localhost:3000", ...headers } });
}

export type KeyOptions = { scopes?: readonly ApiScope[]; creator?: Role; projectId?: string; expiresOn?: string; name?: string };

export const ALL_SCOPES: readonly ApiScope[] = ["estimate", "runs:write", "usage:write", "usage:read", "approvals:write", "batches:read"];

/**
 * A key of the fixture's team, made by `creator` (an admin by default) with `scopes` (all by default). Made through
 * the command as an admin; a creator of a lower role is then put on the key, as if they were demoted after making it.
 */
export async function makeApiKey(fixture: TeamFixture, options: KeyOptions = {}): Promise<{ id: string; secret: string }> {
  const admin = { user: fixture.people.admin, team: fixture.team, role: "admin" as const };
  const created = await createApiKey(admin, {
    name: options.name ?? "Test key",
    scopes: [...(options.scopes ?? ALL_SCOPES)],
    projectId: options.projectId,
    expiresOn: options.expiresOn,
  });
  const creator = options.creator ?? "admin";
  if (creator !== "admin") await db().apiKey.update({ where: { id: created.id }, data: { createdById: fixture.people[creator].id } });
  return { id: created.id, secret: created.secret };
}
