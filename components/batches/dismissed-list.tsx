"use client";
// The findings people dismissed in a batch, with their reason, who and when; members may take a dismissal back.
import { useTransition, useState } from "react";
import { Button } from "@/components/ui/button";
import { FormError } from "@/components/ui/input";
import { useToast } from "@/components/ui/toast";
import { restoreFindingAction } from "@/lib/batches/actions";

export type DismissedRow = { id: string; title: string; itemTitle: string | null; reason: string; who: string; when: string };

export function DismissedList({ teamSlug, batchId, rows, canEdit }: { teamSlug: string; batchId: string; rows: DismissedRow[]; canEdit: boolean }) {
  return (
    <ul className="divide-y divide-zinc-200" data-testid="dismissed-list">
      {rows.map((row) => (
        <DismissedItem key={row.id} teamSlug={teamSlug} batchId={batchId} row={row} canEdit={canEdit} />
      ))}
    </ul>
  );
}

function DismissedItem({ teamSlug, batchId, row, canEdit }: { teamSlug: string; batchId: string; row: DismissedRow; canEdit: boolean }) {
  const { toast } = useToast();
  const [pending, start] = useTransition();
  const [error, setError] = useState<string | null>(null);
  const restore = () =>
    start(async () => {
      setError(null);
      const data = new FormData();
      data.set("teamSlug", teamSlug);
      data.set("batchId", batchId);
      data.set("dismissalId", row.id);
      const result = await restoreFindingAction(data);
      if (result.ok) toast(result.message ?? "The finding shows again.", { tone: "success" });
      else setError(result.message);
    });
  return (
    <li className="flex flex-col gap-2 px-4 py-3 text-sm sm:flex-row sm:items-start sm:justify-between sm:px-5" data-testid="dismissed">
      <div className="min-w-0">
        <p className="font-medium text-zinc-900">
          {row.title}
          {row.itemTitle && <span className="font-normal text-zinc-700"> · {row.itemTitle}</span>}
        </p>
        <p className="text-zinc-700">“{row.reason}”</p>
        <p className="text-xs text-zinc-600">
          {row.who}, {row.when}
        </p>
        <FormError message={error} className="mt-2" />
      </div>
      {canEdit && (
        <Button size="sm" variant="secondary" onClick={restore} pending={pending} pendingLabel="Taking back…">
          Show again
        </Button>
      )}
    </li>
  );
}
