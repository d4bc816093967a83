// Where a person goes after signing in: only ever a path of this site, whatever `next` says.
import { describe, expect, it } from "vitest";
import { safeNextPath, signInPath } from "./schema";

describe("safeNextPath", () => {
  it("keeps a same-site path with its query and fragment", () => {
    expect(safeNextPath("/t/northwind/pricing")).toBe("/t/northwind/pricing");
    expect(safeNextPath("/t/x/projects/ckabc123?kind=charge&page=2#ledger")).toBe("/t/x/projects/ckabc123?kind=charge&page=2#ledger");
    expect(safeNextPath("/invite/abc-DEF_123")).toBe("/invite/abc-DEF_123");
  });

  it("never leaves the site, however the address is dressed up", () => {
    const offSite = [
      "/\t/evil.com", // what `?next=/%09/evil.com` decodes to: browsers drop the tab and read //evil.com
      "/%09/evil.com".replace("%09", "\t"),
      "/\n/evil.com",
      "/\r\n/evil.com",
      "//evil.com",
      "///evil.com",
      "/\\evil.com",
      "/\\/evil.com",
      "\\\\evil.com",
      "https://evil.com",
      "https://evil.com/t/x",
      "HTTPS://evil.com",
      "http:evil.com",
      "//evil.com/%2F..",
      "/.//evil.com",
      "/..//evil.com",
      "javascript:alert(1)",
      "JaVaScRiPt:alert(1)",
      "data:text/html,<script>alert(1)</script>",
      " //evil.com",
      "\t//evil.com",
      "//evil.com\\@creditwise.test",
      "https://creditwise.invalid@evil.com/",
    ];
    for (const next of offSite) {
      const path = safeNextPath(next);
      expect(path, JSON.stringify(next)).toMatch(/^\/(?![/\\])/);
      expect(new URL(path, "https://creditwise.test").host, JSON.stringify(next)).toBe("creditwise.test");
    }
    expect(safeNextPath("/\t/evil.com")).toBe("/");
    // A repeated parameter arrives as a list; anything not text is no path.
    expect(safeNextPath(["/t/a/pricing", "//evil.com"])).toBe("/t/a/pricing");
    expect(safeNextPath(["//evil.com", "/t/a"])).toBe("/");
    expect(safeNextPath({ toString: () => "/t/a" })).toBe("/");
    expect(safeNextPath("//evil.com")).toBe("/");
    expect(safeNextPath("https://evil.com")).toBe("/");
  });

  it("sends anything that is not a path home", () => {
    for (const next of [undefined, "", "t/x", "evil.com", "?next=//evil.com", "#top", "mailto:a@b.c"]) {
      expect(safeNextPath(next), JSON.stringify(next)).toBe("/");
    }
  });

  it("keeps percent-encoding as the browser would send it", () => {
    expect(safeNextPath("/t/x/projects?q=a%20b")).toBe("/t/x/projects?q=a%20b");
    expect(safeNextPath("/t/x/pricing?model=flux 2")).toBe("/t/x/pricing?model=flux%202");
  });
});

describe("signInPath", () => {
  it("carries the whole requested address, so a deep link survives signing in", () => {
    expect(signInPath("/t/x/pricing")).toBe("/sign-in?next=%2Ft%2Fx%2Fpricing");
    expect(signInPath("/t/x/projects/ck1?kind=charge")).toBe("/sign-in?next=%2Ft%2Fx%2Fprojects%2Fck1%3Fkind%3Dcharge");
  });

  it("leaves out a destination that is home or off-site", () => {
    expect(signInPath(undefined)).toBe("/sign-in");
    expect(signInPath("/")).toBe("/sign-in");
    expect(signInPath("//evil.com")).toBe("/sign-in");
  });
});
