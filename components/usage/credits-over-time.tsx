"use client";
// Credits over time as stacked bars, with the grouping (day, week, month) and the stack (type, project, model, member) kept in the URL.
import { debounce, parseAsStringLiteral, useQueryStates } from "nuqs";
import { useTransition } from "react";
import { Bar, BarChart, CartesianGrid, Legend, Tooltip, XAxis, YAxis } from "recharts";
import { Select } from "@/components/ui/select";
import { formatNumber } from "@/lib/format";
import { CHART_BUCKETS, CHART_STACKS, type ChartBucket, type ChartStack } from "@/lib/usage/filters";

export type TimeSeries = { key: string; name: string; color: string };
export type TimePoint = { bucket: string; label: string; values: Record<string, number>; total: number };

const BUCKET_LABELS: Record<ChartBucket, string> = { day: "Day", week: "Week", month: "Month" };
const STACK_LABELS: Record<ChartStack, string> = { type: "Output type", project: "Project", model: "Model", member: "Member" };

const viewParsers = {
  by: parseAsStringLiteral(CHART_BUCKETS),
  stack: parseAsStringLiteral(CHART_STACKS),
};

export function CreditsOverTime({ points, series, by, stack }: { points: TimePoint[]; series: TimeSeries[]; by: ChartBucket; stack: ChartStack }) {
  const [pending, startTransition] = useTransition();
  // The server draws the chart for the view in the URL: a change asks it again (shallow: false) and keeps the filter.
  // Debounced: arrowing through a select's choices asks the server once, for the choice it stops on.
  const [chosen, setView] = useQueryStates(viewParsers, { shallow: false, startTransition, scroll: false, limitUrlUpdates: debounce(400) });
  const data = points.map((point) => ({ label: point.label, ...point.values }));

  return (
    <div className="flex flex-col gap-4" aria-busy={pending}>
      <div className="flex flex-wrap gap-3">
        <Select
          label="Per"
          name="by"
          fieldClassName="w-36"
          value={chosen.by ?? by}
          onChange={(event) => void setView({ by: event.target.value as ChartBucket })}
          options={CHART_BUCKETS.map((value) => ({ value, label: BUCKET_LABELS[value] }))}
        />
        <Select
          label="Stacked by"
          name="stack"
          fieldClassName="w-44"
          value={chosen.stack ?? stack}
          onChange={(event) => void setView({ stack: event.target.value as ChartStack })}
          options={CHART_STACKS.map((value) => ({ value, label: STACK_LABELS[value] }))}
        />
      </div>
      {points.every((point) => point.total === 0) ? (
        <p className="text-sm text-zinc-600">No credits were charged in these days.</p>
      ) : (
        <>
          <figure
            role="img"
            aria-label={`Credits per ${by}, stacked by ${STACK_LABELS[stack].toLowerCase()}; the table below gives every figure.`}
            className={pending ? "opacity-60" : undefined}
            data-testid="credits-over-time"
            data-series={series.map((one) => one.name).join("|")}
          >
            <BarChart responsive data={data} style={{ width: "100%", height: 300 }} margin={{ top: 8, right: 8, bottom: 8, left: 8 }}>
              <CartesianGrid vertical={false} stroke="#e4e4e7" />
              <XAxis dataKey="label" tick={{ fontSize: 12 }} />
              <YAxis tick={{ fontSize: 12 }} width={64} tickFormatter={(value: number) => formatNumber(value)} />
              <Tooltip formatter={(value) => formatNumber(Number(value))} />
              {/* Names in the text colour: a yellow or grey name on white would be unreadable. */}
              <Legend wrapperStyle={{ fontSize: 12 }} formatter={(value) => <span style={{ color: "#3f3f46" }}>{value}</span>} />
              {series.map((one) => (
                <Bar key={one.key} dataKey={one.key} name={one.name} stackId="credits" fill={one.color} isAnimationActive={false} />
              ))}
            </BarChart>
          </figure>
          <details className="text-sm">
            <summary className="cursor-pointer text-zinc-700">Show as a table</summary>
            <div className="mt-2 overflow-x-auto">
              <table className="w-full border-collapse text-left text-sm" data-testid="credits-over-time-table">
                <caption className="sr-only">Credits per {by}, by {STACK_LABELS[stack].toLowerCase()}</caption>
                <thead className="border-b border-zinc-200 bg-zinc-50">
                  <tr>
                    <th scope="col" className="px-3 py-2 text-xs font-semibold">
                      {BUCKET_LABELS[by]}
                    </th>
                    {series.map((one) => (
                      <th key={one.key} scope="col" className="px-3 py-2 text-right text-xs font-semibold">
                        {one.name}
                      </th>
                    ))}
                    <th scope="col" className="px-3 py-2 text-right text-xs font-semibold">
                      Total
                    </th>
                  </tr>
                </thead>
                <tbody className="divide-y divide-zinc-200">
                  {points.map((point) => (
                    <tr key={point.bucket}>
                      <th scope="row" className="px-3 py-1.5 font-normal whitespace-nowrap">
                        {point.label}
                      </th>
                      {series.map((one) => (
                        <td key={one.key} className="px-3 py-1.5 text-right tabular-nums">
                          {formatNumber(point.values[one.key] ?? 0)}
                        </td>
                      ))}
                      <td className="px-3 py-1.5 text-right font-medium tabular-nums">{formatNumber(point.total)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </details>
        </>
      )}
    </div>
  );
}
