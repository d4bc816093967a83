// The client address the per-address rate limits count, read from X-Forwarded-For as far as the deployment trusts it.

/** The address counted when the request names none at all. */
export const UNTRUSTED_ADDRESS = "untrusted";

/**
 * Next never appends to X-Forwarded-For: it fills the header with the socket's
 * address only when the request has none, and a client may send any value.
 * Each proxy of ours appends the address it saw, so behind N trusted proxies
 * the client is the N-th entry from the right; everything left of it is the
 * client's own claim. With no trusted proxy (TRUSTED_PROXY_HOPS=0, the default)
 * the rightmost entry is the socket's address for a client that sent no header,
 * and whatever a client wrote if it did: the per-address limits then stop honest
 * mistakes, while the per-email limit and the whole-app limits (rate-limit.ts)
 * bound what a client naming fresh addresses can do. Locking every client into one
 * bucket instead would let one person's wrong passwords lock everyone out.
 */
export function clientAddress(headers: Headers, env: Record<string, string | undefined> = process.env): string {
  const hops = trustedProxyHops(env);
  const entries = (headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
  if (entries.length === 0) return UNTRUSTED_ADDRESS;
  // Fewer entries than proxies: every entry was written by a proxy of ours; the leftmost saw the client.
  return entries[Math.max(0, entries.length - Math.max(hops, 1))];
}

export function trustedProxyHops(env: Record<string, string | undefined>): number {
  const hops = Number.parseInt(env.TRUSTED_PROXY_HOPS ?? "0", 10);
  return Number.isFinite(hops) && hops > 0 ? hops : 0;
}
