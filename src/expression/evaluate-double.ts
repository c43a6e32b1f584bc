import { NORMAL_TAIL_DOUBLE_REL, normalTailDouble } from '../activations/normal-tail.js';
import type { Rational } from '../core/rational.js';
import { chainOf, compareHolds, type Expr } from './expression.js';

/**
 * The fast first attempt at an expression (docs/expressions.md, "How values are decided"): interval
 * arithmetic on doubles over the extended reals. Every computed end is pushed outward (by 2^-51 of
 * its magnitude for the correctly rounded + − × ÷ √, by 2^-44 for library functions such as Math.exp,
 * which V8 takes from fdlibm with errors below one ulp, and by 2^-1070 absolutely for subnormal
 * results), so a widened end is never reached: it is open. A lower end that overflowed to +∞ becomes
 * 2^1000 (the exact value exceeds the largest double), an upper end may stay +∞: so exp(exp(9)) is
 * known to exceed every format's range without its digits. Ends a function cannot cross are clamped
 * with the right openness (e^v > 0, −1 < tanh v < 1, 0 < erfc v < 2, v² ≥ 0): tiny values keep
 * their sign. Anything it cannot bound (overlapping comparisons, a divisor interval containing 0, a
 * domain edge, ∞ − ∞) throws `Undecided`, and the caller goes on to exact rationals and decimals.
 */
export interface DoubleInterval {
  readonly lo: number;
  readonly hi: number;
  /** The exact value is strictly above `lo` (resp. below `hi`); absent means the end may be attained. */
  readonly loOpen?: boolean;
  readonly hiOpen?: boolean;
}

export class Undecided extends Error {}

const UNDECIDED = new Undecided('undecided in doubles');
const OP_REL = 2 ** -51;
const FN_REL = 2 ** -44;
const ABS = 2 ** -1070;
/** A lower bound for any value whose double computation overflowed (> 1.79·10^308). */
const HUGE = 2 ** 1000;

function widen(lo: number, hi: number, rel: number): DoubleInterval {
  if (Number.isNaN(lo) || Number.isNaN(hi)) throw UNDECIDED;
  const l = lo === Number.POSITIVE_INFINITY ? HUGE : lo - Math.abs(lo) * rel - ABS;
  const h = hi === Number.NEGATIVE_INFINITY ? -HUGE : hi + Math.abs(hi) * rel + ABS;
  if (!(l <= h)) throw UNDECIDED;
  return { lo: l, hi: h, loOpen: true, hiOpen: true };
}

function point(v: number): DoubleInterval {
  return { lo: v, hi: v };
}

/** Restricts to [lo, hi] (the function's range), each end open or closed as the function is. */
function clamp(a: DoubleInterval, lo: number, loOpen: boolean, hi: number, hiOpen: boolean): DoubleInterval {
  let r = a;
  if (r.lo <= lo) r = { lo, hi: Math.max(r.hi, lo), loOpen, hiOpen: r.hiOpen };
  if (r.hi >= hi) r = { lo: Math.min(r.lo, hi), hi, loOpen: r.loOpen, hiOpen };
  return r;
}

/** A rational as a double interval (a closed point when the double is exact). */
export function doubleOfRational(r: Rational): DoubleInterval {
  const v = Number(r.num) / Number(r.den);
  if (Number.isNaN(v)) throw UNDECIDED;
  const exact =
    Number.isFinite(v) &&
    (r.den & (r.den - 1n)) === 0n &&
    BigInt(Number(r.num)) === r.num &&
    BigInt(Number(r.den)) === r.den;
  if (exact) return point(v);
  if (!Number.isFinite(v)) {
    return v > 0
      ? { lo: HUGE, hi: Number.POSITIVE_INFINITY, loOpen: true, hiOpen: true }
      : { lo: Number.NEGATIVE_INFINITY, hi: -HUGE, loOpen: true, hiOpen: true };
  }
  return widen(v, v, FN_REL);
}

function up(a: DoubleInterval, f: (x: number) => number, rel = FN_REL): DoubleInterval {
  return widen(f(a.lo), f(a.hi), rel);
}

function down(a: DoubleInterval, f: (x: number) => number, rel = FN_REL): DoubleInterval {
  return widen(f(a.hi), f(a.lo), rel);
}

