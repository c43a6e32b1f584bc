import { Decimal } from 'decimal.js';
import {
  DomainError,
  Indeterminate,
  type Interval,
  type IntervalArithmetic,
} from '../activations/decimal-interval.js';
import { normalTailInterval } from '../activations/normal-tail.js';
import type { Rational } from '../core/rational.js';
import * as Q from '../core/rational.js';
import { chainOf, compareHolds, type Expr } from './expression.js';
import { asinInterval, atanInterval, cosInterval, sinInterval } from './trig-interval.js';

/**
 * The rigorous evaluator of the expression language (docs/expressions.md, "How values are decided"):
 * the value of a (sub)expression is an exact rational whenever the operations allow it (arithmetic,
 * integer powers, exact roots and logarithms, exp(0), sigmoid(0), …), otherwise a rigorous enclosure
 * at the current number of digits (decimal intervals, each end rounded outward; an end may be open:
 * tanh(10^400) lies in [1 − 10^-d, 1)); or a truth value. Values beyond decimal.js's exponent range
 * stay bounded: e^v for v > 10^15 is [10^(4.3·10^14), +∞], e^v for v < −10^15 is (0, e^(−10^15)].
 */
export type Value = Rational | Interval | boolean;

function isRational(v: Value): v is Rational {
  return typeof v === 'object' && 'num' in v;
}

/** Exact rational results of integer powers are kept below this many bits (then enclosures take over). */
const EXACT_POWER_BITS = 100_000;

/**
 * Evaluates an expression at exact inputs with the given interval arithmetic. Throws `Indeterminate`
 * when the digits do not suffice to decide something (retry with more), `DomainError` when the
 * expression is undefined at the point (division by zero, log of a negative number, …).
 */
export function evaluateExact(tree: Expr, x: readonly Rational[], ia: IntervalArithmetic): Value {
  return new Evaluator(x, ia).value(tree);
}

class Evaluator {
  constructor(
    private readonly x: readonly Rational[],
    private readonly ia: IntervalArithmetic,
  ) {}

  value(e: Expr): Value {
    const v = this.value1(e);
    if (typeof v === 'object' && 'lo' in v && (v.lo.isNaN() || v.hi.isNaN())) {
      throw new Indeterminate('an operation on unbounded enclosures');
    }
    return v;
  }

  private value1(e: Expr): Value {
    switch (e.kind) {
      case 'number':
      case 'boolean':
        return e.value;
      case 'input':
        return this.x[e.index];
      case 'constant':
        return e.name === 'pi' ? this.ia.pi() : this.ia.exp(this.ia.point(1));
      case 'neg':
        return this.neg(this.number(e.arg));
      case 'binary': {
        const { first, links } = chainOf(e);
        let acc = this.number(first);
        for (const { op, right } of links) acc = this.binary(op, acc, this.number(right));
        return acc;
      }
      case 'compare':
        return compareHolds(e.op, this.compare(this.number(e.left), this.number(e.right)));
      case 'logic': {
        const left = this.truth(e.left);
        if (e.op === 'and' ? !left : left) return left;
        return this.truth(e.right);
      }
      case 'not':
        return !this.truth(e.arg);
      case 'if':
        return this.truth(e.test) ? this.value(e.yes) : this.value(e.no);
      default:
        return this.call(
          e.name,
          e.args.map((a) => this.number(a)),
        );
    }
  }

  private number(e: Expr): Rational | Interval {
    const v = this.value(e);
    if (typeof v === 'boolean') throw new DomainError('a condition is used as a number');
    return v;
  }

  private truth(e: Expr): boolean {
    const v = this.value(e);
    if (typeof v !== 'boolean') throw new DomainError('a number is used as a condition');
    return v;
  }

  private interval(v: Rational | Interval): Interval {
    return isRational(v) ? this.ia.rational(v) : v;
  }

  /** −1, 0, 1; Indeterminate when enclosures overlap. */
  private compare(a: Rational | Interval, b: Rational | Interval): number {
    if (isRational(a) && isRational(b)) return Q.compare(a, b);
    const A = this.interval(a);
    const B = this.interval(b);
    if (A.hi.lt(B.lo)) return -1;
    if (A.lo.gt(B.hi)) return 1;
    if (this.ia.isPoint(A) && this.ia.isPoint(B) && A.lo.eq(B.lo)) return 0;
    throw new Indeterminate('comparison of overlapping enclosures');
  }

  private neg(a: Rational | Interval): Rational | Interval {
    return isRational(a) ? Q.neg(a) : this.ia.neg(a);
  }

