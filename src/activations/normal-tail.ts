import type { Decimal } from 'decimal.js';
import { type Interval, type IntervalArithmetic, intervalArithmetic } from './decimal-interval.js';

/**
 * The standard normal tail Q(x) = Φ(−x) = erfc(x/√2)/2 for x ≥ 0, the primitive behind GELU, erf and
 * erfc (decimal.js and JavaScript have no erf). Two evaluations:
 *
 * - `normalTailDouble`: doubles, relative error ≤ NORMAL_TAIL_DOUBLE_REL (tested against the interval
 *   version in test/activation-kernels.test.ts; the largest error observed on [0, 36] is 2^-50.3, 16 times
 *   below the bound). Series Q = 1/2 − φ(x)·Σ x^(2k+1)/(2k+1)!! for x ≤ 1 (Q(1) = 0.159: at most 2 bits
 *   of cancellation), Laplace's continued fraction Q = φ(x)/(x + 1/(x + 2/(x + 3/(x + …)))) with
 *   12 + 1600/x² terms above. φ(x) = e^(−x²/2)/√(2π), with x² exact for the ≤ 26-bit
 *   arguments used here.
 * - `normalTailInterval`: a rigorous enclosure, by the same series (positive terms; the cancellation
 *   in 1/2 − φS is paid with x²/(2 ln 10) extra digits) or by the continued fraction, whose successive
 *   approximants bracket Q for x > 0 (a continued fraction with positive elements).
 */
export const NORMAL_TAIL_DOUBLE_REL = 2 ** -46;

const INV_SQRT_2PI = 0.3989422804014327;
const SERIES_MAX = 1;

export function normalTailDouble(x: number): number {
  const phi = Math.exp(-0.5 * x * x) * INV_SQRT_2PI;
  if (x <= SERIES_MAX) {
    const x2 = x * x;
    let term = x;
    let sum = x;
    for (let k = 0; term > 1e-18 * sum; k++) {
      term *= x2 / (2 * k + 3);
      sum += term;
    }
    return 0.5 - phi * sum;
  }
  const n = Math.ceil(12 + 1600 / (x * x));
  let t = x;
  for (let k = n; k >= 1; k--) t = x + k / t;
  return phi / t;
}

/** Enclosure of Q(x) for a point x ≥ 0 at (at least) the digits of `ia`. */
export function normalTailInterval(x: Decimal, ia: IntervalArithmetic): Interval {
  if (x.isZero()) return ia.rational({ num: 1n, den: 2n });
  // the continued fraction needs about (digits·ln 10/(2x))² terms, the series about x² + 3·digits
  const xd = x.toNumber();
  const cfTerms = ((ia.digits * Math.LN10) / (2 * xd)) ** 2;
  if (xd >= 2 && cfTerms < 4 * xd * xd + 200) {
    const cf = continuedFraction(x, ia, Math.ceil(cfTerms) + 8);
    if (cf) return cf;
  }
  return series(x, ia);
}

function phi(X: Interval, ia: IntervalArithmetic): Interval {
  const half = ia.scale2(ia.mul(X, X), -1);
  const sqrt2pi = ia.sqrt(ia.scale2(ia.pi(), 1));
  return ia.div(ia.exp(ia.neg(half)), sqrt2pi);
}

function series(x: Decimal, outer: IntervalArithmetic): Interval {
  // guard digits for the cancellation in 1/2 − φS, rounded up to a multiple of 16 so that few
  // precisions (each with its own cached π) are used
  const extra = Math.ceil((x.toNumber() ** 2 / 2) * Math.LOG10E) + 10;
  const ia = intervalArithmetic(Math.ceil((outer.digits + extra) / 16) * 16);
  const X = ia.point(x);
  const x2 = ia.mul(X, X);
  let term = X;
  let sum = X;
  const tiny = new ia.Hi(10).pow(-ia.digits - 2);
  for (let k = 0; ; k++) {
    const ratio = x2.hi.toNumber() / (2 * k + 3);
    term = ia.div(ia.mul(term, x2), ia.point(2 * k + 3));
    sum = ia.add(sum, term);
    if (ratio <= 0.5 && term.hi.lt(ia.Hi.mul(sum.lo, tiny))) {
      // later terms shrink by ratios ≤ 1/2, so the remainder is at most the last term
      sum = { lo: sum.lo, hi: ia.Hi.add(sum.hi, term.hi) };
      break;
    }
  }
  return ia.sub(ia.rational({ num: 1n, den: 2n }), ia.mul(phi(X, ia), sum));
}

function continuedFraction(x: Decimal, ia: IntervalArithmetic, start: number): Interval | null {
  const X = ia.point(x);
  // For large x the approximants converge like n!/x^(2n), not like the estimate `start` (made for
  // x near 2): at x = 448 and 192 digits n ≈ 40 is needed. Doubling up to 2·digits terms stays cheap,
  // while the series fallback would need x²/(2 ln 10) guard digits (43,600 at x = 448).
  for (let n = start; n <= Math.max(4 * start, 2 * ia.digits); n *= 2) {
    const a = approximant(X, n, ia);
    const b = approximant(X, n + 1, ia);
    const r = ia.hull(a, b);
    if (widthDigits(r, ia) >= ia.digits - 2) return ia.mul(phi(X, ia), r);
  }
  return null;
}

/** 1/(x + 1/(x + 2/(… + n/x))). */
function approximant(X: Interval, n: number, ia: IntervalArithmetic): Interval {
  let t = X;
  for (let k = n; k >= 1; k--) t = ia.add(X, ia.div(ia.point(k), t));
  return ia.div(ia.point(1), t);
}

/** Number of agreeing leading digits of an interval's ends. */
function widthDigits(r: Interval, ia: IntervalArithmetic): number {
  const w = ia.Hi.sub(r.hi, r.lo);
  if (w.isZero()) return ia.digits;
  return r.lo.abs().e - w.e;
}
