// The authorization matrix: every server action and route handler, called as each kind of person, allows exactly whom it should.
import { beforeAll, describe, expect, it } from "vitest";
import { isRedirectError } from "next/dist/client/components/redirect-error";
import { createRequest } from "@/lib/approvals/request-commands";
import type { Access } from "@/lib/authz/action";
import { API_SCOPES, type ApiScope } from "@/lib/api-keys/rules";
import { API_OPERATIONS } from "@/lib/api/operations";
import { ROLES, hasRole, type Role } from "@/lib/authz/roles";
import type { ActionResult } from "@/lib/authz/result";
import { db } from "@/lib/db/client";
import { checkContract, makeApiKey } from "./api";
import { premiumRequest } from "./approvals";
import { publishedApp } from "./apps";
import { describeEachDatabase } from "./db";
import { actionModules, discoverActions, discoverRoutes, routeModules, useServerFiles } from "./discovery";
import { makeTeam, type TeamFixture } from "./fixtures";
import { signInAs } from "./session";

type Rule = "public" | "user" | Role;

/** Who may call what. A new action or handler without a row here fails the test. */
const MATRIX: Record<string, Rule> = {
  "lib/accounts/actions.ts#signUpAction": "public",
  "lib/accounts/actions.ts#signInAction": "public",
  "lib/accounts/actions.ts#signOutAction": "public",
  "lib/accounts/actions.ts#oauthSignInAction": "public",
  "lib/accounts/actions.ts#changePasswordAction": "user",
  "lib/accounts/actions.ts#linkOAuthAction": "user",
  "lib/accounts/actions.ts#unlinkOAuthAction": "user",
  "lib/accounts/actions.ts#changeNameAction": "user",
  "lib/teams/actions.ts#createTeamAction": "user",
  "lib/teams/actions.ts#acceptInvitationAction": "user",
  "lib/teams/actions.ts#updateTeamAction": "admin",
  "lib/teams/actions.ts#inviteMemberAction": "admin",
  "lib/teams/actions.ts#revokeInvitationAction": "admin",
  "lib/teams/actions.ts#changeRoleAction": "admin",
  "lib/teams/actions.ts#removeMemberAction": "admin",
  "lib/teams/actions.ts#leaveTeamAction": "viewer",
  "lib/projects/actions.ts#createProjectAction": "admin",
  "lib/projects/actions.ts#renameProjectAction": "admin",
  "lib/projects/actions.ts#archiveProjectAction": "admin",
  "lib/projects/actions.ts#restoreProjectAction": "admin",
  "lib/api-keys/actions.ts#createApiKeyAction": "admin",
  "lib/api-keys/actions.ts#revokeApiKeyAction": "admin",
  "lib/price-lists/actions.ts#updatePriceEntryAction": "admin",
  "lib/price-lists/actions.ts#addPriceEntryAction": "admin",
  "lib/price-lists/actions.ts#importPriceListAction": "admin",
  "lib/price-lists/actions.ts#estimateRunAction": "viewer",
  "app/api/v1/teams/[teamSlug]/price-list/route.ts#GET": "viewer",
  "lib/ledger/actions.ts#admitRunAction": "member",
  "lib/ledger/actions.ts#recordRunAction": "member",
  "lib/ledger/actions.ts#settleRunAction": "member",
  "lib/ledger/actions.ts#releaseRunAction": "member",
  "lib/ledger/actions.ts#refundRunAction": "admin",
  "lib/ledger/actions.ts#addGrantAction": "admin",
  "lib/ledger/actions.ts#adjustCreditsAction": "admin",
  "lib/ledger/actions.ts#setBudgetAction": "admin",
  "lib/ledger/actions.ts#removeBudgetAction": "admin",
  "lib/ledger/actions.ts#setMemberLimitAction": "admin",
  "lib/ledger/actions.ts#removeMemberLimitAction": "admin",
  "lib/ledger/actions.ts#setLowBalanceAction": "admin",
  "lib/batches/actions.ts#createBatchAction": "member",
  "lib/batches/actions.ts#updateBatchAction": "member",
  "lib/batches/actions.ts#duplicateBatchAction": "member",
  "lib/batches/actions.ts#addItemAction": "member",
  "lib/batches/actions.ts#updateItemAction": "member",
  "lib/batches/actions.ts#duplicateItemAction": "member",
  "lib/batches/actions.ts#pasteItemsAction": "member",
  "lib/batches/actions.ts#setItemStatusAction": "member",
  "lib/batches/actions.ts#answerFinalQuestionsAction": "member",
  "lib/batches/actions.ts#applyFindingAction": "member",
  "lib/batches/actions.ts#dismissFindingAction": "member",
  "lib/batches/actions.ts#restoreFindingAction": "member",
  "lib/batches/actions.ts#recordItemRunAction": "member",
  "lib/apps/actions.ts#createAppAction": "member",
  "lib/apps/actions.ts#saveDraftAction": "member",
  "lib/apps/actions.ts#publishVersionAction": "approver",
  "lib/apps/actions.ts#retireAppAction": "admin",
  "lib/apps/actions.ts#runAppAction": "member",
  "lib/apps/actions.ts#setAppTestRunsAction": "admin",
  "app/t/[teamSlug]/batches/[batchId]/export/route.ts#GET": "viewer",
  "lib/approvals/actions.ts#savePolicyAction": "admin",
  "lib/approvals/request-actions.ts#createRequestAction": "member",
  "lib/approvals/request-actions.ts#withdrawRequestAction": "member",
  "lib/approvals/request-actions.ts#decideRequestAction": "member",
  "lib/approvals/request-actions.ts#runApprovedAction": "member",
  "app/api/health/route.ts#GET": "public",
  "app/api/v1/teams/[teamSlug]/projects/route.ts#GET": "viewer",
  "app/api/v1/openapi.json/route.ts#GET": "public",
  "app/api/v1/teams/[teamSlug]/estimate/route.ts#POST": "viewer",
  "app/api/v1/teams/[teamSlug]/runs/route.ts#POST": "member",
  "app/api/v1/teams/[teamSlug]/runs/[runId]/settle/route.ts#POST": "member",
  "app/api/v1/teams/[teamSlug]/runs/[runId]/release/route.ts#POST": "member",
  "app/api/v1/teams/[teamSlug]/usage/route.ts#POST": "member",
  "app/api/v1/teams/[teamSlug]/runs/route.ts#GET": "viewer",
  "app/api/v1/teams/[teamSlug]/ledger/route.ts#GET": "viewer",
  "app/api/v1/teams/[teamSlug]/usage/summary/route.ts#GET": "viewer",
  "lib/imports/actions.ts#startImportAction": "admin",
  "lib/imports/actions.ts#discardImportAction": "admin",
  "app/t/[teamSlug]/usage/import/upload/route.ts#POST": "admin",
  "app/t/[teamSlug]/usage/import/[jobId]/progress/route.ts#GET": "admin",
  "app/t/[teamSlug]/usage/import/[jobId]/report/route.ts#GET": "admin",
  "app/t/[teamSlug]/usage/export/[what]/route.ts#GET": "viewer",
  "app/api/v1/teams/[teamSlug]/approvals/route.ts#POST": "member",
  "app/api/v1/teams/[teamSlug]/approvals/[approvalId]/route.ts#GET": "member",
  "app/api/v1/teams/[teamSlug]/batches/route.ts#GET": "viewer",
  "app/api/v1/teams/[teamSlug]/batches/[batchId]/route.ts#GET": "viewer",
  "app/api/v1/teams/[teamSlug]/apps/route.ts#GET": "viewer",
  "app/api/v1/teams/[teamSlug]/apps/[appId]/route.ts#GET": "viewer",
  "app/api/v1/teams/[teamSlug]/apps/[appId]/runs/route.ts#POST": "member",
};

