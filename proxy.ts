// Runs before every page: a fresh CSP nonce for Next's scripts, and the requested address for the sign-in redirect.
import { NextResponse, type NextRequest } from "next/server";
import { oauthProviders } from "@/lib/accounts/oauth";
import { REQUESTED_PATH_HEADER, requestedPath } from "@/lib/authz/requested-path";
import { newNonce, oauthFormTargets, pageContentSecurityPolicy } from "@/lib/security/headers";

export function proxy(request: NextRequest) {
  const policy = pageContentSecurityPolicy({
    nonce: newNonce(),
    dev: process.env.NODE_ENV === "development",
    https: request.nextUrl.protocol === "https:",
    formTargets: oauthFormTargets(oauthProviders()),
  });
  const requestHeaders = new Headers(request.headers);
  // Next reads the nonce from the request's policy and puts it on every script it renders.
  requestHeaders.set("content-security-policy", policy);
  requestHeaders.set(REQUESTED_PATH_HEADER, requestedPath(request.nextUrl));
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("Content-Security-Policy", policy);
  return response;
}

export const config = {
  // Pages only: the API answers JSON under its own policy (next.config.ts), and static files need none.
  matcher: ["/((?!api/|_next/static/|_next/image|favicon.ico).*)"],
};
