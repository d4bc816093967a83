// The API's admission answers, shaped from the ledger's outcomes, and the project check a key limited to one project needs.
import "server-only";
import { DomainError } from "@/lib/authz/result";
import { checkKeyProject, type ApiContext } from "@/lib/authz/api";
import { db } from "@/lib/db/client";
import type { AdmitOutcome } from "@/lib/ledger/commands";
import type { StoredAnswer } from "./idempotency";

const RUN_NOT_FOUND = "That run does not exist in this team.";

/** A run of this team the caller may touch: a key limited to one project reaches that project's runs only. */
export async function checkRunReachable(ctx: ApiContext, runId: string): Promise<void> {
  const run = await db().run.findFirst({ where: { id: runId, teamId: ctx.team.id }, select: { projectId: true } });
  if (!run) throw new DomainError("not_found", RUN_NOT_FOUND);
  checkKeyProject(ctx, run.projectId, "runId");
}

export function apiBase(ctx: ApiContext): string {
  return `/api/v1/teams/${ctx.team.slug}`;
}

export function admissionAnswer(ctx: ApiContext, outcome: AdmitOutcome): StoredAnswer {
  const base = { estimate: outcome.estimate, priceListVersion: outcome.priceListVersion };
  switch (outcome.status) {
    case "admitted":
      return {
        status: 201,
        body: {
          decision: "admitted",
          ...base,
          run: { id: outcome.runId, state: "held", held: outcome.estimate },
          links: { settle: `${apiBase(ctx)}/runs/${outcome.runId}/settle`, release: `${apiBase(ctx)}/runs/${outcome.runId}/release` },
        },
      };
    case "needs_approval":
      return { status: 200, body: { decision: "needs_approval", ...base, rule: outcome.rule, links: { requestApproval: `${apiBase(ctx)}/approvals` } } };
    case "denied": {
      const { limit, needed, shortfall, available, budget, used, remaining, periodKey } = outcome.denial;
      const denial = { code: limit, needed, shortfall, available, budget, used, remaining, period: periodKey };
      return { status: 200, body: { decision: "denied", ...base, reason: outcome.reason, denial: JSON.parse(JSON.stringify(denial)) } };
    }
  }
}
