import type { Decimal } from 'decimal.js';
import type { MathNode } from 'mathjs';
import { add, compare, div, mul, neg, ONE, type Rational, ratio, sub, ZERO } from '../core/rational.js';
import { FxnnError, quote } from '../errors.js';
import { parseValue } from '../value.js';
import type { Activation } from './activation.js';
import { DomainError, Indeterminate, type Interval, type IntervalArithmetic } from './decimal-interval.js';
import {
  type DInterval,
  dAbs,
  dAdd,
  dDiv,
  dDown,
  dMul,
  dNeg,
  dPoint,
  dPowInt,
  dSub,
  dUp,
  erfcDouble,
  erfDouble,
  erfRel,
  sigmoidDouble,
  softplusDouble,
} from './double-interval.js';
import { type Enclosure, ERR, HEAD, TAIL, TINY_SIGN } from './kernel.js';
import { loadMathjs } from './load-mathjs.js';
import { normalTailInterval } from './normal-tail.js';

/**
 * A user activation given as an expression in x, e.g. `x*sigmoid(x)` or `x >= 0 ? x : 0.02*x`.
 * Parsed by mathjs's `parse` (constants as exact decimals; no evaluation by mathjs, no eval, no
 * new Function) into a small tree evaluated here: exactly with rationals wherever the value is rational
 * (arithmetic, integer powers, comparisons, exp(0), …), otherwise with rigorous decimal intervals at
 * increasing precision. A point where the expression is undefined is an error naming the point.
 */
let parser: ((text: string) => MathNode) | null = null;

/** mathjs's parser with BigNumber constants, created on the first expression (see load-mathjs.ts). */
function parse(text: string): MathNode {
  if (!parser) {
    const { create, parseDependencies } = loadMathjs();
    const math = create({ parseDependencies }, { number: 'BigNumber' });
    parser = (t) => math.parse(t);
  }
  return parser(text);
}

const FUNCTIONS = {
  exp: 1,
  log: 1,
  ln: 1,
  log1p: 1,
  expm1: 1,
  sqrt: 1,
  abs: 1,
  tanh: 1,
  sinh: 1,
  cosh: 1,
  sigmoid: 1,
  softplus: 1,
  erf: 1,
  erfc: 1,
  min: 2,
  max: 2,
} as const;
type Fn = keyof typeof FUNCTIONS;
type Cmp = '<' | '<=' | '>' | '>=' | '==' | '!=';
type Arith = '+' | '-' | '*' | '/' | '^';

type Node =
  | { readonly k: 'num'; readonly r: Rational }
  | { readonly k: 'x' }
  | { readonly k: 'pi' | 'e' }
  | { readonly k: 'op'; readonly op: Arith; readonly a: Node; readonly b: Node }
  | { readonly k: 'neg'; readonly a: Node }
  | { readonly k: 'fn'; readonly f: Fn; readonly args: readonly Node[] }
  | { readonly k: 'cmp'; readonly op: Cmp; readonly a: Node; readonly b: Node }
  | { readonly k: 'if'; readonly c: Node; readonly a: Node; readonly b: Node };

const MAX_LENGTH = 2000;
const MAX_INT_POWER = 4096;

