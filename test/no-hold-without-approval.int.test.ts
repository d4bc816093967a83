// No path reaches a hold for a run the approval policy holds back: every server action and route handler there is
// (found the way the authorization matrix finds them) is called by an owner and by a member with the fields of a
// premium final — as a project run and as a batch item's run — and afterwards nothing is held. Every file that can
// start an admission is named here too, so a new way of spending cannot appear without being looked at.
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import type { Role } from "@/lib/authz/roles";
import { db } from "@/lib/db/client";
import { addGrant, admitRun } from "@/lib/ledger/commands";
import { recordItemRun } from "@/lib/batches/commands";
import { verifyLedger } from "@/lib/ledger/verify";
import { describeEachDatabase } from "./db";
import { makeTeam, type TeamFixture } from "./fixtures";
import { signInAs } from "./session";

const root = join(import.meta.dirname, "..");
const actionModules = import.meta.glob(["/lib/**/actions.ts", "/lib/**/*-actions.ts", "/app/**/actions.ts", "/app/**/*-actions.ts"]);
const routeModules = import.meta.glob(["/app/**/route.ts"]);

/**
 * The files that may start an admission, and why each cannot skip the policy. A file not listed that names an
 * admission fails the test below.
 */
const ADMITTING_FILES: Record<string, string> = {
  "lib/ledger/commands.ts": "admitRun asks the policy before the ledger; runOperationsInOrder plays back history for the seed only",
  "lib/ledger/batch.ts": "runs the calls it is given; it builds none",
  "lib/ledger/actions.ts": "admitRunAction calls admitRun",
  "lib/batches/commands.ts": "recordItemRun calls admitRun",
  "lib/batches/actions.ts": "recordItemRunAction calls recordItemRun",
  "lib/approvals/request-commands.ts": "the approval itself places the hold, after the decisions the rule asks for",
  "lib/imports/process.ts": "records (never admits) runs that already happened on the platform, through runEntryCall's \"record\"",
  "lib/imports/events.ts": "records (never admits) usage events sent through the API (POST /usage), through runEntryCall's \"record\"",
  "lib/db/seed.ts": "plays back the demo's history through runOperationsInOrder",
  "scripts/ledger-bench-support.ts": "the ledger and API benchmarks' pairs: runs the default policy lets through",
  "app/api/v1/teams/[teamSlug]/runs/route.ts": "POST /runs calls admitRun (the API's admission)",
  "scripts/bench-approvals.ts": "a benchmark: admissions the policy lets through, beside approvals",
  "scripts/http-fixture.ts": "bench:http's history: cheap tests and finals played through the ledger's batch path for the benchmark's team",
  "scripts/cluster/storm.ts": "the cluster harness's clients: admissions over the API, which asks the policy (premium finals go through approvals)",
};

const ADMISSION = /admitRun\(|runEntryCall\(|cw_admit_run|op: "admit"|"admit",|recordItemRun\(/;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (["node_modules", ".next", "generated", ".data", "e2e", "test"].includes(entry)) return [];
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(entry) && !/\.test\.tsx?$/.test(entry) ? [path] : [];
  });
}

describe("the ways of spending", () => {
  it("are only the files named here", () => {
    const found = ["lib", "app", "components", "scripts"]
      .flatMap((dir) => sourceFiles(join(root, dir)))
      .filter((path) => ADMISSION.test(readFileSync(path, "utf8")))
      .map((path) => relative(root, path));
    expect(found.sort()).toEqual(Object.keys(ADMITTING_FILES).sort());
  });
});

const PREMIUM_FINAL = { modelId: "flux-2-pro", quantity: "2", stage: "final", purpose: "final_delivery", notes: "", outputType: "image" };

async function nothingHeld(teamId: string) {
  const credits = await db().teamCredits.findUnique({ where: { teamId } });
  return { held: credits?.held ?? 0, holds: await db().run.count({ where: { teamId, state: "held" } }) };
}

async function premiumItem(fixture: TeamFixture): Promise<{ batchId: string; itemId: string }> {
  const batch = await db().batch.create({ data: { teamId: fixture.team.id, projectId: fixture.projectId, name: "Launch" } });
  const item = await db().batchItem.create({
    data: {
      teamId: fixture.team.id,
      batchId: batch.id,
      position: 0,
      title: "Hero",
      outputType: "image",
      purpose: "final_delivery",
      prompt: "A kite",
      plan: { tests: null, finals: { modelId: "flux-2-pro", settings: {}, count: 2 }, tools: [] },
    },
  });
  return { batchId: batch.id, itemId: item.id };
}

