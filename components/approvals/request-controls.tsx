"use client";
// What a person can do on a request's page: decide it (approve, or reject with a reason), withdraw their own while it
// waits, and run it once approved — then settle or release the run its approval held.
import Link from "next/link";
import { useActionForm } from "@/components/forms/use-action-form";
import { AdmissionAnswer } from "@/components/ledger/admission-answer";
import { useRequestKey } from "@/components/ledger/request-key";
import { RunControls } from "@/components/ledger/run-controls";
import { ConfirmDialog } from "@/components/ui/dialog";
import { FormError } from "@/components/ui/input";
import { SubmitButton } from "@/components/ui/submit-button";
import { Textarea } from "@/components/ui/textarea";
import { decideRequestAction, runApprovedAction, withdrawRequestAction } from "@/lib/approvals/request-actions";
import { formatNumber } from "@/lib/format";

export function DecideForm({ teamSlug, requestId }: { teamSlug: string; requestId: string }) {
  const form = useActionForm(decideRequestAction);
  return (
    <form id={form.formId} action={form.formAction} className="flex flex-col gap-3" noValidate data-testid="decide-form">
      <input type="hidden" name="teamSlug" value={teamSlug} />
      <input type="hidden" name="requestId" value={requestId} />
      <Textarea
        label="Comment"
        name="comment"
        rows={3}
        defaultValue={form.value("comment")}
        error={form.fieldError("comment")}
        hint="Optional to approve; needed to reject, so the requester knows why."
      />
      <FormError message={form.formError} />
      <div className="flex flex-wrap gap-2">
        <SubmitButton name="decision" value="approve" pending={form.pending} pendingLabel="Saving…">
          Approve
        </SubmitButton>
        <SubmitButton name="decision" value="reject" variant="danger" pending={form.pending} pendingLabel="Saving…">
          Reject
        </SubmitButton>
      </div>
    </form>
  );
}

export function WithdrawButton({ teamSlug, requestId }: { teamSlug: string; requestId: string }) {
  return (
    <ConfirmDialog
      title="Withdraw this request"
      triggerLabel="Withdraw"
      triggerVariant="secondary"
      body="Nobody can decide it any more and nothing is held. To run it later, ask again."
      confirmLabel="Withdraw"
      tone="danger"
      action={withdrawRequestAction}
      hiddenFields={{ teamSlug, requestId }}
    />
  );
}

/** The request's run, as the run form posts it. */
type Hold = { id: string; modelName: string; quantity: number; estimate: number; state: string };

/**
 * "Run it" for the requester of an approved request: admission with the approval, which makes its hold the run. Kept
 * mounted once the page refreshes as "run", so the answer stays in sight above the settle and release controls.
 */
export function RunWithApproval({
  teamSlug,
  approvalId,
  canRun,
  hold,
  projectHref,
}: {
  teamSlug: string;
  approvalId: string;
  canRun: boolean;
  /** The run the approval held, once it is the requester's to settle or release; null otherwise. */
  hold: Hold | null;
  projectHref: string;
}) {
  const requestKey = useRequestKey();
  const form = useActionForm(runApprovedAction, { toastOnSuccess: false, onSuccess: requestKey.renew });
  const answer = form.result?.ok ? form.result.data : null;
  return (
    <div className="flex flex-col gap-3">
      {canRun && (
        <form id={form.formId} action={form.formAction} className="flex flex-col gap-3" noValidate data-testid="run-approved-form">
          <input type="hidden" name="teamSlug" value={teamSlug} />
          {/* The run is the request's, as approved: the server reads it from the request. */}
          <input type="hidden" name="requestId" value={approvalId} />
          {requestKey.field}
          <p className="text-sm text-zinc-700">Running it turns the held credits into this run. Nothing more is held and the policy is not asked again.</p>
          <FormError message={form.formError} />
          <div>
            <SubmitButton pending={form.pending} pendingLabel="Asking the ledger…">
              Run it
            </SubmitButton>
          </div>
        </form>
      )}
      {answer && answer.status !== "needs_approval" && (
        <AdmissionAnswer
          answer={answer}
          confirmationId={form.confirmationId}
          admitted={
            <>
              <p className="font-medium">Admitted: the {formatNumber(answer.estimate)} approved credits are held for this run.</p>
              <p>
                When it is done, settle it below or under Active holds on <Link href={projectHref}>the project page</Link> with what it really cost.
              </p>
            </>
          }
        />
      )}
      {hold && hold.state === "held" && (
        <div className="flex flex-wrap items-center justify-between gap-3 rounded-md bg-zinc-50 px-3 py-2 ring-1 ring-zinc-200 ring-inset" data-testid="approved-hold">
          <p className="text-sm text-zinc-700">
            {formatNumber(hold.quantity)} × {hold.modelName}: {formatNumber(hold.estimate)} credits held. Settle it with what it cost, or release it if it did not happen.
          </p>
          <RunControls teamSlug={teamSlug} run={hold} />
        </div>
      )}
    </div>
  );
}
