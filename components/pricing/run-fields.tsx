"use client";
// A run's model, its settings and the quantity, with the live estimate beside them: the fields every form that asks
// for one run shares (the project page's record-run form; the Approvals page's new request).
import { useMemo, useState } from "react";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { formatNumber } from "@/lib/format";
import { defaultSettings, estimateRun, findEntry } from "@/lib/pricing/estimate";
import { PURPOSES, PURPOSE_LABELS, RUN_STAGES, STAGE_LABELS } from "@/lib/ledger/schema";
import type { PriceList } from "@/lib/pricing/types";

type RunStage = (typeof RUN_STAGES)[number];
type Purpose = (typeof PURPOSES)[number];
import { ModelOptions } from "./model-options";
import { parseQuantity } from "./quantity";

/** The run being chosen — model, its settings, quantity — and what it is estimated at, kept as the person types. */
export function useRunChoice(priceList: PriceList, initialModelId?: string) {
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
  return { entries, modelId, chooseModel, settings, setSettings, quantity, setQuantity, entry, estimate };
}

export type RunChoice = ReturnType<typeof useRunChoice>;

/** The model picker, the chosen model's settings and the quantity; posts `modelId`, `setting.<key>` and `quantity`. */
export function RunChoiceFields({ choice, fieldError }: { choice: RunChoice; fieldError: (name: string) => string | undefined }) {
  const { entries, modelId, chooseModel, settings, setSettings, quantity, setQuantity, entry } = choice;
  return (
    <>
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
    </>
  );
}

type FormValues = { fieldError: (name: string) => string | undefined; value: (name: string, fallback?: string) => string };

/** The run's stage and purpose, as a form last sent them or the defaults given. */
export function StageAndPurposeFields({ form, stage, purpose }: { form: FormValues; stage: RunStage; purpose: Purpose }) {
  return (
    <div className="grid gap-4 sm:grid-cols-2">
      <Select
        label="Stage"
        name="stage"
        required
        defaultValue={form.value("stage", stage)}
        options={RUN_STAGES.map((value) => ({ value, label: STAGE_LABELS[value] }))}
        error={form.fieldError("stage")}
      />
      <Select
        label="Purpose"
        name="purpose"
        required
        defaultValue={form.value("purpose", purpose)}
        options={PURPOSES.map((value) => ({ value, label: PURPOSE_LABELS[value] }))}
        error={form.fieldError("purpose")}
      />
    </div>
  );
}

type Props = {
  priceList: PriceList;
  fieldError: (name: string) => string | undefined;
  /** The model chosen first; the first model the team may use otherwise. */
  initialModelId?: string;
};

/** The run's fields with its estimate under them (the Approvals page's new request). */
export function RunFields({ priceList, fieldError, initialModelId }: Props) {
  const choice = useRunChoice(priceList, initialModelId);
  const { entry, estimate } = choice;
  return (
    <div className="flex flex-col gap-4">
      <RunChoiceFields choice={choice} fieldError={fieldError} />
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
