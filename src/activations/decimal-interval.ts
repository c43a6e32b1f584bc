import { Decimal } from 'decimal.js';
import type { Rational } from '../core/rational.js';

/**
 * Rigorous interval arithmetic on decimal.js numbers at a fixed number of significant digits: every
 * operation rounds its lower end toward −∞ and its upper end toward +∞ (two decimal.js clones with
 * ROUND_FLOOR / ROUND_CEIL), so the exact real result always lies in [lo, hi]. decimal.js rounds
 * +, −, ×, ÷, sqrt and exp correctly in the configured direction; exp ends are widened by one more unit
 * in the last place anyway. What decimal.js lacks (log1p, ln without its 1025-digit ln 10 limit,
 * expm1 for small arguments, π beyond 1025 digits, erf/erfc) is built here from series with
 * explicit remainder bounds. Kernel code: inputs are trusted.
 */
export interface Interval {
  readonly lo: Decimal;
  readonly hi: Decimal;
  /**
   * The exact value is strictly above `lo` (resp. below `hi`). Absent means it may equal the end;
   * dropping the flag is always safe. Kept by + − negation, products and quotients of nonnegative
   * enclosures and monotone maps; it lets a directed rounding decide values such as tanh(10^400) < 1.
   */
  readonly loOpen?: boolean;
  readonly hiOpen?: boolean;
}

/** An interval with the given open flags (omitted when false). */
function flagged(
  lo: Decimal,
  hi: Decimal,
  loOpen: boolean | undefined,
  hiOpen: boolean | undefined,
): Interval {
  if (loOpen && hiOpen) return { lo, hi, loOpen, hiOpen };
  if (loOpen) return { lo, hi, loOpen };
  if (hiOpen) return { lo, hi, hiOpen };
  return { lo, hi };
}

/** Thrown when an interval is too wide to decide something (e.g. a divisor containing 0): retry with more digits. */
export class Indeterminate extends Error {
  constructor(what: string) {
    super(`indeterminate: ${what}`);
    this.name = 'Indeterminate';
  }
}

/** Thrown when a function is evaluated outside its domain (division by an exact 0, log of x ≤ 0, …). */
export class DomainError extends Error {
  constructor(what: string) {
    super(what);
    this.name = 'DomainError';
  }
}

const LIMITS = { minE: -9e15, maxE: 9e15, toExpNeg: -9e15, toExpPos: 9e15 } as const;
const LN10 = Math.LN10;
const contexts = new Map<number, IntervalArithmetic>();

/** The shared interval context for `digits` significant digits. */
export function intervalArithmetic(digits: number): IntervalArithmetic {
  let ctx = contexts.get(digits);
  if (!ctx) {
    ctx = new IntervalArithmetic(digits);
    contexts.set(digits, ctx);
  }
  return ctx;
}

export class IntervalArithmetic {
  readonly digits: number;
  /** Rounds toward −∞. */
  readonly Lo: typeof Decimal;
  /** Rounds toward +∞. */
  readonly Hi: typeof Decimal;
  private readonly shrink: Decimal;
  private readonly grow: Decimal;
  private piCache: Interval | undefined;
  private ln2Cache: Interval | undefined;

  constructor(digits: number) {
    this.digits = digits;
    this.Lo = Decimal.clone({ precision: digits, rounding: Decimal.ROUND_FLOOR, ...LIMITS });
    this.Hi = Decimal.clone({ precision: digits, rounding: Decimal.ROUND_CEIL, ...LIMITS });
    const ulp = new this.Lo(10).pow(1 - digits);
    this.shrink = new this.Lo(1).minus(ulp);
    this.grow = new this.Hi(1).plus(ulp);
  }

  /** The exact point [d, d]. */
  point(d: Decimal.Value): Interval {
    const v = new this.Lo(d);
    return { lo: v, hi: v };
  }

  /** An enclosure of a rational (exact when it is a finite decimal of at most `digits` digits). */
  rational(r: Rational): Interval {
    if (r.den === 1n) return this.point(r.num.toString());
    return {
      lo: this.Lo.div(r.num.toString(), r.den.toString()),
      hi: this.Hi.div(r.num.toString(), r.den.toString()),
    };
  }

  hull(a: Interval, b: Interval): Interval {
    return { lo: Decimal.min(a.lo, b.lo), hi: Decimal.max(a.hi, b.hi) };
  }

  isPoint(a: Interval): boolean {
    return a.lo.eq(a.hi);
  }

  add(a: Interval, b: Interval): Interval {
    return flagged(
      this.Lo.add(a.lo, b.lo),
      this.Hi.add(a.hi, b.hi),
      a.loOpen || b.loOpen,
      a.hiOpen || b.hiOpen,
    );
  }

