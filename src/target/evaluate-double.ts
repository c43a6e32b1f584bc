import type { Rational } from '../core/rational.js';
import type { Expr } from './expression.js';

/**
 * A fast first attempt at a target expression: interval arithmetic on doubles, each result widened
 * outward (by 2^-51 relative for the correctly rounded + − × ÷ √, by 2^-44 relative for library
 * functions such as Math.exp, assumed accurate to a few units in the last place, as the activations'
 * double path assumes). Anything it cannot decide (overlapping comparisons, infinities, domain edges)
 * throws `Undecided`, and the caller falls back to exact rationals and decimal intervals.
 */
export interface DoubleInterval {
  readonly lo: number;
  readonly hi: number;
}

export class Undecided extends Error {}

const UNDECIDED = new Undecided('undecided in doubles');
const OP_REL = 2 ** -51;
const FN_REL = 2 ** -44;
const TINY = 2 ** -1000;

function widen(lo: number, hi: number, rel: number): DoubleInterval {
  const l = lo - Math.abs(lo) * rel - TINY;
  const h = hi + Math.abs(hi) * rel + TINY;
  if (!(l <= h) || !Number.isFinite(l) || !Number.isFinite(h)) throw UNDECIDED;
  return { lo: l, hi: h };
}

function point(v: number): DoubleInterval {
  return { lo: v, hi: v };
}

/** A rational as a double interval (a point when the double is exact). */
function fromRational(r: Rational): DoubleInterval {
  const v = Number(r.num) / Number(r.den);
  if (!Number.isFinite(v)) throw UNDECIDED;
  // exact when the denominator is a power of two and both parts are exact doubles
  const exact =
    (r.den & (r.den - 1n)) === 0n && BigInt(Number(r.num)) === r.num && BigInt(Number(r.den)) === r.den;
  return exact ? point(v) : widen(v, v, FN_REL);
}

/** f increasing on the interval. */
function up(a: DoubleInterval, f: (x: number) => number, rel = FN_REL): DoubleInterval {
  return widen(f(a.lo), f(a.hi), rel);
}

/** f decreasing on the interval. */
function down(a: DoubleInterval, f: (x: number) => number): DoubleInterval {
  return widen(f(a.hi), f(a.lo), FN_REL);
}

function add(a: DoubleInterval, b: DoubleInterval): DoubleInterval {
  return widen(a.lo + b.lo, a.hi + b.hi, OP_REL);
}
function sub(a: DoubleInterval, b: DoubleInterval): DoubleInterval {
  return widen(a.lo - b.hi, a.hi - b.lo, OP_REL);
}
function mul(a: DoubleInterval, b: DoubleInterval): DoubleInterval {
  const p = [a.lo * b.lo, a.lo * b.hi, a.hi * b.lo, a.hi * b.hi];
  return widen(Math.min(...p), Math.max(...p), OP_REL);
}
function div(a: DoubleInterval, b: DoubleInterval): DoubleInterval {
  if (b.lo <= 0 && b.hi >= 0) throw UNDECIDED;
  const p = [a.lo / b.lo, a.lo / b.hi, a.hi / b.lo, a.hi / b.hi];
  return widen(Math.min(...p), Math.max(...p), OP_REL);
}
function neg(a: DoubleInterval): DoubleInterval {
  return { lo: -a.hi, hi: -a.lo };
}

/** −1, 0 or 1 when decided. */
function compare(a: DoubleInterval, b: DoubleInterval): number {
  if (a.hi < b.lo) return -1;
  if (a.lo > b.hi) return 1;
  if (a.lo === a.hi && b.lo === b.hi && a.lo === b.lo) return 0;
  throw UNDECIDED;
}

function positive(a: DoubleInterval): void {
  if (!(a.lo > 0)) throw UNDECIDED;
}

