// Which address the per-address limits (sign-in, sign-up) count.
import { describe, expect, it } from "vitest";
import { UNTRUSTED_ADDRESS, clientAddress } from "./client-address";

const headers = (forwarded?: string, extra: Record<string, string> = {}) =>
  new Headers(forwarded === undefined ? extra : { "x-forwarded-for": forwarded, ...extra });

describe("clientAddress", () => {
  it("behind one proxy takes the rightmost entry: the address that proxy saw, never what the client wrote", () => {
    const one = { TRUSTED_PROXY_HOPS: "1" };
    // Next does not append to X-Forwarded-For, so the proxy's entry is the last one.
    expect(clientAddress(headers("1.1.1.1, 203.0.113.7"), one)).toBe("203.0.113.7");
    expect(clientAddress(headers("203.0.113.7"), one)).toBe("203.0.113.7");
    // A client that writes a header of its own cannot pick its bucket.
    expect(clientAddress(headers("10.9.9.9, 198.51.100.4"), one)).toBe("198.51.100.4");
    expect(clientAddress(headers("10.9.9.8, 198.51.100.4"), one)).toBe("198.51.100.4");
  });

  it("behind N proxies takes the N-th entry from the right", () => {
    expect(clientAddress(headers("spoofed, 198.51.100.4, 10.0.0.2"), { TRUSTED_PROXY_HOPS: "2" })).toBe("198.51.100.4");
    expect(clientAddress(headers("a, b, 198.51.100.4, 10.0.0.3, 10.0.0.2"), { TRUSTED_PROXY_HOPS: "3" })).toBe("198.51.100.4");
  });

  it("takes the leftmost entry when fewer proxies wrote than the deployment trusts", () => {
    expect(clientAddress(headers("198.51.100.4"), { TRUSTED_PROXY_HOPS: "5" })).toBe("198.51.100.4");
    expect(clientAddress(headers(" 198.51.100.4 ,10.0.0.2"), { TRUSTED_PROXY_HOPS: "3" })).toBe("198.51.100.4");
  });

  it("with no trusted proxy (the default) counts the address Next filled in from the socket, the rightmost entry", () => {
    expect(clientAddress(headers("203.0.113.7"), {})).toBe("203.0.113.7");
    expect(clientAddress(headers("1.1.1.1, 203.0.113.7"), { TRUSTED_PROXY_HOPS: "0" })).toBe("203.0.113.7");
    expect(clientAddress(headers(undefined, { "x-real-ip": "192.0.2.9" }), {})).toBe(UNTRUSTED_ADDRESS);
    expect(clientAddress(headers("203.0.113.7"), { TRUSTED_PROXY_HOPS: "nonsense" })).toBe("203.0.113.7");
    expect(clientAddress(headers("203.0.113.7"), { TRUSTED_PROXY_HOPS: "-2" })).toBe("203.0.113.7");
  });

  it("shares one bucket when a trusted proxy sent no address, and ignores X-Real-IP, which a client can write", () => {
    expect(clientAddress(headers(), { TRUSTED_PROXY_HOPS: "1" })).toBe(UNTRUSTED_ADDRESS);
    expect(clientAddress(headers(" , "), { TRUSTED_PROXY_HOPS: "1" })).toBe(UNTRUSTED_ADDRESS);
    expect(clientAddress(headers(undefined, { "x-real-ip": "192.0.2.9" }), { TRUSTED_PROXY_HOPS: "1" })).toBe(UNTRUSTED_ADDRESS);
  });
});
