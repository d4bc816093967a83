// Pieces every GET filter form shares: the Filter and Clear buttons, the from–to day fields, the note about refused values.
import { Button, ButtonLink } from "./button";
import { FormError, Input } from "./input";

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
