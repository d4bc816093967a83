// An app's cost per run, step by step, from lib/pricing with the team's price list: the same figures in the editor,
// on the app's page and in the Run form.
import { formatCredits, formatNumber } from "@/lib/format";
import type { AppCost, AppCostRange, AppDefinition } from "@/lib/apps/rules";
import { findEntry } from "@/lib/pricing/estimate";
import type { PriceList } from "@/lib/pricing/types";

/** Each step's settings in the price list's words ("Resolution: 2K"), or "" for a step without any. */
export function stepSettingsText(priceList: PriceList, definition: AppDefinition): string[] {
  return definition.steps.map((step) => {
    const entry = findEntry(priceList, step.modelId);
    if (!entry) return "";
    return entry.settings
      .map((setting) => {
        const value = step.settings[setting.key] ?? setting.default;
        return `${setting.label}: ${setting.options.find((option) => option.value === value)?.label ?? value}`;
      })
      .join(", ");
  });
}

const STEP_WORDS = ["Makes each output", "Then, on each output"] as const;

export function AppCostTable({ cost, range, settings = [], testId = "app-cost" }: { cost: AppCost; range?: AppCostRange; settings?: string[]; testId?: string }) {
  if (!cost.ok) {
    return (
      <p className="text-sm text-amber-800" data-testid={`${testId}-error`}>
        No cost yet: {cost.error.message}
      </p>
    );
  }
  return (
    <div className="flex flex-col gap-2" data-testid={testId}>
      <ol className="flex flex-col gap-1 text-sm text-zinc-800">
        {cost.steps.map((step, index) => (
          <li key={`${step.stage}${step.index}`} className="flex justify-between gap-4" data-testid="app-cost-step">
            <span>
              {index + 1}. {step.modelName}
              {settings[index] && <span className="text-zinc-600"> ({settings[index]})</span>}
              <span className="block text-zinc-600">
                {index === 0 ? STEP_WORDS[0] : STEP_WORDS[1]}: {formatCredits(step.perUnit)} × {formatNumber(step.count)}
              </span>
            </span>
            <span className="whitespace-nowrap tabular-nums">{formatCredits(step.credits)}</span>
          </li>
        ))}
      </ol>
      <p className="flex justify-between gap-4 border-t border-zinc-200 pt-2 text-sm font-semibold text-zinc-900">
        <span>
          One run: {formatNumber(cost.outputs)} {cost.outputs === 1 ? "output" : "outputs"}, {formatCredits(cost.perOutput)} each
        </span>
        <span className="whitespace-nowrap tabular-nums" data-testid={`${testId}-total`}>
          {formatCredits(cost.credits)}
        </span>
      </p>
      {range && (
        <p className="text-sm text-zinc-700" data-testid={`${testId}-range`}>
          {range.ok
            ? range.min === range.max
              ? `Every run costs ${formatCredits(range.min)}: its inputs do not change the price.`
              : `A run costs ${formatCredits(range.min)} to ${formatCredits(range.max)}, depending on the inputs.`
            : `No range: ${range.error.message}`}
        </p>
      )}
    </div>
  );
}
