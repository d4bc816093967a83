// Session versions in the token: only the server's proof moves a live token to a new version.
import { describe, expect, it } from "vitest";
import { applySessionUpdate, authSecret, sessionVersionUpdate, tokenVersion } from "./session-token";

const SECRET = "test-secret-of-enough-length";

describe("session version updates", () => {
  const token = { uid: "user-1", sv: 0, name: "Ada" };

  it("takes a new version with the server's proof for this user and version", () => {
    const updated = applySessionUpdate(token, sessionVersionUpdate("user-1", 3, SECRET), SECRET);
    expect(updated).toEqual({ uid: "user-1", sv: 3, name: "Ada" });
    expect(tokenVersion(updated)).toBe(3);
  });

  it("ignores an update anyone else could have written", () => {
    const forged = [
      undefined,
      null,
      "3",
      { sessionVersion: 3 },
      { sessionVersion: 3, proof: "" },
      { sessionVersion: 3, proof: "not-a-proof" },
      { ...sessionVersionUpdate("user-1", 3, "another secret"), sessionVersion: 3 },
      { ...sessionVersionUpdate("user-2", 3, SECRET) }, // someone else's proof
      { sessionVersion: 4, proof: sessionVersionUpdate("user-1", 3, SECRET).proof }, // another version
      { sessionVersion: 3.5, proof: sessionVersionUpdate("user-1", 3, SECRET).proof },
    ];
    for (const update of forged) expect(applySessionUpdate(token, update, SECRET), JSON.stringify(update)).toBe(token);
    expect(applySessionUpdate({ sv: 0 }, sessionVersionUpdate("user-1", 3, SECRET), SECRET)).toEqual({ sv: 0 });
  });

  it("reads tokens from before session versions as version 0", () => {
    expect(tokenVersion({ uid: "u" })).toBe(0);
    expect(tokenVersion({ uid: "u", sv: "2" })).toBe(0);
    expect(tokenVersion({ uid: "u", sv: 2 })).toBe(2);
  });

  it("needs AUTH_SECRET", () => {
    expect(authSecret({ AUTH_SECRET: "s" })).toBe("s");
    expect(() => authSecret({})).toThrow(/AUTH_SECRET/);
  });
});
