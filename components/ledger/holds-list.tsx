// Runs still holding credits, each with settle and release for the person who ran it and for admins.
import { formatDateTime, formatNumber } from "@/lib/format";
import { STAGE_SHORT } from "./labels";
import { RunControls } from "./run-controls";
import type { RunRow } from "./runs-table";

type Viewer = { userId: string; isAdmin: boolean; canRun: boolean };

export function HoldsList({ holds, teamSlug, timeZone, viewer }: { holds: RunRow[]; teamSlug: string; timeZone: string; viewer: Viewer }) {
  return (
    <ul className="divide-y divide-zinc-200" aria-label="Active holds">
      {holds.map((run) => {
        const mayChange = viewer.canRun && (viewer.isAdmin || run.userId === viewer.userId);
        return (
          <li key={run.id} data-testid="hold-row" className="flex flex-wrap items-center justify-between gap-x-4 gap-y-2 px-4 py-3 sm:px-5">
            <div className="min-w-0">
              <p className="font-medium text-zinc-900">
                {formatNumber(run.quantity)} × {run.modelName} · <span className="tabular-nums">{formatNumber(run.estimate)}</span> credits held
              </p>
              <p className="text-sm text-zinc-600">
                {run.user.name} · {formatDateTime(run.createdAt, timeZone)} · {STAGE_SHORT[run.stage]} stage
              </p>
              <p className="text-xs break-words text-zinc-600">{run.breakdown}</p>
            </div>
            {mayChange && (
              <RunControls
                teamSlug={teamSlug}
                run={{ id: run.id, modelName: run.modelName, quantity: run.quantity, estimate: run.estimate }}
                approval={run.approvalRequest}
              />
            )}
          </li>
        );
      })}
    </ul>
  );
}
