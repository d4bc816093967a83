// The one authorization path of the public API (/api/v1): API key or session → team → role and scope → zod input →
// Idempotency-Key → handler, answered as JSON, every error as problem details (RFC 9457).
import "server-only";
import { z } from "zod";
import { clientAddress } from "@/lib/accounts/client-address";
import { keyForSecret, noteKeyUse } from "@/lib/api-keys/queries";
import { keyRole, readBearerKey, scopeAllows, type ApiScope } from "@/lib/api-keys/rules";
import { claimIdempotencyKey, ledgerKeyFor, requestFingerprint, settleIdempotencyKeySoon, validIdempotencyKey, type StoredAnswer } from "@/lib/api/idempotency";
import { unreadableField } from "@/lib/api/input";
import { apiIssueMessage } from "@/lib/api/messages";
import { bodyLimit, DEFAULT_RATE_LIMIT_PER_MINUTE, formatBytes, type ApiOperation, type OperationInput } from "@/lib/api/operation";
import { fieldProblems, PROBLEM_CONTENT_TYPE, problemBody, problemResponse, type ProblemField } from "@/lib/api/problem";
import { appNow } from "@/lib/clock";
import { isDatabaseUnavailable, UNAVAILABLE_RETRY_AFTER_SECONDS } from "@/lib/db/errors";
import { formatNumber } from "@/lib/format";
import { crossSiteRefusal } from "@/lib/security/origin";
import type { Access } from "./action";
import { hasRole, type Role } from "./roles";
import { DomainError } from "./result";
import { currentUser } from "./session";
import { loadTeamContext, type TeamContext } from "./team";

/** Who is calling: an API key (its id, scopes and project) or a person signed in through the browser. */
export type ApiCaller = { kind: "key"; keyId: string; scopes: string[]; projectId: string | null } | { kind: "session" };

export type ApiContext = TeamContext & {
  caller: ApiCaller;
  /** The key the ledger keeps for this write, derived from the caller and the Idempotency-Key header (if one was sent). */
  ledgerKey?: string;
};

/** A handler's answer: a status and a JSON body, or a Response of its own (a download). */
export type ApiAnswer = StoredAnswer | Response;

type RouteParams = { params: Promise<Record<string, string | string[] | undefined>> };

export type ApiRouteHandler = ((request: Request, context: RouteParams) => Promise<Response>) & {
  access: Access & { scope: ApiScope | null };
  operation: ApiOperation;
};


/** Requests per key per minute, shared by every app instance through the database. */
export function apiRateLimit(env: Record<string, string | undefined> = process.env): { limit: number; windowMs: number } {
  const configured = Number.parseInt(env.API_RATE_LIMIT_PER_MINUTE ?? "", 10);
  return { limit: Number.isSafeInteger(configured) && configured > 0 ? configured : DEFAULT_RATE_LIMIT_PER_MINUTE, windowMs: 60_000 };
}

class Refusal extends Error {
  constructor(readonly response: Response) {
    super("refused");
  }
}

function refuse(...args: Parameters<typeof problemResponse>): never {
  throw new Refusal(problemResponse(...args));
}

type Authorized = { ctx: ApiContext; headers: Record<string, string> };

async function authorizeKey(header: string, teamSlug: string, operation: ApiOperation, request: Request): Promise<Authorized> {
  const secret = readBearerKey(header);
  if (!secret) refuse("unauthenticated", "The Authorization header must be `Bearer cwk_…`, with a Creditwise API key.");
  const now = appNow();
  const { limit, windowMs } = apiRateLimit();
  const key = await keyForSecret(secret, now, windowMs);
  if (!key) refuse("unauthenticated", "This API key is not known. Check that it was copied whole.");
  if (key.revokedAt) refuse("unauthenticated", "This API key was revoked. Ask an admin of the team for a new one.");
  if (key.expiresAt && key.expiresAt <= now) refuse("unauthenticated", "This API key has expired. Ask an admin of the team for a new one.");
  // A key of another team is told the same as a stranger: no such team (it learns nothing of the other team).
  if (key.team.slug !== teamSlug) refuse("not_found", "No such team, or this key is not one of its keys.");
  const role = keyRole(key.creatorRole);
  if (!role) refuse("unauthenticated", "The person who made this API key is no longer in the team, so the key no longer works.");
  const headers = rateLimitHeaders(key.window ?? { count: 1, start: now }, limit, windowMs, now);
  if (operation.scope && !scopeAllows(key.scopes, operation.scope)) {
    refuse("forbidden", `This API key lacks the “${operation.scope}” scope. An admin can make a key that has it.`, { headers });
  }
  if (!hasRole(role, operation.role)) {
    const why = role === key.creatorRole && !hasRole(role, "member") ? ` The person who made this key is a ${role} in the team now, so the key can only read; ask someone with the role to make one.` : "";
    refuse("forbidden", `${roleRefusal(operation.role, true)}${why}`, { headers });
  }
  await noteKeyUse(key, clientAddress(request.headers), now);
  return {
    ctx: { user: key.creator, team: key.team, role, caller: { kind: "key", keyId: key.id, scopes: key.scopes, projectId: key.projectId } },
    headers,
  };
}

