import { Decimal } from 'decimal.js';
import { type Rational, toNumber } from '../core/rational.js';
import type { Activation } from './activation.js';
import { Indeterminate, intervalArithmetic } from './decimal-interval.js';
import { HEAD, TAIL, TINY_SIGN } from './kernel.js';

const scratch = new Float64Array(4);
const D17 = Decimal.clone({ precision: 17, minE: -9e15, maxE: 9e15 });

/**
 * σ(x) ≈ head + tail in doubles, for display and plotting only (never used to decide a rounding): the
 * exact value when rational, the double estimate, or the midpoint of a 30-digit enclosure. `tinySign`
 * ≠ 0 marks a tail known only to be below 2^-900 in magnitude. NaN where σ is undefined.
 */
export function approximateSplit(
  act: Activation,
  x: Rational,
): { head: number; tail: number; tinySign: number } {
  try {
    const exact = act.kernel.exact(x);
    if (exact !== null) return { head: toNumber(exact), tail: 0, tinySign: 0 };
    if (act.kernel.estimate?.(toNumber(x), scratch)) {
      return { head: scratch[HEAD], tail: scratch[TAIL], tinySign: scratch[TINY_SIGN] };
    }
    for (const digits of [30, 60, 120]) {
      const ia = intervalArithmetic(digits);
      try {
        const e = act.kernel.enclose(x, ia);
        const tail = e.tail === null ? 0 : midpointNumber(e.tail.lo, e.tail.hi);
        return { head: toNumber(e.head), tail, tinySign: e.tinySign };
      } catch (err) {
        if (!(err instanceof Indeterminate)) throw err;
      }
    }
  } catch {
    // undefined at x: NaN below
  }
  return { head: Number.NaN, tail: 0, tinySign: 0 };
}

/** The midpoint of [lo, hi] as a double, without printing ends beyond the doubles (±∞ then). */
function midpointNumber(lo: Decimal, hi: Decimal): number {
  const big = (d: Decimal) => !d.isFinite() || d.e > 400;
  if (big(lo) || big(hi)) {
    const s = lo.plus(hi).s ?? 1;
    return s < 0 ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  }
  if (lo.e < -400 && hi.e < -400) return 0;
  return new D17(lo).plus(hi).div(2).toNumber();
}

/** σ(x) as the nearest-ish double (display only). */
export function approximateValue(act: Activation, x: Rational): number {
  const s = approximateSplit(act, x);
  return s.head + s.tail;
}

/** Display text of σ(x): `0.73105857863000487`, `127 − 1.9548e-53`, `127 − tiny (< 2^-900)`. */
export function approximateText(act: Activation, x: Rational): string {
  const { head, tail, tinySign } = approximateSplit(act, x);
  if (Number.isNaN(head)) return 'undefined';
  if (!Number.isFinite(head + tail)) return beyondDoubles(act, x);
  if (tinySign !== 0)
    return `${head === 0 ? '' : `${head} `}${tinySign < 0 ? '−' : '+'}${head === 0 ? '' : ' '}tiny (< 2^-900)`;
  if (head !== 0 && tail !== 0 && Math.abs(tail) < 1e-12 * Math.abs(head)) {
    return `${head} ${tail < 0 ? '−' : '+'} ${Math.abs(tail).toPrecision(6)}`;
  }
  return `${Number((head + tail).toPrecision(17))}`;
}

/** Display text of a σ(x) beyond the doubles (1e400, e^(10^6)): from the exact value or an enclosure. */
function beyondDoubles(act: Activation, x: Rational): string {
  try {
    const exact = act.kernel.exact(x);
    if (exact !== null) return new D17(exact.num.toString()).div(exact.den.toString()).toString();
    const ia = intervalArithmetic(30);
    const e = act.kernel.enclose(x, ia);
    const t = e.tail ?? ia.point(0);
    const v = ia.add(ia.rational(e.head), t);
    if (!v.hi.isFinite()) return `> ${new D17(v.lo).toSignificantDigits(6).toString()}`;
    if (!v.lo.isFinite()) return `< ${new D17(v.hi).toSignificantDigits(6).toString()}`;
    return new D17(ia.Lo.add(v.lo, v.hi).div(2)).toSignificantDigits(17).toString();
  } catch {
    return 'undefined';
  }
}