/**
 * Route segments besides the team, made in the fixture's team, so an allowed caller gets a real answer
 * (a handler that answers 404 for a made-up id would look denied to everyone).
 */
const ROUTE_SEGMENTS: Record<string, (fixture: TeamFixture) => Promise<Record<string, string>>> = {
  "app/t/[teamSlug]/batches/[batchId]/export/route.ts": async (fixture) => {
    const batch = await db().batch.create({ data: { teamId: fixture.team.id, projectId: fixture.projectId, name: "Matrix batch" } });
    return { batchId: batch.id };
  },
  "app/t/[teamSlug]/usage/export/[what]/route.ts": async () => ({ what: "runs" }),
  "app/api/v1/teams/[teamSlug]/runs/[runId]/settle/route.ts": heldRunSegment,
  "app/api/v1/teams/[teamSlug]/runs/[runId]/release/route.ts": heldRunSegment,
  "app/t/[teamSlug]/usage/import/[jobId]/progress/route.ts": importJobSegment,
  "app/t/[teamSlug]/usage/import/[jobId]/report/route.ts": importJobSegment,
  "app/api/v1/teams/[teamSlug]/approvals/[approvalId]/route.ts": async (fixture) => {
    const member = { user: fixture.people.member, team: fixture.team, role: "member" as const };
    return { approvalId: (await createRequest(member, premiumRequest(fixture.projectId))).requestId };
  },
  "app/api/v1/teams/[teamSlug]/batches/[batchId]/route.ts": async (fixture) => {
    const batch = await db().batch.create({ data: { teamId: fixture.team.id, projectId: fixture.projectId, name: "Matrix batch" } });
    return { batchId: batch.id };
  },
  "app/api/v1/teams/[teamSlug]/apps/[appId]/route.ts": publishedAppSegment,
  "app/api/v1/teams/[teamSlug]/apps/[appId]/runs/route.ts": publishedAppSegment,
};