/** The rate-limit headers of an answer to a key, from its counted window; past the limit, the 429. */
function rateLimitHeaders({ count, start }: { count: number; start: Date }, limit: number, windowMs: number, now: Date): Record<string, string> {
  const resetSeconds = Math.max(1, Math.ceil((start.getTime() + windowMs - now.getTime()) / 1000));
  const headers = {
    "RateLimit-Policy": `"per-key";q=${limit};w=${windowMs / 1000}`,
    RateLimit: `"per-key";r=${Math.max(0, limit - count)};t=${resetSeconds}`,
  };
  if (count > limit) {
    refuse("rate_limited", `This key sent more than ${formatNumber(limit)} requests in a minute. Wait ${resetSeconds} s and send again.`, {
      headers: { ...headers, "Retry-After": String(resetSeconds) },
    });
  }
  return headers;
}

function roleRefusal(role: Role, key: boolean): string {
  return key
    ? `This needs the ${role} role or higher; an API key acts as a member at most, and never above the role of the person who made it.`
    : `This needs the ${role} role or higher in this team.`;
}

async function authorizeSession(teamSlug: string, operation: ApiOperation, request: Request): Promise<Authorized> {
  const crossSite = crossSiteRefusal(request);
  if (crossSite) refuse("forbidden", crossSite);
  const user = await currentUser();
  if (!user) refuse("unauthenticated", "Send an API key as `Authorization: Bearer cwk_…`, or sign in.");
  const ctx = await loadTeamContext(user, teamSlug);
  if (!ctx) refuse("not_found", "No such team, or you are not a member of it.");
  if (!hasRole(ctx.role, operation.role)) refuse("forbidden", roleRefusal(operation.role, false));
  return { ctx: { ...ctx, caller: { kind: "session" } }, headers: {} };
}

/** The body as text, refused early past the operation's limit whatever the Content-Length says. */
async function readBody(request: Request, limit: number): Promise<string> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  const tooLarge = () => refuse("payload_too_large", `The request body is over ${formatBytes(limit)}, this operation's limit. Send fewer or shorter items per request.`);
  if (declared > limit) tooLarge();
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    // A client that hangs up mid-body gets no answer anyway: refused, not logged as our failure.
    const { done, value } = await reader.read().catch(() => refuse("invalid", "The request body could not be read to its end."));
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      tooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function parsePart<S extends z.ZodType>(schema: S | undefined, raw: unknown, where: ProblemField["in"], errors: ProblemField[]): unknown {
  if (!schema) return {};
  const parsed = schema.safeParse(raw, { error: apiIssueMessage });
  if (parsed.success) return parsed.data;
  for (const issue of parsed.error.issues) {
    // A field the request does not have is named itself, not its parent.
    const paths = issue.code === "unrecognized_keys" ? issue.keys.map((key) => [...issue.path, key]) : [issue.path];
    for (const path of paths) {
      const field = path.map(String).join(".") || (where === "body" ? "body" : where);
      if (!errors.some((error) => error.field === field && error.in === where)) errors.push({ field, in: where, message: issue.message });
    }
  }
  return undefined;
}

const strictQueries = new WeakMap<ApiOperation, z.ZodObject>();

/** An operation's query, refusing a parameter it does not have (a misspelt filter would otherwise quietly read all). */
function strictQuery(operation: ApiOperation): z.ZodObject {
  let schema = strictQueries.get(operation);
  if (!schema) {
    schema = (operation.query ?? z.object({})).strict();
    strictQueries.set(operation, schema);
  }
  return schema;
}

