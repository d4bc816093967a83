// The shape every server action and command answers with, and the domain error that becomes it.
import type { z } from "zod";

export type ErrorCode =
  | "unauthenticated"
  | "not_found"
  | "forbidden"
  | "invalid"
  | "conflict"
  | "rate_limited"
  | "unavailable"
  | "unexpected";

export type FieldErrors = Record<string, string>;

export type ActionFailure = {
  ok: false;
  code: ErrorCode;
  message: string;
  fieldErrors?: FieldErrors;
};

export type ActionResult<T = null> = { ok: true; data: T; message?: string } | ActionFailure;

/** An expected failure raised inside a command; the action layer turns it into a value. */
export class DomainError extends Error {
  constructor(
    readonly code: Exclude<ErrorCode, "unexpected" | "unavailable">,
    message: string,
    readonly fieldErrors?: FieldErrors,
  ) {
    super(message);
    this.name = "DomainError";
  }
}

export function fieldError(field: string, message: string, code: DomainError["code"] = "invalid"): DomainError {
  return new DomainError(code, message, { [field]: message });
}

export function ok<T>(data: T, message?: string): ActionResult<T> {
  return message === undefined ? { ok: true, data } : { ok: true, data, message };
}

export function failure(error: DomainError): ActionFailure {
  return error.fieldErrors
    ? { ok: false, code: error.code, message: error.message, fieldErrors: error.fieldErrors }
    : { ok: false, code: error.code, message: error.message };
}

/** First message per field, keyed by the dotted path of the input. */
export function zodFieldErrors(error: z.ZodError): FieldErrors {
  const fields: FieldErrors = {};
  for (const issue of error.issues) {
    const key = issue.path.map(String).join(".") || "form";
    fields[key] ??= issue.message;
  }
  return fields;
}

export function invalidInput(error: z.ZodError): ActionFailure {
  return {
    ok: false,
    code: "invalid",
    message: "Some fields need attention.",
    fieldErrors: zodFieldErrors(error),
  };
}