function compile(node: MathNode, text: string): Node {
  const bad = (why: string) => new FxnnError(`expr ${quote(text)}: ${why}`, 'expr');
  switch (node.type) {
    case 'ParenthesisNode':
      return compile((node as unknown as { content: MathNode }).content, text);
    case 'ConstantNode': {
      const v = (node as unknown as { value: unknown }).value;
      if (typeof v === 'object' && v !== null && typeof (v as Decimal).toFixed === 'function') {
        return { k: 'num', r: parseValue((v as Decimal).toFixed(), 'expr constant') };
      }
      throw bad(`unsupported constant ${quote(String(v))}`);
    }
    case 'SymbolNode': {
      const name = (node as unknown as { name: string }).name;
      if (name === 'x') return { k: 'x' };
      if (name === 'pi' || name === 'e') return { k: name };
      throw bad(`unknown symbol ${quote(name)} (the variable is x; constants pi and e)`);
    }
    case 'OperatorNode': {
      const { op, args } = node as unknown as { op: string; args: MathNode[] };
      if (args.length === 1) {
        if (op === '-') return { k: 'neg', a: compile(args[0], text) };
        if (op === '+') return compile(args[0], text);
        throw bad(`unsupported operator ${quote(op)}`);
      }
      const a = compile(args[0], text);
      const b = compile(args[1], text);
      if (['+', '-', '*', '/', '^'].includes(op)) return { k: 'op', op: op as Arith, a, b };
      if (['<', '<=', '>', '>=', '==', '!='].includes(op)) return { k: 'cmp', op: op as Cmp, a, b };
      throw bad(`unsupported operator ${quote(op)}`);
    }
    case 'FunctionNode': {
      const { fn, args } = node as unknown as { fn: { name?: string }; args: MathNode[] };
      const name = fn.name ?? '';
      if (!(name in FUNCTIONS)) {
        throw bad(`unknown function ${quote(name)} (known: ${Object.keys(FUNCTIONS).join(', ')})`);
      }
      const arity = FUNCTIONS[name as Fn];
      if (args.length !== arity)
        throw bad(`${name} takes ${arity} argument${arity > 1 ? 's' : ''}, got ${args.length}`);
      return { k: 'fn', f: name as Fn, args: args.map((a) => compile(a, text)) };
    }
    case 'ConditionalNode': {
      const { condition, trueExpr, falseExpr } = node as unknown as {
        condition: MathNode;
        trueExpr: MathNode;
        falseExpr: MathNode;
      };
      return {
        k: 'if',
        c: compile(condition, text),
        a: compile(trueExpr, text),
        b: compile(falseExpr, text),
      };
    }
    default:
      throw bad(`unsupported syntax (${node.type}); use numbers, x, + − * / ^, functions and c ? a : b`);
  }
}

const isInt = (r: Rational) => r.den === 1n;

/** Exact value (Rational, or boolean for comparisons) or null when it may be irrational. */
function exactEval(n: Node, x: Rational): Rational | boolean | null {
  switch (n.k) {
    case 'num':
      return n.r;
    case 'x':
      return x;
    case 'pi':
    case 'e':
      return null;
    case 'neg': {
      const a = exactEval(n.a, x);
      return a === null ? null : neg(num(a));
    }
    case 'op': {
      const a = exactEval(n.a, x);
      const b = exactEval(n.b, x);
      if (a === null || b === null) {
        // 0·anything = 0 (when the other side is defined: checked by the interval path)
        return null;
      }
      const p = num(a);
      const q = num(b);
      switch (n.op) {
        case '+':
          return add(p, q);
        case '-':
          return sub(p, q);
        case '*':
          return mul(p, q);
        case '/':
          if (q.num === 0n) throw new DomainError('division by zero');
          return div(p, q);
        default:
          return powExact(p, q);
      }
    }
    case 'cmp': {
      const a = exactEval(n.a, x);
      const b = exactEval(n.b, x);
      if (a === null || b === null) return null;
      return cmpHolds(n.op, compare(num(a), num(b)));
    }
    case 'if': {
      const c = exactEval(n.c, x);
      if (c === null) return null;
      return exactEval(bool(c) ? n.a : n.b, x);
    }
    default:
      return fnExact(
        n.f,
        n.args.map((a) => exactEval(a, x)),
      );
  }
}

function num(v: Rational | boolean): Rational {
  if (typeof v === 'boolean') throw new DomainError('a comparison used as a number');
  return v;
}
function bool(v: Rational | boolean | Interval): boolean {
  if (typeof v !== 'boolean') throw new DomainError('a number used as a condition');
  return v;
}