async function readInput<O extends ApiOperation>(operation: O, request: Request, params: Record<string, unknown>): Promise<{ input: OperationInput<O>; rawBody: unknown }> {
  const errors: ProblemField[] = [];
  const { teamSlug: _team, ...pathParams } = params;
  void _team;
  const query = Object.fromEntries(new URL(request.url).searchParams);
  let rawBody: unknown = undefined;
  if (operation.method === "post") {
    const text = await readBody(request, bodyLimit(operation));
    if (operation.body) {
      try {
        rawBody = text.trim() === "" ? undefined : JSON.parse(text);
      } catch {
        refuse("invalid", "The request body is not valid JSON.", { errors: [{ field: "body", in: "body", message: "Send a JSON object." }] });
      }
      if (!rawBody || typeof rawBody !== "object" || Array.isArray(rawBody)) {
        refuse("invalid", "The request body must be a JSON object; the API reference (/docs/api) shows each operation's.", {
          errors: [{ field: "body", in: "body", message: "Send a JSON object." }],
        });
      }
    }
  }
  // Text the database cannot store, or nesting no input has, is refused at its field before any schema reads it.
  const unreadable = unreadableField(pathParams, "path") ?? unreadableField(query, "query") ?? unreadableField(rawBody, "body");
  if (unreadable) refuse("invalid", "Some fields need attention; each is listed under `errors`.", { errors: [unreadable] });
  const input = {
    params: parsePart(operation.params, pathParams, "path", errors),
    query: parsePart(strictQuery(operation), query, "query", errors),
    body: parsePart(operation.body, rawBody, "body", errors),
  } as OperationInput<O>;
  if (errors.length > 0) refuse("invalid", "Some fields need attention; each is listed under `errors`.", { errors });
  return { input, rawBody };
}

function jsonResponse(answer: StoredAnswer, headers: Record<string, string>): Response {
  const problem = answer.status >= 400;
  return new Response(JSON.stringify(answer.body), {
    status: answer.status,
    headers: { "Content-Type": problem ? PROBLEM_CONTENT_TYPE : "application/json", "Cache-Control": "no-store", ...headers },
  });
}

function domainAnswer(operation: ApiOperation, error: DomainError): StoredAnswer {
  const where = (field: string) =>
    operation.params && field in operation.params.shape ? "path" : operation.method === "get" && operation.query && field in operation.query.shape ? "query" : "body";
  const body = problemBody(error.code, error.message, fieldProblems(error.fieldErrors, where));
  return { status: body.status, body };
}

/**
 * A route handler of the public API for `operation`. The team comes from the URL, but only a key of that team (or
 * the caller's membership) makes it a context; the handler never sees an input its schema did not pass.
 */
