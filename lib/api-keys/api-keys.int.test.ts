// Team API keys through their server actions: made by admins with the secret answered once and only its hash kept,
// refused at the field for a bad day or another team's project, revoked so the API refuses them at once, all audited.
import { beforeEach, expect, it } from "vitest";
import { POST as estimate } from "@/app/api/v1/teams/[teamSlug]/estimate/route";
import { describeAuditEntry } from "@/lib/audit/describe";
import { db } from "@/lib/db/client";
import { endOfDayIn } from "@/lib/ledger/dates";
import { addDays } from "@/lib/recommendations/history";
import { todayIn } from "@/lib/usage/filters";
import { describeEachDatabase } from "@/test/db";
import { makeTeam, type TeamFixture } from "@/test/fixtures";
import { expectFailure, expectOk } from "@/test/results";
import { signInAs } from "@/test/session";
import { createApiKeyAction, revokeApiKeyAction } from "./actions";
import { keyForSecret, listApiKeys } from "./queries";
import { hashApiKey } from "./rules";

async function createAs(fixture: TeamFixture, input: Record<string, unknown>) {
  signInAs(fixture.people.admin);
  return expectOk(await createApiKeyAction({ teamSlug: fixture.team.slug, name: "Render farm", scopes: ["estimate"], ...input }));
}

function callEstimate(slug: string, secret: string) {
  const request = new Request(`http://localhost:3000/api/v1/teams/${slug}/estimate`, {
    method: "POST",
    headers: { authorization: `Bearer ${secret}`, "content-type": "application/json", "x-forwarded-for": "198.51.100.4" },
    body: JSON.stringify({ modelId: "flux-2-pro", quantity: 1 }),
  });
  return estimate(request, { params: Promise.resolve({ teamSlug: slug }) });
}

async function auditOf(teamId: string, action: string) {
  return db().auditLog.findMany({ where: { teamId, action }, orderBy: { createdAt: "asc" } });
}