function cmpHolds(op: Cmp, c: number): boolean {
  switch (op) {
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

function powExact(p: Rational, q: Rational): Rational | null {
  if (!isInt(q)) {
    if (p.num < 0n) throw new DomainError('a negative number to a fractional power');
    if (p.num === 0n && q.num > 0n) return ZERO;
    if (p.num === 0n) throw new DomainError('0 to a negative power');
    return compare(p, ONE) === 0 ? ONE : null;
  }
  if (q.num < 0n && p.num === 0n) throw new DomainError('0 to a negative power');
  const e = q.num < 0n ? -q.num : q.num;
  if (e > BigInt(MAX_INT_POWER)) return null;
  const r = ratio(p.num ** e, p.den ** e);
  return q.num < 0n ? div(ONE, r) : r;
}

function isqrt(n: bigint): bigint | null {
  if (n < 0n) return null;
  if (n < 2n) return n;
  let x = BigInt(Math.floor(Math.sqrt(Number(n))));
  while (x * x > n) x = (x + n / x) / 2n;
  while ((x + 1n) * (x + 1n) <= n) x += 1n;
  return x * x === n ? x : null;
}

function fnExact(f: Fn, args: Array<Rational | boolean | null>): Rational | null {
  if (args.some((a) => a === null)) return null;
  const v = args.map((a) => num(a as Rational | boolean));
  const a = v[0];
  const zero = a.num === 0n;
  switch (f) {
    case 'abs':
      return a.num < 0n ? neg(a) : a;
    case 'min':
      return compare(a, v[1]) <= 0 ? a : v[1];
    case 'max':
      return compare(a, v[1]) >= 0 ? a : v[1];
    case 'sqrt': {
      if (a.num < 0n) throw new DomainError('square root of a negative number');
      const p = isqrt(a.num);
      const q = isqrt(a.den);
      return p !== null && q !== null ? ratio(p, q) : null;
    }
    case 'log':
    case 'ln':
      if (a.num <= 0n) throw new DomainError('logarithm of a number ≤ 0');
      return compare(a, ONE) === 0 ? ZERO : null;
    case 'log1p':
      if (compare(a, neg(ONE)) <= 0) throw new DomainError('log1p of a number ≤ −1');
      return zero ? ZERO : null;
    case 'exp':
    case 'cosh':
    case 'erfc':
      return zero ? ONE : null;
    case 'sigmoid':
      return zero ? ratio(1n, 2n) : null;
    case 'softplus':
      return null;
    default: // expm1, tanh, sinh, erf: odd, vanish at 0
      return zero ? ZERO : null;
  }
}

/** Interval value (or boolean for comparisons). */
function intervalEval(n: Node, X: Interval, ia: IntervalArithmetic): Interval | boolean {
  switch (n.k) {
    case 'num':
      return ia.rational(n.r);
    case 'x':
      return X;
    case 'pi':
      return ia.pi();
    case 'e':
      return ia.exp(ia.point(1));
    case 'neg':
      return ia.neg(ival(intervalEval(n.a, X, ia)));
    case 'op': {
      const a = ival(intervalEval(n.a, X, ia));
      const b = ival(intervalEval(n.b, X, ia));
      switch (n.op) {
        case '+':
          return ia.add(a, b);
        case '-':
          return ia.sub(a, b);
        case '*':
          return ia.mul(a, b);
        case '/':
          return ia.div(a, b);
        default:
          return powInterval(a, b, ia);
      }
    }
    case 'cmp': {
      const a = ival(intervalEval(n.a, X, ia));
      const b = ival(intervalEval(n.b, X, ia));
      if (a.hi.lt(b.lo)) return cmpHolds(n.op, -1);
      if (a.lo.gt(b.hi)) return cmpHolds(n.op, 1);
      if (ia.isPoint(a) && ia.isPoint(b) && a.lo.eq(b.lo)) return cmpHolds(n.op, 0);
      throw new Indeterminate('comparison of overlapping intervals');
    }
    case 'if':
      return intervalEval(bool(intervalEval(n.c, X, ia)) ? n.a : n.b, X, ia);
    default:
      return fnInterval(
        n.f,
        n.args.map((a) => ival(intervalEval(a, X, ia))),
        ia,
      );
  }
}

function ival(v: Interval | boolean): Interval {
  if (typeof v === 'boolean') throw new DomainError('a comparison used as a number');
  return v;
}

function powInterval(a: Interval, b: Interval, ia: IntervalArithmetic): Interval {
  if (ia.isPoint(b) && b.lo.isInteger() && b.lo.abs().lte(MAX_INT_POWER)) {
    const e = b.lo.toNumber();
    if (e >= 0) return ia.powInt(a, e);
    return ia.div(ia.point(1), ia.powInt(a, -e));
  }
  if (a.hi.lt(0)) throw new DomainError('a negative number to a fractional power');
  if (a.lo.isZero() && a.hi.isZero()) {
    if (b.lo.gt(0)) return ia.point(0);
    throw new DomainError('0 to a non-positive power');
  }
  return ia.exp(ia.mul(b, ia.ln(a)));
}

function sigmoidPoint(v: Decimal, ia: IntervalArithmetic): Interval {
  const V = ia.point(v);
  const one = ia.point(1);
  if (v.gte(0)) return ia.div(one, ia.add(one, ia.exp(ia.neg(V))));
  const e = ia.exp(V);
  return ia.div(e, ia.add(one, e));
}

function tanhPoint(v: Decimal, ia: IntervalArithmetic): Interval {
  if (v.lt(0)) return ia.neg(tanhPoint(v.neg(), ia));
  const m = ia.expm1(ia.scale2(ia.point(v), 1));
  return ia.div(m, ia.add(m, ia.point(2)));
}

/** erfc(v) = 2·Q(v√2) for v ≥ 0, with Q decreasing. */
function erfcNonNegative(V: Interval, ia: IntervalArithmetic): Interval {
  const s = ia.mul(V, ia.sqrt(ia.point(2)));
  const lo = normalTailInterval(s.hi, ia).lo;
  const hi = normalTailInterval(s.lo, ia).hi;
  return ia.scale2({ lo, hi }, 1);
}

function erfPoint(v: Decimal, ia: IntervalArithmetic): Interval {
  if (v.lt(0)) return ia.neg(erfPoint(v.neg(), ia));
  if (v.isZero()) return ia.point(0);
  return ia.sub(ia.point(1), erfcNonNegative(ia.point(v), ia));
}

function erfcPoint(v: Decimal, ia: IntervalArithmetic): Interval {
  if (v.gte(0)) return erfcNonNegative(ia.point(v), ia);
  return ia.add(ia.point(1), erfPoint(v.neg(), ia));
}

function fnInterval(f: Fn, v: Interval[], ia: IntervalArithmetic): Interval {
  const a = v[0];
  switch (f) {
    case 'exp':
      return ia.exp(a);
    case 'log':
    case 'ln':
      return ia.ln(a);
    case 'log1p':
      return ia.log1p(a);
    case 'expm1':
      return ia.expm1(a);
    case 'sqrt':
      return ia.sqrt(a);
    case 'abs':
      return ia.abs(a);
    case 'min':
      return { lo: a.lo.lt(v[1].lo) ? a.lo : v[1].lo, hi: a.hi.lt(v[1].hi) ? a.hi : v[1].hi };
    case 'max':
      return { lo: a.lo.gt(v[1].lo) ? a.lo : v[1].lo, hi: a.hi.gt(v[1].hi) ? a.hi : v[1].hi };
    case 'tanh':
      return ia.monotoneUp(a, (p) => tanhPoint(p, ia));
    case 'sinh':
      return ia.monotoneUp(a, (p) => {
        const P = ia.point(p);
        return ia.scale2(ia.sub(ia.expm1(P), ia.expm1(ia.neg(P))), -1);
      });
    case 'cosh':
      return ia.monotoneUp(ia.abs(a), (p) => {
        const P = ia.point(p);
        return ia.scale2(ia.add(ia.exp(P), ia.exp(ia.neg(P))), -1);
      });
    case 'sigmoid':
      return ia.monotoneUp(a, (p) => sigmoidPoint(p, ia));
    case 'softplus':
      return ia.monotoneUp(a, (p) => {
        const P = ia.point(p);
        return p.gte(0) ? ia.add(P, ia.log1p(ia.exp(ia.neg(P)))) : ia.log1p(ia.exp(P));
      });
    case 'erf':
      return ia.monotoneUp(a, (p) => erfPoint(p, ia));
    default:
      return ia.monotoneDown(a, (p) => erfcPoint(p, ia));
  }
}

/** Double-interval value (or boolean) at a double x; null when doubles cannot bound it. */
function doubleEval(n: Node, x: number): DInterval | boolean | null {
  switch (n.k) {
    case 'num': {
      const v = Number(n.r.num) / Number(n.r.den);
      if (!Number.isFinite(v)) return null;
      return dUp(dPoint(v), (t) => t, 2 ** -52);
    }
    case 'x':
      return dPoint(x);
    case 'pi':
      return dUp(dPoint(Math.PI), (t) => t, 2 ** -52);
    case 'e':
      return dUp(dPoint(Math.E), (t) => t, 2 ** -52);
    case 'neg': {
      const a = doubleEval(n.a, x);
      return a === null || typeof a === 'boolean' ? null : dNeg(a);
    }
    case 'op': {
      const a = doubleEval(n.a, x);
      const b = doubleEval(n.b, x);
      if (a === null || b === null || typeof a === 'boolean' || typeof b === 'boolean') return null;
      switch (n.op) {
        case '+':
          return dAdd(a, b);
        case '-':
          return dSub(a, b);
        case '*':
          return dMul(a, b);
        case '/':
          return dDiv(a, b);
        default: {
          if (b.lo === b.hi && Number.isInteger(b.lo) && Math.abs(b.lo) <= MAX_INT_POWER) {
            const p = dPowInt(a, Math.abs(b.lo));
            return p === null ? null : b.lo >= 0 ? p : dDiv(dPoint(1), p);
          }
          if (a.lo <= 0) return null;
          const l = dUp(a, Math.log);
          const m = l === null ? null : dMul(b, l);
          return m === null ? null : dUp(m, Math.exp);
        }
      }
    }
    case 'cmp': {
      const a = doubleEval(n.a, x);
      const b = doubleEval(n.b, x);
      if (a === null || b === null || typeof a === 'boolean' || typeof b === 'boolean') return null;
      if (a.hi < b.lo) return cmpHolds(n.op, -1);
      if (a.lo > b.hi) return cmpHolds(n.op, 1);
      if (a.lo === a.hi && b.lo === b.hi && a.lo === b.lo) return cmpHolds(n.op, 0);
      return null;
    }
    case 'if': {
      const c = doubleEval(n.c, x);
      if (typeof c !== 'boolean') return null;
      return doubleEval(c ? n.a : n.b, x);
    }
    default: {
      const args: DInterval[] = [];
      for (const a of n.args) {
        const v = doubleEval(a, x);
        if (v === null || typeof v === 'boolean') return null;
        args.push(v);
      }
      return fnDouble(n.f, args);
    }
  }
}

function fnDouble(f: Fn, v: DInterval[]): DInterval | null {
  const a = v[0];
  switch (f) {
    case 'exp':
      return dUp(a, Math.exp);
    case 'log':
    case 'ln':
      return a.lo > 0 ? dUp(a, Math.log) : null;
    case 'log1p':
      return a.lo > -1 ? dUp(a, Math.log1p) : null;
    case 'expm1':
      return dUp(a, Math.expm1);
    case 'sqrt':
      return a.lo >= 0 ? dUp(a, Math.sqrt) : null;
    case 'abs':
      return dAbs(a);
    case 'min':
      return { lo: Math.min(a.lo, v[1].lo), hi: Math.min(a.hi, v[1].hi) };
    case 'max':
      return { lo: Math.max(a.lo, v[1].lo), hi: Math.max(a.hi, v[1].hi) };
    case 'tanh':
      return dUp(a, Math.tanh);
    case 'sinh':
      return dUp(a, Math.sinh);
    case 'cosh':
      return dUp(dAbs(a), Math.cosh);
    case 'sigmoid':
      return dUp(a, sigmoidDouble, 2 ** -50);
    case 'softplus':
      return dUp(a, softplusDouble, 2 ** -50);
    case 'erf':
      return dUp(a, erfDouble, 0, erfRel(a));
    default:
      return dDown(a, erfcDouble, erfRel(a));
  }
}

/** The expression activation for `text` (an expression in x). */
export function exprActivation(text: string): Activation {
  if (typeof text !== 'string' || text.trim() === '') {
    throw new FxnnError('expr: expected a non-empty expression in x, e.g. "x*sigmoid(x)"', 'expr');
  }
  if (text.length > MAX_LENGTH)
    throw new FxnnError(`expr: expression longer than ${MAX_LENGTH} characters`, 'expr');
  let parsed: MathNode;
  try {
    parsed = parse(text);
  } catch (e) {
    throw new FxnnError(`expr ${quote(text)} does not parse: ${(e as Error).message}`, 'expr');
  }
  const tree = compile(parsed, text);
  const canonical = parsed.toString();
  const exact = (x: Rational): Rational | null => {
    const v = exactEval(tree, x);
    return v === null ? null : num(v);
  };
  const enclose = (x: Rational, ia: IntervalArithmetic): Enclosure => {
    const v = ival(intervalEval(tree, ia.rational(x), ia));
    return { head: ZERO, tail: v, tinySign: 0 };
  };
  const estimate = (x: number, out: Float64Array): boolean => {
    const v = doubleEval(tree, x);
    if (v === null || typeof v === 'boolean') return false;
    const mid = v.lo / 2 + v.hi / 2;
    out[HEAD] = 0;
    out[TAIL] = mid;
    out[ERR] = Math.max(mid - v.lo, v.hi - mid) * (1 + 2 ** -50) + Math.abs(mid) * 2 ** -52;
    out[TINY_SIGN] = 0;
    return Number.isFinite(out[ERR]);
  };
  let zero: Rational | null = null;
  try {
    const z = exact(ZERO);
    if (z !== null && z.num === 0n) zero = ZERO;
  } catch {
    zero = null;
  }
  return Object.freeze({
    name: 'expr',
    key: `expr(${canonical})`,
    params: Object.freeze({ expr: canonical }),
    monotone: false,
    json: Object.freeze({ name: 'expr', expr: canonical }),
    formula: canonical,
    range: Object.freeze({ lower: null, upper: null, text: 'not analysed' }),
    zero,
    zeroBelow: null,
    domain: null,
    kernel: { exact, enclose, estimate },
  });
}