/** 1 (> 0), −1 (< 0), 0 (exactly 0) or NaN (unknown) from the ends and their openness. */
function signOf(a: DoubleInterval): number {
  if (a.lo > 0 || (a.lo === 0 && a.loOpen)) return 1;
  if (a.hi < 0 || (a.hi === 0 && a.hiOpen)) return -1;
  if (a.lo === 0 && a.hi === 0) return 0;
  return Number.NaN;
}

/** Widening may push an end across 0; an exactly known sign pulls it back (open at 0). */
function withSign(r: DoubleInterval, sign: number): DoubleInterval {
  if (sign > 0 && r.lo <= 0) return { lo: 0, hi: Math.max(r.hi, 0), loOpen: true, hiOpen: r.hiOpen };
  if (sign < 0 && r.hi >= 0) return { lo: Math.min(r.lo, 0), hi: 0, loOpen: r.loOpen, hiOpen: true };
  return r;
}

const ZERO = point(0);

/** True when the double sum s = fl(x + y) is exact (Knuth's TwoSum error term is 0). */
function exactSum(x: number, y: number, s: number): boolean {
  if (!Number.isFinite(s)) return false;
  const bb = s - x;
  return x - (s - bb) + (y - bb) === 0;
}

/** True when the double product p = fl(x·y) is exact (Dekker's TwoProduct error term is 0). */
function exactProduct(x: number, y: number, p: number): boolean {
  if (p === 0) return x === 0 || y === 0;
  if (!Number.isFinite(p) || Math.abs(x) > 2 ** 995 || Math.abs(y) > 2 ** 995 || Math.abs(p) < 2 ** -960) {
    return false;
  }
  const split = (v: number) => {
    const c = 134217729 * v; // 2^27 + 1
    const hi = c - (c - v);
    return [hi, v - hi];
  };
  const [xh, xl] = split(x);
  const [yh, yl] = split(y);
  return xh * yh - p + xh * yl + xl * yh + xl * yl === 0;
}

/**
 * An end computed as `v`: kept (with its openness) when the operation was exact, else pushed outward
 * (and then open).
 */
function lowEnd(v: number, exact: boolean, open: boolean | undefined): [number, boolean] {
  if (Number.isNaN(v)) throw UNDECIDED;
  if (exact) return [v, open === true];
  return [v === Number.POSITIVE_INFINITY ? HUGE : v - Math.abs(v) * OP_REL - ABS, true];
}
function highEnd(v: number, exact: boolean, open: boolean | undefined): [number, boolean] {
  if (Number.isNaN(v)) throw UNDECIDED;
  if (exact) return [v, open === true];
  return [v === Number.NEGATIVE_INFINITY ? -HUGE : v + Math.abs(v) * OP_REL + ABS, true];
}
function make(lo: [number, boolean], hi: [number, boolean]): DoubleInterval {
  if (!(lo[0] <= hi[0])) throw UNDECIDED;
  return { lo: lo[0], hi: hi[0], loOpen: lo[1], hiOpen: hi[1] };
}

