// A project's budget for this period as a meter: the filled share, its tone and the figures in words.
import { cn } from "@/components/ui/cn";
import { formatNumber, formatPercent } from "@/lib/format";
import type { ProjectBudgetStatus } from "@/lib/ledger/queries";

type Budget = NonNullable<ProjectBudgetStatus["budget"]>;

const FILL = { green: "bg-green-600", amber: "bg-amber-500", red: "bg-red-600" } as const;
const WORD = { green: "text-green-800", amber: "text-amber-800", red: "text-red-800" } as const;

/** Colour is never the only signal: the status word says the same as the tone. */
function statusWord(budget: Budget): string {
  if (budget.tone === "red") return budget.used > budget.credits ? "Over budget" : "Budget used up";
  if (budget.tone === "amber") return `Past the ${formatPercent(budget.alertPercent)} alert`;
  return "On track";
}

export function BudgetBar({ budget, label, className }: { budget: Budget; label: string; className?: string }) {
  const fill = Math.min(100, Math.max(0, (budget.used * 100) / budget.credits));
  const figures = `${formatNumber(budget.used)} of ${formatNumber(budget.credits)} credits used`;
  return (
    <div className={cn("flex flex-col gap-1.5", className)}>
      <div
        role="meter"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={budget.credits}
        // A meter's value must stay inside its range; the text keeps the real figure when it is over.
        aria-valuenow={Math.min(budget.used, budget.credits)}
        aria-valuetext={`${figures} (${formatPercent(budget.percent)}), ${statusWord(budget).toLowerCase()}`}
        data-testid="budget-bar"
        data-tone={budget.tone}
        className="h-2.5 w-full overflow-hidden rounded-full bg-zinc-200"
      >
        <div className={cn("h-full rounded-full", FILL[budget.tone])} style={{ width: `${fill}%` }} />
      </div>
      <p className="flex flex-wrap items-baseline justify-between gap-x-3 gap-y-0.5 text-sm">
        <span className="text-zinc-700 tabular-nums">
          {figures} · {formatNumber(budget.remaining)} left
        </span>
        <span className={cn("font-medium", WORD[budget.tone])}>
          {statusWord(budget)} · {formatPercent(budget.percent)}
        </span>
      </p>
    </div>
  );
}
