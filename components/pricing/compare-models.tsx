"use client";
// Prices one job on every model of an output type and marks the best value in each tier.
import { useMemo, useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { TBody, TD, TH, THead, TR, Table } from "@/components/ui/table";
import { compareModels } from "@/lib/pricing/compare";
import { formatCredits, formatNumber } from "@/lib/format";
import { OUTPUT_TYPES, type OutputType, type PriceList } from "@/lib/pricing/types";
import { OUTPUT_TYPE_LABELS, settingChoices, tierLabel } from "./labels";
import { parseQuantity } from "./quantity";

function defaultsOf(priceList: PriceList, outputType: OutputType): Record<string, string> {
  return Object.fromEntries(settingChoices(priceList, outputType).map((choice) => [choice.key, choice.default]));
}

export function CompareModels({ priceList }: { priceList: PriceList }) {
  const types = OUTPUT_TYPES.filter((type) => priceList.entries.some((entry) => entry.enabled && entry.outputType === type));
  const [outputType, setOutputType] = useState<OutputType>(types.includes("video") ? "video" : (types[0] ?? "image"));
  const [settings, setSettings] = useState<Record<string, string>>(() => defaultsOf(priceList, outputType));
  const [quantity, setQuantity] = useState("1");

  const choices = useMemo(() => settingChoices(priceList, outputType), [priceList, outputType]);
  const comparison = useMemo(
    () => compareModels(priceList, outputType, settings, parseQuantity(quantity)),
    [priceList, outputType, settings, quantity],
  );

  const chooseType = (type: OutputType) => {
    setOutputType(type);
    setSettings(defaultsOf(priceList, type));
  };

  const cheapest = comparison.ok && comparison.rows.length > 0 ? comparison.rows[0].credits : null;

  return (
    <div className="flex flex-col gap-4" data-testid="compare-models">
      <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
        <Select
          label="Output type"
          name="compareOutputType"
          value={outputType}
          onChange={(event) => chooseType(event.target.value as OutputType)}
          options={types.map((type) => ({ value: type, label: OUTPUT_TYPE_LABELS[type] }))}
        />
        {choices.map((choice) => (
          <Select
            key={choice.key}
            label={choice.label}
            name={`compare.${choice.key}`}
            value={settings[choice.key] ?? choice.default}
            onChange={(event) => setSettings({ ...settings, [choice.key]: event.target.value })}
            options={choice.options}
          />
        ))}
        <Input
          label="How many"
          name="compareQuantity"
          type="number"
          inputMode="numeric"
          min={1}
          step={1}
          value={quantity}
          onChange={(event) => setQuantity(event.target.value)}
          error={comparison.ok ? undefined : comparison.error.message}
        />
      </div>
      {comparison.ok && (
        <>
          <Table caption={`${OUTPUT_TYPE_LABELS[outputType]}: the same job on every model`} wrapperClassName="relative">
            <THead>
              <TR>
                <TH>Model</TH>
                <TH numeric>Credits</TH>
                <TH>Tier</TH>
                <TH numeric>vs. cheapest</TH>
                <TH>How it is priced</TH>
              </TR>
            </THead>
            <TBody>
              {comparison.rows.map((row) => (
                <TR key={row.modelId} data-testid="compare-row" data-model={row.modelId} data-best={row.bestInTier ? "true" : undefined}>
                  <TD wrap className="min-w-36 font-medium">
                    <span>{row.name}</span>
                    {row.bestInTier && (
                      <span className="mt-0.5 block">
                        <Badge tone="green">Best value{row.tier ? ` in ${tierLabel(row.tier).toLowerCase()}` : ""}</Badge>
                      </span>
                    )}
                  </TD>
                  <TD numeric className="font-semibold text-zinc-900">
                    {formatNumber(row.credits)}
                  </TD>
                  <TD>{tierLabel(row.tier)}</TD>
                  <TD numeric className="text-zinc-600">
                    {cheapest && cheapest > 0 && row.credits !== cheapest ? `×${formatRatio(row.credits / cheapest)}` : "—"}
                  </TD>
                  <TD wrap className="min-w-64 text-zinc-600">
                    {row.breakdown}
                    {row.note && <span className="block text-xs text-amber-800">{row.note}</span>}
                  </TD>
                </TR>
              ))}
            </TBody>
          </Table>
          {comparison.unpriced.length > 0 && (
            <p className="text-sm text-amber-800">
              Not priced:{" "}
              {comparison.unpriced.map((item) => `${item.entry.name} (${item.error.message})`).join("; ")}
            </p>
          )}
          {comparison.rows.length > 0 && (
            <p className="text-sm text-zinc-600">
              Cheapest: {comparison.rows[0].name}, {formatCredits(comparison.rows[0].credits)}. A model that lacks a setting is priced
              at its own default, as its note says.
            </p>
          )}
        </>
      )}
    </div>
  );
}

// 66.666… → "67", 1.5 → "1.5": one decimal below 10, whole numbers above; only for reading, never for charging.
function formatRatio(ratio: number): string {
  return ratio >= 10 ? formatNumber(Math.round(ratio)) : String(Math.round(ratio * 10) / 10);
}
