"use client";
// Findings with their figures, and for people who may edit: apply one with a click, or dismiss it with a reason.
import { useTransition, useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/dialog";
import { FormError } from "@/components/ui/input";
import { Textarea } from "@/components/ui/textarea";
import { useToast } from "@/components/ui/toast";
import { applyFindingAction, dismissFindingAction } from "@/lib/batches/actions";
import { formatCredits, formatNumber } from "@/lib/format";
import { wholePercent } from "@/lib/pricing/plans";
import type { ListedFinding } from "./listed-finding";

const KIND_LABELS = { saving: "Saving", quality: "Quality warning", advice: "Advice" } as const;
const KIND_TONES = { saving: "green", quality: "amber", advice: "blue" } as const;

export function FindingList({ teamSlug, findings, canEdit }: { teamSlug: string; findings: ListedFinding[]; canEdit: boolean }) {
  return (
    <ul className="divide-y divide-zinc-200" data-testid="finding-list">
      {findings.map((finding) => (
        <FindingRow key={`${finding.batchId}:${finding.key}`} teamSlug={teamSlug} finding={finding} canEdit={canEdit} />
      ))}
    </ul>
  );
}

function FindingRow({ teamSlug, finding, canEdit }: { teamSlug: string; finding: ListedFinding; canEdit: boolean }) {
  const { toast } = useToast();
  const [applying, startApplying] = useTransition();
  const [error, setError] = useState<string | null>(null);
  const [dismissing, setDismissing] = useState(false);
  const apply = () =>
    startApplying(async () => {
      setError(null);
      const formData = new FormData();
      formData.set("teamSlug", teamSlug);
      formData.set("batchId", finding.batchId);
      formData.set("key", finding.key);
      formData.set("before", String(finding.before));
      formData.set("after", String(finding.after));
      const result = await applyFindingAction(formData);
      if (result.ok) toast(result.message ?? "Applied.", { tone: "success" });
      else setError(result.message);
    });
  // The dialog closes on success; say what happened, as Apply does.
  const dismiss = async (formData: FormData) => {
    const result = await dismissFindingAction(formData);
    if (result.ok) toast(result.message ?? "Dismissed.", { tone: "success" });
    return result;
  };
  const percent = finding.before > 0 ? wholePercent(finding.saved, finding.before) : 0;
  return (
    <li className="flex flex-col gap-2 px-4 py-4 sm:flex-row sm:items-start sm:justify-between sm:px-5" data-testid="finding" data-rule={finding.rule} data-kind={finding.kind} data-item={finding.itemTitle ?? undefined}>
      <div className="min-w-0 flex-1">
        <p className="flex flex-wrap items-center gap-2 text-sm font-medium text-zinc-900">
          <Badge tone={KIND_TONES[finding.kind]}>{KIND_LABELS[finding.kind]}</Badge>
          <span>{finding.title}</span>
        </p>
        <p className="mt-1 text-sm text-zinc-700">
          {finding.itemTitle ? <span className="font-medium">{finding.itemTitle}: </span> : null}
          <span data-testid="finding-change">{finding.changeText}</span>
        </p>
        {finding.where && (
          <p className="mt-0.5 text-xs text-zinc-600">
            <a href={finding.where.href}>{finding.where.label}</a>
          </p>
        )}
        <p className="mt-1 text-sm text-zinc-600">{finding.explanation}</p>
        {finding.kind !== "advice" && (
          <p className="mt-1 text-sm tabular-nums text-zinc-700" data-testid="finding-figures">
            {formatNumber(finding.before)} → {formatNumber(finding.after)} credits{" "}
            {finding.kind === "saving" ? (
              <strong className="text-green-800" data-testid="finding-saved">
                saves {formatCredits(finding.saved)} ({percent} %)
              </strong>
            ) : (
              <strong className="text-amber-800" data-testid="finding-costs">
                costs {formatCredits(-finding.saved)} more
              </strong>
            )}
          </p>
        )}
        <FormError message={error} className="mt-2" />
      </div>
      {canEdit && (
        <div className="flex shrink-0 gap-2">
          {finding.applicable && (
            <Button size="sm" onClick={apply} pending={applying} pendingLabel="Applying…" data-testid="apply-finding">
              Apply
            </Button>
          )}
          <Button size="sm" variant="secondary" aria-haspopup="dialog" onClick={() => setDismissing(true)}>
            Dismiss
          </Button>
          {/* Mounted only when asked for: a long list of findings would otherwise carry a dialog each. */}
          {dismissing && (
            <ConfirmDialog
              title="Dismiss this finding"
              open
              onOpenChange={(open) => setDismissing(open)}
              body={`“${finding.title}” stops showing for this plan. The reason is kept in the audit log.`}
              confirmLabel="Dismiss"
              action={dismiss}
              hiddenFields={{ teamSlug, batchId: finding.batchId, key: finding.key }}
            >
              <Textarea label="Why does it not apply?" name="reason" rows={2} required hint="For example: the client asked for this model." />
            </ConfirmDialog>
          )}
        </div>
      )}
    </li>
  );
}
