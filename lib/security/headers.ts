// Security headers: the Content-Security-Policy of pages (with a per-request nonce) and the headers every response carries.

export type PagePolicyOptions = {
  /** Fresh for every request; Next puts it on its own inline and bundled scripts. */
  nonce: string;
  /** `next dev`: React rebuilds server error stacks with eval. */
  dev: boolean;
  /** The page was requested over HTTPS (directly or through a proxy that says so). */
  https: boolean;
  /** Sign-in sites a form may post or redirect to (GitHub's, Google's), besides this one. */
  formTargets?: string[];
};

/**
 * Scripts run only when they carry this request's nonce or are loaded by one that
 * does ('strict-dynamic'), so neither an injected inline script nor one from
 * another site runs. Nobody may frame the app. Styles stay open to inline
 * attributes: React's style props and charts need them, and a style cannot run code.
 */
export function pageContentSecurityPolicy({ nonce, dev, https, formTargets = [] }: PagePolicyOptions): string {
  const directives = [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' blob: data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    ["form-action 'self'", ...formTargets].join(" "),
    "frame-ancestors 'none'",
  ];
  // Only where the page itself came over HTTPS: a local http://localhost start has nothing to upgrade to.
  if (https) directives.push("upgrade-insecure-requests");
  return directives.join("; ");
}

/** JSON and files from the API: nothing in them may run, load or be framed. */
export const API_CONTENT_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'";

export type Header = { key: string; value: string };

/** Headers for every response, pages, API and static files alike. */
export function securityHeaders({ production }: { production: boolean }): Header[] {
  const headers: Header[] = [
    { key: "X-Content-Type-Options", value: "nosniff" },
    // Invitation links carry their token in the path: no other site ever sees one.
    { key: "Referrer-Policy", value: "same-origin" },
    // For browsers without CSP's frame-ancestors.
    { key: "X-Frame-Options", value: "DENY" },
    { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=()" },
  ];
  // Browsers ignore it over plain HTTP, and in development it would pin localhost to HTTPS for two years.
  if (production) headers.push({ key: "Strict-Transport-Security", value: "max-age=63072000; includeSubDomains" });
  return headers;
}

/** The OAuth sign-in pages a form may be sent on to, for the providers that are switched on. */
export function oauthFormTargets(providers: readonly ("github" | "google")[]): string[] {
  return providers.map((provider) => (provider === "github" ? "https://github.com" : "https://accounts.google.com"));
}

/** A nonce of 128 random bits, base64 as CSP expects. */
export function newNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes));
}
