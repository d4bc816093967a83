// The client address the per-address rate limits count, read from X-Forwarded-For as far as the deployment trusts it.

/** The one bucket every client shares when no address can be trusted. */
export const UNTRUSTED_ADDRESS = "untrusted";

/**
 * Next never appends to X-Forwarded-For: it fills the header with the socket's
 * address only when the request has none, and a client may send any value.
 * Each proxy of ours appends the address it saw, so behind N trusted proxies
 * the client is the N-th entry from the right; everything left of it is the
 * client's own claim. With no trusted proxy (TRUSTED_PROXY_HOPS=0, the default)
 * nothing in the header can be told from a claim, and route handlers and server
 * actions have no socket address, so every client counts as one: the limit then
 * guards the whole instance rather than letting anyone name a fresh address per try.
 */
export function clientAddress(headers: Headers, env: Record<string, string | undefined> = process.env): string {
  const hops = trustedProxyHops(env);
  if (hops === 0) return UNTRUSTED_ADDRESS;
  const entries = (headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
  if (entries.length === 0) return UNTRUSTED_ADDRESS;
  // Fewer entries than proxies: every entry was written by a proxy of ours; the leftmost saw the client.
  return entries[Math.max(0, entries.length - hops)];
}

export function trustedProxyHops(env: Record<string, string | undefined>): number {
  const hops = Number.parseInt(env.TRUSTED_PROXY_HOPS ?? "0", 10);
  return Number.isFinite(hops) && hops > 0 ? hops : 0;
}
