// Cross-site request refusal for route handlers that a session cookie signs in: what another site's page can make a browser send.

const SAFE_METHODS = new Set(["GET", "HEAD"]);

/**
 * Why this request must be refused as cross-site, or null. Reads (GET, HEAD)
 * pass: the browser keeps another site from seeing the answer. Anything else
 * must come from a page of this site: its Origin names our host. Browsers send
 * Origin on every cross-site POST, PUT, PATCH and DELETE, and Sec-Fetch-Site on
 * every request, so a request with neither was not sent by a browser on
 * another site's behalf (a script, curl): it passes, and its credentials alone decide.
 */
export function crossSiteRefusal(request: Request, env: Record<string, string | undefined> = process.env): string | null {
  if (SAFE_METHODS.has(request.method.toUpperCase())) return null;
  const origin = request.headers.get("origin");
  if (origin !== null) {
    return ownHosts(request.headers, env).has(hostOf(origin) ?? "") ? null : "This request came from another site, so it was refused.";
  }
  const site = request.headers.get("sec-fetch-site");
  if (site !== null && site !== "same-origin" && site !== "none") return "This request came from another site, so it was refused.";
  return null;
}

function hostOf(url: string): string | null {
  try {
    const { protocol, host } = new URL(url);
    return protocol === "http:" || protocol === "https:" ? host.toLowerCase() : null;
  } catch {
    return null; // "null" (sandboxed frames, file:) and anything unparsable
  }
}

/** The host this app answers on: APP_URL's, and what the browser (or our proxy) says it asked for. */
function ownHosts(headers: Headers, env: Record<string, string | undefined>): Set<string> {
  const hosts = new Set<string>();
  const appHost = env.APP_URL ? hostOf(env.APP_URL) : null;
  if (appHost) hosts.add(appHost);
  // A page on another site cannot set Host or X-Forwarded-Host on the request it makes the browser send.
  const forwarded = headers.get("x-forwarded-host")?.split(",")[0]?.trim();
  if (forwarded) hosts.add(forwarded.toLowerCase());
  const host = headers.get("host");
  if (host) hosts.add(host.toLowerCase());
  return hosts;
}
