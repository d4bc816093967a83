"use client";
// The Usage area's runs and ledger entries as tables (TanStack Table): columns to choose, sort by date or credits on the server, a header that stays in view.
import { parseAsArrayOf, parseAsString, parseAsStringLiteral, useQueryState, useQueryStates } from "nuqs";
import { useMemo, useTransition } from "react";
import {
  columnVisibilityFeature,
  createColumnHelper,
  rowSortingFeature,
  tableFeatures,
  useTable,
  type ColumnVisibilityState,
  type SortingState,
} from "@tanstack/react-table";
import { Badge } from "@/components/ui/badge";
import { cn } from "@/components/ui/cn";
import { formatNumber, formatSignedNumber } from "@/lib/format";
import { RUN_SORTS, type RunSort } from "@/lib/usage/filters";

/** A run as the table shows it: every figure and word already made on the server. */
export type RunRowView = {
  id: string;
  date: string;
  project: string;
  member: string;
  model: string;
  tier: string;
  stage: string;
  purpose: string;
  quantity: number;
  outcome: string;
  state: string;
  estimate: number;
  charged: number;
  refunded: number;
  flags: string;
  prompt: string;
  notes: string;
};

export type EntryRowView = {
  id: string;
  date: string;
  kind: string;
  amount: number;
  heldDelta: number;
  balanceAfter: number;
  availableAfter: number;
  project: string;
  member: string;
  model: string;
  reason: string;
};

const features = tableFeatures({ columnVisibilityFeature, rowSortingFeature });

const runHelper = createColumnHelper<typeof features, RunRowView>();
const runColumns = runHelper.columns([
  runHelper.accessor("date", { header: "Date", enableHiding: false, sortDescFirst: true }),
  runHelper.accessor("project", { header: "Project", enableSorting: false, meta: { name: true } }),
  runHelper.accessor("member", { header: "Member", enableSorting: false, meta: { name: true } }),
  runHelper.accessor("model", { header: "Model", enableSorting: false, meta: { name: true } }),
  runHelper.accessor("tier", { header: "Tier", enableSorting: false }),
  runHelper.accessor("stage", { header: "Stage", enableSorting: false }),
  runHelper.accessor("purpose", { header: "Purpose", enableSorting: false }),
  runHelper.accessor("quantity", { header: "Outputs", enableSorting: false, meta: { numeric: true } }),
  runHelper.accessor("outcome", { header: "Outcome", enableSorting: false }),
  runHelper.accessor("estimate", { header: "Estimate", enableSorting: false, meta: { numeric: true } }),
  runHelper.accessor("charged", { header: "Charged", enableHiding: false, sortDescFirst: true, meta: { numeric: true } }),
  runHelper.accessor("refunded", { header: "Refunded", enableSorting: false, meta: { numeric: true } }),
  runHelper.accessor("prompt", { header: "Prompt", enableSorting: false, meta: { text: true } }),
  runHelper.accessor("notes", { header: "Notes", enableSorting: false, meta: { text: true } }),
]);

// What fits a laptop's width at first; "Columns" shows the rest.
const RUN_COLUMNS_HIDDEN_AT_FIRST = ["tier", "purpose", "estimate", "refunded", "notes"];
const ENTRY_COLUMNS_HIDDEN_AT_FIRST = ["availableAfter", "model"];

const entryHelper = createColumnHelper<typeof features, EntryRowView>();
const entryColumns = entryHelper.columns([
  entryHelper.accessor("date", { header: "Date", enableHiding: false, enableSorting: false }),
  entryHelper.accessor("kind", { header: "Kind", enableSorting: false }),
  entryHelper.accessor("amount", { header: "Credits", enableHiding: false, enableSorting: false, meta: { numeric: true, signed: true } }),
  entryHelper.accessor("heldDelta", { header: "Held change", enableSorting: false, meta: { numeric: true, signed: true } }),
  entryHelper.accessor("balanceAfter", { header: "Balance after", enableHiding: false, enableSorting: false, meta: { numeric: true } }),
  entryHelper.accessor("availableAfter", { header: "Available after", enableSorting: false, meta: { numeric: true } }),
  entryHelper.accessor("project", { header: "Project", enableSorting: false, meta: { name: true } }),
  entryHelper.accessor("member", { header: "Member", enableSorting: false, meta: { name: true } }),
  entryHelper.accessor("model", { header: "Model", enableSorting: false, meta: { name: true } }),
  entryHelper.accessor("reason", { header: "Reason", enableSorting: false, meta: { text: true } }),
]);

