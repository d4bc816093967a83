// The security headers: what the page policy allows and forbids, and the headers on every response.
import { describe, expect, it } from "vitest";
import { API_CONTENT_SECURITY_POLICY, newNonce, oauthFormTargets, pageContentSecurityPolicy, securityHeaders } from "./headers";

function directives(policy: string): Map<string, string[]> {
  return new Map(
    policy.split(";").map((part) => {
      const [name, ...values] = part.trim().split(/\s+/);
      return [name, values] as const;
    }),
  );
}

describe("pageContentSecurityPolicy", () => {
  const production = directives(pageContentSecurityPolicy({ nonce: "abc123==", dev: false, https: true }));

  it("runs only scripts that carry the request's nonce, or that such a script loads", () => {
    expect(production.get("script-src")).toEqual(["'self'", "'nonce-abc123=='", "'strict-dynamic'"]);
    expect(production.get("script-src")).not.toContain("'unsafe-inline'");
    expect(production.get("script-src")).not.toContain("'unsafe-eval'");
    expect(production.get("object-src")).toEqual(["'none'"]);
    expect(production.get("base-uri")).toEqual(["'self'"]);
    expect(production.get("default-src")).toEqual(["'self'"]);
  });

  it("forbids every frame around the app and keeps forms on the site", () => {
    expect(production.get("frame-ancestors")).toEqual(["'none'"]);
    expect(production.get("form-action")).toEqual(["'self'"]);
  });

  it("lets development's eval through, and upgrades requests only on a page that came over HTTPS", () => {
    const dev = directives(pageContentSecurityPolicy({ nonce: "n", dev: true, https: false }));
    expect(dev.get("script-src")).toContain("'unsafe-eval'");
    expect(dev.has("upgrade-insecure-requests")).toBe(false);
    expect(production.has("upgrade-insecure-requests")).toBe(true);
  });

  it("lets a sign-in form go on to the OAuth providers that are switched on, and no others", () => {
    const both = directives(pageContentSecurityPolicy({ nonce: "n", dev: false, https: true, formTargets: oauthFormTargets(["github", "google"]) }));
    expect(both.get("form-action")).toEqual(["'self'", "https://github.com", "https://accounts.google.com"]);
    expect(oauthFormTargets([])).toEqual([]);
  });
});

describe("newNonce", () => {
  it("is fresh, 128 bits and base64", () => {
    const nonces = new Set(Array.from({ length: 100 }, () => newNonce()));
    expect(nonces.size).toBe(100);
    for (const nonce of nonces) {
      expect(nonce).toMatch(/^[A-Za-z0-9+/]{22}==$/);
      expect(atob(nonce)).toHaveLength(16);
    }
  });
});

describe("securityHeaders", () => {
  const asMap = (production: boolean) => new Map(securityHeaders({ production }).map(({ key, value }) => [key, value]));

  it("sends nosniff, a same-origin referrer, no framing, and HSTS in production only", () => {
    const production = asMap(true);
    expect(production.get("X-Content-Type-Options")).toBe("nosniff");
    expect(production.get("Referrer-Policy")).toBe("same-origin");
    expect(production.get("X-Frame-Options")).toBe("DENY");
    expect(production.get("Strict-Transport-Security")).toMatch(/^max-age=\d{8,}; includeSubDomains$/);
    expect(asMap(false).has("Strict-Transport-Security")).toBe(false);
  });

  it("gives API responses a policy under which nothing runs or frames them", () => {
    expect(directives(API_CONTENT_SECURITY_POLICY).get("default-src")).toEqual(["'none'"]);
    expect(directives(API_CONTENT_SECURITY_POLICY).get("frame-ancestors")).toEqual(["'none'"]);
  });
});