async function call(fn: () => Promise<unknown>) {
  try {
    await fn();
  } catch {
    // A redirect, a refusal or a bad input: what matters is what was held afterwards.
  }
}

describeEachDatabase("no hold without an approval", () => {
  const actions = Object.keys(actionModules);
  const routes = Object.keys(routeModules);

  it("finds actions and handlers to call", () => {
    expect(actions.length).toBeGreaterThan(5);
    expect(routes.length).toBeGreaterThan(2);
  });

  for (const path of actions) {
    it(`${path.slice(1)}: no action holds a premium final without an approval`, async () => {
      const exported = (await actionModules[path]()) as Record<string, unknown>;
      for (const [name, action] of Object.entries(exported)) {
        if (typeof action !== "function") continue;
        for (const role of ["owner", "member"] satisfies Role[]) {
          const fixture = await makeTeam();
          await addGrant({ user: fixture.people.owner, team: fixture.team, role: "owner" }, { amount: 100_000, source: "Top-up", note: "" }, new Date(Date.now() - 60_000));
          const { batchId, itemId } = await premiumItem(fixture);
          signInAs(fixture.people[role]);
          const input = { teamSlug: fixture.team.slug, projectId: fixture.projectId, batchId, itemId, batchItemId: itemId, ...PREMIUM_FINAL };
          await call(() => (action as (input: unknown) => Promise<unknown>)(input));
          signInAs(null);
          expect(await nothingHeld(fixture.team.id), `${path.slice(1)}#${name} as ${role}`).toEqual({ held: 0, holds: 0 });
        }
      }
    });
  }

  it("no route handler holds a premium final without an approval", async () => {
    const fixture = await makeTeam();
    const { itemId } = await premiumItem(fixture);
    signInAs(fixture.people.owner);
    const answers: string[] = [];
    for (const path of routes) {
      const exported = (await routeModules[path]()) as Record<string, unknown>;
      const url = `http://localhost:3000${path.slice(1).replace(/^app/, "").replace(/\/route\.ts$/, "").replace("[teamSlug]", fixture.team.slug)}`;
      for (const method of ["GET", "POST", "PUT", "PATCH", "DELETE"]) {
        const handler = exported[method] as (request: Request, context: unknown) => unknown;
        if (typeof handler !== "function") continue;
        // The form's fields, and the API's (strict JSON: numbers as numbers, no field it does not know).
        const bodies = [
          JSON.stringify({ projectId: fixture.projectId, batchItemId: itemId, ...PREMIUM_FINAL }),
          JSON.stringify({ projectId: fixture.projectId, modelId: PREMIUM_FINAL.modelId, quantity: 2, stage: "final", purpose: "final_delivery" }),
        ];
        for (const body of method === "GET" ? [undefined] : bodies) {
          const request = new Request(url, { method, body, headers: { "content-type": "application/json" } });
          const response = await Promise.resolve()
            .then(() => handler(request, { params: Promise.resolve({ teamSlug: fixture.team.slug }) }))
            .catch(() => null);
          answers.push(`${method} ${path.slice(1)}: ${(response as Response | null)?.status ?? "threw"}`);
        }
      }
    }
    signInAs(null);
    expect(await nothingHeld(fixture.team.id)).toEqual({ held: 0, holds: 0 });
    // The API's admission did answer (needs approval), rather than refusing the body.
    expect(answers).toContain("POST app/api/v1/teams/[teamSlug]/runs/route.ts: 200");
  });

  it("the commands answer needs approval for every role, as a project run and as an item's run", async () => {
    const fixture = await makeTeam();
    const owner = { user: fixture.people.owner, team: fixture.team, role: "owner" as const };
    await addGrant(owner, { amount: 100_000, source: "Top-up", note: "" }, new Date(Date.now() - 60_000));
    const { itemId } = await premiumItem(fixture);
    for (const role of ["owner", "admin", "approver", "member"] satisfies Role[]) {
      const ctx = { user: fixture.people[role], team: fixture.team, role };
      const run = { projectId: fixture.projectId, modelId: "flux-2-pro", settings: {}, quantity: 2, stage: "final", purpose: "final_delivery", notes: "" } as const;
      expect(await admitRun(ctx, run)).toMatchObject({ status: "needs_approval" });
      expect(await recordItemRun(ctx, { itemId, stage: "final", quantity: 2, notes: "" })).toMatchObject({ status: "needs_approval" });
    }
    expect(await nothingHeld(fixture.team.id)).toEqual({ held: 0, holds: 0 });
    expect(await verifyLedger(db(), fixture.team.id)).toEqual([]);
  });
});
