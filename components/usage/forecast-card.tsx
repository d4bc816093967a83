// When the team's credits, and each budget, run out at the rate of the last 28 days: a compact card for the Overview,
// and the same lines inside the insights from history. Server component.
import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { formatCredits, formatDay, formatNumber } from "@/lib/format";
import { TRAILING_DAYS, type Forecast, type RunOut } from "@/lib/recommendations/history";

// A lifetime budget has no period to outlast: a run-out this close is worth a warning.
const SOON_DAYS = 30;

function daysUntil(today: string, day: string): number {
  return Math.round((Date.parse(`${day}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / 86_400_000);
}

/** What one run-out says: used up, lasting the period, or the day and whether it falls before the period ends. */
function RunOutWords({ runOut, left, periodLabel, lifetime, today }: { runOut: RunOut; left: number; periodLabel: string; lifetime: boolean; today: string }) {
  if (left <= 0) {
    return (
      <>
        Nothing is left{left < 0 ? `: ${formatCredits(-left)} over` : ""}. <Badge tone="red">Used up</Badge>
      </>
    );
  }
  if (runOut.day === null && !runOut.farOff) return <>No run-out at this rate: nothing was charged in the last {TRAILING_DAYS} days.</>;
  // A budget that starts again each period only matters until the period ends: no date past it.
  if (!lifetime && !runOut.beforePeriodEnd) {
    return (
      <>
        Lasts to the end of {periodLabel} at {formatCredits(runOut.perDay)} a day. <Badge tone="green">Lasts the period</Badge>
      </>
    );
  }
  if (runOut.farOff || runOut.day === null) return <>Not within ten years at {formatCredits(runOut.perDay)} a day.</>;
  const soon = lifetime && daysUntil(today, runOut.day) <= SOON_DAYS;
  return (
    <>
      Runs out on <strong className="font-semibold text-zinc-900">{formatDay(runOut.day)}</strong> at {formatCredits(runOut.perDay)} a day.{" "}
      {lifetime ? (
        soon && <Badge tone="amber">In {formatNumber(daysUntil(today, runOut.day))} days</Badge>
      ) : (
        <Badge tone="red">Before the end of {periodLabel}</Badge>
      )}
    </>
  );
}

/** The team line and one line per budget. */
export function ForecastLines({ forecast }: { forecast: Forecast }) {
  const { team, budgets } = forecast;
  return (
    <ul className="flex flex-col divide-y divide-zinc-200" data-testid="forecast">
      <li className="flex flex-col gap-0.5 py-2 first:pt-0 last:pb-0" data-testid="forecast-team">
        <span className="text-sm font-medium text-zinc-900">Team credits: {formatCredits(team.available)} available</span>
        <span className="text-sm text-zinc-700">
          <RunOutWords runOut={team} left={team.available} periodLabel={team.periodLabel} lifetime={false} today={forecast.today} />
        </span>
      </li>
      {budgets.map((budget) => (
        <li key={budget.projectId} className="flex flex-col gap-0.5 py-2 last:pb-0" data-testid="forecast-budget">
          <span className="text-sm font-medium wrap-anywhere text-zinc-900">
            {budget.projectName}: {budget.remaining < 0 ? `${formatCredits(-budget.remaining)} over` : `${formatCredits(budget.remaining)} left of`} {formatNumber(budget.credits)}
            {budget.periodLastDay === null ? " (whole life)" : ` in ${budget.periodLabel}`}
          </span>
          <span className="text-sm text-zinc-700">
            <RunOutWords runOut={budget} left={budget.remaining} periodLabel={budget.periodLabel} lifetime={budget.periodLastDay === null} today={forecast.today} />
          </span>
        </li>
      ))}
    </ul>
  );
}

export function forecastDefinition(): string {
  return `The rate is the credits charged over the last ${TRAILING_DAYS} days, today included, divided by ${TRAILING_DAYS}, in the team's time zone.`;
}

/** The Overview's card: the forecast, how it is worked out, and where to look into the spend. */
export function ForecastCard({ forecast, teamSlug }: { forecast: Forecast; teamSlug: string }) {
  return (
    <Card
      title="Forecast"
      description={forecastDefinition()}
      actions={<Link href={`/t/${teamSlug}/usage`}>See usage</Link>}
      data-testid="forecast-card"
    >
      <ForecastLines forecast={forecast} />
    </Card>
  );
}
