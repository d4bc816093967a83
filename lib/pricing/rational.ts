// Exact multiplication of whole credits by factors, rounded up once at the end, and factors as people read them.

import { formatNumber } from "../format";
import type { Factor } from "./types";

export function isPositiveWhole(value: unknown): value is number {
  return typeof value === "number" && Number.isSafeInteger(value) && value >= 1;
}

export function isValidFactor(factor: unknown): factor is Factor {
  if (typeof factor !== "object" || factor === null) return false;
  const { num, den } = factor as Factor;
  return isPositiveWhole(num) && isPositiveWhole(den);
}

export function isUnitFactor(factor: Factor): boolean {
  return factor.num === factor.den;
}

/** Shown as entered (6/8, not 3/4), because admins read it against the default setting. */
export function formatFactor(factor: Factor): string {
  return factor.den === 1 ? formatNumber(factor.num) : `${formatNumber(factor.num)}/${formatNumber(factor.den)}`;
}

/** Compares values, not spellings: 6/8 equals 3/4. */
export function sameFactor(a: Factor, b: Factor): boolean {
  return BigInt(a.num) * BigInt(b.den) === BigInt(b.num) * BigInt(a.den);
}

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

function gcdBig(a: bigint, b: bigint): bigint {
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

export interface CeilProduct {
  /** ⌈credits × factors⌉; may exceed Number.MAX_SAFE_INTEGER, the caller checks. */
  value: number;
  roundedUp: boolean;
}

/**
 * ⌈credits × f1 × f2 × …⌉ computed exactly. Plain numbers are exact below 2^53,
 * which covers every realistic price list; anything larger is redone with BigInt
 * so that an extreme factor can never silently lose precision.
 */
export function ceilProduct(credits: number, factors: readonly Factor[]): CeilProduct {
  let num = credits;
  let den = 1;
  for (const factor of factors) {
    const nextNum = num * factor.num;
    const nextDen = den * factor.den;
    // A double product of safe integers is a safe integer only if it is exact.
    if (!Number.isSafeInteger(nextNum) || !Number.isSafeInteger(nextDen)) return ceilProductBig(credits, factors);
    const divisor = gcd(nextNum, nextDen);
    num = nextNum / divisor;
    den = nextDen / divisor;
  }
  const remainder = num % den;
  const whole = (num - remainder) / den;
  return remainder === 0 ? { value: whole, roundedUp: false } : { value: whole + 1, roundedUp: true };
}

function ceilProductBig(credits: number, factors: readonly Factor[]): CeilProduct {
  let num = BigInt(credits);
  let den = 1n;
  for (const factor of factors) {
    num *= BigInt(factor.num);
    den *= BigInt(factor.den);
    const divisor = gcdBig(num, den);
    num /= divisor;
    den /= divisor;
  }
  const remainder = num % den;
  const whole = num / den + (remainder === 0n ? 0n : 1n);
  return { value: Number(whole), roundedUp: remainder !== 0n };
}