  private add(a: Rational | Interval, b: Rational | Interval): Rational | Interval {
    return isRational(a) && isRational(b) ? Q.add(a, b) : this.ia.add(this.interval(a), this.interval(b));
  }

  private sub(a: Rational | Interval, b: Rational | Interval): Rational | Interval {
    return isRational(a) && isRational(b) ? Q.sub(a, b) : this.ia.sub(this.interval(a), this.interval(b));
  }

  private mul(a: Rational | Interval, b: Rational | Interval): Rational | Interval {
    if ((isRational(a) && a.num === 0n) || (isRational(b) && b.num === 0n)) return Q.ZERO;
    return isRational(a) && isRational(b) ? Q.mul(a, b) : this.ia.mul(this.interval(a), this.interval(b));
  }

  private div(a: Rational | Interval, b: Rational | Interval): Rational | Interval {
    if (isRational(b) && b.num === 0n) throw new DomainError('division by zero');
    if (isRational(a) && isRational(b)) return Q.div(a, b);
    const B = this.interval(b);
    if (isRational(a) && a.num === 0n && (B.lo.gt(0) || B.hi.lt(0))) return Q.ZERO;
    return this.ia.div(this.interval(a), B);
  }

  private binary(op: string, a: Rational | Interval, b: Rational | Interval): Rational | Interval {
    switch (op) {
      case '+':
        return this.add(a, b);
      case '-':
        return this.sub(a, b);
      case '*':
        return this.mul(a, b);
      case '/':
        return this.div(a, b);
      case '^':
        return this.pow(a, b);
      default:
        // x mod y = x − y·floor(x/y)
        return this.sub(a, this.mul(b, this.floor(this.div(a, b))));
    }
  }

  private floor(a: Rational | Interval): Rational {
    if (isRational(a)) return Q.fromBigInt(floorDiv(a.num, a.den));
    const lo = a.lo.floor();
    if (!lo.eq(a.hi.floor())) throw new Indeterminate('floor of an enclosure crossing an integer');
    return Q.fromBigInt(BigInt(lo.toFixed(0)));
  }

  private pow(a: Rational | Interval, b: Rational | Interval): Rational | Interval {
    if (isRational(a) && a.num === 0n) {
      if (this.compare(b, Q.ZERO) > 0) return Q.ZERO;
      if (isRational(b) && b.num === 0n) return Q.ONE;
      throw new DomainError('division by zero (0 to a negative power)');
    }
    if (isRational(b)) {
      if (b.den === 1n) return this.powInteger(a, b.num);
      if (isRational(a)) {
        const root = exactRoot(a, b.den);
        if (root !== null) return this.powInteger(root, b.num);
      }
      if (b.den === 2n && this.compare(a, Q.ZERO) > 0) {
        // a^(p/2) = sqrt(a)^p: decimal.js's square root, correctly rounded outward
        return this.powInteger(this.ia.sqrt(this.interval(a)), b.num);
      }
      if (this.compare(a, Q.ZERO) < 0) {
        if (b.den % 2n === 0n) throw new DomainError('a negative number to a power with an even denominator');
        // (−|a|)^(p/q) = (−1)^p·|a|^(p/q) for odd q
        const magnitude = this.expOf(this.mul(b, this.ln(this.neg(a))));
        return b.num % 2n === 0n ? magnitude : this.neg(magnitude);
      }
      return this.expOf(this.mul(b, this.ln(a)));
    }
    if (this.compare(a, Q.ZERO) < 0) throw new DomainError('a negative number to an irrational power');
    return this.expOf(this.mul(b, this.ln(a)));
  }

  private powInteger(a: Rational | Interval, k: bigint): Rational | Interval {
    const magnitude = k < 0n ? -k : k;
    if (isRational(a)) {
      if (a.num === 0n) {
        if (k < 0n) throw new DomainError('division by zero (0 to a negative power)');
        return k === 0n ? Q.ONE : Q.ZERO;
      }
      const absNum = a.num < 0n ? -a.num : a.num;
      if (absNum === 1n && a.den === 1n) return a.num > 0n || magnitude % 2n === 0n ? Q.ONE : a;
      const bits = absNum.toString(2).length + a.den.toString(2).length;
      if (Number(magnitude) * bits <= EXACT_POWER_BITS) {
        const p = Q.ratio(a.num ** magnitude, a.den ** magnitude);
        return k < 0n ? Q.div(Q.ONE, p) : p;
      }
    }
    if (magnitude <= 1n << 40n) {
      const p = this.ia.powInt(this.interval(a), Number(magnitude));
      return k < 0n ? this.div(Q.ONE, p) : p;
    }
    // |a|^k = e^(k·ln|a|), with the sign of a for odd k
    const A = this.ia.abs(this.interval(a));
    if (A.lo.isZero()) throw new Indeterminate('a huge power of an enclosure containing 0');
    const p = this.expOf(this.mul(Q.fromBigInt(k), this.ln(A)));
    const odd = magnitude % 2n === 1n;
    if (!odd) return p;
    const s = this.compare(a, Q.ZERO);
    return s < 0 ? this.neg(p) : p;
  }

