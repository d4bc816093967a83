// Reads a quantity field: what was typed, as a number for the pricing library to judge (empty is NaN, never 0).
export function parseQuantity(text: string): number {
  return text.trim() === "" ? Number.NaN : Number(text);
}
