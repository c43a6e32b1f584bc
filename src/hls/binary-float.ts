/**
 * Exact rounding of rationals to IEEE 754 binary floating point (docs/networks.md "hls4ml's
 * activation tables"): round to nearest, ties to even, with subnormals and overflow to ±∞. Used to
 * emulate the float32/float64 steps of hls4ml's table initialisation exactly; kernel code.
 */
import type { Rational } from '../core/rational.js';

export interface BinaryFormat {
  /** Significand bits including the hidden bit (24 for binary32, 53 for binary64). */
  readonly precision: number;
  /** Smallest normal exponent (−126, −1022). */
  readonly emin: number;
  /** Largest exponent (127, 1023). */
  readonly emax: number;
}

export const BINARY32: BinaryFormat = Object.freeze({ precision: 24, emin: -126, emax: 127 });
export const BINARY64: BinaryFormat = Object.freeze({ precision: 53, emin: -1022, emax: 1023 });

/** ⌊log2 |num/den|⌋ for num ≠ 0, den > 0. */
function floorLog2(num: bigint, den: bigint): number {
  const a = num < 0n ? -num : num;
  let e = a.toString(2).length - den.toString(2).length;
  // 2^e ≤ a/den < 2^(e+1) after one correction
  if (e >= 0 ? a < den << BigInt(e) : a << BigInt(-e) < den) e -= 1;
  return e;
}

/**
 * The value of num/den (den > 0) rounded to the binary format, nearest-even: a rational, or
 * ±Infinity beyond the largest finite value.
 */
export function roundToBinary(x: Rational, fmt: BinaryFormat): Rational | number {
  const { num, den } = x;
  if (num === 0n) return { num: 0n, den: 1n };
  const e = Math.max(floorLog2(num, den), fmt.emin);
  // quantum 2^(e − p + 1): round num/den / quantum to an integer, nearest-even
  const shift = e - fmt.precision + 1;
  const [p, q] = shift >= 0 ? [num, den << BigInt(shift)] : [num << BigInt(-shift), den];
  let fl = p / q;
  let r = p - fl * q;
  if (r < 0n) {
    fl -= 1n;
    r += q;
  }
  const twice = 2n * r;
  const k = twice > q || (twice === q && (fl & 1n) === 1n) ? fl + 1n : fl;
  const limit = ((1n << BigInt(fmt.precision)) - 1n) << BigInt(fmt.emax - fmt.precision + 1);
  const value: Rational = shift >= 0 ? { num: k << BigInt(shift), den: 1n } : reduce(k, 1n << BigInt(-shift));
  const mag = value.num < 0n ? -value.num : value.num;
  if (value.den === 1n && mag > limit) return num < 0n ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  return value;
}

function reduce(k: bigint, d: bigint): Rational {
  if (k === 0n) return { num: 0n, den: 1n };
  let n = k;
  let m = d;
  while ((n & 1n) === 0n && m > 1n) {
    n >>= 1n;
    m >>= 1n;
  }
  return { num: n, den: m };
}

/** The exact rational of a finite JS number (a binary64 value). */
export function doubleToRational(x: number): Rational {
  if (Number.isInteger(x)) return { num: BigInt(x), den: 1n };
  let e = 0;
  let m = x;
  while (!Number.isInteger(m)) {
    m *= 2;
    e++;
  }
  return reduce(BigInt(m), 1n << BigInt(e));
}
