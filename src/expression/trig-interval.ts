import { Decimal } from 'decimal.js';
import {
  DomainError,
  Indeterminate,
  type Interval,
  type IntervalArithmetic,
} from '../activations/decimal-interval.js';

/**
 * Rigorous enclosures of sin, cos and atan on top of the shared decimal interval arithmetic: argument
 * reduction by an enclosure of π/2, Taylor series with the alternating-series remainder bound.
 */

function magnitude(a: Interval): Decimal {
  return Decimal.max(a.lo.abs(), a.hi.abs());
}

/** Σ (−1)^j r^(2j+first)/(2j+first)! for a narrow r with |r| < 1; first = 1 (sin) or 0 (cos). */
function taylor(ia: IntervalArithmetic, r: Interval, first: 0 | 1): Interval {
  if (first === 1 && r.lo.isZero() && r.hi.isZero()) return ia.point(0);
  const r2 = ia.mul(r, r);
  let term = first === 1 ? r : ia.point(1);
  let sum = term;
  const scale = first === 1 ? magnitude(r) : new ia.Hi(1);
  const tiny = ia.Hi.mul(scale, new ia.Hi(10).pow(-ia.digits - 2));
  for (let n = first + 2; ; n += 2) {
    term = ia.div(ia.mul(term, r2), ia.point((n - 1) * n));
    sum = (n - first) % 4 === 2 ? ia.sub(sum, term) : ia.add(sum, term);
    const mag = magnitude(term);
    if (mag.lt(tiny)) {
      // alternating with decreasing terms: the remainder is below the last term
      return { lo: ia.Lo.sub(sum.lo, mag), hi: ia.Hi.add(sum.hi, mag) };
    }
  }
}

/** sin(x + quarter·π/2) at a point x. */
function sinPoint(ia: IntervalArithmetic, x: Decimal, quarter: number): Interval {
  if (x.isZero() && quarter === 0) return ia.point(0);
  // the reduction x − k·π/2 keeps about digits − e(x) digits: beyond that, more digits are needed
  if (!x.isFinite() || x.e > ia.digits - 20)
    throw new Indeterminate('a trigonometric argument needs more digits of π');
  const halfPi = ia.scale2(ia.pi(), -1);
  const k = ia.Lo.div(x, halfPi.lo).round();
  const r = ia.sub(ia.point(x), ia.mul(halfPi, ia.point(k)));
  const q = (((k.mod(4).toNumber() + quarter) % 4) + 4) % 4;
  const v = q % 2 === 0 ? taylor(ia, r, 1) : taylor(ia, r, 0);
  return q >= 2 ? ia.neg(v) : v;
}

/** f on an interval from its value at a midpoint and |f′| ≤ 1, intersected with [−1, 1]. */
function lipschitzUnit(ia: IntervalArithmetic, a: Interval, f: (x: Decimal) => Interval): Interval {
  if (ia.isPoint(a)) return f(a.lo);
  const mid = ia.Lo.add(a.lo, a.hi).div(2);
  const radius = Decimal.max(ia.Hi.sub(a.hi, mid), ia.Hi.sub(mid, a.lo));
  const v = f(mid);
  const lo = ia.Lo.sub(v.lo, radius);
  const hi = ia.Hi.add(v.hi, radius);
  return { lo: lo.lt(-1) ? new ia.Lo(-1) : lo, hi: hi.gt(1) ? new ia.Hi(1) : hi };
}

export function sinInterval(ia: IntervalArithmetic, a: Interval): Interval {
  return lipschitzUnit(ia, a, (x) => sinPoint(ia, x, 0));
}

export function cosInterval(ia: IntervalArithmetic, a: Interval): Interval {
  return lipschitzUnit(ia, a, (x) => sinPoint(ia, x, 1));
}

/** atan at a point. */
function atanPoint(ia: IntervalArithmetic, x: Decimal): Interval {
  if (x.isZero()) return ia.point(0);
  return atanOf(ia, ia.point(x));
}

/**
 * atan of a narrow interval: atan y = 2·atan(y / (1 + √(1 + y²))) twice brings any y within
 * tan(π/8) ≈ 0.414, then the alternating series Σ (−1)^j y^(2j+1)/(2j+1).
 */
function atanOf(ia: IntervalArithmetic, y0: Interval): Interval {
  let y = y0;
  for (let i = 0; i < 2; i++) {
    y = ia.div(y, ia.add(ia.point(1), ia.sqrt(ia.add(ia.point(1), ia.mul(y, y)))));
  }
  if (y.lo.isZero() && y.hi.isZero()) return ia.point(0);
  const y2 = ia.mul(y, y);
  let power = y;
  let sum = y;
  const tiny = ia.Hi.mul(magnitude(y), new ia.Hi(10).pow(-ia.digits - 2));
  for (let j = 1; ; j++) {
    power = ia.mul(power, y2);
    const term = ia.div(power, ia.point(2 * j + 1));
    sum = j % 2 === 1 ? ia.sub(sum, term) : ia.add(sum, term);
    const mag = magnitude(term);
    if (mag.lt(tiny)) return ia.scale2({ lo: ia.Lo.sub(sum.lo, mag), hi: ia.Hi.add(sum.hi, mag) }, 2);
  }
}

export function atanInterval(ia: IntervalArithmetic, a: Interval): Interval {
  return ia.monotoneUp(a, (x) => atanPoint(ia, x));
}

/** asin x = atan(x / √(1 − x²)) for |x| < 1, ±π/2 at ±1 (increasing). */
export function asinInterval(ia: IntervalArithmetic, a: Interval): Interval {
  if (a.lo.gt(1) || a.hi.lt(-1)) throw new DomainError('asin of a number outside [-1, 1]');
  if (a.lo.lt(-1) || a.hi.gt(1)) throw new Indeterminate('asin argument crosses ±1');
  return ia.monotoneUp(a, (x) => {
    if (x.abs().eq(1)) {
      const halfPi = ia.scale2(ia.pi(), -1);
      return x.isNegative() ? ia.neg(halfPi) : halfPi;
    }
    const X = ia.point(x);
    return atanOf(ia, ia.div(X, ia.sqrt(ia.sub(ia.point(1), ia.mul(X, X)))));
  });
}