/** numeric: right-aligned figures; text: long typed text (prompts, notes); name: a typed name that may be one long word. */
type ColumnMeta = { numeric?: boolean; signed?: boolean; text?: boolean; name?: boolean };

const SORT_OF: Record<RunSort, SortingState> = {
  newest: [{ id: "date", desc: true }],
  oldest: [{ id: "date", desc: false }],
  credits: [{ id: "charged", desc: true }],
  cheapest: [{ id: "charged", desc: false }],
};

function sortFrom(sorting: SortingState): RunSort {
  const [first] = sorting;
  if (!first) return "newest";
  if (first.id === "charged") return first.desc ? "credits" : "cheapest";
  return first.desc ? "newest" : "oldest";
}

function useHiddenColumns(param: string, hiddenAtFirst: string[]) {
  // Which columns are hidden is a view of this person's: kept in the URL (shareable) but never asked of the server.
  const [hidden, setHidden] = useQueryState(param, parseAsArrayOf(parseAsString).withDefault(hiddenAtFirst).withOptions({ scroll: false }));
  const visibility = useMemo<ColumnVisibilityState>(() => Object.fromEntries(hidden.map((id) => [id, false])), [hidden]);
  const onVisibilityChange = (updater: ColumnVisibilityState | ((old: ColumnVisibilityState) => ColumnVisibilityState)) => {
    const next = typeof updater === "function" ? updater(visibility) : updater;
    void setHidden(Object.entries(next).filter(([, shown]) => !shown).map(([id]) => id));
  };
  return { visibility, onVisibilityChange };
}

const sortParsers = { sort: parseAsStringLiteral(RUN_SORTS), older: parseAsString, newer: parseAsString };

export function RunsTable({ rows, sort }: { rows: RunRowView[]; sort: RunSort }) {
  const [pending, startTransition] = useTransition();
  const [, setSort] = useQueryStates(sortParsers, { shallow: false, startTransition, scroll: false });
  const { visibility, onVisibilityChange } = useHiddenColumns("hide", RUN_COLUMNS_HIDDEN_AT_FIRST);
  const sorting = SORT_OF[sort];
  const table = useTable({
    features,
    columns: runColumns,
    data: rows,
    getRowId: (row) => row.id,
    manualSorting: true,
    state: { sorting, columnVisibility: visibility },
    onSortingChange: (updater) => {
      const next = typeof updater === "function" ? updater(sorting) : updater;
      // A new order starts at its first page.
      void setSort({ sort: sortFrom(next), older: null, newer: null });
    },
    onColumnVisibilityChange: onVisibilityChange,
  });
  return <UsageTable table={table} caption="Runs" pending={pending} testId="usage-runs" />;
}

export function EntriesTable({ rows }: { rows: EntryRowView[] }) {
  const { visibility, onVisibilityChange } = useHiddenColumns("hideEntries", ENTRY_COLUMNS_HIDDEN_AT_FIRST);
  const table = useTable({
    features,
    columns: entryColumns,
    data: rows,
    getRowId: (row) => row.id,
    state: { columnVisibility: visibility },
    onColumnVisibilityChange: onVisibilityChange,
  });
  return <UsageTable table={table} caption="Ledger entries" pending={false} testId="usage-entries" />;
}

type AnyTable = ReturnType<typeof useTable<typeof features, RunRowView>> | ReturnType<typeof useTable<typeof features, EntryRowView>>;

