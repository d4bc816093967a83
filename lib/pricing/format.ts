// Locale-independent text for credit figures and factors, identical in browser and server.

import type { Factor } from "./types";

/** 4000 → "4,000". Hand-rolled so the server and every browser print the same digits. */
export function formatNumber(value: number): string {
  // Whole numbers are nearly every call (it runs inside every estimate), so they skip the general path.
  if (Number.isSafeInteger(value)) {
    if (value > -1000 && value < 1000) return String(value);
    const digits = String(Math.abs(value));
    const lead = digits.length % 3 || 3;
    let grouped = digits.slice(0, lead);
    for (let i = lead; i < digits.length; i += 3) grouped += `,${digits.slice(i, i + 3)}`;
    return value < 0 ? `-${grouped}` : grouped;
  }
  if (!Number.isFinite(value)) return String(value);
  const [whole, fraction] = Math.abs(value).toString().split(".");
  if (!/^\d+$/.test(whole)) return String(value);
  let grouped = "";
  for (let i = whole.length; i > 0; i -= 3) {
    const start = Math.max(0, i - 3);
    grouped = grouped ? `${whole.slice(start, i)},${grouped}` : whole.slice(start, i);
  }
  return `${value < 0 ? "-" : ""}${grouped}${fraction ? `.${fraction}` : ""}`;
}

/** 1 → "1 credit", 4000 → "4,000 credits". */
export function formatCredits(credits: number): string {
  return `${formatNumber(credits)} ${Math.abs(credits) === 1 ? "credit" : "credits"}`;
}

/** Shown as entered (6/8, not 3/4), because admins read it against the default setting. */
export function formatFactor(factor: Factor): string {
  return factor.den === 1 ? formatNumber(factor.num) : `${formatNumber(factor.num)}/${formatNumber(factor.den)}`;
}

export function formatPercent(percent: number): string {
  return `${formatNumber(percent)} %`;
}
