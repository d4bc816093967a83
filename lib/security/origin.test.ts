// Which requests a session-cookie route handler refuses as cross-site.
import { describe, expect, it } from "vitest";
import { crossSiteRefusal } from "./origin";

const request = (method: string, headers: Record<string, string>) => new Request("http://localhost:3000/api/v1/teams/x/runs", { method, headers });
const HOST = { host: "localhost:3000" };

describe("crossSiteRefusal", () => {
  it("refuses a write whose Origin is another site, or no site", () => {
    for (const method of ["POST", "PUT", "PATCH", "DELETE", "post"]) {
      expect(crossSiteRefusal(request(method, { ...HOST, origin: "https://evil.test" }), {}), method).toMatch(/another site/);
    }
    expect(crossSiteRefusal(request("POST", { ...HOST, origin: "null" }), {})).not.toBeNull();
    expect(crossSiteRefusal(request("POST", { ...HOST, origin: "http://localhost:3001" }), {})).not.toBeNull();
    expect(crossSiteRefusal(request("POST", { ...HOST, origin: "http://sub.localhost:3000" }), {})).not.toBeNull();
    expect(crossSiteRefusal(request("POST", { ...HOST, origin: "chrome-extension://localhost:3000" }), {})).not.toBeNull();
  });

  it("lets a write from a page of this site through", () => {
    expect(crossSiteRefusal(request("POST", { ...HOST, origin: "http://localhost:3000" }), {})).toBeNull();
    expect(crossSiteRefusal(request("DELETE", { ...HOST, origin: "http://LOCALHOST:3000" }), {})).toBeNull();
    // Behind a proxy the browser's host arrives as X-Forwarded-Host; APP_URL names it too.
    expect(crossSiteRefusal(request("POST", { host: "10.0.0.5:3000", "x-forwarded-host": "credits.studio.test", origin: "https://credits.studio.test" }), {})).toBeNull();
    expect(crossSiteRefusal(request("POST", { host: "10.0.0.5:3000", origin: "https://credits.studio.test" }), { APP_URL: "https://credits.studio.test/" })).toBeNull();
  });

  it("judges a write without Origin by Sec-Fetch-Site, and lets one with neither through", () => {
    expect(crossSiteRefusal(request("POST", { ...HOST, "sec-fetch-site": "cross-site" }), {})).not.toBeNull();
    expect(crossSiteRefusal(request("POST", { ...HOST, "sec-fetch-site": "same-site" }), {})).not.toBeNull();
    expect(crossSiteRefusal(request("POST", { ...HOST, "sec-fetch-site": "same-origin" }), {})).toBeNull();
    expect(crossSiteRefusal(request("POST", { ...HOST, "sec-fetch-site": "none" }), {})).toBeNull();
    expect(crossSiteRefusal(request("POST", HOST), {})).toBeNull(); // a script or curl: no browser sent it for another site
  });

  it("never refuses a read", () => {
    expect(crossSiteRefusal(request("GET", { ...HOST, origin: "https://evil.test", "sec-fetch-site": "cross-site" }), {})).toBeNull();
    expect(crossSiteRefusal(request("HEAD", { ...HOST, origin: "https://evil.test" }), {})).toBeNull();
  });
});
