"use client";
// Settle a held run at what it really cost, or release its hold; for the person who ran it and for admins.
import Link from "next/link";
import { useState } from "react";
import { useActionForm } from "@/components/forms/use-action-form";
import { Dialog, DialogClose, DialogFooter } from "@/components/ui/dialog";
import { Checkbox, FormError, Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { SubmitButton } from "@/components/ui/submit-button";
import { Textarea } from "@/components/ui/textarea";
import { formatNumber } from "@/lib/format";
import { releaseRunAction, settleRunAction } from "@/lib/ledger/actions";
import { OUTCOME_LABELS, RUN_OUTCOMES } from "@/lib/ledger/schema";
import { useRequestKey } from "./request-key";

type HeldRun = { id: string; modelName: string; quantity: number; estimate: number };

/** The approval a held run is the hold of: until it is run ("used"), its request's page is where it starts. */
type Approval = { id: string; state: string } | null | undefined;

export function RunControls({ teamSlug, run, approval }: { teamSlug: string; run: HeldRun; approval?: Approval }) {
  // Not run yet: it starts from its request's page; releasing it here frees the credits and ends the approval.
  if (approval?.state === "approved") {
    return (
      <div className="flex flex-wrap items-center justify-end gap-2">
        <Link href={`/t/${teamSlug}/approvals/${approval.id}`} className="text-sm font-medium" data-testid="hold-approval-link">
          Approved, not run yet: run it from its request
        </Link>
        <ReleaseRunDialog teamSlug={teamSlug} run={run} />
      </div>
    );
  }
  return (
    <div className="flex justify-end gap-2">
      <SettleRunDialog teamSlug={teamSlug} run={run} />
      <ReleaseRunDialog teamSlug={teamSlug} run={run} />
    </div>
  );
}

function runTitle(run: HeldRun): string {
  return `${formatNumber(run.quantity)} × ${run.modelName}`;
}

function SettleRunDialog({ teamSlug, run }: { teamSlug: string; run: HeldRun }) {
  const [open, setOpen] = useState(false);
  const requestKey = useRequestKey();
  const form = useActionForm(settleRunAction, {
    onSuccess: () => {
      requestKey.renew();
      setOpen(false);
    },
  });
  return (
    <Dialog
      title={`Settle ${runTitle(run)}`}
      description={`It holds ${formatNumber(run.estimate)} credits. Enter what the platform charged; any unused part of the hold goes back.`}
      triggerLabel="Settle"
      triggerSize="sm"
      triggerVariant="secondary"
      open={open}
      onOpenChange={setOpen}
    >
      <form id={form.formId} action={form.formAction} className="flex flex-col gap-4" noValidate data-testid="settle-form">
        <input type="hidden" name="teamSlug" value={teamSlug} />
        <input type="hidden" name="runId" value={run.id} />
        {requestKey.field}
        <Input
          label="Actual credits"
          name="actual"
          type="number"
          inputMode="numeric"
          min={0}
          step={1}
          required
          defaultValue={form.value("actual", String(run.estimate))}
          error={form.fieldError("actual")}
        />
        <Select
          label="Outcome"
          name="outcome"
          required
          defaultValue={form.value("outcome", "accepted")}
          options={RUN_OUTCOMES.map((outcome) => ({ value: outcome, label: OUTCOME_LABELS[outcome] }))}
          error={form.fieldError("outcome")}
        />
        <FormError message={form.formError} />
        <DialogFooter>
          <DialogClose />
          <SubmitButton pending={form.pending}>Settle run</SubmitButton>
        </DialogFooter>
      </form>
    </Dialog>
  );
}

function ReleaseRunDialog({ teamSlug, run }: { teamSlug: string; run: HeldRun }) {
  const [open, setOpen] = useState(false);
  const requestKey = useRequestKey();
  const form = useActionForm(releaseRunAction, {
    onSuccess: () => {
      requestKey.renew();
      setOpen(false);
    },
  });
  return (
    <Dialog
      title={`Release ${runTitle(run)}`}
      description={`The ${formatNumber(run.estimate)} held credits go back to the team and the project's budget; nothing is charged.`}
      triggerLabel="Release"
      triggerSize="sm"
      triggerVariant="ghost"
      open={open}
      onOpenChange={setOpen}
    >
      <form id={form.formId} action={form.formAction} className="flex flex-col gap-4" noValidate data-testid="release-form">
        <input type="hidden" name="teamSlug" value={teamSlug} />
        <input type="hidden" name="runId" value={run.id} />
        {requestKey.field}
        <Checkbox
          label="It failed on the platform"
          name="failed"
          hint="Leave it unticked when the run was cancelled or never started."
          defaultChecked={form.value("failed") === "on"}
          error={form.fieldError("failed")}
        />
        <Textarea
          label="Reason"
          name="reason"
          rows={2}
          hint="Optional: what happened."
          defaultValue={form.value("reason")}
          error={form.fieldError("reason")}
        />
        <FormError message={form.formError} />
        <DialogFooter>
          <DialogClose />
          <SubmitButton pending={form.pending}>Release hold</SubmitButton>
        </DialogFooter>
      </form>
    </Dialog>
  );
}
