// The period of a budget or limit, with the week's first day asked only when the period is a week.
import { Select } from "@/components/ui/select";
import type { FieldError } from "@/components/ui/field";
import { PERIOD_LABELS, WEEKDAYS } from "./labels";

type Props = {
  period: string;
  weekStartsOn: string;
  periodError?: FieldError;
  weekStartsOnError?: FieldError;
  periodLabel: string;
};

export function PeriodFields({ period, weekStartsOn, periodError, weekStartsOnError, periodLabel }: Props) {
  return (
    // CSS, not state, shows the week start: it follows the select even after React resets the form.
    <div className="group/period grid gap-4 sm:grid-cols-2">
      <Select
        label={periodLabel}
        name="period"
        required
        defaultValue={period}
        hint="Months and weeks start at midnight in the team's time zone."
        options={(["month", "week", "lifetime"] as const).map((value) => ({ value, label: PERIOD_LABELS[value] }))}
        error={periodError}
      />
      <div className="hidden group-has-[option[value=week]:checked]/period:block">
        <Select
          label="Week starts on"
          name="weekStartsOn"
          hint="The day a new week's credits begin."
          defaultValue={weekStartsOn}
          options={WEEKDAYS.map((day, index) => ({ value: String(index), label: day }))}
          error={weekStartsOnError}
        />
      </div>
    </div>
  );
}
