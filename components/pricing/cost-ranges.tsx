// The spread of credits per output type in the team's price list, so a figure can be read as cheap or dear for its kind.
import { formatNumber } from "@/lib/format";
import type { CreditRange, OutputTypeCosts } from "@/lib/pricing/ranges";
import { OUTPUT_TYPE_LABELS } from "./labels";

/** "20–600", or "20" when every model costs the same. */
export function rangeText(range: CreditRange): string {
  return range.min === range.max ? formatNumber(range.min) : `${formatNumber(range.min)}–${formatNumber(range.max)}`;
}

export function CostRanges({ ranges }: { ranges: OutputTypeCosts[] }) {
  return (
    <section aria-labelledby="cost-ranges-title" className="flex flex-col gap-2">
      <h2 id="cost-ranges-title" className="text-sm font-semibold text-zinc-900">
        What one output costs
      </h2>
      <p className="max-w-prose text-sm text-zinc-600">
        One image, clip, voiceover or tool operation on the models switched on in this price list. The large figure is at each
        model&apos;s default settings, as the price list shows it; the line under it runs from each model&apos;s cheapest
        settings to its dearest.
      </p>
      <dl className="grid grid-cols-2 gap-3 lg:grid-cols-4" data-testid="cost-ranges">
        {ranges.map((costs) => (
          <div
            key={costs.outputType}
            className="rounded-lg border border-zinc-200 bg-white px-4 py-3 shadow-sm"
            data-testid={`cost-range-${costs.outputType}`}
          >
            <dt className="text-xs font-medium text-zinc-600">
              {OUTPUT_TYPE_LABELS[costs.outputType]} · {costs.models} {costs.models === 1 ? "model" : "models"}
            </dt>
            <dd className="mt-0.5 text-zinc-900 tabular-nums" data-testid="cost-range-defaults">
              <span className="text-lg font-semibold whitespace-nowrap">{rangeText(costs.atDefaults)}</span>{" "}
              <span className="text-sm text-zinc-600">credits</span>{" "}
              <span className="block text-xs text-zinc-600">at default settings</span>
            </dd>
            <dd className="mt-1.5 border-t border-zinc-100 pt-1.5 text-sm text-zinc-700 tabular-nums" data-testid="cost-range-settings">
              <span className="font-medium whitespace-nowrap">{rangeText(costs.withSettings)}</span> with every setting
            </dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