  sub(a: Interval, b: Interval): Interval {
    return flagged(
      this.Lo.sub(a.lo, b.hi),
      this.Hi.sub(a.hi, b.lo),
      a.loOpen || b.hiOpen,
      a.hiOpen || b.loOpen,
    );
  }

  neg(a: Interval): Interval {
    return flagged(a.hi.neg(), a.lo.neg(), a.hiOpen, a.loOpen);
  }

  mul(a: Interval, b: Interval): Interval {
    if (a.lo.gte(0) && b.lo.gte(0)) {
      // x > lo ≥ 0 and y ≥ lo' > 0 (or y > lo' ≥ 0) give x·y > lo·lo'
      const loOpen = (a.loOpen && (b.lo.gt(0) || b.loOpen)) || (b.loOpen && (a.lo.gt(0) || a.loOpen));
      const hiOpen = (a.hiOpen && b.hi.gt(0)) || (b.hiOpen && a.hi.gt(0));
      return flagged(this.Lo.mul(a.lo, b.lo), this.Hi.mul(a.hi, b.hi), loOpen, hiOpen);
    }
    if (a.hi.lte(0) && b.lo.gte(0)) return this.neg(this.mul(this.neg(a), b));
    if (a.lo.gte(0) && b.hi.lte(0)) return this.neg(this.mul(a, this.neg(b)));
    if (a.hi.lte(0) && b.hi.lte(0)) return this.mul(this.neg(a), this.neg(b));
    const Lo = this.Lo;
    const Hi = this.Hi;
    const ends: Array<[Decimal, Decimal]> = [
      [a.lo, b.lo],
      [a.lo, b.hi],
      [a.hi, b.lo],
      [a.hi, b.hi],
    ];
    let lo = Lo.mul(a.lo, b.lo);
    let hi = Hi.mul(a.lo, b.lo);
    for (const [x, y] of ends) {
      const l = Lo.mul(x, y);
      const h = Hi.mul(x, y);
      if (l.lt(lo)) lo = l;
      if (h.gt(hi)) hi = h;
    }
    return { lo, hi };
  }

  /** a/b; an exact zero divisor is a DomainError, a divisor interval containing 0 is Indeterminate. */
  div(a: Interval, b: Interval): Interval {
    if (b.lo.isZero() && b.hi.isZero()) throw new DomainError('division by zero');
    if (b.lo.lte(0) && b.hi.gte(0)) throw new Indeterminate('divisor contains 0');
    const Lo = this.Lo;
    const Hi = this.Hi;
    if (b.lo.gt(0)) {
      // positive divisor: lo/hi ends need only two divisions
      const lo = Lo.div(a.lo, a.lo.gte(0) ? b.hi : b.lo);
      const hi = Hi.div(a.hi, a.hi.gte(0) ? b.lo : b.hi);
      // open ends, for x in a and y in b (y > 0): x/y ≥ a.lo/b.hi when a.lo ≥ 0, strictly when x > a.lo,
      // or y < b.hi with a.lo > 0; x/y ≥ a.lo/b.lo when a.lo < 0, strictly when x > a.lo or y > b.lo;
      // symmetrically for the upper end (a point divisor keeps the dividend's open ends)
      const loOpen = a.lo.gte(0) ? a.loOpen || (b.hiOpen && a.lo.gt(0)) : a.loOpen || b.loOpen;
      const hiOpen = a.hi.gte(0) ? a.hiOpen || (b.loOpen && a.hi.gt(0)) : a.hiOpen || b.hiOpen;
      return flagged(lo, hi, loOpen, hiOpen);
    }
    return this.neg(this.div(a, this.neg(b)));
  }

  /** a·2^k (k may be negative). */
  scale2(a: Interval, k: number): Interval {
    if (k === 0) return a;
    const n = Math.abs(k);
    // 2^n is exact when it has at most `digits` digits; otherwise enclose it (and widen, as for exp)
    const p: Interval =
      n * Math.LOG10E * Math.LN2 < this.digits - 2
        ? this.point(new this.Lo(2).pow(n))
        : { lo: this.Lo.mul(this.Lo.pow(2, n), this.shrink), hi: this.Hi.mul(this.Hi.pow(2, n), this.grow) };
    return k > 0 ? this.mul(a, p) : this.div(a, p);
  }

  abs(a: Interval): Interval {
    if (a.lo.gte(0)) return a;
    if (a.hi.lte(0)) return this.neg(a);
    return { lo: new this.Lo(0), hi: Decimal.max(a.lo.neg(), a.hi) };
  }

