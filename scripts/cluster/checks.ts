// What must hold after a storm, whatever happened during it: every resend answered as the first request, one run per
// Idempotency-Key, nothing left held, each usage event once, each approval used once, no budget, limit or balance
// passed, and `verify` clean.
import { canonicalJson } from "@/lib/canonical-json";
import { db } from "@/lib/db/client";
import { creditSummary, listMemberLimits, projectBudgetStatuses } from "@/lib/ledger/queries";
import { verifyLedger } from "@/lib/ledger/verify";
import type { StormRecord } from "./storm";
import { CAPPED_BUDGET, MEMBER_LIMIT, type ClusterTeam } from "./team";

export type Check = (ok: boolean, what: string, detail?: string) => void;

export async function checkAfterStorm(record: StormRecord, team: ClusterTeam, check: Check): Promise<void> {
  // Every attempt of one Idempotency-Key answered alike (a replay is the first answer).
  // Compared as canonical JSON: a kept answer comes back from jsonb with its keys in the database's order.
  const differing = record.requests.filter((request) => new Set(request.answers.map((answer) => canonicalJson(answer))).size > 1);
  check(
    differing.length === 0,
    "every resend of a request got the first answer",
    `${record.requests.length} requests; ${differing.length} differing ${differing.slice(0, 2).map((request) => `${request.kind}: ${JSON.stringify(request.answers).slice(0, 600)}`).join(" | ")}`,
  );
  const unexpected = record.requests.filter((request) => request.answers.some((answer) => answer.status >= 400));
  check(unexpected.length === 0, "no request ended refused or failed", unexpected.slice(0, 3).map((request) => `${request.kind}: ${JSON.stringify(request.answers[0]).slice(0, 300)}`).join(" | "));

  const runs = await db().run.findMany({ where: { teamId: team.teamId }, select: { id: true, externalId: true, state: true } });
  const keyed = await db().ledgerEntry.findMany({ where: { teamId: team.teamId, idempotencyKey: { not: null } }, select: { idempotencyKey: true, kind: true } });
  const admittedKeys = record.requests.filter((request) => request.kind === "admit" && request.answers[0].status === 201);
  const byLedgerKey = new Map<string, number>();
  // One ledger entry of each kind per key: a hold, a charge or a release done twice would show here.
  for (const entry of keyed) byLedgerKey.set(`${entry.kind} ${entry.idempotencyKey}`, (byLedgerKey.get(`${entry.kind} ${entry.idempotencyKey}`) ?? 0) + 1);
  const twice = [...byLedgerKey.values()].filter((count) => count > 1).length;
  const admittedRunIds = new Set(admittedKeys.map((request) => (request.answers[0].body as { run: { id: string } }).run.id));
  check(twice === 0 && admittedRunIds.size === admittedKeys.length, "one run per Idempotency-Key, each movement once", `${admittedKeys.length} admissions → ${admittedRunIds.size} runs; ${keyed.length} keyed ledger entries, ${twice} keys with a movement twice`);
  check(runs.every((run) => run.state !== "held"), "no run left held", `${runs.filter((run) => run.state === "held").length} held`);

  const externalIds = runs.filter((run) => run.externalId).map((run) => run.externalId);
  const sentIds = new Set(record.eventIds);
  check(
    externalIds.length === new Set(externalIds).size && record.eventIds.every((id) => externalIds.includes(id)) && externalIds.every((id) => sentIds.has(id!)),
    "each usage event recorded exactly once",
    `${record.eventIds.length} events, ${externalIds.length} runs`,
  );

  const requests = await db().approvalRequest.findMany({ where: { teamId: team.teamId }, select: { id: true, state: true, holdRunId: true } });
  const approved = record.approvals.filter((approval) => approval.approved);
  const stateOf = new Map(requests.map((request) => [request.id, request]));
  check(
    requests.length === record.approvals.length &&
      approved.every((approval) => stateOf.get(approval.id)?.state === "used") &&
      new Set(approved.map((approval) => approval.runId)).size === approved.length &&
      record.approvals.filter((approval) => !approval.approved).every((approval) => stateOf.get(approval.id)?.state === "pending" && !stateOf.get(approval.id)?.holdRunId),
    "every approval approved on one instance and run on the other was used exactly once; the rest hold nothing",
    `${requests.length} requests, ${approved.length} approved and used`,
  );

  const now = new Date();
  const [budget] = await projectBudgetStatuses({ id: team.teamId, timeZone: team.timeZone }, now, team.cappedProjectId);
  check(budget.budget !== null && budget.budget.used <= CAPPED_BUDGET, "the capped project's budget was never passed", `${budget.budget?.used} of ${CAPPED_BUDGET}`);
  const limit = (await listMemberLimits({ id: team.teamId, timeZone: team.timeZone }, now)).find((entry) => entry.user.id === team.limitedUserId);
  check(limit !== undefined && limit.used <= MEMBER_LIMIT, "the member limit was never passed", `${limit?.used} of ${MEMBER_LIMIT}`);
  // Usage that happened is recorded even when the balance cannot cover it (it becomes debt); an admission never is.
  const credits = await creditSummary(team.teamId, now);
  const recorded = await db().run.aggregate({ where: { teamId: team.teamId, externalId: { not: null } }, _sum: { actual: true } });
  // Which bounds the storm reached: an admission denied names the budget, the limit or the balance it would pass.
  const denials: Record<string, number> = {};
  for (const request of record.requests) {
    const code = (request.answers[0].body as { denial?: { code?: string } } | null)?.denial?.code;
    if (code) denials[code] = (denials[code] ?? 0) + 1;
  }
  check(
    credits.held === 0 && credits.balance + credits.debt >= 0 && credits.debt <= (recorded._sum.actual ?? 0),
    "the balance was never passed by an admission (debt only from usage recorded after it ran out)",
    `${JSON.stringify(credits)}; usage recorded ${recorded._sum.actual ?? 0}; admissions denied: ${JSON.stringify(denials)}`,
  );
  const differences = await verifyLedger(db());
  check(differences.length === 0, "verify is clean", differences.slice(0, 3).map((difference) => JSON.stringify(difference)).join(" | "));
}
