// Calendar dates typed by people, read in the team's time zone. Pure.
import { Temporal } from "temporal-polyfill";

// Out-of-range days roll over as they always have ("2026-02-30" is 2 March): the schemas decide what may be typed.
function calendarDay(date: string): Temporal.PlainDate {
  const [year, month, day] = date.split("-").map(Number);
  return Temporal.PlainDate.from({ year, month: 1, day: 1 }).add({ months: month - 1, days: day - 1 });
}

// Temporal reads the zone's rules alone, never the host's zone; a day begins at its first midnight
// (twice-run midnights, as in Havana in November) or when the clocks land (skipped ones).
function startOf(day: Temporal.PlainDate, timeZone: string): Date {
  return new Date(day.toZonedDateTime(timeZone).epochMilliseconds);
}

/** The instant a calendar day begins in `timeZone`. */
export function startOfDayIn(date: string, timeZone: string): Date {
  return startOf(calendarDay(date), timeZone);
}

/** The instant a calendar day ends (the next day begins) in `timeZone`. */
export function endOfDayIn(date: string, timeZone: string): Date {
  return startOf(calendarDay(date).add({ days: 1 }), timeZone);
}
