// Every API operation sent many random and hostile inputs by a key with every scope: no answer is our failure (5xx),
// every answer is one the document describes, and what is refused changes nothing.
import fc from "fast-check";
import { beforeAll, expect, it } from "vitest";
import { storableText } from "@/lib/api/input";
import { API_OPERATIONS } from "@/lib/api/operations";
import { db } from "@/lib/db/client";
import { addGrant } from "@/lib/ledger/commands";
import { apiFetch, makeApiKey, ORIGIN } from "@/test/api";
import { publishedApp } from "@/test/apps";
import { describeEachDatabase } from "@/test/db";
import { makeTeam, type TeamFixture } from "@/test/fixtures";

const hostileString = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.constantFrom("", " ", "\u0000", "\ud800", "🪁".slice(0, 1), "../../etc/passwd", "' OR 1=1 --", "<script>", "9".repeat(400), "-1", "1e309", "NaN"),
);
const hostileValue: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: "small" },
    hostileString,
    fc.integer(),
    fc.constantFrom(0, -1, 2 ** 31, 2 ** 53, -(2 ** 53), 1.5, 1e300),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie("value"), { maxLength: 3 }),
    fc.dictionary(hostileString, tie("value"), { maxKeys: 4 }),
  ),
})).value;

/** A body each write accepts, for mutations one field at a time (the fields are near-valid, so they reach the domain). */
function validBody(operationId: string, projectId: string): Record<string, unknown> | null {
  const run = { projectId, modelId: "qwen-image", quantity: 1, stage: "test", purpose: "internal_review", settings: { resolution: "1k" } };
  const answers = Object.fromEntries(["qualityNeeded", "videoNecessary", "editInstead", "isFinalVersion"].map((key) => [key, { answer: "yes", note: "" }]));
  switch (operationId) {
    case "estimateRun":
      return { modelId: "qwen-image", quantity: 1, settings: { resolution: "1k" } };
    case "admitRun":
      return run;
    case "settleRun":
      return { actual: 10, outcome: "accepted" };
    case "releaseRun":
      return { failed: true, reason: "x" };
    case "requestApproval":
      return { ...run, modelId: "flux-2-pro", stage: "final", purpose: "final_delivery", answers };
    case "recordUsage":
      return { events: [{ ...run, eventId: "e-1", outcome: "accepted", actual: 20, occurredAt: "2026-01-05T10:00:00Z" }] };
    case "runApp":
      return { projectId, values: { prompt: "A red kite", variants: 1 }, test: false };
    default:
      return null;
  }
}

async function counts(teamId: string) {
  const [runs, requests, entries, batches] = await Promise.all([
    db().run.count({ where: { teamId } }),
    db().approvalRequest.count({ where: { teamId } }),
    db().ledgerEntry.count({ where: { teamId } }),
    db().batch.count({ where: { teamId } }),
  ]);
  return { runs, requests, entries, batches };
}

describeEachDatabase("the API under random input", () => {
  let fixture: TeamFixture;
  let secret: string;
  /** Path segments of the team's own, for the valid bodies (a made-up id is refused before the body matters). */
  const segments: Record<string, string> = {};

  beforeAll(async () => {
    fixture = await makeTeam();
    await addGrant({ user: fixture.people.admin, team: fixture.team, role: "admin" }, { amount: 1_000, source: "Top-up", note: "" });
    secret = (await makeApiKey(fixture)).secret;
    segments.appId = (await publishedApp(fixture)).appId;
    process.env.API_RATE_LIMIT_PER_MINUTE = "1000000";
  });

  for (const operation of API_OPERATIONS) {
    it(`${operation.operationId}: no 5xx, answers as documented, refusals change nothing`, async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.dictionary(fc.string({ minLength: 1, maxLength: 12 }), hostileString, { maxKeys: 3 }),
          hostileValue,
          fc.array(hostileString, { minLength: 1, maxLength: 1 }),
          async (query, body, [segment]) => {
            let path = operation.path.replace("{teamSlug}", fixture.team.slug).replace(/\{\w+\}/g, () => encodeURIComponent(storableText(segment) && segment ? segment : "x"));
            const search = new URLSearchParams(Object.entries(query)).toString();
            if (search) path += `?${search}`;
            const before = await counts(fixture.team.id);
            const response = await apiFetch(
              new Request(`${ORIGIN}/api/v1${path}`, {
                method: operation.method.toUpperCase(),
                headers: { authorization: `Bearer ${secret}`, "content-type": "application/json", host: "localhost:3000" },
                ...(operation.method === "post" ? { body: JSON.stringify(body) ?? "" } : {}),
              }),
            );
            expect(response.status, `${operation.operationId} ${path}`).toBeLessThan(500);
            if (response.status >= 400) expect(await counts(fixture.team.id)).toEqual(before);
          },
        ),
        { numRuns: 60, seed: 20261206 },
      );
      const valid = validBody(operation.operationId, fixture.projectId);
      if (!valid || operation.method !== "post") return;
      const path = operation.path.replace("{teamSlug}", fixture.team.slug).replace(/\{(\w+)\}/g, (_, name: string) => segments[name] ?? "run_x");
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...Object.keys(valid), "extra"), hostileValue, async (field, value) => {
          const response = await apiFetch(
            new Request(`${ORIGIN}/api/v1${path}`, {
              method: "POST",
              headers: { authorization: `Bearer ${secret}`, "content-type": "application/json", host: "localhost:3000" },
              body: JSON.stringify({ ...valid, [field]: value }),
            }),
          );
          expect(response.status, `${operation.operationId} ${field}=${JSON.stringify(value)}`).toBeLessThan(500);
        }),
        { numRuns: 80, seed: 20261207 },
      );
    });
  }
});