export function apiRoute<const O extends ApiOperation>(
  operation: O,
  body: (ctx: ApiContext, input: OperationInput<O>, request: Request) => Promise<ApiAnswer>,
): ApiRouteHandler {
  const handler = async (request: Request, context: RouteParams) => {
    let headers: Record<string, string> = {};
    // Whether a lost database connection leaves the request's outcome unknown to its caller: a write whose body began,
    // unless its Idempotency-Key makes a resend harmless (resendSafe). Until the body begins, nothing was done.
    let outcomeUnknown = false;
    try {
      const params = await context.params;
      const teamSlug = typeof params.teamSlug === "string" ? params.teamSlug : "";
      const authorization = request.headers.get("authorization");
      const authorized =
        authorization !== null ? await authorizeKey(authorization, teamSlug, operation, request) : await authorizeSession(teamSlug, operation, request);
      headers = authorized.headers;
      const { ctx } = authorized;
      const { input, rawBody } = await readInput(operation, request, params);
      const idempotencyKey = request.headers.get("idempotency-key");
      if (operation.method !== "post" || idempotencyKey === null) {
        outcomeUnknown = operation.method === "post" && !operation.readOnly;
        return toResponse(await answer(operation, () => body(ctx, input, request)), headers);
      }
      if (!validIdempotencyKey(idempotencyKey)) {
        refuse("invalid", "The Idempotency-Key header must be 1 to 200 visible ASCII characters, e.g. a UUID.", {
          errors: [{ field: "Idempotency-Key", in: "header", message: "Use 1 to 200 visible ASCII characters." }],
          headers,
        });
      }
      const caller = ctx.caller.kind === "key" ? `key:${ctx.caller.keyId}` : `user:${ctx.user.id}`;
      const scope = { teamId: ctx.team.id, caller, key: idempotencyKey };
      const path = new URL(request.url).pathname;
      const claimAt = new Date();
      const claim = await claimIdempotencyKey(scope, "POST", path, requestFingerprint("POST", path, rawBody ?? null), claimAt).catch(async (error: unknown) => {
        // The claim may have been written before its answer was lost: let it go, or the resend would wait on itself.
        if (isDatabaseUnavailable(error)) await settleIdempotencyKeySoon(scope, claimAt, { status: 500, body: null });
        throw error;
      });
      if (claim.kind === "replay") return jsonResponse(claim.answer, { ...headers, "Idempotent-Replayed": "true" });
      if (claim.kind === "reused") {
        refuse("idempotency_key_reused", "This Idempotency-Key was already used for a different request. Use a new key for a new request.", { headers });
      }
      if (claim.kind === "in_progress") {
        refuse("idempotency_key_in_use", "The first request with this Idempotency-Key is still being answered; send again in a moment.", {
          headers: { ...headers, "Retry-After": "1" },
        });
      }
      const { claimedAt } = claim;
      outcomeUnknown = !operation.resendSafe && !operation.readOnly;
      const result = await answer(operation, () => body({ ...ctx, ledgerKey: ledgerKeyFor(caller, idempotencyKey) }, input, request)).catch(async (error: unknown) => {
        // Cut off by the database, a write that may have happened keeps its key claimed: a resend waits for the
        // takeover rather than doing it again. Any other failure frees the key for a resend.
        if (!(outcomeUnknown && isDatabaseUnavailable(error))) await settleIdempotencyKeySoon(scope, claimedAt, { status: 500, body: null });
        throw error;
      });
      if (result instanceof Response) throw new Error(`${operation.operationId}: a write must answer JSON, to be kept for its retries`);
      // Done, but the database went away before the answer was kept: the retry gets this answer once it is back.
      await settleIdempotencyKeySoon(scope, claimedAt, result);
      return jsonResponse(result, headers);
    } catch (error) {
      if (error instanceof Refusal) return error.response;
      if (isDatabaseUnavailable(error)) {
        console.error(`[api] ${operation.operationId}: database unavailable`, error);
        if (outcomeUnknown) {
          return problemResponse(
            "outcome_unknown",
            "The connection to the database was lost while this was being done: it may or may not have been done. Look before sending it again (with an Idempotency-Key, a write is never done twice).",
            { headers },
          );
        }
        const changesNothing = operation.method === "get" || operation.readOnly;
        return problemResponse(
          "unavailable",
          `The database could not be reached just now. Send the request again in ${UNAVAILABLE_RETRY_AFTER_SECONDS} s${changesNothing ? "." : "; with the same Idempotency-Key it cannot run twice."}`,
          { headers: { ...headers, "Retry-After": String(UNAVAILABLE_RETRY_AFTER_SECONDS) } },
        );
      }
      console.error(`[api] ${operation.operationId}: unexpected error`, error);
      return problemResponse("unexpected", "Something went wrong on our side. Send the request again; with the same Idempotency-Key it cannot run twice.", { headers });
    }
  };
  return Object.assign(handler, { access: { kind: "team", role: operation.role, scope: operation.scope } as const, operation });
}

/** The handler's answer; an expected refusal from the domain (a DomainError) becomes its problem, kept like any answer. */
async function answer(operation: ApiOperation, run: () => Promise<ApiAnswer>): Promise<ApiAnswer> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof DomainError) return domainAnswer(operation, error);
    throw error;
  }
}

function toResponse(result: ApiAnswer, headers: Record<string, string>): Response {
  if (!(result instanceof Response)) return jsonResponse(result, headers);
  for (const [name, value] of Object.entries(headers)) result.headers.set(name, value);
  return result;
}

/** Refuses a key limited to one project when the request names another (or none, where one must be named). */
export function checkKeyProject(ctx: ApiContext, projectId: string | undefined, field = "projectId"): void {
  if (ctx.caller.kind !== "key" || ctx.caller.projectId === null) return;
  if (projectId !== ctx.caller.projectId) {
    throw new DomainError("forbidden", "This API key is limited to one project, and this request is about another.", {
      [field]: "This key may only use its own project.",
    });
  }
}

/** The project a key is limited to, if any: reads are narrowed to it. */
export function keyProject(ctx: ApiContext): string | null {
  return ctx.caller.kind === "key" ? ctx.caller.projectId : null;
}
