// GET /api/v1/openapi.json — the API's OpenAPI 3.1 document, generated from the handlers' zod schemas. Public: it holds no team data.
import { openApiDocument } from "@/lib/api/openapi";

let document: string | undefined;

export function GET(): Response {
  document ??= JSON.stringify(openApiDocument(), null, 2);
  return new Response(document, { headers: { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "public, max-age=300" } });
}