  /** Integer power a^n (n ≥ 0) by binary powering; even powers of intervals spanning 0 stay ≥ 0. */
  powInt(a: Interval, n: number): Interval {
    if (n === 0) return this.point(1);
    let b = n % 2 === 0 ? this.abs(a) : a;
    let acc: Interval | undefined;
    for (let m = n; m > 0; m >>= 1) {
      if (m & 1) acc = acc ? this.mul(acc, b) : b;
      if (m > 1) b = this.mul(b, b);
    }
    return acc!;
  }

  sqrt(a: Interval): Interval {
    if (a.hi.lt(0)) throw new DomainError('square root of a negative number');
    if (a.lo.lt(0)) {
      if (a.lo.isZero() || a.hi.isZero()) return this.point(0);
      throw new Indeterminate('square root argument contains 0');
    }
    return { lo: this.Lo.sqrt(a.lo), hi: this.Hi.sqrt(a.hi) };
  }

  /**
   * e^a. Beyond ±10^15 (where decimal.js's exponents end) the ends are bounds: an argument below
   * −10^15 gives the open lower end 0 and the upper end e^(−10^15); one above 10^15 gives the lower
   * end 10^434294481903251 < e^(10^15) and the upper end +∞.
   */
  exp(a: Interval): Interval {
    const big = 1e15;
    const lo = a.lo.lt(-big)
      ? new this.Lo(0)
      : a.lo.gt(big)
        ? new this.Lo('1e434294481903251')
        : this.Lo.mul(this.Lo.exp(a.lo), this.shrink);
    const hi = a.hi.lt(-big)
      ? this.Hi.exp(-big)
      : a.hi.gt(big)
        ? new this.Hi(Number.POSITIVE_INFINITY)
        : this.Hi.mul(this.Hi.exp(a.hi), this.grow);
    return { lo, hi, loOpen: true, hiOpen: true };
  }

  /** e^a − 1, with relative precision near 0 (series for |x| < 1/2). */
  expm1(a: Interval): Interval {
    return this.monotoneUp(a, (x) => this.expm1Point(x));
  }

  private expm1Point(x: Decimal): Interval {
    if (x.abs().gte(0.5)) return this.sub(this.exp(this.point(x)), this.point(1));
    if (x.isZero()) return this.point(0);
    // Σ_{k≥1} x^k/k!; remainder after term k: |x|^(k+1)/(k+1)! · 1/(1−|x|) ≤ 2·|next term|
    const X = this.point(x);
    let term = X;
    let sum = X;
    const tiny = this.Hi.mul(x.abs(), new this.Hi(10).pow(-this.digits - 2));
    for (let k = 2; ; k++) {
      term = this.div(this.mul(term, X), this.point(k));
      sum = this.add(sum, term);
      const mag = Decimal.max(term.lo.abs(), term.hi.abs());
      if (mag.lt(tiny)) {
        const r = this.Hi.mul(mag, 2);
        return { lo: this.Lo.sub(sum.lo, r), hi: this.Hi.add(sum.hi, r) };
      }
    }
  }

  /** ln(1 + a) for a > −1, with relative precision near 0. */
  log1p(a: Interval): Interval {
    if (a.hi.lte(-1)) throw new DomainError('logarithm of a number ≤ 0');
    if (a.lo.lte(-1)) throw new Indeterminate('logarithm argument contains 0');
    return this.monotoneUp(a, (w) => this.log1pPoint(w));
  }

  private log1pPoint(w: Decimal): Interval {
    if (w.isZero()) return this.point(0);
    const W = this.point(w);
    if (w.gte(-0.5) && w.lte(1)) {
      // ln(1+w) = 2·atanh(s), s = w/(2+w) ∈ [−1/3, 1/3]
      return this.scale2(this.atanhSeries(this.div(W, this.add(this.point(2), W))), 1);
    }
    return this.ln(this.add(this.point(1), W));
  }

  /** ln a for a > 0: a = m·2^k with m near [1, 2), ln a = k·ln 2 + 2·atanh((m−1)/(m+1)). */
  ln(a: Interval): Interval {
    if (a.hi.lte(0)) throw new DomainError('logarithm of a number ≤ 0');
    if (a.lo.lte(0)) throw new Indeterminate('logarithm argument contains 0');
    return this.monotoneUp(a, (y) => this.lnPoint(y));
  }

