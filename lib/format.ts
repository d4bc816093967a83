// The one place numbers, credits and dates are written for people; pure, identical in the browser and on the server.

// A true minus sign (U+2212), not a hyphen: it is as wide as a digit and never breaks from its number.
const MINUS = "\u2212";

/**
 * 4000 → "4,000", −250 → "−250". Hand-rolled rather than Intl, so the server and
 * every browser print the same digits whatever their locale data.
 */
export function formatNumber(value: number): string {
  // Whole numbers are nearly every call (it runs inside every estimate), so they skip the general path.
  if (Number.isSafeInteger(value)) {
    if (value >= 0 && value < 1000) return String(value);
    const digits = String(Math.abs(value));
    const lead = digits.length % 3 || 3;
    let grouped = digits.slice(0, lead);
    for (let i = lead; i < digits.length; i += 3) grouped += `,${digits.slice(i, i + 3)}`;
    return value < 0 ? `${MINUS}${grouped}` : grouped;
  }
  if (!Number.isFinite(value)) return String(value);
  const [whole, fraction] = Math.abs(value).toString().split(".");
  if (!/^\d+$/.test(whole)) return String(value);
  let grouped = "";
  for (let i = whole.length; i > 0; i -= 3) {
    const start = Math.max(0, i - 3);
    grouped = grouped ? `${whole.slice(start, i)},${grouped}` : whole.slice(start, i);
  }
  return `${value < 0 ? MINUS : ""}${grouped}${fraction ? `.${fraction}` : ""}`;
}

/** 1 → "1 credit", 4000 → "4,000 credits", −250 → "−250 credits". */
export function formatCredits(credits: number): string {
  return `${formatNumber(credits)} ${Math.abs(credits) === 1 ? "credit" : "credits"}`;
}

/** A movement of credits with its direction: "+10,000", "−600", "0". */
export function formatSignedNumber(value: number): string {
  return value > 0 ? `+${formatNumber(value)}` : formatNumber(value);
}

/** 63 → "63 %". */
export function formatPercent(percent: number): string {
  return `${formatNumber(percent)} %`;
}

export function formatDate(date: Date, timeZone: string): string {
  return new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeZone }).format(date);
}

export function formatDateTime(date: Date, timeZone: string): string {
  return new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone }).format(date);
}

/** A calendar day kept as "YYYY-MM-DD" (a due date), shown like formatDate; no time zone moves it. */
export function formatDay(day: string): string {
  return formatDate(new Date(`${day}T12:00:00Z`), "UTC");
}