/** A published app of the fixture's team, which any member may run. */
async function publishedAppSegment(fixture: TeamFixture): Promise<Record<string, string>> {
  return { appId: (await publishedApp(fixture)).appId };
}

/** A run of the fixture's team, whoever's: a member who may not settle it is refused as "forbidden" by the ledger. */
async function heldRunSegment(fixture: TeamFixture): Promise<Record<string, string>> {
  const run = await db().run.create({
    data: {
      teamId: fixture.team.id,
      projectId: fixture.projectId,
      userId: fixture.people.member.id,
      modelId: "qwen-image",
      modelName: "Qwen Image",
      outputType: "image",
      tier: "budget",
      quantity: 1,
      stage: "test",
      purpose: "internal_review",
      estimate: 20,
      priceListVersion: 0,
      state: "held",
    },
  });
  return { runId: run.id };
}

async function importJobSegment(fixture: TeamFixture): Promise<Record<string, string>> {
  const job = await db().importJob.create({ data: { teamId: fixture.team.id, startedById: fixture.people.owner.id, fileName: "matrix.csv", layout: "runs" } });
  return { jobId: job.id };
}

/** Handlers that carry no team data and belong to a library, with the reason. */
const OUTSIDE_THE_MATRIX: Record<string, string> = {
  "app/api/auth/[...nextauth]/route.ts": "Auth.js's own sign-in endpoints; they read no team data",
  "app/api/v1/[...path]/route.ts": "answers 404 (problem details) to everyone for an address that is no operation; reads nothing",
};

type Persona = "signed out" | "outsider" | Role;
const PERSONAS: Persona[] = ["signed out", "outsider", ...ROLES];

function expectedAllowed(rule: Rule, persona: Persona): boolean {
  if (rule === "public") return true;
  if (persona === "signed out") return false;
  if (rule === "user") return true;
  if (persona === "outsider") return false;
  return hasRole(persona, rule);
}

