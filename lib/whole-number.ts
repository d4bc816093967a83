// Whole numbers as people type them, read the same way by forms in the browser and actions on the server. Pure.
import { z } from "zod";
import { formatNumber } from "@/lib/format";

// An optional sign (a hyphen, or the true minus sign the app itself writes), digits, optional thousands commas.
const WHOLE_NUMBER = /^[+\-\u2212]?(\d+|\d{1,3}(,\d{3})+)$/;

/**
 * The whole number a person typed, or NaN when it is not one as typed: empty is NaN, never 0, and
 * "1e3", "1.0" or "0x10" are NaN although JavaScript's Number() would read them. Browser and server alike.
 */
export function readWholeNumber(text: string): number {
  const trimmed = text.trim();
  return WHOLE_NUMBER.test(trimmed) ? Number(trimmed.replace(/,/g, "").replace("\u2212", "-")) : Number.NaN;
}

/**
 * A whole number as a person types it: digits, an optional sign, optional thousands commas.
 * Empty is missing (never 0), and "1e3", "1.0" or "0x10" are not whole numbers as typed.
 */
export function wholeNumber(opts: { label: string; min: number; max: number; unit?: string; example?: string; missing?: string }) {
  const unit = opts.unit ?? "credits";
  const example = opts.example ?? "250";
  const sentence = opts.label[0].toUpperCase() + opts.label.slice(1);
  return z
    .unknown()
    .transform((value, ctx) => {
      if (Array.isArray(value)) {
        ctx.addIssue({ code: "custom", message: `Enter ${opts.label} once, as one whole number.` });
        return z.NEVER;
      }
      const text = typeof value === "number" ? String(value) : typeof value === "string" ? value.trim() : "";
      if (value === undefined || value === null || text === "") {
        ctx.addIssue({ code: "custom", message: opts.missing ?? `Enter ${opts.label} in ${unit}.` });
        return z.NEVER;
      }
      const number = typeof value === "number" ? value : readWholeNumber(text);
      // Past 2^53 a number is no longer exact, but it is still whole: the bound below names it.
      if (!Number.isInteger(number)) {
        ctx.addIssue({ code: "custom", message: `Enter ${opts.label} as a whole number of ${unit}, like ${example}.` });
        return z.NEVER;
      }
      if (number < opts.min) {
        ctx.addIssue({
          code: "custom",
          message: opts.min === 0 ? `${sentence} cannot be negative.` : `${sentence} must be at least ${formatNumber(opts.min)}.`,
        });
        return z.NEVER;
      }
      if (number > opts.max) {
        ctx.addIssue({ code: "custom", message: `${sentence} can be at most ${formatNumber(opts.max)} ${unit}.` });
        return z.NEVER;
      }
      return number;
    });
}

