// One approval request: the run asked for with its estimate, the rule it was made under, the cheaper alternatives, the
// four answers, the decisions and the timeline; and what this person may do with it (decide, withdraw, run).
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { REQUEST_STATE_LABELS, REQUEST_STATE_TONES } from "@/components/approvals/labels";
import { DecideForm, RunWithApproval, WithdrawButton } from "@/components/approvals/request-controls";
import { FindingList } from "@/components/batches/finding-list";
import { listedFinding } from "@/components/batches/listed-finding";
import { RUN_STATE_LABELS, RUN_STATE_TONES, STAGE_SHORT } from "@/components/ledger/labels";
import { Badge } from "@/components/ui/badge";
import { Card, PageHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/table";
import { requestDetail, type RequestDetail } from "@/lib/approvals/request-queries";
import { requireTeam } from "@/lib/authz/page";
import { hasRole } from "@/lib/authz/roles";
import { FINAL_QUESTION_LABELS } from "@/lib/batches/schema";
import { formatDateTime, formatNumber, formatSignedNumber } from "@/lib/format";
import { PURPOSE_LABELS } from "@/lib/ledger/schema";
import { priceListVersion } from "@/lib/price-lists/queries";
import { findEntry, findOption } from "@/lib/pricing/estimate";
import type { CatalogEntry } from "@/lib/pricing/types";

type Props = { params: Promise<{ teamSlug: string; requestId: string }> };

export const metadata: Metadata = { title: "Approval request" };

export default async function ApprovalRequestPage({ params }: Props) {
  const { teamSlug, requestId } = await params;
  const ctx = await requireTeam(teamSlug);
  const { team } = ctx;
  const request = await requestDetail(ctx, requestId);
  if (!request) notFound();
  // The price list the request was priced with, for the settings' labels ("Duration 8 s", not "duration: 8").
  const pricedWith = await priceListVersion(team.id, request.priceListVersion);
  const tz = team.timeZone;
  const base = `/t/${team.slug}`;
  const projectHref = `${base}/projects/${request.project.id}`;
  const { viewer } = request;
  const canDecide = viewer.whyNotDecide === null;
  const hold = request.holdRun;
  // The run the approval held is the requester's to settle once they ran it (admins settle any run on the project page).
  const holdToSettle =
    hold && request.state === "used" && hold.state === "held" && (viewer.isRequester || hasRole(ctx.role, "admin")) && hasRole(ctx.role, "member")
      ? { id: hold.id, modelName: hold.modelName, quantity: hold.quantity, estimate: hold.estimate, state: hold.state }
      : null;

  return (
    <div className="flex flex-col gap-6">
      <nav aria-label="Breadcrumb" className="-mb-3 text-sm">
        <Link href={`${base}/approvals`}>← Approvals</Link>
      </nav>
      <PageHeader
        title={
          <>
            {formatNumber(request.quantity)} × {request.modelName}{" "}
            <Badge tone={REQUEST_STATE_TONES[request.state]} className="align-middle">
              {REQUEST_STATE_LABELS[request.state]}
            </Badge>
          </>
        }
        description={`Asked by ${request.requester.name} on ${formatDateTime(request.createdAt, tz)} for ${formatNumber(request.estimate)} credits.`}
      />

      <StateNote request={request} tz={tz} />

      {(canDecide || viewer.canWithdraw || viewer.canRun || holdToSettle) && (
        <Card title={canDecide ? "Your decision" : viewer.canWithdraw ? "Your request" : viewer.canRun ? "Run it" : "The approved run"} data-testid="request-actions">
          {canDecide && <DecideForm teamSlug={team.slug} requestId={request.id} />}
          {viewer.canWithdraw && (
            <div className="flex flex-wrap items-center justify-between gap-3">
              <p className="text-sm text-zinc-700">It waits for an approver. Changed your mind? Withdraw it; nothing is held yet.</p>
              <WithdrawButton teamSlug={team.slug} requestId={request.id} />
            </div>
          )}
          {(viewer.canRun || holdToSettle) && (
            <RunWithApproval teamSlug={team.slug} approvalId={request.id} canRun={viewer.canRun} hold={holdToSettle} projectHref={projectHref} />
          )}
        </Card>
      )}

      <div className="grid gap-6 lg:grid-cols-2">
        <Card title="The run">
          <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-2 text-sm">
            <dt className="text-zinc-600">Project</dt>
            <dd>
              <Link href={projectHref}>{request.project.name}</Link>
              {request.project.archivedAt && <span className="text-zinc-600"> (archived)</span>}
            </dd>
            {request.batchItem && (
              <>
                <dt className="text-zinc-600">Batch item</dt>
                <dd>
                  <Link href={`${base}/batches/${request.batchItem.batch.id}/items/${request.batchItem.id}`}>{request.batchItem.title}</Link>
                  <span className="text-zinc-600"> in {request.batchItem.batch.name}</span>
                </dd>
              </>
            )}
            <dt className="text-zinc-600">Model</dt>
            <dd>
              {request.modelName}
              {request.tier && <span className="text-zinc-600"> · {request.tier} tier</span>}
            </dd>
            <dt className="text-zinc-600">Settings</dt>
            <dd data-testid="request-settings">
              {Object.keys(request.settings).length === 0 ? "Defaults" : settingWords(request.settings, pricedWith ? findEntry(pricedWith.priceList, request.modelId) : undefined)}
            </dd>
            <dt className="text-zinc-600">Quantity</dt>
            <dd className="tabular-nums">{formatNumber(request.quantity)}</dd>
            <dt className="text-zinc-600">Stage</dt>
            <dd>{STAGE_SHORT[request.stage]}</dd>
            <dt className="text-zinc-600">Purpose</dt>
            <dd>{PURPOSE_LABELS[request.purpose as keyof typeof PURPOSE_LABELS] ?? request.purpose}</dd>
            {request.notes && (
              <>
                <dt className="text-zinc-600">Notes</dt>
                <dd className="break-words whitespace-pre-line">{request.notes}</dd>
              </>
            )}
          </dl>
        </Card>

        <Card title="Estimate and rule">
          <p className="text-3xl font-semibold text-zinc-900 tabular-nums" data-testid="request-estimate">
            {formatNumber(request.estimate)} <span className="text-base font-normal text-zinc-600">credits</span>
          </p>
          <p className="mt-1 text-sm break-words text-zinc-700">{request.breakdown}</p>
          <p className="mt-1 text-xs text-zinc-600">Priced with price list v{request.priceListVersion} when it was asked.</p>
          <dl className="mt-4 grid grid-cols-[auto_1fr] gap-x-4 gap-y-2 border-t border-zinc-200 pt-4 text-sm">
            <dt className="text-zinc-600">Rule</dt>
            <dd>
              “{request.rule.name}”, for {request.rule.condition}
            </dd>
            <dt className="text-zinc-600">Needs</dt>
            <dd data-testid="request-requirement">{request.rule.requirement}</dd>
            <dt className="text-zinc-600">Policy</dt>
            <dd>
              Version {request.policyVersion}
              {request.policyVersion === 0 ? " (the default policy)" : ""}; later changes to the policy do not change this request.
            </dd>
          </dl>
        </Card>
      </div>

      <Card title="Cheaper alternatives" description="What the recommendations found for this run when it was asked, with what each would save." flush>
        {request.findings.length === 0 ? (
          <EmptyState title="No cheaper alternative found" text="The recommendations found nothing to change for this run." />
        ) : (
          <FindingList
            teamSlug={team.slug}
            canEdit={false}
            findings={request.findings.map((finding) => ({ ...listedFinding(finding, { batchId: request.id, itemTitle: null }), applicable: false }))}
          />
        )}
      </Card>

      <Card title="Before generating" description="The requester's answers to the four questions.">
        <dl className="flex flex-col gap-3 text-sm" data-testid="request-answers">
          {request.answers.map((answer) => (
            <div key={answer.question} className="grid gap-1 sm:grid-cols-[minmax(0,1fr)_auto_minmax(0,1.5fr)] sm:gap-4">
              <dt className="text-zinc-700">{FINAL_QUESTION_LABELS[answer.question]}</dt>
              <dd className="font-medium">{answer.answer === "yes" ? "Yes" : answer.answer === "no" ? "No" : "Not answered"}</dd>
              <dd className="text-zinc-600">{answer.note || "—"}</dd>
            </div>
          ))}
        </dl>
      </Card>

      <div className="grid gap-6 lg:grid-cols-2">
        <Card title="Decisions" flush>
          {request.decisions.length === 0 ? (
            <EmptyState title="No decision yet" text={`It needs ${request.rule.requirement}.`} />
          ) : (
            <ul className="divide-y divide-zinc-200" data-testid="request-decisions">
              {request.decisions.map((decision) => (
                <li key={decision.id} className="px-4 py-3 text-sm sm:px-5">
                  <p className="flex flex-wrap items-center gap-2">
                    <span className="font-medium text-zinc-900">{decision.userName}</span>
                    <Badge tone={decision.decision === "approve" ? "green" : "red"}>{decision.decision === "approve" ? "Approved" : "Rejected"}</Badge>
                    <span className="text-zinc-600">{formatDateTime(decision.createdAt, tz)}</span>
                  </p>
                  {decision.comment && <p className="mt-1 break-words whitespace-pre-line text-zinc-700">{decision.comment}</p>}
                </li>
              ))}
            </ul>
          )}
        </Card>

        <Card title="Timeline" description="Every step, and every credit movement of its hold, oldest first." flush>
          <ol className="divide-y divide-zinc-200" data-testid="request-timeline">
            {request.timeline.map((entry) => (
              <li key={entry.id} className="flex flex-wrap justify-between gap-x-4 gap-y-0.5 px-4 py-2.5 text-sm sm:px-5">
                <span className="min-w-0 break-words text-zinc-900">
                  {entry.text}
                  {entry.source === "ledger" && (
                    <span className="text-zinc-600 tabular-nums">
                      {" "}
                      ({entry.amount !== 0 ? `${formatSignedNumber(entry.amount)} balance` : ""}
                      {entry.amount !== 0 && entry.heldDelta !== 0 ? ", " : ""}
                      {entry.heldDelta !== 0 ? `${formatSignedNumber(entry.heldDelta)} held` : ""})
                    </span>
                  )}
                </span>
                <span className="whitespace-nowrap text-zinc-600">
                  {entry.actorName ?? "Creditwise"} · {formatDateTime(entry.at, tz)}
                </span>
              </li>
            ))}
          </ol>
        </Card>
      </div>
    </div>
  );
}

/** Where the request stands now, in one sentence, with the moment it lapses or expires. */
/** Settings in the catalog's words where the entry still knows them, as stored otherwise. */
function settingWords(settings: Record<string, string>, entry: CatalogEntry | undefined): string {
  return Object.entries(settings)
    .map(([key, value]) => {
      const setting = entry?.settings.find((each) => each.key === key);
      const option = setting ? findOption(setting, value) : undefined;
      return setting && option ? `${setting.label} ${option.label}` : `${key}: ${value}`;
    })
    .join(" · ");
}

/** What became of the credits an approval held, in a few words. */
const HOLD_WORDS: Record<string, string> = {
  held: "Credits held",
  settled: "Run settled",
  released: "Hold released",
  failed: "Run failed, hold released",
};

function StateNote({ request, tz }: { request: RequestDetail; tz: string }) {
  const hold = request.holdRun;
  let text: string;
  switch (request.state) {
    case "pending": {
      // With two approvals required, say how far it is and that the next one must come from someone else.
      const approvedBy = request.decisions.filter((decision) => decision.decision === "approve").map((decision) => decision.userName);
      const progress =
        approvedBy.length > 0
          ? ` ${formatNumber(approvedBy.length)} of ${formatNumber(request.rule.approvals)} approvals so far (${approvedBy.join(", ")}); the next must come from someone else.`
          : "";
      text = `Waiting for a decision. It needs ${request.rule.requirement}.${progress} If nobody decides it by ${formatDateTime(request.lapsesAt, tz)}, it lapses.`;
      break;
    }
    case "approved":
      text = `Approved: ${formatNumber(request.estimate)} credits are held for ${request.requester.name}. The approval expires unused on ${request.expiresAt ? formatDateTime(request.expiresAt, tz) : "—"} and its hold is then released.`;
      break;
    case "used":
      text =
        hold?.state === "held"
          ? `Run with this approval: its ${formatNumber(hold.estimate)} credits stay held until the run is settled or released.`
          : hold?.actual !== null && hold?.actual !== undefined
            ? `Run with this approval and settled at ${formatNumber(hold.actual)} credits.`
            : "Run with this approval; its hold has ended.";
      break;
    case "expired":
      text = `The approval expired unused${request.expiresAt ? ` on ${formatDateTime(request.expiresAt, tz)}` : ""}; its held credits go back to the team. To run it, ask again.`;
      break;
    case "lapsed":
      text = `Nobody decided it by ${formatDateTime(request.lapsesAt, tz)}, so it lapsed. To run it, ask again.`;
      break;
    case "rejected":
      text = "Rejected; nothing was held. The decisions below say why.";
      break;
    case "withdrawn":
      text = "Withdrawn by the person who asked; nothing was held.";
      break;
  }
  return (
    <p className="-mt-2 flex flex-wrap items-center gap-2 text-sm text-zinc-700" data-testid="request-state">
      {text}
      {hold && (
        <Badge tone={RUN_STATE_TONES[hold.state as keyof typeof RUN_STATE_TONES]}>
          {HOLD_WORDS[hold.state] ?? RUN_STATE_LABELS[hold.state as keyof typeof RUN_STATE_LABELS]}
        </Badge>
      )}
    </p>
  );
}
