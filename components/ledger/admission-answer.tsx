// The ledger's answer to a run, under the form that asked: admitted (what is held, and what to do next) or denied
// (nothing held, and why). Focus goes to it once it renders (useActionForm's confirmation id). A run the approval
// policy holds back is answered by the form itself, outside it (components/approvals/request-approval.tsx NeedsApproval):
// its request dialog holds a form of its own.
import type { ReactNode } from "react";

type Answer = { status: "admitted" } | { status: "denied"; reason: string } | { status: "needs_approval" };

export function AdmissionAnswer({ answer, confirmationId, admitted }: { answer: Answer | null; confirmationId: string; admitted: ReactNode }) {
  return (
    <div aria-live="polite">
      {answer?.status === "admitted" && (
        <div id={confirmationId} tabIndex={-1} data-testid="admission-admitted" className="rounded-md border border-green-200 bg-green-50 px-3 py-2 text-sm text-green-900">
          {admitted}
        </div>
      )}
      {answer?.status === "denied" && (
        <div id={confirmationId} tabIndex={-1} data-testid="admission-denied" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-900">
          <p className="font-medium">Not admitted, nothing was held.</p>
          <p>{answer.reason}</p>
        </div>
      )}
    </div>
  );
}