function add(a: DoubleInterval, b: DoubleInterval): DoubleInterval {
  const sa = signOf(a);
  const sb = signOf(b);
  if (sa === 0) return b;
  if (sb === 0) return a;
  const l = a.lo + b.lo;
  const h = a.hi + b.hi;
  const r = make(
    lowEnd(l, exactSum(a.lo, b.lo, l), a.loOpen || b.loOpen),
    highEnd(h, exactSum(a.hi, b.hi, h), a.hiOpen || b.hiOpen),
  );
  return withSign(r, sa === sb ? sa : Number.NaN);
}
function sub(a: DoubleInterval, b: DoubleInterval): DoubleInterval {
  return add(a, neg(b));
}
/** a·b with 0·∞ = 0 at the ends (the hull of the products is still enclosed). */
function times(x: number, y: number): number {
  const p = x * y;
  return Number.isNaN(p) ? 0 : p;
}
function mul(a: DoubleInterval, b: DoubleInterval): DoubleInterval {
  const sa = signOf(a);
  const sb = signOf(b);
  if (sa === 0 || sb === 0) return ZERO;
  if (a.lo >= 0 && b.lo >= 0) {
    // both nonnegative: [a.lo·b.lo, a.hi·b.hi], exact ends keep the operands' openness
    const l = times(a.lo, b.lo);
    const h = times(a.hi, b.hi);
    const loOpen = (a.loOpen && (b.lo > 0 || b.loOpen)) || (b.loOpen && (a.lo > 0 || a.loOpen));
    const hiOpen = (a.hiOpen && b.hi > 0) || (b.hiOpen && a.hi > 0);
    return withSign(
      make(lowEnd(l, exactProduct(a.lo, b.lo, l), loOpen), highEnd(h, exactProduct(a.hi, b.hi, h), hiOpen)),
      sa * sb,
    );
  }
  if (a.hi <= 0 && b.lo >= 0) return neg(mul(neg(a), b));
  if (a.lo >= 0 && b.hi <= 0) return neg(mul(a, neg(b)));
  if (a.hi <= 0 && b.hi <= 0) return mul(neg(a), neg(b));
  const p1 = times(a.lo, b.lo);
  const p2 = times(a.lo, b.hi);
  const p3 = times(a.hi, b.lo);
  const p4 = times(a.hi, b.hi);
  return withSign(widen(Math.min(p1, p2, p3, p4), Math.max(p1, p2, p3, p4), OP_REL), sa * sb);
}
function div(a: DoubleInterval, b: DoubleInterval): DoubleInterval {
  if (b.lo <= 0 && b.hi >= 0) throw UNDECIDED;
  const sa = signOf(a);
  if (sa === 0) return ZERO;
  const p = [a.lo / b.lo, a.lo / b.hi, a.hi / b.lo, a.hi / b.hi];
  return withSign(widen(Math.min(...p), Math.max(...p), OP_REL), sa * signOf(b));
}
function neg(a: DoubleInterval): DoubleInterval {
  return { lo: -a.hi, hi: -a.lo, loOpen: a.hiOpen, hiOpen: a.loOpen };
}
function abs(a: DoubleInterval): DoubleInterval {
  if (a.lo >= 0) return a;
  if (a.hi <= 0) return neg(a);
  return { lo: 0, hi: Math.max(-a.lo, a.hi), hiOpen: true };
}

/** −1, 0 or 1 when decided. */
function compare(a: DoubleInterval, b: DoubleInterval): number {
  if (a.hi < b.lo) return -1;
  if (a.lo > b.hi) return 1;
  if (a.lo === a.hi && b.lo === b.hi && a.lo === b.lo && !a.loOpen && !b.loOpen) return 0;
  throw UNDECIDED;
}

function positive(a: DoubleInterval): void {
  if (!(a.lo > 0)) throw UNDECIDED;
}

/** sin/cos: |f′| ≤ 1, so f(mid) ± radius, within [−1, 1]. */
function lipschitz(a: DoubleInterval, f: (x: number) => number): DoubleInterval {
  if (!Number.isFinite(a.lo) || !Number.isFinite(a.hi) || a.hi - a.lo > 8) {
    return { lo: -1, hi: 1 };
  }
  const mid = (a.lo + a.hi) / 2;
  const radius = Math.max(a.hi - mid, mid - a.lo);
  const v = widen(f(mid), f(mid), FN_REL);
  return clamp(widen(v.lo - radius, v.hi + radius, OP_REL), -1, false, 1, false);
}

function floorOf(a: DoubleInterval): DoubleInterval {
  const f = Math.floor(a.lo);
  if (!Number.isFinite(f) || f !== Math.floor(a.hi) || (a.hiOpen === false && a.hi === f + 1)) {
    throw UNDECIDED;
  }
  return point(f);
}

type Value = DoubleInterval | boolean;

/** Evaluates the expression in doubles at exact double inputs; throws `Undecided` when it cannot decide. */
export function evaluateDouble(tree: Expr, x: readonly number[]): DoubleInterval {
  const v = value(tree, x);
  if (typeof v === 'boolean') throw UNDECIDED;
  return v;
}

function num(e: Expr, x: readonly number[]): DoubleInterval {
  const v = value(e, x);
  if (typeof v === 'boolean') throw UNDECIDED;
  return v;
}

function truth(e: Expr, x: readonly number[]): boolean {
  const v = value(e, x);
  if (typeof v !== 'boolean') throw UNDECIDED;
  return v;
}

function binary(op: string, a: DoubleInterval, b: DoubleInterval): DoubleInterval {
  switch (op) {
    case '+':
      return add(a, b);
    case '-':
      return sub(a, b);
    case '*':
      return mul(a, b);
    case '/':
      return div(a, b);
    case '^':
      return power(a, b);
    default:
      return sub(a, mul(b, floorOf(div(a, b))));
  }
}

