"use client";
// A ranked list of credits (top models, stages) as horizontal bars, with the same figures as a table for screen readers.
import { Bar, BarChart, Cell, XAxis, YAxis, Tooltip } from "recharts";
import { formatNumber } from "@/lib/format";

export type RankedRow = { key: string; label: string; credits: number; note?: string; color: string };

export function RankedBars({ rows, caption, testId }: { rows: RankedRow[]; caption: string; testId: string }) {
  if (rows.every((row) => row.credits === 0)) return <p className="text-sm text-zinc-600">Nothing charged in these days.</p>;
  return (
    <div className="flex flex-col gap-2">
      <figure role="img" aria-label={`${caption}; the table below gives every figure.`} data-testid={testId}>
        <BarChart responsive layout="vertical" data={rows} style={{ width: "100%", height: 40 + rows.length * 30 }} margin={{ top: 4, right: 16, bottom: 4, left: 4 }}>
          <XAxis type="number" tick={{ fontSize: 12 }} tickFormatter={(value: number) => formatNumber(value)} />
          <YAxis type="category" dataKey="label" width={120} tick={{ fontSize: 12 }} />
          <Tooltip formatter={(value) => formatNumber(Number(value))} />
          <Bar dataKey="credits" name="Credits" isAnimationActive={false}>
            {rows.map((row) => (
              <Cell key={row.key} fill={row.color} />
            ))}
          </Bar>
        </BarChart>
      </figure>
      <details className="text-sm">
        <summary className="cursor-pointer text-zinc-700">Show as a table</summary>
        <table className="mt-2 w-full border-collapse text-left text-sm" data-testid={`${testId}-table`}>
          <caption className="sr-only">{caption}</caption>
          <tbody className="divide-y divide-zinc-200">
            {rows.map((row) => (
              <tr key={row.key}>
                <th scope="row" className="px-3 py-1.5 font-normal wrap-anywhere">
                  {row.label}
                </th>
                <td className="px-3 py-1.5 text-right tabular-nums">{formatNumber(row.credits)}</td>
                <td className="px-3 py-1.5 text-zinc-600">{row.note ?? ""}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </div>
  );
}
