// Pieces every GET filter form shares: the Filter and Clear buttons, the from–to day fields, the note about refused values.
import { Button, ButtonLink } from "./button";
import { FormError, Input } from "./input";
import { Select } from "./select";

/** Submits the filter; Clear appears once anything is filtered or refused. */
export function FilterButtons({ clearHref, showClear }: { clearHref: string; showClear: boolean }) {
  return (
    <div className="flex gap-2">
      <Button type="submit" variant="secondary">
        Filter
      </Button>
      {showClear && (
        <ButtonLink href={clearHref} variant="ghost">
          Clear
        </ButtonLink>
      )}
    </div>
  );
}

/** A day range as two date inputs named `from` and `to`, with their messages. */
export function DayRangeInputs({ values, errors }: { values: { from: string; to: string }; errors: { from?: string; to?: string } }) {
  return (
    <>
      <Input label="From" name="from" type="date" defaultValue={values.from} error={errors.from} />
      <Input label="To" name="to" type="date" defaultValue={values.to} error={errors.to} />
    </>
  );
}

/** Said under a filter form when some of its values were left out; each field says why. */
export function RefusedFiltersNote({ show, className }: { show: boolean; className?: string }) {
  return show ? <FormError className={className} message="Some filters could not be used and were left out; see the fields above." /> : null;
}

/** A filter on one of the team's projects or people: "any" first, then each by name; posts its id. */
export function ChoiceFilter({
  label,
  name,
  anyLabel,
  choices,
  value,
  error,
  fieldClassName,
}: {
  label: string;
  name: string;
  anyLabel: string;
  choices: readonly { id: string; name: string }[];
  value: string;
  error?: string;
  fieldClassName?: string;
}) {
  return (
    <Select
      label={label}
      name={name}
      fieldClassName={fieldClassName}
      defaultValue={value}
      error={error}
      options={[{ value: "", label: anyLabel }, ...choices.map((choice) => ({ value: choice.id, label: choice.name }))]}
    />
  );
}