/** sin/cos: |f′| ≤ 1, so f(mid) ± radius, within [−1, 1]. */
function lipschitz(a: DoubleInterval, f: (x: number) => number): DoubleInterval {
  const mid = (a.lo + a.hi) / 2;
  const radius = Math.max(a.hi - mid, mid - a.lo);
  const v = widen(f(mid), f(mid), FN_REL);
  return widen(Math.max(-1, v.lo - radius), Math.min(1, v.hi + radius), OP_REL);
}

function floorOf(a: DoubleInterval): DoubleInterval {
  const f = Math.floor(a.lo);
  if (f !== Math.floor(a.hi)) throw UNDECIDED;
  return point(f);
}

type Value = DoubleInterval | boolean;

/** Evaluates the expression in doubles at exact inputs; throws `Undecided` when it cannot decide. */
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

function value(e: Expr, x: readonly number[]): Value {
  switch (e.kind) {
    case 'number':
      return fromRational(e.value);
    case 'boolean':
      return e.value;
    case 'input':
      return point(x[e.index]);
    case 'constant':
      return widen(e.name === 'pi' ? Math.PI : Math.E, e.name === 'pi' ? Math.PI : Math.E, OP_REL);
    case 'neg':
      return neg(num(e.arg, x));
    case 'binary': {
      const a = num(e.left, x);
      const b = num(e.right, x);
      switch (e.op) {
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
    case 'compare': {
      const c = compare(num(e.left, x), num(e.right, x));
      switch (e.op) {
        case '<':
          return c < 0;
        case '<=':
          return c <= 0;
        case '>':
          return c > 0;
        case '>=':
          return c >= 0;
        case '==':
          return c === 0;
        default:
          return c !== 0;
      }
    }
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

function power(a: DoubleInterval, b: DoubleInterval): DoubleInterval {
  if (b.lo === b.hi && Number.isInteger(b.lo) && Math.abs(b.lo) <= 64) {
    const k = Math.abs(b.lo);
    let acc = point(1);
    for (let i = 0; i < k; i++) acc = mul(acc, a);
    return b.lo < 0 ? div(point(1), acc) : acc;
  }
  positive(a);
  // a^b = exp(b·ln a), monotone in each argument on a > 0: evaluate at the corners.
  const p = [a.lo ** b.lo, a.lo ** b.hi, a.hi ** b.lo, a.hi ** b.hi];
  return widen(Math.min(...p), Math.max(...p), FN_REL);
}

function call(name: string, args: DoubleInterval[]): DoubleInterval {
  const [a, b] = args;
  switch (name) {
    case 'abs':
      return a.lo >= 0 ? a : a.hi <= 0 ? neg(a) : { lo: 0, hi: Math.max(-a.lo, a.hi) };
    case 'sign': {
      const c = compare(a, point(0));
      return point(c);
    }
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
      return sub(a, mul(b, floorOf(div(a, b))));
    case 'pow':
      return power(a, b);
    case 'sqrt':
      if (a.lo < 0) throw UNDECIDED;
      return up(a, Math.sqrt, OP_REL);
    case 'cbrt':
      return up(a, Math.cbrt);
    case 'exp':
      return up(a, Math.exp);
    case 'expm1':
      return up(a, Math.expm1);
    case 'log':
      positive(a);
      if (b === undefined) return up(a, Math.log);
      positive(b);
      return div(up(a, Math.log), up(b, Math.log));
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
      if (a.lo >= 0) return up(a, Math.cosh);
      if (a.hi <= 0) return down(a, Math.cosh);
      throw UNDECIDED;
    case 'tanh':
      return up(a, Math.tanh);
    case 'asinh':
      return up(a, Math.asinh);
    case 'acosh':
      if (!(a.lo > 1)) throw UNDECIDED;
      return up(a, Math.acosh);
    case 'atanh':
      if (!(a.lo > -1 && a.hi < 1)) throw UNDECIDED;
      return up(a, Math.atanh);
    default:
      // sigmoid x = 1/(1 + e^−x), increasing
      return up(a, (v) => 1 / (1 + Math.exp(-v)));
  }
}
