// The storm: clients that admit and settle or release, record usage, and ask for, approve and run premium finals,
// through both instances at once, resending what got no answer with the same Idempotency-Key (and now and then a
// duplicate on the other instance while the first is in flight). Every answer is kept for the checks.
import { randomUUID } from "node:crypto";
import { ANSWERS, cheapTest as cheap, premiumRun as premium } from "@/test/approvals";
import { callAction, sendUntilAnswered, type Answer, type Sent } from "./http";
import type { ClusterTeam } from "./team";

export type KeyedRequest = { kind: "admit" | "settle" | "release" | "usage" | "approval" | "approved-run" | "approved-settle"; idempotencyKey: string; answers: Answer[] };

export type StormRecord = {
  requests: KeyedRequest[];
  /** Usage event ids sent, each exactly once in the end. */
  eventIds: string[];
  /** Approval requests made, and whether each was approved and run. */
  approvals: { id: string; approved: boolean; runId?: string }[];
  counts: Record<string, number>;
};

type Live = () => string[];


async function keyed(record: StormRecord, live: Live, kind: KeyedRequest["kind"], key: string, method: string, path: string, body: unknown): Promise<Answer> {
  const idempotencyKey = randomUUID();
  const send = () => sendUntilAnswered(live, { method, path, key, idempotencyKey, body });
  // One request in five is sent twice at once, as a client that timed out too early would.
  const sent: Sent[] = Math.random() < 0.2 ? await Promise.all([send(), send()]) : [await send()];
  const answers = sent.flatMap((one) => one.attempts);
  record.requests.push({ kind, idempotencyKey, answers: sent.map((one) => one.answer) });
  record.counts[kind] = (record.counts[kind] ?? 0) + 1;
  record.counts.attempts = (record.counts.attempts ?? 0) + answers.length;
  return sent[0].answer;
}


async function pair(record: StormRecord, live: Live, team: ClusterTeam, key: string, base: string) {
  const admitted = await keyed(record, live, "admit", key, "POST", `${base}/runs`, cheap(Math.random() < 0.8 ? team.cappedProjectId : team.openProjectId));
  const run = (admitted.body as { decision?: string; run?: { id: string } }).run;
  if (admitted.status !== 201 || !run) return;
  if (Math.random() < 0.25) await keyed(record, live, "release", key, "POST", `${base}/runs/${run.id}/release`, { failed: Math.random() < 0.5 });
  else await keyed(record, live, "settle", key, "POST", `${base}/runs/${run.id}/settle`, { actual: 80 + Math.floor(Math.random() * 21), outcome: "accepted" });
}

async function usage(record: StormRecord, live: Live, team: ClusterTeam, key: string, base: string) {
  const events = Array.from({ length: 1 + Math.floor(Math.random() * 3) }, () => {
    const eventId = `job-${randomUUID()}`;
    record.eventIds.push(eventId);
    return { eventId, ...cheap(team.openProjectId), outcome: "accepted", actual: 10, occurredAt: new Date().toISOString() };
  });
  await keyed(record, live, "usage", key, "POST", `${base}/usage`, { events });
}

async function approval(record: StormRecord, live: Live, team: ClusterTeam, key: string, base: string, approverCookie: string) {
  const requested = await keyed(record, live, "approval", key, "POST", `${base}/approvals`, { ...premium(team.openProjectId), answers: ANSWERS });
  const id = (requested.body as { id?: string }).id;
  if (requested.status !== 201 || !id) return;
  const entry: StormRecord["approvals"][number] = { id, approved: false };
  record.approvals.push(entry);
  // Approved on one instance (the approver's session, as the page's button does), run on the other.
  const [decideOn, runOn] = Math.random() < 0.5 ? [0, 1] : [1, 0];
  let last = "";
  for (let attempt = 0; attempt < 200 && !entry.approved; attempt++) {
    const origins = live();
    const decided = await callAction(origins[decideOn % origins.length], approverCookie, `/t/${team.slug}/approvals/${id}`, "decideRequestAction", {
      teamSlug: team.slug,
      requestId: id,
      decision: "approve",
      comment: "",
    });
    if (decided?.ok) entry.approved = true;
    // Refused for a reason of the ledger's (the requester's limit or the balance cannot hold it): it stays pending.
    else if (decided?.code === "conflict") return;
    else {
      // No answer, or refused because an earlier attempt did approve it: read the request's state.
      const state = await sendUntilAnswered(live, { method: "GET", path: `${base}/approvals/${id}`, key });
      last = `${JSON.stringify(decided)} / ${JSON.stringify(state.answer).slice(0, 300)}`;
      if ((state.answer.body as { state?: string }).state === "approved") entry.approved = true;
      else await new Promise((resolve) => setTimeout(resolve, 300));
    }
  }
  if (!entry.approved) throw new Error(`Approval ${id} could not be approved: ${last}`);
  const runOrigins: Live = () => {
    const origins = live();
    return [origins[runOn % origins.length], ...origins];
  };
  const ran = await keyed(record, runOrigins, "approved-run", key, "POST", `${base}/runs`, { ...premium(team.openProjectId), approvalId: id });
  const run = (ran.body as { run?: { id: string } }).run;
  if (ran.status !== 201 || !run) throw new Error(`The approved request ${id} did not run: ${JSON.stringify(ran)}`);
  entry.runId = run.id;
  await keyed(record, live, "approved-settle", key, "POST", `${base}/runs/${run.id}/settle`, { actual: 240, outcome: "accepted" });
}

/** Runs `clients` loops until `until()` says stop; each loop does one operation after another. */
export async function storm(options: { team: ClusterTeam; live: Live; clients: number; until: () => boolean; approverCookie: () => string }): Promise<StormRecord> {
  const record: StormRecord = { requests: [], eventIds: [], approvals: [], counts: {} };
  const base = `/api/v1/teams/${options.team.slug}`;
  await Promise.all(
    Array.from({ length: options.clients }, async (_, client) => {
      const { secret } = options.team.memberKeys[client % options.team.memberKeys.length];
      while (!options.until()) {
        const roll = Math.random();
        if (roll < 0.7) await pair(record, options.live, options.team, secret, base);
        // Usage that happened is recorded past a limit (by design): it is sent by a member without one.
        else if (roll < 0.9) await usage(record, options.live, options.team, options.team.memberKeys[1].secret, base);
        else await approval(record, options.live, options.team, secret, base, options.approverCookie());
      }
    }),
  );
  return record;
}