describeEachDatabase("API keys", () => {
  beforeEach(() => signInAs(null));

  it("answers the secret once and stores only its hash; the key then works over the API", async () => {
    const fixture = await makeTeam();
    const lastDay = addDays(todayIn(fixture.team.timeZone, new Date()), 30);
    signInAs(fixture.people.admin);
    const result = await createApiKeyAction({
      teamSlug: fixture.team.slug,
      name: "  Render farm ",
      // A form sends a repeated field as a list; a scope ticked twice is kept once.
      scopes: ["estimate", "runs:write", "estimate"],
      projectId: fixture.projectId,
      expiresOn: lastDay,
    });
    expect(result).toMatchObject({ ok: true, message: "API key “Render farm” created." });
    const created = expectOk(result);
    expect(created.secret).toMatch(/^cwk_[A-Za-z0-9_-]{43}$/);
    expect(created.shown).toBe(created.secret.slice(0, 12));

    const row = await db().apiKey.findUniqueOrThrow({ where: { id: created.id } });
    expect(row).toMatchObject({
      teamId: fixture.team.id,
      name: "Render farm",
      hash: hashApiKey(created.secret),
      shown: created.shown,
      scopes: ["estimate", "runs:write"],
      projectId: fixture.projectId,
      expiresAt: endOfDayIn(lastDay, fixture.team.timeZone),
      createdById: fixture.people.admin.id,
      revokedAt: null,
    });
    // Nothing stored holds the secret past what the list shows: not the key's row, not the audit log.
    const secretPart = created.secret.slice(created.shown.length);
    expect(JSON.stringify(row)).not.toContain(secretPart);
    expect(JSON.stringify(await db().auditLog.findMany({ where: { teamId: fixture.team.id } }))).not.toContain(secretPart);
    // The list never has it either.
    const [listed] = await listApiKeys(fixture.team.id);
    expect(JSON.stringify(listed)).not.toContain(secretPart);
    expect(listed).toMatchObject({ id: created.id, shown: created.shown, project: { id: fixture.projectId }, createdBy: { name: fixture.people.admin.name } });

    expect(await keyForSecret(created.secret)).toMatchObject({ id: created.id, team: { slug: fixture.team.slug }, revokedAt: null });
    const response = await callEstimate(fixture.team.slug, created.secret);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ modelId: "flux-2-pro", quantity: 1 });
    expect((await listApiKeys(fixture.team.id))[0]).toMatchObject({ lastUsedAddress: "198.51.100.4" });
  });

  it("lets owners and admins make and revoke keys, and nobody below", async () => {
    const fixture = await makeTeam();
    signInAs(fixture.people.owner);
    const owners = expectOk(await createApiKeyAction({ teamSlug: fixture.team.slug, name: "Owner's script", scopes: ["usage:read"] }));
    for (const role of ["approver", "member", "viewer"] as const) {
      signInAs(fixture.people[role]);
      expectFailure(await createApiKeyAction({ teamSlug: fixture.team.slug, name: "Mine", scopes: ["estimate"] }), "forbidden");
      expectFailure(await revokeApiKeyAction({ teamSlug: fixture.team.slug, keyId: owners.id }), "forbidden");
    }
    signInAs(fixture.outsider);
    expectFailure(await createApiKeyAction({ teamSlug: fixture.team.slug, name: "Mine", scopes: ["estimate"] }), "not_found");
    expect(await db().apiKey.count({ where: { teamId: fixture.team.id } })).toBe(1);
    expect((await db().apiKey.findUniqueOrThrow({ where: { id: owners.id } })).revokedAt).toBeNull();
  });

  it("refuses at the field: no name, no scope, an unknown scope, a day that has ended, another team's or an archived project", async () => {
    const fixture = await makeTeam();
    const other = await makeTeam();
    const archived = await db().project.create({ data: { teamId: fixture.team.id, name: "Old", archivedAt: new Date() }, select: { id: true } });
    const today = todayIn(fixture.team.timeZone, new Date());
    signInAs(fixture.people.admin);
    const refusals: [Record<string, unknown>, string, RegExp][] = [
      [{ name: " " }, "name", /Name the key/],
      [{ scopes: undefined }, "scopes", /at least one scope/],
      [{ scopes: ["estimate", "admin:everything"] }, "scopes.1", /Choose scopes from the list/],
      [{ expiresOn: addDays(today, -1) }, "expiresOn", /already ended/],
      [{ expiresOn: "2026-02-30" }, "expiresOn", /not a day in the calendar/],
      [{ projectId: other.projectId }, "projectId", /not in this team/],
      [{ projectId: archived.id }, "projectId", /archived/],
    ];
    for (const [input, field, message] of refusals) {
      const result = expectFailure(
        await createApiKeyAction({ teamSlug: fixture.team.slug, name: "Render farm", scopes: ["estimate"], ...input }),
        "invalid",
      );
      expect(result.fieldErrors?.[field], JSON.stringify(input)).toMatch(message);
    }
    expect(await db().apiKey.count({ where: { teamId: fixture.team.id } })).toBe(0);
    expect(await auditOf(fixture.team.id, "api_key.created")).toEqual([]);
    // Today has not ended yet: a key may work until the end of today.
    await createAs(fixture, { expiresOn: today });
  });

  it("revokes a key so the API refuses it at once; twice is a conflict, another team's key is not found", async () => {
    const fixture = await makeTeam();
    const other = await makeTeam();
    const key = await createAs(fixture, {});
    const theirs = await createAs(other, {});
    expect((await callEstimate(fixture.team.slug, key.secret)).status).toBe(200);

    signInAs(fixture.people.admin);
    expectFailure(await revokeApiKeyAction({ teamSlug: fixture.team.slug, keyId: theirs.id }), "not_found");
    expect((await db().apiKey.findUniqueOrThrow({ where: { id: theirs.id } })).revokedAt).toBeNull();

    expect(await revokeApiKeyAction({ teamSlug: fixture.team.slug, keyId: key.id })).toMatchObject({ ok: true, message: "API key “Render farm” revoked." });
    expect(await db().apiKey.findUniqueOrThrow({ where: { id: key.id } })).toMatchObject({ revokedById: fixture.people.admin.id, revokedAt: expect.any(Date) });
    const refused = await callEstimate(fixture.team.slug, key.secret);
    expect(refused.status).toBe(401);
    expect(await refused.json()).toMatchObject({ detail: expect.stringMatching(/revoked/) });
    expectFailure(await revokeApiKeyAction({ teamSlug: fixture.team.slug, keyId: key.id }), "conflict");
    // The other team's key still works.
    expect((await callEstimate(other.team.slug, theirs.secret)).status).toBe(200);
  });

  it("writes an audit entry for each make and revoke that reads as a sentence", async () => {
    const fixture = await makeTeam();
    const key = await createAs(fixture, { scopes: ["estimate", "usage:read"] });
    signInAs(fixture.people.owner);
    expectOk(await revokeApiKeyAction({ teamSlug: fixture.team.slug, keyId: key.id }));

    const [created] = await auditOf(fixture.team.id, "api_key.created");
    expect(created).toMatchObject({ actorId: fixture.people.admin.id, targetType: "api_key", targetId: key.id });
    expect(describeAuditEntry(created)).toBe(`Made the API key “Render farm” (${key.shown}…) with the scopes estimate, usage:read`);
    const [revoked] = await auditOf(fixture.team.id, "api_key.revoked");
    expect(revoked).toMatchObject({ actorId: fixture.people.owner.id, targetType: "api_key", targetId: key.id });
    expect(describeAuditEntry(revoked)).toBe(`Revoked the API key “Render farm” (${key.shown}…)`);
  });
});