  private expOf(a: Rational | Interval): Rational | Interval {
    if (isRational(a) && a.num === 0n) return Q.ONE;
    return this.ia.exp(this.interval(a));
  }

  private ln(a: Rational | Interval): Rational | Interval {
    if (isRational(a)) {
      if (a.num <= 0n) throw new DomainError('logarithm of a number ≤ 0');
      if (a.num === a.den) return Q.ZERO;
    }
    return this.ia.ln(this.interval(a));
  }

  private log(a: Rational | Interval, base: Rational | Interval): Rational | Interval {
    if (isRational(a) && isRational(base)) {
      if (a.num <= 0n || base.num <= 0n) throw new DomainError('logarithm of a number ≤ 0');
      if (base.num === base.den) throw new DomainError('logarithm to base 1');
      const exact = exactLog(a, base);
      if (exact !== null) return exact;
    }
    return this.div(this.ln(a), this.ln(base));
  }

  private monotone(a: Rational | Interval, f: (x: Interval) => Interval): Interval {
    return this.ia.monotoneUp(this.interval(a), (d) => f(this.ia.point(d)));
  }

  private call(name: string, args: Array<Rational | Interval>): Rational | Interval {
    const [a, b] = args;
    const zero = isRational(a) && a.num === 0n;
    const ia = this.ia;
    switch (name) {
      case 'abs':
        return isRational(a) ? (a.num < 0n ? Q.neg(a) : a) : ia.abs(a);
      case 'sign': {
        const c = this.compare(a, Q.ZERO);
        return Q.fromBigInt(BigInt(c));
      }
      case 'floor':
        return this.floor(a);
      case 'ceil':
        return Q.neg(this.floor(this.neg(a)));
      case 'min':
      case 'max':
        return args.reduce((m, v) => this.extreme(name, m, v));
      case 'relu':
        return this.extreme('max', Q.ZERO, a);
      case 'mod':
        return this.binary('mod', a, b);
      case 'pow':
        return this.pow(a, b);
      case 'sqrt':
        if (this.compare(a, Q.ZERO) < 0) throw new DomainError('square root of a negative number');
        return this.pow(a, Q.ratio(1n, 2n));
      case 'cbrt':
        return this.pow(a, Q.ratio(1n, 3n));
      case 'exp':
        return this.expOf(a);
      case 'expm1':
        return zero ? Q.ZERO : ia.expm1(this.interval(a));
      case 'log':
        return b === undefined ? this.ln(a) : this.log(a, b);
      case 'ln':
        return this.ln(a);
      case 'softplus':
        // ln(1 + e^v) = v + log1p(e^−v) for v ≥ 0 (increasing)
        return this.monotone(a, (p) =>
          p.lo.isNegative() ? ia.log1p(ia.exp(p)) : ia.add(p, ia.log1p(ia.exp(ia.neg(p)))),
        );
      case 'erf':
        return zero ? Q.ZERO : this.monotone(a, (p) => erfPoint(p.lo, ia));
      case 'erfc':
        if (zero) return Q.ONE;
        return ia.monotoneDown(this.interval(a), (d) => erfcPoint(d, ia));
      case 'log2':
        return this.log(a, Q.fromBigInt(2n));
      case 'log10':
        return this.log(a, Q.fromBigInt(10n));
      case 'log1p':
        if (zero) return Q.ZERO;
        if (isRational(a) && Q.compare(a, Q.fromBigInt(-1n)) <= 0)
          throw new DomainError('logarithm of a number ≤ 0');
        return ia.log1p(this.interval(a));
      case 'sin':
        return zero ? Q.ZERO : sinInterval(ia, this.interval(a));
      case 'cos':
        return zero ? Q.ONE : cosInterval(ia, this.interval(a));
      case 'tan':
        return zero ? Q.ZERO : this.div(sinInterval(ia, this.interval(a)), cosInterval(ia, this.interval(a)));
      case 'atan':
        return zero ? Q.ZERO : atanInterval(ia, this.interval(a));
      case 'asin':
        return zero ? Q.ZERO : asinInterval(ia, this.interval(a));
      case 'acos':
        if (isRational(a) && a.num === a.den) return Q.ZERO;
        return ia.sub(ia.scale2(ia.pi(), -1), asinInterval(ia, this.interval(a)));
      case 'sinh':
        return zero
          ? Q.ZERO
          : ia.scale2(ia.sub(ia.expm1(this.interval(a)), ia.expm1(ia.neg(this.interval(a)))), -1);
      case 'cosh':
        return zero
          ? Q.ONE
          : ia.scale2(ia.add(ia.exp(this.interval(a)), ia.exp(ia.neg(this.interval(a)))), -1);
      case 'tanh':
        return zero ? Q.ZERO : this.monotone(a, (p) => tanhPoint(p.lo, ia));
      case 'asinh':
        // asinh x = sign(x)·log1p(|x| + x²/(1 + √(1 + x²))) (odd, increasing)
        return zero
          ? Q.ZERO
          : this.monotone(a, (p) => {
              const m = ia.abs(p);
              const sq = ia.mul(m, m);
              const v = ia.log1p(
                ia.add(m, ia.div(sq, ia.add(ia.point(1), ia.sqrt(ia.add(ia.point(1), sq))))),
              );
              return p.lo.isNegative() ? ia.neg(v) : v;
            });
      case 'acosh': {
        if (isRational(a)) {
          if (a.num === a.den) return Q.ZERO;
          if (Q.compare(a, Q.ONE) < 0) throw new DomainError('acosh of a number < 1');
        }
        const A = this.interval(a);
        if (A.hi.lt(1)) throw new DomainError('acosh of a number < 1');
        if (A.lo.lt(1)) throw new Indeterminate('acosh argument crosses 1');
        return ia.monotoneUp(A, (d) => {
          const p = ia.point(d);
          return ia.ln(ia.add(p, ia.sqrt(ia.sub(ia.mul(p, p), ia.point(1)))));
        });
      }
      case 'atanh': {
        if (zero) return Q.ZERO;
        const A = this.interval(a);
        if (A.lo.gte(1) || A.hi.lte(-1)) throw new DomainError('atanh of a number outside (-1, 1)');
        return ia.scale2(ia.sub(ia.log1p(A), ia.log1p(ia.neg(A))), -1);
      }
      default:
        if (zero) return Q.ratio(1n, 2n);
        return this.monotone(a, (p) => sigmoidPoint(p.lo, ia));
    }
  }

