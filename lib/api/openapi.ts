// The OpenAPI 3.1 document of the public API, generated from the operations' zod schemas (never written by hand).
import { z } from "zod";
import { UNAVAILABLE_RETRY_AFTER_SECONDS } from "@/lib/db/errors";
import { formatNumber } from "@/lib/format";
import { createDocument, type ZodOpenApiOperationObject, type ZodOpenApiPathsObject } from "zod-openapi";
import { API_SCOPES, SCOPE_LABELS } from "@/lib/api-keys/rules";
import { bodyLimit, DEFAULT_RATE_LIMIT_PER_MINUTE, formatBytes, type ApiOperation } from "./operation";
import { API_OPERATIONS } from "./operations";
import { teamSlugParam } from "./operations/common";
import { PROBLEM_CONTENT_TYPE, problemBody, problemSchema, type ProblemCode, type ProblemField } from "./problem";

export const API_VERSION = "1.0.0";

const ERRORS_OF_EVERY_CALL: Record<number, string> = {
  400: "The input is not valid: `errors` lists each field at fault.",
  401: "No key or session, or the key is unknown, revoked or expired.",
  403: "The key lacks the scope or the role, or is limited to another project.",
  404: "No such team for this key or person, or no such item in it.",
  429: "Too many requests for this key: wait `Retry-After` seconds.",
  500: "Something went wrong on our side: send again.",
  503: "The database could not be reached (a restart, a failover). `unavailable`: nothing was done, or a resend with the same Idempotency-Key cannot do it twice — send again after `Retry-After` seconds. `outcome_unknown` (no `Retry-After`): a write without an Idempotency-Key was cut off after it began — look whether it was done before sending it again.",
};

const ERRORS_OF_WRITES: Record<number, string> = {
  409: "A conflict with the data's state (e.g. the run is no longer held), or a request with this Idempotency-Key is still being answered.",
  413: "The body is over the operation's limit (see its description).",
  422: "This Idempotency-Key was used for a different request.",
};

/** What each error looks like, for the reference's examples. */
const PROBLEM_EXAMPLES: Record<number, [ProblemCode, string, ProblemField[]?]> = {
  400: ["invalid", "Some fields need attention; each is listed under `errors`.", [{ field: "quantity", in: "body", message: "Use a number of at least 1." }]],
  401: ["unauthenticated", "This API key was revoked. Ask an admin of the team for a new one."],
  403: ["forbidden", "This API key lacks the “runs:write” scope. An admin can make a key that has it."],
  404: ["not_found", "No such team, or this key is not one of its keys."],
  409: ["conflict", "This run is no longer held: it was settled or released already."],
  413: ["payload_too_large", "The request body is over {limit}, this operation's limit. Send fewer or shorter items per request."],
  422: ["idempotency_key_reused", "This Idempotency-Key was already used for a different request. Use a new key for a new request."],
  429: ["rate_limited", "This key sent more than 1,200 requests in a minute. Wait 23 s and send again."],
  500: ["unexpected", "Something went wrong on our side. Send the request again; with the same Idempotency-Key it cannot run twice."],
  503: ["unavailable", `The database could not be reached just now. Send the request again in ${UNAVAILABLE_RETRY_AFTER_SECONDS} s; with the same Idempotency-Key it cannot run twice.`],
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
    const [code, detail, fields] = PROBLEM_EXAMPLES[Number(status)];
    const example = problemBody(code, detail.replace("{limit}", formatBytes(bodyLimit(operation))), fields);
    responses[status] = { description, content: { [PROBLEM_CONTENT_TYPE]: { schema: problemSchema, example } } };
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
          "Ask Creditwise before spending credits and report what was spent: estimate, admission (check and hold), settle, release, approvals, usage, batches and apps, for one team.\n\n" +
          "Authenticate with a team API key (`Authorization: Bearer cwk_…`; an admin makes one under the team's Settings → API keys), or with the browser session. " +
          "Every write takes an `Idempotency-Key` header: a retry gets the first answer again (marked `Idempotent-Replayed: true`), the same key with another body is refused (422), and a retry while the first is still running is told to wait (409 with `Retry-After`). " +
          "Errors are `application/problem+json` (RFC 9457) with a machine `code` and, for bad input, each field under `errors`. " +
          `Each key may send ${formatNumber(DEFAULT_RATE_LIMIT_PER_MINUTE)} requests a minute (the deployment may set another figure); every answer to a key carries \`RateLimit-Policy\` and \`RateLimit\` headers, and past the limit it gets 429 with \`Retry-After\`.\n\n` +
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
