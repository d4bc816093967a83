// The OpenAPI 3.1 document of the public API, generated from the operations' zod schemas (never written by hand).
import { z } from "zod";
import { createDocument, type ZodOpenApiOperationObject, type ZodOpenApiPathsObject } from "zod-openapi";
import { API_SCOPES, SCOPE_LABELS } from "@/lib/api-keys/rules";
import { bodyLimit, formatBytes, type ApiOperation } from "./operation";
import { API_OPERATIONS } from "./operations";
import { teamSlugParam } from "./operations/common";
import { PROBLEM_CONTENT_TYPE, problemSchema } from "./problem";

export const API_VERSION = "1.0.0";

const ERRORS_OF_EVERY_CALL: Record<number, string> = {
  400: "The input is not valid: `errors` lists each field at fault.",
  401: "No key or session, or the key is unknown, revoked or expired.",
  403: "The key lacks the scope or the role, or is limited to another project.",
  404: "No such team for this key or person, or no such item in it.",
  429: "Too many requests for this key: wait `Retry-After` seconds.",
  500: "Something went wrong on our side: send again.",
};

const ERRORS_OF_WRITES: Record<number, string> = {
  409: "A conflict with the data's state (e.g. the run is no longer held), or a request with this Idempotency-Key is still being answered.",
  413: "The body is over the operation's limit (see its description).",
  422: "This Idempotency-Key was used for a different request.",
};

const idempotencyHeader = z
  .string()
  .max(200)
  .meta({
    description: "Any unique string (a UUID): a retry with the same key gets the first answer, and the write happens once. Kept for 7 days.",
    example: "3f1c2b9e-8d2a-4d8e-9a51-1f2e5c7d9b10",
  });

function operationObject(operation: ApiOperation): ZodOpenApiOperationObject {
  const errors = { ...ERRORS_OF_EVERY_CALL, ...(operation.method === "post" ? ERRORS_OF_WRITES : {}) };
  const responses: Record<string, unknown> = {};
  for (const [status, spec] of Object.entries(operation.responses)) {
    responses[status] = { description: spec.description, content: { "application/json": { schema: spec.schema } } };
  }
  for (const [status, description] of Object.entries(errors)) {
    responses[status] = { description, content: { [PROBLEM_CONTENT_TYPE]: { schema: problemSchema } } };
  }
  const scope = operation.scope ? `Needs the \`${operation.scope}\` scope` : "Any key of the team may call it";
  return {
    operationId: operation.operationId,
    summary: operation.summary,
    description: `${operation.description}\n\n${scope}; the ${operation.role} role or higher when called signed in.${operation.method === "post" ? ` The body may be up to ${formatBytes(bodyLimit(operation))}.` : ""}`,
    tags: [operation.tag],
    "x-creditwise-scope": operation.scope,
    "x-creditwise-role": operation.role,
    ...(operation.method === "post" ? { "x-creditwise-max-body-bytes": bodyLimit(operation) } : {}),
    requestParams: {
      path: (operation.params ?? z.object({})).extend({ teamSlug: teamSlugParam }),
      ...(operation.query ? { query: operation.query } : {}),
      ...(operation.method === "post" ? { header: z.object({ "Idempotency-Key": idempotencyHeader.optional() }) } : {}),
    },
    ...(operation.body ? { requestBody: { required: true, content: { "application/json": { schema: operation.body } } } } : {}),
    responses,
  } as ZodOpenApiOperationObject;
}

export function openApiDocument(operations: readonly ApiOperation[] = API_OPERATIONS) {
  const paths: ZodOpenApiPathsObject = {};
  for (const operation of operations) {
    paths[operation.path] = { ...paths[operation.path], [operation.method]: operationObject(operation) };
  }
  return createDocument(
    {
      openapi: "3.1.0",
      info: {
        title: "Creditwise API",
        version: API_VERSION,
        description:
          "Ask Creditwise before spending credits and report what was spent: estimate, admission (check and hold), settle, release, approvals, usage and batches, for one team.\n\n" +
          "Authenticate with a team API key (`Authorization: Bearer cwk_…`; an admin makes one under the team's Settings → API keys), or with the browser session. " +
          "Every write takes an `Idempotency-Key` header. Errors are `application/problem+json` (RFC 9457) with a machine `code`.\n\n" +
          `Scopes: ${API_SCOPES.map((scope) => `\`${scope}\` — ${SCOPE_LABELS[scope]}`).join("; ")}.`,
      },
      servers: [{ url: "/api/v1", description: "This Creditwise" }],
      security: [{ apiKey: [] }, { session: [] }],
      components: {
        securitySchemes: {
          apiKey: { type: "http", scheme: "bearer", bearerFormat: "cwk_…", description: "A team API key." },
          session: { type: "apiKey", in: "cookie", name: "authjs.session-token", description: "The browser session of a signed-in person." },
        },
      },
      paths,
    },
    {
      // zod writes a whole number's implicit bounds (±2^53−1) into the schema; a reader shows them as examples.
      override: ({ jsonSchema }) => {
        if (jsonSchema.minimum === Number.MIN_SAFE_INTEGER) delete jsonSchema.minimum;
        if (jsonSchema.maximum === Number.MAX_SAFE_INTEGER) delete jsonSchema.maximum;
      },
    },
  );
}
