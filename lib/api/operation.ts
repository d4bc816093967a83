// What one endpoint of the public API is: its path, who may call it, and the zod schemas of what it takes and answers.
// The handlers validate with these schemas and the OpenAPI document is generated from them, so the two cannot drift.
import type { z } from "zod";
import type { ApiScope } from "@/lib/api-keys/rules";
import type { Role } from "@/lib/authz/roles";

export type ApiResponseSpec = { description: string; schema: z.ZodType };

export type ApiOperation = {
  operationId: string;
  method: "get" | "post";
  /** Under /api/v1, with `{teamSlug}` and the other path parameters in braces. */
  path: `/teams/{teamSlug}${string}`;
  summary: string;
  description: string;
  tag: string;
  /** The least role the caller (or the key, which acts as a member at most) needs. */
  role: Role;
  /** The scope a key needs; null when any key of the team may call it. */
  scope: ApiScope | null;
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: z.ZodType;
  /** The largest body it reads, in bytes (DEFAULT_BODY_LIMIT when not set); larger is refused with 413. */
  maxBodyBytes?: number;
  /** The answers that are not errors, by status; errors are problem details. */
  responses: Record<number, ApiResponseSpec>;
  /**
   * Sent again with its Idempotency-Key after a lost connection, it cannot happen twice: every change carries the
   * request's key or the caller's own ids (admissions, settles, releases, approval requests, usage events, app runs).
   * That failure is answered "send again".
   */
  resendSafe?: boolean;
  /** A POST that changes nothing (an estimate): any resend is harmless, with a key or without. */
  readOnly?: boolean;
};

/** Requests per key per minute unless the deployment sets API_RATE_LIMIT_PER_MINUTE. */
export const DEFAULT_RATE_LIMIT_PER_MINUTE = 1_200;

/** Enough for any one run, approval or estimate with a 4,000-character prompt written in any script. */
export const DEFAULT_BODY_LIMIT = 1024 * 1024;

export function bodyLimit(operation: ApiOperation): number {
  return operation.maxBodyBytes ?? DEFAULT_BODY_LIMIT;
}

export function formatBytes(bytes: number): string {
  return bytes % (1024 * 1024) === 0 ? `${bytes / 1024 / 1024} MiB` : `${Math.round(bytes / 1024)} KiB`;
}

export function defineOperation<const O extends ApiOperation>(operation: O): O {
  return operation;
}

type Out<S> = S extends z.ZodType ? z.output<S> : Record<string, never>;

/** What a handler receives, parsed and checked. */
export type OperationInput<O extends ApiOperation> = { params: Out<O["params"]>; query: Out<O["query"]>; body: Out<O["body"]> };
