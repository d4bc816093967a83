// The spread of credits per output type, so a figure can be read as cheap or dear for its kind.
import { COST_RANGES } from "@/lib/pricing/default-price-list";
import { formatNumber } from "@/lib/pricing/format";
import { OUTPUT_TYPES } from "@/lib/pricing/types";
import { OUTPUT_TYPE_LABELS } from "./labels";

export function CostRanges() {
  return (
    <section aria-labelledby="cost-ranges-title" className="flex flex-col gap-2">
      <h2 id="cost-ranges-title" className="text-sm font-semibold text-zinc-900">
        What one generation usually costs
      </h2>
      <dl className="grid grid-cols-2 gap-3 sm:grid-cols-4" data-testid="cost-ranges">
        {OUTPUT_TYPES.map((outputType) => (
          <div key={outputType} className="rounded-lg border border-zinc-200 bg-white px-4 py-3 shadow-sm">
            <dt className="text-xs font-medium text-zinc-600">{OUTPUT_TYPE_LABELS[outputType]}</dt>
            <dd className="mt-0.5 text-lg font-semibold text-zinc-900 tabular-nums">
              <span className="whitespace-nowrap">
                {formatNumber(COST_RANGES[outputType].min)}–{formatNumber(COST_RANGES[outputType].max)}
              </span>{" "}
              <span className="text-sm font-normal text-zinc-600">credits</span>
            </dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