  private lnPoint(y: Decimal): Interval {
    if (y.eq(1)) return this.point(0);
    // k ≈ log2(y), from the decimal exponent and leading digits (any k is correct; a good one is fast)
    const lead = Number(y.toSignificantDigits(15, Decimal.ROUND_DOWN).toExponential().split('e')[0]);
    const k = Math.round((y.e * LN10 + Math.log(lead)) / Math.LN2);
    const m = this.scale2(this.point(y), -k);
    const one = this.point(1);
    const s = this.div(this.sub(m, one), this.add(m, one));
    const lnm = this.scale2(this.atanhSeries(s), 1);
    if (k === 0) return lnm;
    return this.add(lnm, this.mul(this.ln2(), this.point(k)));
  }

  /** atanh(s) = Σ s^(2j+1)/(2j+1) for an interval s within [−1/2, 1/2] (monotone: evaluated at the ends). */
  private atanhSeries(s: Interval): Interval {
    if (s.lo.lt(-0.5) || s.hi.gt(0.5)) throw new Indeterminate('atanh series argument too large');
    return this.monotoneUp(s, (v) => {
      if (v.isZero()) return this.point(0);
      const S = this.point(v);
      const s2 = this.mul(S, S);
      let power = S;
      let sum = S;
      const tiny = this.Hi.mul(v.abs(), new this.Hi(10).pow(-this.digits - 2));
      for (let j = 1; ; j++) {
        power = this.mul(power, s2);
        const term = this.div(power, this.point(2 * j + 1));
        sum = this.add(sum, term);
        const mag = Decimal.max(term.lo.abs(), term.hi.abs());
        if (mag.lt(tiny)) {
          // remainder ≤ |next term| / (1 − s²) ≤ (4/3)·|term| since |s| ≤ 1/2
          const r = this.Hi.mul(mag, 2);
          return { lo: this.Lo.sub(sum.lo, r), hi: this.Hi.add(sum.hi, r) };
        }
      }
    });
  }

  /** ln 2 = 2·atanh(1/3). */
  ln2(): Interval {
    if (!this.ln2Cache) this.ln2Cache = this.scale2(this.atanhSeries(this.rational({ num: 1n, den: 3n })), 1);
    return this.ln2Cache;
  }

  /** π = 16·atan(1/5) − 4·atan(1/239) (Machin), each atan by its alternating series. */
  pi(): Interval {
    if (!this.piCache) {
      const a5 = this.atanInverse(5);
      const a239 = this.atanInverse(239);
      this.piCache = this.sub(this.scale2(a5, 4), this.scale2(a239, 2));
    }
    return this.piCache;
  }

  /** atan(1/n) = Σ (−1)^j / ((2j+1)·n^(2j+1)); alternating with decreasing terms: |remainder| ≤ next term. */
  private atanInverse(n: number): Interval {
    const inv = this.rational({ num: 1n, den: BigInt(n) });
    const inv2 = this.mul(inv, inv);
    let power = inv;
    let sum = inv;
    const tiny = new this.Hi(10).pow(-this.digits - 4);
    for (let j = 1; ; j++) {
      power = this.mul(power, inv2);
      const term = this.div(power, this.point(2 * j + 1));
      sum = j % 2 === 1 ? this.sub(sum, term) : this.add(sum, term);
      if (term.hi.lt(tiny)) {
        return { lo: this.Lo.sub(sum.lo, term.hi), hi: this.Hi.add(sum.hi, term.hi) };
      }
    }
  }

  /**
   * f on [lo, hi] for a strictly increasing f given by point enclosures (an open end of the argument
   * gives an open end of the value: x > lo implies f(x) > f(lo)).
   */
  monotoneUp(a: Interval, f: (x: Decimal) => Interval): Interval {
    if (a.lo.eq(a.hi)) return f(a.lo);
    const l = f(a.lo);
    const h = f(a.hi);
    return flagged(l.lo, h.hi, l.loOpen || a.loOpen, h.hiOpen || a.hiOpen);
  }

  /** f on [lo, hi] for a strictly decreasing f given by point enclosures (open ends swap). */
  monotoneDown(a: Interval, f: (x: Decimal) => Interval): Interval {
    if (a.lo.eq(a.hi)) return f(a.lo);
    const l = f(a.hi);
    const h = f(a.lo);
    return flagged(l.lo, h.hi, l.loOpen || a.hiOpen, h.hiOpen || a.loOpen);
  }

  /** Relative width (hi − lo)/max(|lo|, |hi|) as a rough double, for deciding when to stop. */
  relWidth(a: Interval): number {
    const m = Decimal.max(a.lo.abs(), a.hi.abs());
    if (m.isZero()) return 0;
    return this.Hi.sub(a.hi, a.lo).div(m).toNumber();
  }
}
