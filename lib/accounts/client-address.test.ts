// Which address the per-address sign-in limit counts.
import { describe, expect, it } from "vitest";
import { clientAddress } from "./sign-in";

const headers = (forwarded?: string) => new Headers(forwarded === undefined ? {} : { "x-forwarded-for": forwarded });

describe("clientAddress", () => {
  it("takes the address the nearest hop appended, not the one the client claims", () => {
    expect(clientAddress(headers("1.1.1.1, 203.0.113.7"), {})).toBe("203.0.113.7");
    expect(clientAddress(headers("203.0.113.7"), {})).toBe("203.0.113.7");
  });

  it("skips the proxies the deployment trusts", () => {
    expect(clientAddress(headers("spoofed, 198.51.100.4, 10.0.0.2"), { TRUSTED_PROXY_HOPS: "1" })).toBe("198.51.100.4");
    expect(clientAddress(headers("198.51.100.4"), { TRUSTED_PROXY_HOPS: "5" })).toBe("198.51.100.4");
  });

  it("falls back to X-Real-IP, then to one shared bucket", () => {
    expect(clientAddress(new Headers({ "x-real-ip": "192.0.2.9" }), {})).toBe("192.0.2.9");
    expect(clientAddress(headers(), {})).toBe("unknown");
  });
});
