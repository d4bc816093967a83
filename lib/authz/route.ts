// The same authorization path for route handlers: same-site check → session → team → role → zod input, answered as JSON.
import "server-only";
import type { z } from "zod";
import { crossSiteRefusal } from "@/lib/security/origin";
import { isDatabaseUnavailable, UNAVAILABLE_RETRY_AFTER_SECONDS } from "@/lib/db/errors";
import { hasRole, type Role } from "./roles";
import { unreadableField } from "@/lib/api/input";
import { PROBLEM_STATUS } from "@/lib/api/problem";
import { DomainError, zodFieldErrors, type ErrorCode } from "./result";
import { currentUser } from "./session";
import { loadTeamContext, type TeamContext } from "./team";
import type { Access } from "./action";

type RouteParams = { params: Promise<Record<string, string | string[] | undefined>> };

export type RouteHandler = ((request: Request, context: RouteParams) => Promise<Response>) & { access: Access };

export function errorResponse(code: ErrorCode, message: string, fieldErrors?: Record<string, string>): Response {
  return Response.json({ error: { code, message, ...(fieldErrors ? { fields: fieldErrors } : {}) } }, { status: PROBLEM_STATUS[code] });
}

async function readInput(request: Request): Promise<Record<string, unknown> | null> {
  if (request.method === "GET" || request.method === "HEAD") {
    return Object.fromEntries(new URL(request.url).searchParams);
  }
  try {
    const body: unknown = await request.json();
    return body && typeof body === "object" && !Array.isArray(body) ? (body as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/**
 * Refuses a write that another site's page made the browser send with the
 * person's session cookie (see crossSiteRefusal). Every route handler that
 * reads the session calls this first; teamRoute does.
 */
export function refuseCrossSite(request: Request): Response | null {
  const refusal = crossSiteRefusal(request);
  return refusal ? errorResponse("forbidden", refusal) : null;
}

type RouteParamsRead = Record<string, string | string[] | undefined>;

/**
 * The steps every team route takes — same site, session, team, role — then `then`; a domain error is answered with its
 * code, anything else with a short apology.
 */
function authorizedTeamRoute(role: Role, then: (ctx: TeamContext, request: Request, params: RouteParamsRead) => Promise<Response>): RouteHandler {
  const handler = async (request: Request, context: RouteParams) => {
    try {
      const crossSite = refuseCrossSite(request);
      if (crossSite) return crossSite;
      const user = await currentUser();
      if (!user) return errorResponse("unauthenticated", "Sign in, or send an API key.");
      const params = await context.params;
      const { teamSlug } = params;
      const ctx = await loadTeamContext(user, typeof teamSlug === "string" ? teamSlug : "");
      if (!ctx) return errorResponse("not_found", "No such team.");
      if (!hasRole(ctx.role, role)) return errorResponse("forbidden", `This needs the ${role} role or higher.`);
      // A segment or a parameter with a NUL or half a character pair names nothing, and would fail the query it reached.
      const unreadable = unreadableField(params, "path") ?? unreadableField(Object.fromEntries(new URL(request.url).searchParams), "query");
      if (unreadable) return errorResponse("invalid", "Some fields need attention.", { [unreadable.field]: unreadable.message });
      return await then(ctx, request, params);
    } catch (error) {
      if (error instanceof DomainError) return errorResponse(error.code, error.message, error.fieldErrors);
      if (isDatabaseUnavailable(error)) {
        console.error("[route] database unavailable", error);
        const response = errorResponse("unavailable", "The database could not be reached just now. Try again in a few seconds.");
        response.headers.set("Retry-After", String(UNAVAILABLE_RETRY_AFTER_SECONDS));
        return response;
      }
      console.error("[route] unexpected error", error);
      return errorResponse("unexpected", "Something went wrong on our side. Please try again.");
    }
  };
  return Object.assign(handler, { access: { kind: "team", role } as const });
}

/** A route handler under a `[teamSlug]` segment (/api/v1/teams/…, /t/…), for members with at least `role`; `params` are the route's other segments. */
export function teamRoute<S extends z.ZodType>(
  role: Role,
  schema: S,
  body: (ctx: TeamContext, input: z.output<S>, request: Request, params: RouteParamsRead) => Promise<Response>,
): RouteHandler {
  return authorizedTeamRoute(role, async (ctx, request, params) => {
    const raw = await readInput(request);
    if (!raw) return errorResponse("invalid", "The request body must be a JSON object.");
    const parsed = schema.safeParse(raw);
    if (!parsed.success) return errorResponse("invalid", "Some fields need attention.", zodFieldErrors(parsed.error));
    return body(ctx, parsed.data, request, params);
  });
}

/**
 * A route handler that takes a file as its body (an upload): the same checks as teamRoute — same site, session, team,
 * role — and then the body is handed over unread, to be streamed, never held in memory whole.
 */
export function teamUploadRoute(role: Role, body: (ctx: TeamContext, request: Request, params: RouteParamsRead) => Promise<Response>): RouteHandler {
  return authorizedTeamRoute(role, body);
}
