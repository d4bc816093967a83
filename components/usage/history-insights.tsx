// Insights from a period of the team's history: what to change, largest saving first, with the figures; the best value
// per model; prompts that worked first time and those that took most attempts; the expensive patterns; days of unusual
// spend with their definition; and the forecast. Lists rather than wide tables, so a phone reads every figure.
// Server component: every figure comes from lib/usage/insights (the daily totals, the runs, the price list).
import type { ReactNode } from "react";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/table";
import { formatCredits, formatDay, formatNumber, formatPercent } from "@/lib/format";
import { BEST_VALUE_MIN_RUNS, anomalyDefinition, attemptsOf, type PromptStat } from "@/lib/recommendations/history";
import type { HistoryView } from "@/lib/usage/insights";
import { ForecastLines, forecastDefinition } from "./forecast-card";

const STAGE_WORDS = { test: "tests", draft: "drafts", final: "finals" } as const;

/** A prompt may be 4,000 characters: the list shows its start, the whole of it on hover. */
const PROMPT_SHOWN = 160;

const runsText = (runs: number, what = "runs") => `${formatNumber(runs)} ${runs === 1 ? what.replace(/s$/, "") : what}`;

function shortPrompt(text: string): string {
  const trimmed = text.trim();
  return trimmed.length > PROMPT_SHOWN ? `${trimmed.slice(0, PROMPT_SHOWN)}…` : trimmed;
}

export type HistoryInsightsProps = {
  view: HistoryView;
  teamSlug: string;
  /** Heading level of the sections: 2 on a page of their own, 3 inside another section. */
  headingLevel?: 2 | 3;
};

function period(view: HistoryView): string {
  const { from, to } = view.insights;
  return from === to ? formatDay(from) : `${formatDay(from)} – ${formatDay(to)}`;
}

function Section({ title, description, children, testId, headingLevel }: { title: string; description?: ReactNode; children: ReactNode; testId: string; headingLevel: 2 | 3 }) {
  return (
    <Card title={title} description={description} headingLevel={headingLevel} data-testid={testId}>
      {children}
    </Card>
  );
}

/** A name and its figures on one line on a laptop, the figures under the name on a phone. */
function Row({ label, figures, testId }: { label: ReactNode; figures: ReactNode; testId?: string }) {
  return (
    <li className="flex flex-col gap-0.5 py-2 first:pt-0 last:pb-0 sm:flex-row sm:items-baseline sm:justify-between sm:gap-4" data-testid={testId}>
      <span className="min-w-0 text-sm wrap-anywhere text-zinc-900">{label}</span>
      <span className="shrink-0 text-sm text-zinc-700 tabular-nums sm:text-right">{figures}</span>
    </li>
  );
}

function PromptRow({ stat, people, firstTime }: { stat: PromptStat; people: Record<string, string>; firstTime: boolean }) {
  const author = people[stat.authorId] ?? "A former member";
  const attempts = attemptsOf(stat);
  return (
    <Row
      testId="history-prompt"
      label={
        <>
          <q className="wrap-anywhere" title={stat.text.trim()}>
            {shortPrompt(stat.text)}
          </q> <span className="text-zinc-600">by {author}</span>
        </>
      }
      figures={
        firstTime
          ? `${formatNumber(stat.runs)} run${stat.runs === 1 ? "" : "s"}, ${formatCredits(stat.charged)}`
          : stat.acceptedAttempt === null
            ? `${formatNumber(attempts)} attempts, none accepted, ${formatCredits(stat.chargedBefore)}`
            : `accepted at attempt ${formatNumber(attempts)}, ${formatCredits(stat.chargedBefore)} before it`
      }
    />
  );
}

