// The address a page was asked for, handed from the proxy to page guards so sign-in can bring the person back to it.

/** Set by proxy.ts on every page request (overwriting anything a client sent). */
export const REQUESTED_PATH_HEADER = "x-creditwise-path";

/** Path and query of a page request, without Next's own `_rsc` cache-buster. */
export function requestedPath(url: URL): string {
  const search = new URLSearchParams(url.search);
  search.delete("_rsc");
  const query = search.toString();
  return query ? `${url.pathname}?${query}` : url.pathname;
}
