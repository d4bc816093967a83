// The one authorization layer for server actions: session → team → role → zod input → body.
import "server-only";
import { unstable_rethrow } from "next/navigation";
import type { z } from "zod";
import { unreadableField } from "@/lib/api/input";
import { isDatabaseUnavailable } from "@/lib/db/errors";
import { hasRole, type Role } from "./roles";
import { DomainError, failure, invalidInput, type ActionFailure, type ActionResult } from "./result";
import { currentUser, type SessionUser } from "./session";
import { loadTeamContext, type TeamContext } from "./team";

export type ActionInput = FormData | Record<string, unknown> | undefined;

/** What a caller must be to run an action; kept on the action for the authorization matrix. */
export type Access = { kind: "public" } | { kind: "user" } | { kind: "team"; role: Role };

/** An action, with who may call it and the schema of its input kept on it, for the authorization matrix and the fuzz suite. */
export type ServerAction<T> = ((input?: ActionInput) => Promise<ActionResult<T>>) & { access: Access; schema: z.ZodType };

/** FormData → plain object; repeated keys become arrays, empty strings stay strings. */
export function toPlainInput(input: ActionInput): Record<string, unknown> {
  if (input === undefined || input === null) return {};
  if (!(input instanceof FormData)) return typeof input === "object" ? { ...input } : {};
  const out: Record<string, unknown> = {};
  for (const key of new Set(input.keys())) {
    if (key.startsWith("$ACTION")) continue;
    const values = input.getAll(key);
    out[key] = values.length > 1 ? values : values[0];
  }
  return out;
}

// Said when the database could not be reached: a write cut off at its commit may or may not have been kept.
const DATABASE_UNAVAILABLE =
  "The database could not be reached just now (it may be restarting). Wait a few seconds, check whether your change shows, and try again if it does not.";
const NOT_SIGNED_IN = "Please sign in to continue.";
const TEAM_NOT_FOUND = "That team does not exist, or you are not a member of it.";

function forbidden(role: Role): string {
  return `This needs the ${role} role or higher in this team.`;
}

async function run<T>(body: () => Promise<ActionResult<T>>): Promise<ActionResult<T>> {
  try {
    return await body();
  } catch (error) {
    // redirect() and notFound() travel as exceptions and must reach Next.
    unstable_rethrow(error);
    if (error instanceof DomainError) return failure(error);
    if (isDatabaseUnavailable(error)) {
      console.error("[action] database unavailable", error);
      return { ok: false, code: "unavailable", message: DATABASE_UNAVAILABLE };
    }
    console.error("[action] unexpected error", error);
    return {
      ok: false,
      code: "unexpected",
      message: "Something went wrong on our side. Please try again; if it keeps happening, tell your team's admin.",
    };
  }
}

function parse<S extends z.ZodType>(schema: S, raw: Record<string, unknown>) {
  return schema.safeParse(raw);
}

/**
 * Refuses, before any schema reads it, what no action takes and the database could not store: text with a NUL or half
 * a character pair, nesting deeper than any form has, or more values than any form sends (the API's own limits).
 */
function unreadableInput(raw: Record<string, unknown>): ActionFailure | null {
  const problem = unreadableField(raw, "body");
  if (!problem) return null;
  const field = problem.field === "body" ? "form" : problem.field;
  return { ok: false, code: "invalid", message: "Some fields need attention.", fieldErrors: { [field]: problem.message } };
}

/** An action anyone may call, signed in or not (sign-up, sign-in). */
export function publicAction<S extends z.ZodType, T>(
  schema: S,
  body: (input: z.output<S>) => Promise<ActionResult<T>>,
): ServerAction<T> {
  const action = async (input?: ActionInput) =>
    run(async () => {
      const raw = toPlainInput(input);
      const unreadable = unreadableInput(raw);
      if (unreadable) return unreadable;
      const parsed = parse(schema, raw);
      if (!parsed.success) return invalidInput(parsed.error);
      return body(parsed.data);
    });
  return Object.assign(action, { access: { kind: "public" } as const, schema });
}

/** An action for any signed-in person, outside a team (create a team, change password). */
export function userAction<S extends z.ZodType, T>(
  schema: S,
  body: (user: SessionUser, input: z.output<S>) => Promise<ActionResult<T>>,
): ServerAction<T> {
  const action = async (input?: ActionInput) =>
    run(async () => {
      const user = await currentUser();
      if (!user) return { ok: false, code: "unauthenticated", message: NOT_SIGNED_IN } as const;
      const raw = toPlainInput(input);
      const unreadable = unreadableInput(raw);
      if (unreadable) return unreadable;
      const parsed = parse(schema, raw);
      if (!parsed.success) return invalidInput(parsed.error);
      return body(user, parsed.data);
    });
  return Object.assign(action, { access: { kind: "user" } as const, schema });
}

/**
 * An action inside a team. The team comes from the `teamSlug` field, but only
 * the caller's membership makes it a context: the body never sees an id the
 * client chose without this check.
 */
export function teamAction<S extends z.ZodType, T>(
  role: Role,
  schema: S,
  body: (ctx: TeamContext, input: z.output<S>) => Promise<ActionResult<T>>,
): ServerAction<T> {
  const action = async (input?: ActionInput) =>
    run(async () => {
      const user = await currentUser();
      if (!user) return { ok: false, code: "unauthenticated", message: NOT_SIGNED_IN } as const;
      const raw = toPlainInput(input);
      // Only text names a team: String() of a list or an object is no slug, and may even throw.
      const ctx = typeof raw.teamSlug === "string" ? await loadTeamContext(user, raw.teamSlug) : null;
      if (!ctx) return { ok: false, code: "not_found", message: TEAM_NOT_FOUND } as const;
      if (!hasRole(ctx.role, role)) return { ok: false, code: "forbidden", message: forbidden(role) } as const;
      delete raw.teamSlug;
      const unreadable = unreadableInput(raw);
      if (unreadable) return unreadable;
      const parsed = parse(schema, raw);
      if (!parsed.success) return invalidInput(parsed.error);
      return body(ctx, parsed.data);
    });
  return Object.assign(action, { access: { kind: "team", role } as const, schema });
}