  /** min/max: exact when decidable; for overlapping enclosures, the enclosure of the extreme. */
  private extreme(name: string, a: Rational | Interval, b: Rational | Interval): Rational | Interval {
    if (isRational(a) && isRational(b)) {
      const c = Q.compare(a, b);
      return name === 'max' ? (c >= 0 ? a : b) : c <= 0 ? a : b;
    }
    const A = this.interval(a);
    const B = this.interval(b);
    if (A.hi.lt(B.lo)) return name === 'max' ? b : a;
    if (A.lo.gt(B.hi)) return name === 'max' ? a : b;
    return name === 'max'
      ? { lo: Decimal.max(A.lo, B.lo), hi: Decimal.max(A.hi, B.hi) }
      : { lo: Decimal.min(A.lo, B.lo), hi: Decimal.min(A.hi, B.hi) };
  }
}

/** ⌊p/q⌋ for q > 0. */
function floorDiv(p: bigint, q: bigint): bigint {
  return p >= 0n ? p / q : -((-p + q - 1n) / q);
}

/** ⌊n^(1/k)⌋ for n ≥ 0 (Newton's method on BigInt). */
function integerRoot(n: bigint, k: bigint): bigint {
  if (n < 2n) return n;
  const bits = BigInt(n.toString(2).length);
  let x = 1n << (bits / k + 1n); // ≥ the root
  for (;;) {
    const y = ((k - 1n) * x + n / x ** (k - 1n)) / k;
    if (y >= x) return x;
    x = y;
  }
}

/** a^(1/q) when it is rational (odd q allows a negative a), else null. */
function exactRoot(a: Rational, q: bigint): Rational | null {
  const negative = a.num < 0n;
  if (negative && q % 2n === 0n) return null;
  const num = negative ? -a.num : a.num;
  const rn = integerRoot(num, q);
  const rd = integerRoot(a.den, q);
  if (rn ** q !== num || rd ** q !== a.den) return null;
  return { num: negative ? -rn : rn, den: rd };
}

