"use client";
// One step's model and its settings, as the plan editor and the app editor both pick them: choosing another model
// starts from its default settings. Anything a step has besides (a count) goes between the two.
import type { ReactNode } from "react";
import { Select } from "@/components/ui/select";
import { defaultSettings, findEntry } from "@/lib/pricing/estimate";
import type { CatalogEntry, PriceList } from "@/lib/pricing/types";
import { ModelOptions } from "./model-options";

export type StepChoice = { modelId: string; settings: Record<string, string> };

export function StepModelFields({
  priceList,
  entries,
  step,
  prefix,
  error,
  onChange,
  children,
}: {
  priceList: PriceList;
  /** The models this step may use. */
  entries: CatalogEntry[];
  step: StepChoice;
  /** Field names and error keys start with it: `${prefix}.modelId`, `${prefix}.settings.<key>`. */
  prefix: string;
  error: (field: string) => string | undefined;
  onChange: (choice: StepChoice) => void;
  children?: ReactNode;
}) {
  const entry = findEntry(priceList, step.modelId);
  return (
    <>
      <Select
        label="Model"
        name={`${prefix}.modelId`}
        value={step.modelId}
        onChange={(event) => {
          const chosen = findEntry(priceList, event.target.value);
          onChange({ modelId: event.target.value, settings: chosen ? defaultSettings(chosen) : {} });
        }}
        error={error(`${prefix}.modelId`)}
      >
        {!entry && step.modelId && <option value={step.modelId}>{step.modelId} (not in the price list)</option>}
        <ModelOptions entries={entries} />
      </Select>
      {children}
      {entry?.settings.map((setting) => (
        <Select
          key={setting.key}
          label={setting.label}
          name={`${prefix}.settings.${setting.key}`}
          value={step.settings[setting.key] ?? setting.default}
          onChange={(event) => onChange({ modelId: step.modelId, settings: { ...step.settings, [setting.key]: event.target.value } })}
          error={error(`${prefix}.settings.${setting.key}`)}
          options={setting.options.map((option) => ({ value: option.value, label: option.label }))}
        />
      ))}
    </>
  );
}
