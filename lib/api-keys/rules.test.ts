import { describe, expect, it } from "vitest";
import { API_KEY_PREFIX, apiKeyState, hashApiKey, keyMatches, keyRole, newApiKeySecret, readBearerKey, scopeAllows } from "./rules";

describe("API key secrets", () => {
  it("start with the recognizable prefix, are never the same twice, and are stored only as their hash", () => {
    const a = newApiKeySecret();
    const b = newApiKeySecret();
    expect(a.secret.startsWith(API_KEY_PREFIX)).toBe(true);
    expect(a.secret).toHaveLength(47);
    expect(a.secret).not.toBe(b.secret);
    expect(a.hash).toBe(hashApiKey(a.secret));
    expect(a.hash).not.toContain(a.secret.slice(4));
    expect(a.shown).toBe(a.secret.slice(0, 12));
    expect(keyMatches(a.secret, a.hash)).toBe(true);
    expect(keyMatches(b.secret, a.hash)).toBe(false);
    expect(keyMatches(a.secret, "not-hex")).toBe(false);
  });

  it("are read from a bearer header only when they have a key's form", () => {
    const { secret } = newApiKeySecret();
    expect(readBearerKey(`Bearer ${secret}`)).toBe(secret);
    expect(readBearerKey(`bearer ${secret}`)).toBe(secret);
    expect(readBearerKey(null)).toBeNull();
    expect(readBearerKey(`Basic ${secret}`)).toBeNull();
    expect(readBearerKey(`Bearer ${secret}x`)).toBeNull();
    expect(readBearerKey("Bearer cwk_short")).toBeNull();
    expect(readBearerKey(`Bearer ${secret} ${secret}`)).toBeNull();
  });
});

describe("what a key may do", () => {
  it("acts as a member at most, and never above its creator's role today", () => {
    expect(keyRole("owner")).toBe("member");
    expect(keyRole("admin")).toBe("member");
    expect(keyRole("approver")).toBe("member");
    expect(keyRole("member")).toBe("member");
    expect(keyRole("viewer")).toBe("viewer");
    // A creator who left the team leaves keys that can do nothing.
    expect(keyRole(null)).toBeNull();
  });

  it("needs the scope a route asks for", () => {
    expect(scopeAllows(["estimate", "usage:read"], "usage:read")).toBe(true);
    expect(scopeAllows(["estimate"], "runs:write")).toBe(false);
    expect(scopeAllows([], "estimate")).toBe(false);
  });
});

describe("a key's state", () => {
  const now = new Date("2026-12-06T12:00:00Z");
  it("is active until its expiry, expired from that instant, and revoked once revoked, whatever its expiry", () => {
    expect(apiKeyState({ revokedAt: null, expiresAt: null }, now)).toBe("active");
    expect(apiKeyState({ revokedAt: null, expiresAt: new Date("2026-12-06T12:00:01Z") }, now)).toBe("active");
    expect(apiKeyState({ revokedAt: null, expiresAt: now }, now)).toBe("expired");
    expect(apiKeyState({ revokedAt: new Date("2026-12-01T00:00:00Z"), expiresAt: new Date("2026-11-30T00:00:00Z") }, now)).toBe("revoked");
  });
});
