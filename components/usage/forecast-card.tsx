// When the team's credits, and each budget, run out at the rate of the last 28 days: a compact card for the Overview,
// and the same lines inside the insights from history. Server component.
import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { formatCredits, formatDay, formatNumber } from "@/lib/format";
import { TRAILING_DAYS, type Forecast, type RunOut } from "@/lib/recommendations/history";

/** What one run-out says: the day and whether it falls before the period ends, or why there is none. */
function RunOutWords({ runOut, left, periodLabel, lifetime }: { runOut: RunOut; left: number; periodLabel: string; lifetime: boolean }) {
  if (runOut.day !== null && left <= 0) {
    return (
      <>
        Nothing is left. <Badge tone="red">Used up</Badge>
      </>
    );
  }
  if (runOut.farOff) return <>Not within ten years at {formatCredits(runOut.perDay)} a day.</>;
  if (runOut.day === null) return <>No run-out at this rate: nothing was charged in the last {TRAILING_DAYS} days.</>;
  return (
    <>
      Runs out on <strong className="font-semibold text-zinc-900">{formatDay(runOut.day)}</strong> at {formatCredits(runOut.perDay)} a day.{" "}
      {lifetime ? null : runOut.beforePeriodEnd ? (
        <Badge tone="red">Before the end of {periodLabel}</Badge>
      ) : (
        <Badge tone="green">Lasts past {periodLabel}</Badge>
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
          <RunOutWords runOut={team} left={team.available} periodLabel={team.periodLabel} lifetime={false} />
        </span>
      </li>
      {budgets.map((budget) => (
        <li key={budget.projectId} className="flex flex-col gap-0.5 py-2 last:pb-0" data-testid="forecast-budget">
          <span className="text-sm font-medium wrap-anywhere text-zinc-900">
            {budget.projectName}: {formatCredits(Math.max(0, budget.remaining))} left of {formatNumber(budget.credits)}
            {budget.periodLastDay === null ? " (whole life)" : ` in ${budget.periodLabel}`}
          </span>
          <span className="text-sm text-zinc-700">
            <RunOutWords runOut={budget} left={budget.remaining} periodLabel={budget.periodLabel} lifetime={budget.periodLastDay === null} />
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