export function HistoryInsights({ view, teamSlug, headingLevel = 2 }: HistoryInsightsProps) {
  const { insights, forecast, people } = view;
  const forecastSection = (
    <Section title="Forecast" description={forecastDefinition()} testId="history-forecast" headingLevel={headingLevel}>
      <ForecastLines forecast={forecast} />
    </Section>
  );
  if (insights.runs === 0) {
    return (
      <div className="flex flex-col gap-6" data-testid="history-insights" data-team={teamSlug}>
        <Card headingLevel={headingLevel} title="Insights from history" description={period(view)}>
          <EmptyState
            title="No settled runs in this period"
            text="Insights need runs that were charged and given an outcome. Record runs with their outcome (and their prompt) and they show here: the best value per model, where credits went without need, and the prompts that work first time."
          />
        </Card>
        {forecastSection}
      </div>
    );
  }
  const { findings, bestValue, prompts, patterns, anomalies } = insights;
  return (
    <div className="flex flex-col gap-6" data-testid="history-insights" data-team={teamSlug}>
      <Section
        title="What to change"
        headingLevel={headingLevel}
        testId="history-findings"
        description={
          <>
            {period(view)}: {runsText(insights.runs, "settled runs")}, {formatCredits(insights.charged)} charged.{" "}
            {findings.length > 0
              ? `Done as suggested, they would have cost ${formatCredits(insights.saved)} less (a run can count under best value and one other finding).`
              : ""}
          </>
        }
      >
        {findings.length === 0 ? (
          <p className="text-sm text-zinc-700">Nothing to change: no premium tests, rejected finals, web upscales, regenerations after “needs edit”, or a cheaper model of the same tier with enough runs to compare.</p>
        ) : (
          <ul className="flex flex-col divide-y divide-zinc-200">
            {findings.map((finding) => (
              <li key={finding.key} className="flex flex-col gap-1 py-3 first:pt-0 last:pb-0" data-testid="history-finding">
                <div className="flex flex-wrap items-baseline justify-between gap-x-3 gap-y-1">
                  <span className="text-sm font-semibold wrap-anywhere text-zinc-900">{finding.title}</span>
                  <Badge tone="green">Would have saved {formatCredits(finding.saved)}</Badge>
                </div>
                <p className="text-sm font-medium wrap-anywhere text-zinc-900">{finding.changeText}</p>
                <p className="text-sm wrap-anywhere text-zinc-700">{finding.explanation}</p>
              </li>
            ))}
          </ul>
        )}
      </Section>

      <Section
        title="Best value"
        headingLevel={headingLevel}
        testId="history-best-value"
        description={`Credits per accepted output of each model, by output type and tier. Models are compared with at least ${BEST_VALUE_MIN_RUNS} settled runs in the period.`}
      >
        {bestValue.length === 0 ? (
          <p className="text-sm text-zinc-700">No image, video or audio runs were settled in this period.</p>
        ) : (
          <div className="flex flex-col gap-4">
            {bestValue.map((group) => (
              <div key={`${group.outputType}:${group.tier}`}>
                <h4 className="text-sm font-semibold text-zinc-900 capitalize">
                  {group.tier} {group.outputType}
                </h4>
                <ul className="mt-1 flex flex-col divide-y divide-zinc-100">
                  {group.models.map((model) => (
                    <Row
                      key={model.modelId}
                      testId="history-model-value"
                      label={
                        <>
                          {model.name} {model.best && <Badge tone="green">Best value</Badge>}
                          {!model.compared && <span className="text-zinc-600"> (too few runs to compare)</span>}
                        </>
                      }
                      figures={
                        model.perAccepted === null
                          ? `${runsText(model.runs)}, none accepted, ${formatCredits(model.charged)}`
                          : `${formatCredits(model.perAccepted)} per accepted · ${formatNumber(model.accepted)} of ${formatNumber(model.runs)} accepted`
                      }
                    />
                  ))}
                </ul>
              </div>
            ))}
          </div>
        )}
      </Section>

      <Section
        title="Prompts"
        headingLevel={headingLevel}
        testId="history-prompts"
        description="Prompts compared trimmed, in lower case, with runs of spaces as one; who wrote the first run of each."
      >
        {prompts.total === 0 ? (
          <p className="text-sm text-zinc-700">No settled run in this period has its prompt recorded. Write the prompt on the run form to learn which ones work first time.</p>
        ) : (
          <div className="flex flex-col gap-4">
            <p className="text-sm text-zinc-700" data-testid="history-prompt-share">
              {formatNumber(prompts.firstTime)} of {formatNumber(prompts.total)} prompts were accepted on their first run ({formatPercent(Math.round((prompts.firstTime * 100) / prompts.total))}).
            </p>
            {prompts.firstTimeList.length > 0 && (
              <div>
                <h4 className="text-sm font-semibold text-zinc-900">Worked first time</h4>
                <ul className="mt-1 flex flex-col divide-y divide-zinc-100">
                  {prompts.firstTimeList.map((stat) => (
                    <PromptRow key={stat.key} stat={stat} people={people} firstTime />
                  ))}
                </ul>
              </div>
            )}
            {prompts.mostAttempts.length > 0 && (
              <div>
                <h4 className="text-sm font-semibold text-zinc-900">Took the most attempts</h4>
                <ul className="mt-1 flex flex-col divide-y divide-zinc-100">
                  {prompts.mostAttempts.map((stat) => (
                    <PromptRow key={stat.key} stat={stat} people={people} firstTime={false} />
                  ))}
                </ul>
              </div>
            )}
          </div>
        )}
      </Section>

      <Section title="Expensive patterns" headingLevel={headingLevel} testId="history-patterns" description="The combinations of member, model and stage that cost most in the period.">
        {patterns.length === 0 ? (
          <p className="text-sm text-zinc-700">No credits were charged in this period.</p>
        ) : (
          <ul className="flex flex-col divide-y divide-zinc-100">
            {patterns.map((pattern) => (
              <Row
                key={`${pattern.userId}:${pattern.modelId}:${pattern.stage}`}
                testId="history-pattern"
                label={`${people[pattern.userId] ?? "A former member"} · ${pattern.modelName} ${STAGE_WORDS[pattern.stage]}`}
                figures={`${formatCredits(pattern.charged)} (${formatPercent(pattern.percent)}) · ${runsText(pattern.runs)}`}
              />
            ))}
          </ul>
        )}
      </Section>

      <Section title="Unusual days" headingLevel={headingLevel} testId="history-anomalies" description={anomalyDefinition()}>
        {anomalies.length === 0 ? (
          <p className="text-sm text-zinc-700">No day of the period was unusual.</p>
        ) : (
          <ul className="flex flex-col divide-y divide-zinc-100">
            {anomalies.map((anomaly) => (
              <Row
                key={anomaly.day}
                testId="history-anomaly"
                label={formatDay(anomaly.day)}
                figures={`${formatCredits(anomaly.charged)} against ${formatNumber(anomaly.mean)} a day before (unusual above ${formatNumber(anomaly.threshold)})`}
              />
            ))}
          </ul>
        )}
      </Section>

      {forecastSection}
    </div>
  );
}
