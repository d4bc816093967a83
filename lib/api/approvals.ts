// The API's approval answers, shaped from the request commands and the request page's read, and the batch item an
// approval was given for (a run on the approval must name the same item).
import "server-only";
import type { z } from "zod";
import type { CreatedRequest } from "@/lib/approvals/request-commands";
import type { CreateRequestInput, RequestAnswers } from "@/lib/approvals/request-schema";
import type { RequestDetail } from "@/lib/approvals/request-queries";
import { checkKeyProject, type ApiContext } from "@/lib/authz/api";
import { DomainError } from "@/lib/authz/result";
import { FINAL_QUESTION_LABELS, FINAL_QUESTIONS } from "@/lib/batches/schema";
import { db } from "@/lib/db/client";
import type { RunLink } from "@/lib/ledger/commands";
import { RUN_ITEM_ID, type Finding } from "@/lib/recommendations";
import type { StoredAnswer } from "./idempotency";
import type { approvalAnswer, requestApprovalBody } from "./operations/approvals";
import { findingAnswer } from "./batches";
import { apiBase } from "./runs";

type ApprovalBody = z.output<typeof approvalAnswer>;

const REQUEST_NOT_FOUND = "That approval request does not exist in this team.";

function links(ctx: ApiContext, requestId: string) {
  return { self: `${apiBase(ctx)}/approvals/${requestId}`, page: `/t/${ctx.team.slug}/approvals/${requestId}` };
}

/** The request as the command takes it. A request keeps no prompt (the run sends it again), and a note left out is empty. */
export function requestInput(body: z.output<typeof requestApprovalBody>): CreateRequestInput {
  const { answers, prompt: _prompt, ...run } = body;
  void _prompt;
  return {
    ...run,
    settings: run.settings ?? {},
    notes: run.notes ?? "",
    answers: Object.fromEntries(FINAL_QUESTIONS.map((question) => [question, { answer: answers[question].answer, note: answers[question].note ?? "" }])) as RequestAnswers,
  };
}

export function requestedAnswer(ctx: ApiContext, created: CreatedRequest): StoredAnswer {
  return {
    status: 201,
    body: {
      decision: "requested",
      id: created.requestId,
      state: "pending",
      estimate: created.estimate,
      rule: created.rule,
      lapsesAt: created.lapsesAt.toISOString(),
      links: links(ctx, created.requestId),
    },
  };
}

export function notNeededAnswer(ctx: ApiContext): StoredAnswer {
  return {
    status: 200,
    body: {
      decision: "not_needed",
      detail: "The team's approval policy lets this run through without an approval: nothing was requested. Send it to POST /runs as it is.",
      links: { admit: `${apiBase(ctx)}/runs` },
    },
  };
}

/** A request's findings are about the run asked for, not an item of a batch. */
function requestFinding(finding: Finding) {
  return findingAnswer({ ...finding, itemId: finding.itemId === RUN_ITEM_ID ? null : finding.itemId });
}

/** A request of this team the caller may read: a key limited to one project reads that project's requests only. */
export function checkRequestReachable(ctx: ApiContext, detail: RequestDetail | null): RequestDetail {
  if (!detail) throw new DomainError("not_found", REQUEST_NOT_FOUND);
  checkKeyProject(ctx, detail.project.id, "approvalId");
  return detail;
}

export function approvalDetailAnswer(ctx: ApiContext, detail: RequestDetail): ApprovalBody {
  const hold = detail.holdRun;
  return {
    id: detail.id,
    state: detail.state,
    createdAt: detail.createdAt.toISOString(),
    requester: detail.requester,
    project: { id: detail.project.id, name: detail.project.name, archived: detail.project.archivedAt !== null },
    batchItem: detail.batchItem ? { id: detail.batchItem.id, title: detail.batchItem.title, batchId: detail.batchItem.batch.id, batchName: detail.batchItem.batch.name } : null,
    run: {
      modelId: detail.modelId,
      modelName: detail.modelName,
      tier: detail.tier as ApprovalBody["run"]["tier"],
      outputType: detail.outputType as ApprovalBody["run"]["outputType"],
      settings: detail.settings,
      quantity: detail.quantity,
      stage: detail.stage,
      purpose: detail.purpose as ApprovalBody["run"]["purpose"],
      notes: detail.notes,
    },
    estimate: detail.estimate,
    breakdown: detail.breakdown,
    priceListVersion: detail.priceListVersion,
    policyVersion: detail.policyVersion,
    rule: detail.rule,
    findings: detail.findings.map(requestFinding),
    answers: detail.answers.map((answer) => ({ question: answer.question, label: FINAL_QUESTION_LABELS[answer.question], answer: answer.answer, note: answer.note })),
    decisions: detail.decisions.map((decision) => ({
      userId: decision.userId,
      userName: decision.userName,
      decision: decision.decision,
      comment: decision.comment,
      at: decision.createdAt.toISOString(),
    })),
    approvedAt: detail.approvedAt?.toISOString() ?? null,
    expiresAt: detail.expiresAt?.toISOString() ?? null,
    lapsesAt: detail.lapsesAt.toISOString(),
    hold: hold ? { runId: hold.id, state: hold.state, held: hold.estimate, actual: hold.actual } : null,
    howToRun:
      detail.state === "approved"
        ? {
            method: "POST",
            href: `${apiBase(ctx)}/runs`,
            body: {
              projectId: detail.project.id,
              modelId: detail.modelId,
              settings: detail.settings,
              quantity: detail.quantity,
              stage: detail.stage,
              purpose: detail.purpose as ApprovalBody["run"]["purpose"],
              notes: detail.notes,
              approvalId: detail.id,
            },
            note: `Only ${detail.requester.name}, who asked, can run it: signed in, or with a key they made. The held run becomes this run; settle or release it afterwards.`,
          }
        : null,
    links: links(ctx, detail.id),
  };
}

/**
 * The batch item of the approval a run names, so the run names it too (an approval covers the run of its own item);
 * nothing when the approval is for no item, or is not this team's (the admission then refuses it).
 */
export async function approvalRunLink(ctx: ApiContext, approvalId: string | undefined): Promise<RunLink | undefined> {
  if (!approvalId) return undefined;
  const approval = await db().approvalRequest.findFirst({ where: { id: approvalId, teamId: ctx.team.id }, select: { batchItemId: true } });
  return approval?.batchItemId ? { batchItemId: approval.batchItemId } : undefined;
}