const DENIED = new Set(["unauthenticated", "not_found", "forbidden"]);

async function callAction(action: (input: Record<string, unknown>) => Promise<ActionResult<unknown>>, teamSlug: string) {
  try {
    const result = await action({ teamSlug });
    return DENIED.has(result.ok ? "" : result.code) ? "denied" : "allowed";
  } catch (error) {
    if (isRedirectError(error)) return "allowed";
    throw error;
  }
}

async function callRoute(
  handler: (request: Request, context: unknown) => Promise<Response>,
  file: string,
  method: string,
  teamSlug: string,
  segments: Record<string, string> = {},
  apiKey?: string,
) {
  let path = file.replace(/^app/, "").replace(/\/route\.ts$/, "").replace("[teamSlug]", teamSlug);
  for (const [name, value] of Object.entries(segments)) path = path.replace(`[${name}]`, value);
  const api = path.startsWith("/api/v1/teams/");
  const headers: Record<string, string> = apiKey ? { authorization: `Bearer ${apiKey}` } : {};
  // An API write is sent a field no input has: past the authorization, its zod schema refuses it (400), so nothing changes.
  const probe = api && method !== "GET";
  if (probe) headers["content-type"] = "application/json";
  const request = new Request(`http://localhost:3000${path}`, { method: api ? method : "GET", headers, ...(probe ? { body: '{"matrixProbe":true}' } : {}) });
  const response = await handler(request.clone(), { params: Promise.resolve({ teamSlug, ...segments }) });
  // Every answer of the public API, allowed or denied, must be one its OpenAPI document describes.
  if (api) await checkContract(request, response);
  return [401, 403, 404].includes(response.status) ? "denied" : "allowed";
}

type ApiAccess = Access & { scope?: ApiScope | null };

/**
 * The keys an API route meets besides people: a key with every scope (acts as a member), one without the route's
 * scope, one made by a viewer (acts as a viewer), one of another team, and a revoked one.
 */
async function keyOutcomes(handler: (request: Request, context: unknown) => Promise<Response>, file: string, method: string, fixture: TeamFixture, segments: Record<string, string> | undefined, access: ApiAccess) {
  const scope = access.scope ?? null;
  const role = access.kind === "team" ? access.role : "viewer";
  const call = (secret: string) => callRoute(handler, file, method, fixture.team.slug, segments, secret);
  const outcomes: Record<string, string> = {};
  const expected: Record<string, string> = {};
  const everyScope = await makeApiKey(fixture, { name: "every scope" });
  outcomes["key with every scope"] = await call(everyScope.secret);
  expected["key with every scope"] = hasRole("member", role) ? "allowed" : "denied";
  const others = API_SCOPES.filter((item) => item !== scope);
  const without = await makeApiKey(fixture, { name: "without the scope", scopes: others });
  outcomes["key without the scope"] = await call(without.secret);
  expected["key without the scope"] = scope === null && hasRole("member", role) ? "allowed" : "denied";
  if (scope) {
    const only = await makeApiKey(fixture, { name: "only the scope", scopes: [scope] });
    outcomes["key with only the scope"] = await call(only.secret);
    expected["key with only the scope"] = expected["key with every scope"];
  }
  const byViewer = await makeApiKey(fixture, { name: "made by a viewer", creator: "viewer" });
  outcomes["key made by a viewer"] = await call(byViewer.secret);
  expected["key made by a viewer"] = role === "viewer" ? "allowed" : "denied";
  const otherTeam = await makeTeam();
  const foreign = await makeApiKey(otherTeam, { name: "another team's" });
  outcomes["key of another team"] = await call(foreign.secret);
  expected["key of another team"] = "denied";
  await db().apiKey.update({ where: { id: everyScope.id }, data: { revokedAt: new Date() } });
  outcomes["revoked key"] = await call(everyScope.secret);
  expected["revoked key"] = "denied";
  return { outcomes, expected };
}

