// The proxy in front of every page: a fresh nonce in the policy Next reads, and the requested address for sign-in.
import { NextRequest } from "next/server";
import { unstable_doesMiddlewareMatch } from "next/experimental/testing/server";
import { describe, expect, it } from "vitest";
import { REQUESTED_PATH_HEADER } from "@/lib/authz/requested-path";
import { config, proxy } from "./proxy";

/** A request header the proxy hands on to the page (Next carries them as x-middleware-request-*). */
const forwarded = (response: Response, name: string) => response.headers.get(`x-middleware-request-${name}`);

describe("proxy", () => {
  it("puts one fresh nonce in the policy of the response and of the request Next renders", () => {
    const first = proxy(new NextRequest("http://localhost:3000/t/x"));
    const second = proxy(new NextRequest("http://localhost:3000/t/x"));
    const policy = first.headers.get("content-security-policy")!;
    const nonce = /'nonce-([^']+)'/.exec(policy)?.[1];
    expect(nonce).toBeTruthy();
    expect(forwarded(first, "content-security-policy")).toBe(policy);
    expect(policy).toContain("frame-ancestors 'none'");
    expect(second.headers.get("content-security-policy")).not.toContain(nonce);
  });

  it("hands the page its full address, without Next's _rsc marker, whatever the client claimed", () => {
    const request = new NextRequest("http://localhost:3000/t/x/projects/ck1?kind=charge&_rsc=1x2y", {
      headers: { [REQUESTED_PATH_HEADER]: "//evil.com" },
    });
    expect(forwarded(proxy(request), REQUESTED_PATH_HEADER)).toBe("/t/x/projects/ck1?kind=charge");
    expect(forwarded(proxy(new NextRequest("http://localhost:3000/t/x/pricing")), REQUESTED_PATH_HEADER)).toBe("/t/x/pricing");
  });

  it("runs for pages, not for the API or static files", () => {
    const matches = (url: string) => unstable_doesMiddlewareMatch({ config, url });
    for (const page of ["/", "/sign-in?next=%2Ft%2Fx", "/t/x/pricing", "/account"]) expect(matches(page), page).toBe(true);
    for (const other of ["/api/v1/teams/x/projects", "/api/auth/session", "/_next/static/chunks/a.js", "/favicon.ico"]) {
      expect(matches(other), other).toBe(false);
    }
  });
});