function value(e: Expr, x: readonly number[]): Value {
  switch (e.kind) {
    case 'number':
      return doubleOfRational(e.value);
    case 'boolean':
      return e.value;
    case 'input':
      return point(x[e.index]);
    case 'constant':
      return widen(e.name === 'pi' ? Math.PI : Math.E, e.name === 'pi' ? Math.PI : Math.E, OP_REL);
    case 'neg':
      return neg(num(e.arg, x));
    case 'binary': {
      const { first, links } = chainOf(e);
      let acc = num(first, x);
      for (const { op, right } of links) acc = binary(op, acc, num(right, x));
      return acc;
    }
    case 'compare':
      return compareHolds(e.op, compare(num(e.left, x), num(e.right, x)));
    case 'logic': {
      const left = truth(e.left, x);
      if (e.op === 'and' ? !left : left) return left;
      return truth(e.right, x);
    }
    case 'not':
      return !truth(e.arg, x);
    case 'if':
      return truth(e.test, x) ? value(e.yes, x) : value(e.no, x);
    default:
      return call(
        e.name,
        e.args.map((a) => num(a, x)),
      );
  }
}

/**
 * a^b. An integer exponent of any size: |a|^k is monotone in |a| (Math.pow at the ends), with the sign
 * of a for odd k; even powers are ≥ 0. Otherwise a > 0 and a^b is monotone in each argument.
 */
function power(a: DoubleInterval, b: DoubleInterval): DoubleInterval {
  if (b.lo === b.hi && Number.isInteger(b.lo) && !b.loOpen) {
    const k = b.lo;
    if (k === 0) return point(1);
    const m = Math.abs(k);
    if (m <= 2 && k > 0) return k === 1 ? a : clamp(mul(a, a), 0, false, Number.POSITIVE_INFINITY, true);
    const even = m % 2 === 0;
    let r: DoubleInterval;
    if (even) {
      const A = abs(a);
      r = clamp(widen(A.lo ** m, A.hi ** m, FN_REL), 0, A.lo > 0, Number.POSITIVE_INFINITY, true);
    } else {
      const p = (v: number) => (v < 0 ? -((-v) ** m) : v ** m);
      r = widen(p(a.lo), p(a.hi), FN_REL);
    }
    return k < 0 ? div(point(1), r) : r;
  }
  positive(a);
  // a^b = exp(b·ln a), monotone in each argument on a > 0: evaluate at the corners.
  const p = [a.lo ** b.lo, a.lo ** b.hi, a.hi ** b.lo, a.hi ** b.hi];
  return clamp(widen(Math.min(...p), Math.max(...p), FN_REL), 0, true, Number.POSITIVE_INFINITY, true);
}

/** σ(v) = 1/(1+e^(−v)) without overflow. */
function sigmoid(v: number): number {
  if (v >= 0) return 1 / (1 + Math.exp(-v));
  const e = Math.exp(v);
  return e / (1 + e);
}

/** ln(1+e^v) without overflow. */
function softplus(v: number): number {
  return v > 0 ? v + Math.log1p(Math.exp(-v)) : Math.log1p(Math.exp(v));
}

/** erfc(v) = 2·Q(v√2). */
function erfc(v: number): number {
  return v >= 0 ? 2 * normalTailDouble(v * Math.SQRT2) : 2 - 2 * normalTailDouble(-v * Math.SQRT2);
}

/** erf(v) = ±(1 − 2·Q(|v|√2)) in doubles (relative error bound: see erfInterval). */
export function erfDouble(v: number): number {
  if (v === 0) return 0;
  return v > 0 ? 1 - 2 * normalTailDouble(v * Math.SQRT2) : 2 * normalTailDouble(-v * Math.SQRT2) - 1;
}

/**
 * Error allowed for erf/erfc relative to the computed tail 2Q: the tail's bound plus the rounding of
 * v√2 (relative sensitivity of Q about v²); erf = ±(1 − 2Q) gets it as an absolute error.
 */
function erfRel(a: DoubleInterval): number {
  const m = Math.min(Math.max(Math.abs(a.lo), Math.abs(a.hi)), 1e150);
  return 16 * NORMAL_TAIL_DOUBLE_REL + (2 * m * m + 4) * 2 ** -51;
}

