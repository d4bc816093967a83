// Route handlers signed in by the session cookie refuse writes sent from another site, before they read the session or the body.
import { beforeAll, expect, it, vi } from "vitest";
import { z } from "zod";
import { currentUser } from "@/lib/authz/session";
import { describeEachDatabase } from "@/test/db";
import { makeTeam, type TeamFixture } from "@/test/fixtures";
import { signInAs } from "@/test/session";
import { teamRoute } from "./route";

const body = vi.fn(async (ctx: { team: { slug: string } }, input: { name: string }) => Response.json({ team: ctx.team.slug, name: input.name }));
const handler = teamRoute("member", z.object({ name: z.string() }), body);

function call(fixture: TeamFixture, method: string, headers: Record<string, string>) {
  const url = `http://localhost:3000/api/v1/teams/${fixture.team.slug}/things`;
  const init: RequestInit = { method, headers: { host: "localhost:3000", "content-type": "application/json", ...headers } };
  if (method !== "GET") init.body = JSON.stringify({ name: "spring" });
  return handler(new Request(method === "GET" ? `${url}?name=spring` : url, init), { params: Promise.resolve({ teamSlug: fixture.team.slug }) });
}

describeEachDatabase("teamRoute and cross-site requests", () => {
  let fixture: TeamFixture;
  beforeAll(async () => {
    fixture = await makeTeam();
  });

  it("refuses a POST from another site's page with 403, touching neither session nor body", async () => {
    signInAs(fixture.people.admin);
    body.mockClear();
    vi.mocked(currentUser).mockClear();
    const crossSite: Record<string, string>[] = [{ origin: "https://evil.test" }, { origin: "null" }, { "sec-fetch-site": "cross-site" }, { "sec-fetch-site": "same-site" }];
    for (const headers of crossSite) {
      const response = await call(fixture, "POST", headers);
      expect(response.status, JSON.stringify(headers)).toBe(403);
      expect(await response.json()).toEqual({ error: { code: "forbidden", message: "This request came from another site, so it was refused." } });
    }
    for (const method of ["PUT", "PATCH", "DELETE"]) expect((await call(fixture, method, { origin: "https://evil.test" })).status, method).toBe(403);
    expect(body).not.toHaveBeenCalled();
    expect(currentUser).not.toHaveBeenCalled();
  });

  it("answers a POST from this site, and one from a script that sends no Origin", async () => {
    signInAs(fixture.people.member);
    const sameSite: Record<string, string>[] = [{ origin: "http://localhost:3000" }, { "sec-fetch-site": "same-origin" }, {}];
    for (const headers of sameSite) {
      const response = await call(fixture, "POST", headers);
      expect(response.status, JSON.stringify(headers)).toBe(200);
      expect(await response.json()).toEqual({ team: fixture.team.slug, name: "spring" });
    }
  });

  it("answers a GET whatever its Origin: another site cannot read the answer", async () => {
    signInAs(fixture.people.viewer);
    const response = await call(fixture, "GET", { origin: "https://evil.test", "sec-fetch-site": "cross-site" });
    // The viewer is below "member": the ordinary role check answers, not the cross-site one.
    expect(response.status).toBe(403);
    expect((await response.json()).error.message).toMatch(/member role/);
    signInAs(fixture.people.member);
    expect((await call(fixture, "GET", { origin: "https://evil.test" })).status).toBe(200);
  });
});

describeEachDatabase("teamRoute and text no query can take", () => {
  it("refuses a segment or a query parameter with a NUL with 400, before the handler (was a 500, found by test/fuzz-routes.int.test.ts)", async () => {
    const fixture = await makeTeam();
    signInAs(fixture.people.member);
    body.mockClear();
    const url = `http://localhost:3000/t/${fixture.team.slug}/things`;
    const nulSegment = await handler(new Request(`${url}/%00`), { params: Promise.resolve({ teamSlug: fixture.team.slug, thingId: "a\u0000" }) });
    expect(nulSegment.status).toBe(400);
    expect((await nulSegment.json()).error.fields).toEqual({ thingId: expect.stringMatching(/NUL/) });
    const nulQuery = await handler(new Request(`${url}?name=a%00`), { params: Promise.resolve({ teamSlug: fixture.team.slug }) });
    expect(nulQuery.status).toBe(400);
    expect(body).not.toHaveBeenCalled();
    signInAs(null);
  });
});