describe("discovery", () => {
  it("finds every server-action file by its directive", () => {
    expect(useServerFiles().sort()).toEqual(Object.keys(actionModules).sort());
  });

  it("has a row for every exported action and handler, and no row for anything that is gone", async () => {
    const found = [...(await discoverActions()), ...(await discoverRoutes()).filter((route) => !OUTSIDE_THE_MATRIX[route.file])].map((item) => item.key);
    expect(found.sort()).toEqual(Object.keys(MATRIX).sort());
    for (const file of Object.keys(OUTSIDE_THE_MATRIX)) expect(Object.keys(routeModules)).toContain(`/${file}`);
  });

  it("declares on each action the same access as its row", async () => {
    for (const [key, rule] of Object.entries(MATRIX)) {
      const [file, name] = key.split("#");
      const exported = (await (actionModules[`/${file}`] ?? routeModules[`/${file}`])()) as Record<string, { access?: Access }>;
      const access = exported[name].access;
      if (!access) {
        expect(rule, `${key} declares no access, so it must be public`).toBe("public");
        continue;
      }
      expect(access.kind === "team" ? access.role : access.kind, key).toBe(rule);
    }
  });
});

describeEachDatabase("authorization matrix", () => {
  const fixtures = new Map<string, TeamFixture>();

  beforeAll(async () => {
    // A team of its own per row, so what one action changes (someone leaving) cannot sway another.
    for (const key of Object.keys(MATRIX)) fixtures.set(key, await makeTeam());
  });

  for (const [key, rule] of Object.entries(MATRIX)) {
    it(`${key} is allowed for ${rule === "public" ? "everyone" : rule === "user" ? "anyone signed in" : `${rule} and above`}`, async () => {
      const [file, name] = key.split("#");
      const fixture = fixtures.get(key)!;
      const segments = await ROUTE_SEGMENTS[file]?.(fixture);
      const outcomes: Record<string, string> = {};
      const expected: Record<string, string> = {};
      for (const persona of PERSONAS) {
        signInAs(persona === "signed out" ? null : persona === "outsider" ? fixture.outsider : fixture.people[persona]);
        const isRoute = file.endsWith("route.ts");
        const exported = (await (isRoute ? routeModules : actionModules)[`/${file}`]()) as Record<string, never>;
        outcomes[persona] = isRoute
          ? await callRoute(exported[name], file, name, fixture.team.slug, segments)
          : await callAction(exported[name], fixture.team.slug);
        expected[persona] = expectedAllowed(rule, persona) ? "allowed" : "denied";
      }
      signInAs(null);
      const exported = (await routeModules[`/${file}`]?.()) as Record<string, { access?: ApiAccess }> | undefined;
      const access = exported?.[name]?.access;
      if (access && "scope" in access) {
        const keys = await keyOutcomes(exported![name] as never, file, name, fixture, segments, access);
        Object.assign(outcomes, keys.outcomes);
        Object.assign(expected, keys.expected);
      }
      expect(outcomes).toEqual(expected);
    });
  }
});

describe("the API's routes", () => {
  it("all take API keys: every handler under /api/v1/teams is an apiRoute, with its scope", async () => {
    for (const [path, load] of Object.entries(routeModules)) {
      if (!path.startsWith("/app/api/v1/teams/")) continue;
      const exported = (await load()) as Record<string, { access?: ApiAccess }>;
      for (const method of ["GET", "POST", "PUT", "PATCH", "DELETE"]) {
        if (exported[method]) expect(exported[method].access && "scope" in exported[method].access, `${path}#${method}`).toBe(true);
      }
    }
  });

  it("refuse a field no input has (strict bodies), so the matrix's probe never writes", () => {
    for (const operation of API_OPERATIONS) {
      if (operation.body) expect(operation.body.safeParse({ matrixProbe: true }).success, operation.operationId).toBe(false);
    }
  });
});
