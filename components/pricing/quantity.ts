// Reads a quantity field: what was typed, as a number for the pricing library to judge (empty or "1e3" is NaN, never 0 or 1,000).
import { readWholeNumber } from "@/lib/whole-number";

export function parseQuantity(text: string): number {
  return readWholeNumber(text);
}