function erfInterval(a: DoubleInterval): DoubleInterval {
  const e = erfRel(a);
  const lo = erfDouble(a.lo);
  const hi = erfDouble(a.hi);
  // |erf(v) − computed| ≤ e·(1 − |computed|) + ulp: the error is relative to the tail 1 − |erf|
  const r = widen(lo - e * (1 - Math.abs(lo)), hi + e * (1 - Math.abs(hi)), OP_REL);
  return clamp(r, -1, true, 1, true);
}

function erfcInterval(a: DoubleInterval): DoubleInterval {
  const e = erfRel(a);
  const lo = erfc(a.hi);
  const hi = erfc(a.lo);
  const tail = (v: number) => (v <= 1 ? v : 2 - v);
  const r = widen(lo - e * tail(lo), hi + e * tail(hi), OP_REL);
  return clamp(r, 0, true, 2, true);
}

function call(name: string, args: DoubleInterval[]): DoubleInterval {
  const [a, b] = args;
  const INF = Number.POSITIVE_INFINITY;
  switch (name) {
    case 'abs':
      return abs(a);
    case 'sign':
      return point(compare(a, point(0)));
    case 'floor':
      return floorOf(a);
    case 'ceil':
      return neg(floorOf(neg(a)));
    case 'min':
      return args.reduce((m, v) => ({ lo: Math.min(m.lo, v.lo), hi: Math.min(m.hi, v.hi) }));
    case 'max':
      return args.reduce((m, v) => ({ lo: Math.max(m.lo, v.lo), hi: Math.max(m.hi, v.hi) }));
    case 'relu':
      return { lo: Math.max(0, a.lo), hi: Math.max(0, a.hi) };
    case 'mod':
      return binary('mod', a, b);
    case 'pow':
      return power(a, b);
    case 'sqrt':
      if (a.lo < 0) throw UNDECIDED;
      return clamp(up(a, Math.sqrt, OP_REL), 0, false, INF, true);
    case 'cbrt':
      return up(a, Math.cbrt);
    case 'exp':
      return clamp(up(a, Math.exp), 0, true, INF, true);
    case 'expm1':
      return clamp(up(a, Math.expm1), -1, true, INF, true);
    case 'log':
      positive(a);
      if (b === undefined) return up(a, Math.log);
      positive(b);
      return div(up(a, Math.log), up(b, Math.log));
    case 'ln':
      positive(a);
      return up(a, Math.log);
    case 'log1p':
      if (!(a.lo > -1)) throw UNDECIDED;
      return up(a, Math.log1p);
    case 'log2':
      positive(a);
      return up(a, Math.log2);
    case 'log10':
      positive(a);
      return up(a, Math.log10);
    case 'sin':
      return lipschitz(a, Math.sin);
    case 'cos':
      return lipschitz(a, Math.cos);
    case 'tan':
      return div(lipschitz(a, Math.sin), lipschitz(a, Math.cos));
    case 'atan':
      return up(a, Math.atan);
    case 'asin':
      if (!(a.lo > -1 && a.hi < 1)) throw UNDECIDED;
      return up(a, Math.asin);
    case 'acos':
      if (!(a.lo > -1 && a.hi < 1)) throw UNDECIDED;
      return down(a, Math.acos);
    case 'sinh':
      return up(a, Math.sinh);
    case 'cosh':
      if (a.lo >= 0) return clamp(up(a, Math.cosh), 1, false, INF, true);
      if (a.hi <= 0) return clamp(down(a, Math.cosh), 1, false, INF, true);
      throw UNDECIDED;
    case 'tanh':
      return clamp(up(a, Math.tanh), -1, true, 1, true);
    case 'asinh':
      return up(a, Math.asinh);
    case 'acosh':
      if (!(a.lo > 1)) throw UNDECIDED;
      return up(a, Math.acosh);
    case 'atanh':
      if (!(a.lo > -1 && a.hi < 1)) throw UNDECIDED;
      return up(a, Math.atanh);
    case 'sigmoid':
      return clamp(up(a, sigmoid, 2 ** -50), 0, true, 1, true);
    case 'softplus':
      return clamp(up(a, softplus, 2 ** -50), 0, true, INF, true);
    case 'erf':
      return erfInterval(a);
    default:
      return erfcInterval(a);
  }
}
