// Any other address under /api/v1: a problem (RFC 9457) that points to the reference, rather than the app's HTML 404 page.
import { problemResponse } from "@/lib/api/problem";

function notAnOperation(request: Request): Response {
  const { pathname } = new URL(request.url);
  return problemResponse("not_found", `${request.method} ${pathname} is not an operation of the API; the reference at /docs/api lists them.`);
}

export const GET = notAnOperation;
export const POST = notAnOperation;
export const PUT = notAnOperation;
export const PATCH = notAnOperation;
export const DELETE = notAnOperation;