/** log2 of a positive rational as a double (for guessing exponents only). */
function log2Approx(r: Rational): number {
  const lb = (n: bigint) => {
    const s = n.toString(2);
    return s.length - 1 + Math.log2(Number.parseInt(s.slice(0, 53).padEnd(53, '0'), 2) / 2 ** 52);
  };
  return lb(r.num) - lb(r.den);
}

/** The rational p/q (q ≤ 12) with base^(p/q) = a, if there is one. */
function exactLog(a: Rational, base: Rational): Rational | null {
  const t = log2Approx(a) / log2Approx(base);
  if (!Number.isFinite(t) || Math.abs(t) > 1e6) return null;
  for (let q = 1; q <= 12; q++) {
    const p = Math.round(t * q);
    if (Math.abs(p - t * q) > 1e-6) continue;
    const lhs = powRational(a, BigInt(q));
    const rhs = powRational(base, BigInt(p));
    if (lhs.num === rhs.num && lhs.den === rhs.den) return Q.ratio(BigInt(p), BigInt(q));
  }
  return null;
}

function powRational(a: Rational, k: bigint): Rational {
  const e = k < 0n ? -k : k;
  const p = Q.ratio(a.num ** e, a.den ** e);
  return k < 0n ? Q.div(Q.ONE, p) : p;
}

/** Beyond this argument 1 − tanh, 1 − σ and erfc are below 10^-(digits+9): the value is 1 minus a tiny. */
function saturation(ia: IntervalArithmetic): number {
  return (ia.digits + 10) * Math.LN10 + 1;
}

/** [1 − 10^-(d+9), 1), rounded down to the working digits. */
function justBelowOne(ia: IntervalArithmetic): Interval {
  return { lo: ia.Lo.sub(1, new ia.Lo(10).pow(-ia.digits - 9)), hi: new ia.Hi(1), hiOpen: true };
}

/** tanh at a point: t/(t + 2) with t = e^(2v) − 1; odd; 1 − tanh v < 2e^(−2v). */
function tanhPoint(v: Decimal, ia: IntervalArithmetic): Interval {
  if (v.isNegative()) return ia.neg(tanhPoint(v.neg(), ia));
  if (v.isZero()) return ia.point(0);
  if (v.gt(saturation(ia))) return justBelowOne(ia);
  const t = ia.expm1(ia.scale2(ia.point(v), 1));
  const r = ia.div(t, ia.add(t, ia.point(2)));
  return { lo: r.lo, hi: r.hi.gt(1) ? new ia.Hi(1) : r.hi, hiOpen: true };
}

/** σ(v) = 1/(1 + e^−v) at a point; 1 − σ(v) < e^−v; σ(v) > 0. */
function sigmoidPoint(v: Decimal, ia: IntervalArithmetic): Interval {
  if (v.gt(saturation(ia))) return justBelowOne(ia);
  const one = ia.point(1);
  const r = v.isNegative()
    ? ((e) => ia.div(e, ia.add(one, e)))(ia.exp(ia.point(v)))
    : ia.div(one, ia.add(one, ia.exp(ia.neg(ia.point(v)))));
  return { lo: r.lo.isNegative() ? new ia.Lo(0) : r.lo, hi: r.hi, loOpen: true, hiOpen: true };
}

/** erfc(v) = 2·Q(v√2) for v ≥ 0, with Q decreasing; erfc > 0. */
function erfcNonNegative(V: Interval, ia: IntervalArithmetic): Interval {
  const s = ia.mul(V, ia.sqrt(ia.point(2)));
  const lo = normalTailInterval(s.hi, ia).lo;
  const hi = normalTailInterval(s.lo, ia).hi;
  const r = ia.scale2({ lo, hi }, 1);
  return { lo: r.lo.isNegative() ? new ia.Lo(0) : r.lo, hi: r.hi, loOpen: true };
}

function erfPoint(v: Decimal, ia: IntervalArithmetic): Interval {
  if (v.isNegative()) return ia.neg(erfPoint(v.neg(), ia));
  if (v.isZero()) return ia.point(0);
  if (v.gt(saturation(ia))) return justBelowOne(ia);
  return ia.sub(ia.point(1), erfcNonNegative(ia.point(v), ia));
}

function erfcPoint(v: Decimal, ia: IntervalArithmetic): Interval {
  if (!v.isNegative()) return erfcNonNegative(ia.point(v), ia);
  return ia.add(ia.point(1), erfPoint(v.neg(), ia));
}
