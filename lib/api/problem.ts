// Errors of the public API as RFC 9457 problem details: a machine code, a sentence for a person, and the fields at fault.
import { z } from "zod";
import type { FieldErrors } from "@/lib/authz/result";

export const PROBLEM_CODES = [
  "unauthenticated",
  "not_found",
  "forbidden",
  "invalid",
  "conflict",
  "rate_limited",
  "unexpected",
  "payload_too_large",
  "idempotency_key_reused",
  "idempotency_key_in_use",
  "unavailable",
  "outcome_unknown",
] as const;
export type ProblemCode = (typeof PROBLEM_CODES)[number];

export const PROBLEM_STATUS: Record<ProblemCode, number> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  idempotency_key_in_use: 409,
  payload_too_large: 413,
  idempotency_key_reused: 422,
  rate_limited: 429,
  unexpected: 500,
  unavailable: 503,
  outcome_unknown: 503,
};

const TITLES: Record<ProblemCode, string> = {
  invalid: "Some fields need attention",
  unauthenticated: "Not authenticated",
  forbidden: "Not allowed",
  not_found: "Not found",
  conflict: "Conflict",
  idempotency_key_in_use: "A request with this Idempotency-Key is still being answered",
  payload_too_large: "Request too large",
  idempotency_key_reused: "Idempotency-Key reused for another request",
  rate_limited: "Too many requests",
  unexpected: "Something went wrong on our side",
  unavailable: "Temporarily unavailable",
  outcome_unknown: "Cut off: it may or may not have been done",
};

export const problemSchema = z
  .object({
    type: z.string().meta({ description: "Always `about:blank`: the `code` says what happened." }),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().meta({ description: "What happened and what to do, for a person." }),
    code: z.enum(PROBLEM_CODES).meta({ description: "What happened, for a program." }),
    errors: z
      .array(z.object({ field: z.string(), in: z.enum(["path", "query", "body", "header"]), message: z.string() }))
      .optional()
      .meta({ description: "For `invalid`: each field at fault, where it was sent, and why." }),
  })
  .meta({ id: "Problem", description: "An error, as RFC 9457 problem details." });
export type Problem = z.output<typeof problemSchema>;

export type ProblemField = NonNullable<Problem["errors"]>[number];

export const PROBLEM_CONTENT_TYPE = "application/problem+json";

export function problemBody(code: ProblemCode, detail: string, errors?: ProblemField[]): Problem {
  return { type: "about:blank", title: TITLES[code], status: PROBLEM_STATUS[code], detail, code, ...(errors?.length ? { errors } : {}) };
}

export function problemResponse(code: ProblemCode, detail: string, options: { errors?: ProblemField[]; headers?: Record<string, string> } = {}): Response {
  return new Response(JSON.stringify(problemBody(code, detail, options.errors)), {
    status: PROBLEM_STATUS[code],
    headers: { "Content-Type": PROBLEM_CONTENT_TYPE, "Cache-Control": "no-store", ...options.headers },
  });
}

/** A domain error's field errors as the problem's list; `where` says where each field was sent (a path parameter or the body). */
export function fieldProblems(fields: FieldErrors | undefined, where: (field: string) => ProblemField["in"] = () => "body"): ProblemField[] | undefined {
  return fields ? Object.entries(fields).map(([field, message]) => ({ field, in: where(field), message })) : undefined;
}
