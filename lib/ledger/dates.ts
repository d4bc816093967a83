// Calendar dates typed by people, read in the team's time zone. Pure.
import { TZDate } from "@date-fns/tz";

function parts(date: string): [number, number, number] {
  const [year, month, day] = date.split("-").map(Number);
  return [year, month - 1, day];
}

/** The instant a calendar day begins in `timeZone`. */
export function startOfDayIn(date: string, timeZone: string): Date {
  const [year, month, day] = parts(date);
  return new Date(new TZDate(year, month, day, timeZone).getTime());
}

/** The instant a calendar day ends (the next day begins) in `timeZone`. */
export function endOfDayIn(date: string, timeZone: string): Date {
  const [year, month, day] = parts(date);
  return new Date(new TZDate(year, month, day + 1, timeZone).getTime());
}