function UsageTable({ table, caption, pending, testId }: { table: AnyTable; caption: string; pending: boolean; testId: string }) {
  const hideable = table.getAllLeafColumns().filter((column) => column.getCanHide());
  return (
    <div className="flex flex-col">
      <details className="px-4 py-2 text-sm sm:px-5" data-testid={`${testId}-columns`}>
        <summary className="cursor-pointer text-zinc-700">Columns</summary>
        <fieldset className="mt-2 flex flex-wrap gap-x-4 gap-y-1">
          <legend className="sr-only">Columns to show</legend>
          {hideable.map((column) => (
            <label key={column.id} className="flex items-center gap-1.5">
              <input type="checkbox" checked={column.getIsVisible()} onChange={(event) => column.toggleVisibility(event.target.checked)} />
              {String(column.columnDef.header)}
            </label>
          ))}
        </fieldset>
      </details>
      <div
        role="region"
        aria-label={caption}
        tabIndex={0}
        className={cn("max-h-[70vh] overflow-auto border-t border-zinc-200", pending && "opacity-60")}
        aria-busy={pending}
      >
        <table className="w-full border-collapse text-left text-sm" data-testid={testId}>
          <caption className="sr-only">{caption}</caption>
          <thead className="sticky top-0 z-10 border-b border-zinc-200 bg-zinc-50 shadow-[0_1px_0_0_theme(colors.zinc.200)]">
            {table.getHeaderGroups().map((group) => (
              <tr key={group.id}>
                {group.headers.map((header) => {
                  const meta = (header.column.columnDef.meta ?? {}) as ColumnMeta;
                  const sorted = header.column.getIsSorted();
                  const label = String(header.column.columnDef.header);
                  return (
                    <th
                      key={header.id}
                      scope="col"
                      aria-sort={sorted === "asc" ? "ascending" : sorted === "desc" ? "descending" : undefined}
                      className={cn("px-3 py-2.5 text-xs font-semibold whitespace-nowrap text-zinc-700", meta.numeric ? "text-right" : "text-left")}
                    >
                      {header.column.getCanSort() ? (
                        <button
                          type="button"
                          className="inline-flex items-center gap-1 font-semibold underline-offset-2 hover:underline"
                          // Date and credits each flip between their two orders; the first click takes the larger first.
                          onClick={() => header.column.toggleSorting(sorted ? sorted === "asc" : true)}
                          data-testid={`sort-${header.column.id}`}
                        >
                          {label}
                          <span aria-hidden="true">{sorted === "asc" ? "↑" : sorted === "desc" ? "↓" : "↕"}</span>
                        </button>
                      ) : (
                        label
                      )}
                    </th>
                  );
                })}
              </tr>
            ))}
          </thead>
          <tbody className="divide-y divide-zinc-200">
            {table.getRowModel().rows.map((row) => (
              <tr key={row.id} className="align-top" data-testid={`${testId}-row`}>
                {row.getVisibleCells().map((cell) => {
                  const meta = (cell.column.columnDef.meta ?? {}) as ColumnMeta;
                  const value = cell.getValue();
                  return (
                    <td
                      key={cell.id}
                      data-column={cell.column.id}
                      className={cn(
                        "px-3 py-2 text-zinc-800",
                        meta.numeric && "text-right tabular-nums whitespace-nowrap",
                        meta.text && "max-w-72 min-w-40 wrap-anywhere whitespace-pre-line text-zinc-700",
                        meta.name && "max-w-48 min-w-24 wrap-anywhere",
                        !meta.numeric && !meta.text && !meta.name && "whitespace-nowrap",
                      )}
                    >
                      {typeof value === "number" ? (meta.signed ? formatSignedNumber(value) : formatNumber(value)) : cell.column.id === "kind" || cell.column.id === "outcome" ? <Badge>{String(value)}</Badge> : String(value || "—")}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
