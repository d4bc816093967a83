// The team's credit totals side by side: available to spend, held for runs in progress, the balance, and this month's use.
import { formatNumber } from "@/lib/format";
import type { CreditSummary } from "@/lib/ledger/queries";

export function CreditFigures({ credits, month }: { credits: CreditSummary; month?: { label: string; used: number } }) {
  return (
    <dl className={`grid gap-2 sm:gap-4 ${month ? "sm:grid-cols-2 lg:grid-cols-4" : "sm:grid-cols-3"}`} data-testid="credit-summary">
      <Figure label="Available to spend" value={credits.available} testId="credits-available" emphasis />
      <Figure label="Held for runs in progress" value={credits.held} testId="credits-held" />
      <Figure label="Balance" value={credits.balance} testId="credits-balance" />
      {month && <Figure label={`Used in ${month.label}`} value={month.used} testId="credits-used-this-month" />}
    </dl>
  );
}

function Figure({ label, value, testId, emphasis = false }: { label: string; value: number; testId: string; emphasis?: boolean }) {
  return (
    // One line each on a phone, a card each from the small breakpoint.
    <div className="flex items-baseline justify-between gap-3 rounded-lg border border-zinc-200 bg-white px-4 py-2.5 shadow-sm sm:block sm:px-5 sm:py-3">
      <dt className="text-sm text-zinc-600">{label}</dt>
      <dd
        className={emphasis ? "text-2xl font-semibold tabular-nums sm:text-3xl" : "text-xl font-semibold text-zinc-800 tabular-nums sm:text-2xl"}
        data-testid={testId}
      >
        {formatNumber(value)}
      </dd>
    </div>
  );
}
