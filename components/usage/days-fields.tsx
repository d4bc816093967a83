"use client";
// The Usage filter's days: a preset, or custom days typed in From and To. Typing a day chooses "Custom days"; choosing a preset clears the days.
import { useState } from "react";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { RANGE_LABELS, RANGE_PRESETS, type RangePreset } from "@/lib/usage/filters";

type Props = {
  range: RangePreset;
  from: string;
  to: string;
  errors: { range?: string; from?: string; to?: string };
};

export function DaysFields({ range: initialRange, from: initialFrom, to: initialTo, errors }: Props) {
  const [range, setRange] = useState(initialRange);
  const [from, setFrom] = useState(initialFrom);
  const [to, setTo] = useState(initialTo);
  const typed = (set: (value: string) => void) => (event: { target: { value: string } }) => {
    set(event.target.value);
    if (event.target.value) setRange("custom");
  };
  return (
    <>
      <Select
        label="Days"
        name="range"
        value={range}
        onChange={(event) => {
          const next = event.target.value as RangePreset;
          setRange(next);
          if (next !== "custom") {
            setFrom("");
            setTo("");
          }
        }}
        error={errors.range}
        hint="In the team's time zone."
        options={RANGE_PRESETS.map((value) => ({ value, label: RANGE_LABELS[value] }))}
      />
      <Input label="From" name="from" type="date" value={from} onChange={typed(setFrom)} error={errors.from} hint="For custom days." />
      <Input label="To" name="to" type="date" value={to} onChange={typed(setTo)} error={errors.to} hint="Empty: up to today." />
    </>
  );
}
