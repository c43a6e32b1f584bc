import { Decimal } from 'decimal.js';
import { decideDecimal } from '../activations/decide.js';
import type { Interval } from '../activations/decimal-interval.js';
import { dyadicToDecimal } from '../core/rational.js';
import type { Format } from '../format.js';
import type { Overflow, Policy } from '../policy.js';

/**
 * Deciding the code of a value known by an enclosure (docs/expressions.md, "How values are decided").
 *
 * Beyond the range: rounding is monotone and leaves integers fixed, so a value ≥ maxCode + 1 (in code
 * units) rounds to ≥ maxCode + 1 and overflows, whatever its digits; likewise ≤ minCode − 1. Under
 * `saturate` and `error` that is the whole answer (`'above'` / `'below'`), so exp(10^6) or 2^10000
 * never needs its digits. Under `wrap` the code depends on every integer digit and the enclosure
 * must be narrower than one unit. Inside the range the enclosure decides when it lies in one cell of
 * the rounding (`decideDecimal`), with open ends honoured: floor of a value in [1 − 10^-40, 1) is
 * 1 − ε, floor of a tiny negative is −ε.
 */

/**
 * True for the overflow modes whose result beyond the range depends on the code's low bits (`wrap`,
 * `wrap-sign-magnitude`): there a value beyond the range still needs its digits. Every other mode
 * (saturate, saturate-zero, saturate-symmetric, error) treats all codes beyond one end alike.
 */
export function wrapsBeyondRange(overflow: Overflow): boolean {
  return overflow === 'wrap' || overflow === 'wrap-sign-magnitude';
}

/** The code-unit bracket [lo, hi] (doubles) beyond the range, or undefined. Never under `wrap`. */
export function beyondNumber(
  lo: number,
  hi: number,
  format: Format,
  overflow: Overflow,
): 'above' | 'below' | undefined {
  if (wrapsBeyondRange(overflow)) return undefined;
  if (
    lo > Number(format.maxCode) &&
    (lo === Number.POSITIVE_INFINITY || BigInt(Math.floor(lo)) > format.maxCode)
  ) {
    return 'above';
  }
  if (
    hi < Number(format.minCode) &&
    (hi === Number.NEGATIVE_INFINITY || BigInt(Math.ceil(hi)) < format.minCode)
  ) {
    return 'below';
  }
  return undefined;
}

const bounds = new Map<string, { above: Decimal; below: Decimal }>();

/** (maxCode + 1)·2^-n and (minCode − 1)·2^-n as exact decimals. */
function rangeBounds(format: Format): { above: Decimal; below: Decimal } {
  let b = bounds.get(format.spec);
  if (!b) {
    b = {
      above: new Decimal(dyadicToDecimal(format.maxCode + 1n, format.fracBits)),
      below: new Decimal(dyadicToDecimal(format.minCode - 1n, format.fracBits)),
    };
    bounds.set(format.spec, b);
  }
  return b;
}

/** The enclosure beyond the range (values, not codes), or undefined. Never under `wrap`. */
export function beyondDecimal(
  value: Interval,
  format: Format,
  overflow: Overflow,
): 'above' | 'below' | undefined {
  if (wrapsBeyondRange(overflow)) return undefined;
  const { above, below } = rangeBounds(format);
  if (value.lo.gte(above)) return 'above';
  if (value.hi.lte(below)) return 'below';
  return undefined;
}

/** Decimal contexts wide enough to scale an enclosure by 2^n exactly, by precision. */
const exactContexts = new Map<number, typeof Decimal>();

/** Largest decimal exponent whose digits are ever expanded (beyond it only `beyondDecimal` decides). */
const MAX_EXPONENT = 6000;

/**
 * The rounded code of a value in the enclosure (before overflow), 'above'/'below' beyond the range,
 * or null when the enclosure does not decide.
 */
export function decideEnclosure(
  value: Interval,
  format: Format,
  policy: Policy,
): bigint | 'above' | 'below' | null {
  if (value.lo.isNaN() || value.hi.isNaN()) return null;
  if (value.lo.isFinite() && value.hi.isFinite() && value.lo.e <= 40 && value.hi.e <= 40) {
    // a moderate value: its code (for messages under `error`, and for `wrap`)
    const code = decideInside(value, format, policy);
    if (code !== null) return code;
  }
  const beyond = beyondDecimal(value, format, policy.overflow);
  if (beyond !== undefined) return beyond;
  if (!value.lo.isFinite() || !value.hi.isFinite()) return null;
  if (value.lo.e > MAX_EXPONENT || value.hi.e > MAX_EXPONENT) return null;
  return decideInside(value, format, policy);
}

function decideInside(value: Interval, format: Format, policy: Policy): bigint | null {
  const n = format.fracBits;
  const quarter = new Decimal(2).pow(-n - 2);
  if (value.lo.abs().lt(quarter) && value.hi.abs().lt(quarter)) {
    // within a quarter code of 0: only the signs (and whether an end may be 0) matter, so each end
    // is replaced by −1/8, 0 or 1/8 code (a monotone map that keeps every cell of the rounding)
    const rep = (v: Decimal) => new Decimal(v.isZero() ? 0 : v.isNegative() ? -0.125 : 0.125);
    return decideDecimal(
      0n,
      rep(value.lo),
      rep(value.hi),
      value.lo.isZero() && value.loOpen === true,
      value.hi.isZero() && value.hiOpen === true,
      policy.rounding,
    );
  }
  // enough digits for lo·2^n − ⌊lo·2^n⌋ to be exact: the integer digits and every decimal place
  const places = Math.max(value.lo.decimalPlaces(), value.hi.decimalPlaces());
  const intDigits = Math.max(value.lo.e, value.hi.e, 0) + 2 + Math.ceil(n * 0.302);
  const precision = Math.ceil((places + intDigits + 20) / 256) * 256;
  let D = exactContexts.get(precision);
  if (!D) {
    D = Decimal.clone({ precision, rounding: Decimal.ROUND_FLOOR, minE: -9e15, maxE: 9e15 });
    exactContexts.set(precision, D);
  }
  const scale = new D(2).pow(n);
  const lo = new D(value.lo).times(scale);
  const hi = new D(value.hi).times(scale);
  const k = lo.floor();
  return decideDecimal(
    BigInt(k.toFixed(0)),
    lo.minus(k),
    hi.minus(k),
    value.loOpen === true,
    value.hiOpen === true,
    policy.rounding,
  );
}

/**
 * Why an enclosure cannot decide a code under `wrap`: the value is too large for its integer digits
 * to be computed with `digits` digits. Null when that is not the reason.
 */
export function hugeForWrap(value: Interval, format: Format, digits: number): string | null {
  const m = Decimal.max(value.lo.abs(), value.hi.abs());
  if (!m.isFinite())
    return `under overflow "wrap" the code needs every integer digit of the value, which is unbounded here; use overflow saturate or error`;
  const e = m.e + Math.ceil(format.fracBits * 0.302);
  if (e < digits - 20) return null;
  return (
    `under overflow "wrap" the code needs every integer digit of the value, about 10^${m.e}: ` +
    `more than the ${digits} digits computed; use overflow saturate or error`
  );
}
