"use client";
// A run's model, its settings and the quantity, with the live estimate beside them: the fields every form that asks
// for one run shares (the Approvals page's new request; the project page's record-run form could adopt it too).
import { useMemo, useState } from "react";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { formatNumber } from "@/lib/format";
import { defaultSettings, estimateRun, findEntry } from "@/lib/pricing/estimate";
import type { PriceList } from "@/lib/pricing/types";
import { ModelOptions } from "./model-options";
import { parseQuantity } from "./quantity";

type Props = {
  priceList: PriceList;
  fieldError: (name: string) => string | undefined;
  /** The model chosen first; the first model the team may use otherwise. */
  initialModelId?: string;
};

/** Posts `modelId`, `setting.<key>` and `quantity`, as the run and request schemas read them. */
export function RunFields({ priceList, fieldError, initialModelId }: Props) {
  const entries = useMemo(() => priceList.entries.filter((entry) => entry.enabled), [priceList]);
  const first = (initialModelId && entries.find((entry) => entry.id === initialModelId)) || entries[0];
  const [modelId, setModelId] = useState(first?.id ?? "");
  const [settings, setSettings] = useState<Record<string, string>>(() => (first ? defaultSettings(first) : {}));
  const [quantity, setQuantity] = useState("1");
  const entry = findEntry(priceList, modelId);
  const estimate = useMemo(() => estimateRun(priceList, { modelId, settings, quantity: parseQuantity(quantity) }), [priceList, modelId, settings, quantity]);

  const chooseModel = (id: string) => {
    setModelId(id);
    const chosen = findEntry(priceList, id);
    setSettings(chosen ? defaultSettings(chosen) : {});
  };

  return (
    <div className="flex flex-col gap-4">
      <Select label="Model" name="modelId" required value={modelId} onChange={(event) => chooseModel(event.target.value)} error={fieldError("modelId")}>
        <ModelOptions entries={entries} />
      </Select>
      <div className="grid gap-4 sm:grid-cols-2">
        {entry?.settings.map((setting) => (
          <Select
            key={setting.key}
            label={setting.label}
            name={`setting.${setting.key}`}
            value={settings[setting.key] ?? setting.default}
            onChange={(event) => setSettings({ ...settings, [setting.key]: event.target.value })}
            options={setting.options.map((option) => ({ value: option.value, label: option.label }))}
            error={fieldError(`settings.${setting.key}`)}
          />
        ))}
        <Input
          label={entry ? `Quantity (${entry.unit}s)` : "Quantity"}
          name="quantity"
          type="number"
          inputMode="numeric"
          min={1}
          step={1}
          required
          value={quantity}
          onChange={(event) => setQuantity(event.target.value)}
          error={fieldError("quantity")}
        />
      </div>
      <p className="rounded-md bg-zinc-50 px-3 py-2 text-sm text-zinc-700 ring-1 ring-zinc-200 ring-inset" aria-live="polite" data-testid="run-fields-estimate">
        {estimate.ok ? (
          <>
            <span className="font-semibold text-zinc-900 tabular-nums">{formatNumber(estimate.credits)} credits</span>
            {entry?.tier ? ` · ${entry.tier} tier` : ""} · <span className="break-words">{estimate.breakdown}</span>
          </>
        ) : (
          <>No estimate yet: {estimate.error.message}</>
        )}
      </p>
    </div>
  );
}
