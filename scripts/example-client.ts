// `npm run example:client`: a script asks Creditwise before it spends and reports what it spent — estimate, admit,
// settle, record usage — through the typed client, each write with an Idempotency-Key (sent twice, to show a retry is safe).
//   CREDITWISE_API_KEY=cwk_…  (a key with the estimate, runs:write and usage:write scopes; Settings → API keys)
//   CREDITWISE_URL=http://localhost:3000  CREDITWISE_TEAM=demo-studio  CREDITWISE_PROJECT=<a project id>  (optional)
import { randomUUID } from "node:crypto";
import { createCreditwiseClient } from "@/lib/api/client";

const origin = process.env.CREDITWISE_URL ?? "http://localhost:3000";
const teamSlug = process.env.CREDITWISE_TEAM ?? "demo-studio";
const apiKey = process.env.CREDITWISE_API_KEY;

function fail(step: string, problem: unknown): never {
  console.error(`✖ ${step}: ${typeof problem === "string" ? problem : JSON.stringify(problem, null, 2)}`);
  process.exit(1);
}

async function main() {
  if (!apiKey) fail("setup", "Set CREDITWISE_API_KEY to a team API key (Settings → API keys).");
  const client = createCreditwiseClient({ origin, apiKey });
  const team = { path: { teamSlug } };

  // 1. Which project: the one named, or the team's first.
  const projects = await client.GET("/teams/{teamSlug}/projects", { params: team });
  if (!projects.data) fail("list projects", projects.error);
  const wanted = process.env.CREDITWISE_PROJECT;
  const project = wanted ? projects.data.projects.find((item) => item.id === wanted) : projects.data.projects[0];
  if (!project) {
    const known = projects.data.projects.map((item) => `${item.id} (${item.name})`).join(", ");
    fail("list projects", wanted ? `No project has the id ${wanted}; CREDITWISE_PROJECT takes an id: ${known || "the team has none"}.` : "The team has no project; an admin can add one.");
  }
  console.log(`Project: ${project.name}`);

  // 2. What will four test images on a budget model cost?
  const run = { modelId: "qwen-image", quantity: 4 };
  const estimate = await client.POST("/teams/{teamSlug}/estimate", { params: team, body: run });
  if (!estimate.data) fail("estimate", estimate.error);
  console.log(`Estimate: ${estimate.data.credits} credits (price list v${estimate.data.priceListVersion}) — ${estimate.data.breakdown}`);

  // 3. May we run it? Sent twice with one Idempotency-Key, as a script retrying after a timeout would: one hold.
  const admitKey = randomUUID();
  const admission = { params: team, body: { ...run, projectId: project.id, stage: "test" as const, purpose: "internal_review" as const, prompt: "Product shot, studio light" } };
  const admitted = await client.POST("/teams/{teamSlug}/runs", { ...admission, headers: { "Idempotency-Key": admitKey } });
  if (!admitted.data) fail("admission", admitted.error);
  if (admitted.data.decision !== "admitted") fail("admission", admitted.data);
  const runId = admitted.data.run.id;
  console.log(`Admitted: run ${runId}, ${admitted.data.run.held} credits held`);
  const retried = await client.POST("/teams/{teamSlug}/runs", { ...admission, headers: { "Idempotency-Key": admitKey } });
  if (retried.data?.decision !== "admitted" || retried.data.run.id !== runId) fail("admission sent again", retried.data ?? retried.error);
  console.log(`Sent again with the same Idempotency-Key: the same run (${retried.response.headers.get("idempotent-replayed") === "true" ? "replayed" : "?"}), nothing held twice`);

  // 4. The generation ran (elsewhere): charge what it cost.
  const settled = await client.POST("/teams/{teamSlug}/runs/{runId}/settle", {
    params: { path: { teamSlug, runId } },
    body: { actual: estimate.data.credits, outcome: "accepted" },
    headers: { "Idempotency-Key": randomUUID() },
  });
  if (!settled.data) fail("settle", settled.error);
  console.log(`Settled: ${settled.data.actual} credits charged${settled.data.overrun ? " (more than held)" : ""}`);

  // 5. A run that already happened on the platform, reported with its event id — sent twice, recorded once.
  const event = {
    eventId: `example-${randomUUID()}`,
    projectId: project.id,
    modelId: "qwen-image",
    quantity: 2,
    stage: "draft" as const,
    purpose: "client_draft" as const,
    outcome: "accepted" as const,
    actual: 40,
    occurredAt: new Date(Date.now() - 5 * 60_000).toISOString(),
    prompt: "Product shot, warm light",
  };
  for (const attempt of ["Recorded", "Sent again"]) {
    const recorded = await client.POST("/teams/{teamSlug}/usage", { params: team, body: { events: [event] }, headers: { "Idempotency-Key": randomUUID() } });
    if (!recorded.data) fail("record usage", recorded.error);
    const [answer] = recorded.data.events;
    if (answer.status === "refused") fail("record usage", answer);
    const expected = attempt === "Recorded" ? "recorded" : "already_recorded";
    if (answer.status !== expected) fail("record usage", `expected ${expected}, got ${answer.status}`);
    console.log(`${attempt}: event ${answer.eventId} → ${answer.status} (run ${answer.runId})`);
  }
  console.log("Done: every step succeeded.");
}

main().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  if (message === "fetch failed") fail("connect", `Nothing answered at ${origin}. Is Creditwise running (npm start)? Set CREDITWISE_URL to its address.`);
  fail("unexpected", message);
});
