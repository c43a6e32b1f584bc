/**
 * Targets f(x1 … xd) given by an expression, correctly rounded into a float format (docs/float.md §6,
 * "verify --fn"): rnd_F(f(x)) at finite inputs x of the format, by the network's rounding and overflow.
 *
 * Decision: rounding into a float format (overflow included, under `infinity` and `saturate`) is
 * monotone in the value, so when both ends of an enclosure [lo, hi] of f(x) round (exactly, as
 * rationals, by `roundRational`) to the same code, every value inside does, and that code is rnd_F(f(x)).
 * Enclosures come as in fixed-point targets (src/target/target-function.ts): double intervals first
 * (when the expression may be irrational), then the exact evaluator (an exact rational is rounded once;
 * an exact 0 is +0), else decimal enclosures of more and more digits. Ends beyond 2^(emax+1) (every such
 * value overflows alike) or below 2^(emin−m−1) in magnitude (every such value of one sign rounds alike)
 * are clamped before being made rational, so exp(10^6) never needs its digits. Floats never decide:
 * each end is an exact rational.
 *
 * Open ends (docs/float.md §6, "verify --fn"): rounding is constant strictly between consecutive
 * multiples of 2^(emin−m−1), so an end that the interval arithmetic marks open (the value is strictly
 * inside, e.g. 1 + erf(v) > 0 and erf(v) < 1, kept through products) and that is such a multiple is
 * moved inward by half of it. At 0 that proves the sign of a tiny value: x/2·(1 + erf(x/√2)) at
 * x = −448 is decided (−0 in E4M3 under nearest-even) at 24 digits although 1 + erf(−316.8) is about
 * 10^−43590; at x = 56 under floor the value is just below 56, so it rounds to 52. When both ends round to zeros of opposite signs (a target that is an exact
 * 0, or tiny of an unproved sign, in a mode where every tiny value rounds to a zero), the result is a
 * zero whose sign is not decided: `SIGNLESS_ZERO`, equal to both zeros as a value. Work per point is
 * bounded: when the time spent, plus four times the last precision's time (the next one has twice the
 * digits), exceeds `budgetMs` (default 20 s), an error names the point, the budget and the digits
 * reached.
 */
import type { Decimal } from 'decimal.js';
import { DomainError, Indeterminate, intervalArithmetic } from '../activations/decimal-interval.js';
import { fromDouble, type Rational, ratio } from '../core/rational.js';
import { FxnnError, quote } from '../errors.js';
import { evaluateDouble, Undecided } from '../expression/evaluate-double.js';
import { evaluateExact } from '../expression/evaluate-exact.js';
import { mayBeIrrational } from '../expression/may-be-irrational.js';
import { parseTargetExpressionSync, type TargetExpression } from '../target/expression.js';
import type { FloatFormat } from './float-format.js';
import {
  FloatOverflowError,
  type FloatPolicy,
  floatCodeRational,
  floatCodeText,
  roundRational,
} from './float-rounding.js';

/** Digits of the successive decimal enclosures. */
const DIGITS = [24, 48, 96, 192, 384, 768, 1536];

/** Codes standing for an overflow under `error` (above max, below −max). */
const OVER = -1;
const UNDER = -2;

const seconds = (ms: number) => `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;

/** rnd_F(f(x)) is a zero whose sign is not decided (both zeros are this value). */
export const SIGNLESS_ZERO = -3;

/** Time allowed for one point's enclosures, checked between two precisions. */
export const FLOAT_TARGET_BUDGET_MS = 20_000;

export interface FloatTarget {
  readonly description: string;
  /**
   * rnd_F(f(x)) as a code, or SIGNLESS_ZERO; an FxnnError naming x where f is undefined, overflows
   * under `error`, or is undecidable within the digits or the time budget.
   */
  codeAt(x: readonly number[]): number;
}

export interface FloatTargetOptions {
  /** Time allowed for one point (default FLOAT_TARGET_BUDGET_MS; Infinity: no budget). */
  readonly budgetMs?: number;
}

/** The float target of an expression in x1 … xd. */
export function floatTarget(
  text: string,
  inputs: number,
  f: FloatFormat,
  policy: FloatPolicy,
  options: FloatTargetOptions = {},
): FloatTarget {
  const expression = parseTargetExpressionSync(text, inputs);
  return floatTargetOf(expression, f, policy, options);
}

export function floatTargetOf(
  expression: TargetExpression,
  f: FloatFormat,
  policy: FloatPolicy,
  options: FloatTargetOptions = {},
): FloatTarget {
  const budgetMs = options.budgetMs ?? FLOAT_TARGET_BUDGET_MS;
  const approximate = mayBeIrrational(expression.tree);
  const names = Array.from({ length: expression.inputs }, (_, i) => `x${i + 1}`).join(', ');
  // |v| ≥ 2^(emax+1) overflows whatever v; 0 < |v| < 2^(emin−m−1) rounds as 2^(emin−m−2) does
  const bigExp = f.emax + 1;
  const tinyExp = f.emin - f.manBits - 1;
  const big: Rational = { num: 1n << BigInt(bigExp + 1), den: 1n };
  const tiny: Rational = { num: 1n, den: 1n << BigInt(-(tinyExp - 1)) };
  const signed = (r: Rational, negative: boolean): Rational => (negative ? { num: -r.num, den: r.den } : r);
  // decimal exponents (value in [10^e, 10^(e+1))) that are surely beyond those bounds
  const bigDecimalExp = Math.ceil(bigExp * Math.log10(2)) + 1;
  const tinyDecimalExp = Math.floor(tinyExp * Math.log10(2)) - 2;

  const endCode = (r: Rational): number => {
    try {
      return roundRational(r, f, policy).code;
    } catch (e) {
      if (e instanceof FloatOverflowError) return r.num < 0n ? UNDER : OVER;
      throw e;
    }
  };
  const ofDouble = (v: number): Rational | null => {
    if (Number.isNaN(v)) return null;
    if (v === 0) return { num: 0n, den: 1n };
    const a = Math.abs(v);
    if (a >= 2 ** Math.min(bigExp, 1024)) return signed(big, v < 0);
    if (tinyExp > -1074 && a < 2 ** tinyExp) return signed(tiny, v < 0);
    return fromDouble(v);
  };
  const ofDecimal = (v: Decimal): Rational | null => {
    if (v.isNaN()) return null;
    if (v.isZero()) return { num: 0n, den: 1n };
    if (!v.isFinite() || v.e >= bigDecimalExp) return signed(big, v.isNegative());
    if (v.e <= tinyDecimalExp) return signed(tiny, v.isNegative());
    const [int, frac = ''] = v.abs().toFixed().split('.');
    const r = ratio(BigInt(int + frac), 10n ** BigInt(frac.length));
    return signed(r, v.isNegative());
  };
  const isZeroCode = (c: number) => c >= 0 && c % f.signBit === 0;
  // Rounding into the format (overflow included) is constant between consecutive multiples of
  // 2^tinyExp (every grid point, midpoint and overflow threshold is one). So an open end r that is
  // such a multiple may be moved by half of it inward: no value in between rounds differently. For
  // r = 0 that is the signed tiny value: the sign of a tiny result proved by the interval arithmetic.
  const half = -(tinyExp - 1);
  const nudge = (r: Rational, direction: 1n | -1n): Rational => {
    if ((r.den & (r.den - 1n)) !== 0n || r.den > 1n << BigInt(half - 1)) return r;
    const scale = (1n << BigInt(half)) / r.den;
    return ratio(r.num * scale + direction, 1n << BigInt(half));
  };
  const decide = (
    lo: Rational | null,
    hi: Rational | null,
    loOpen?: boolean,
    hiOpen?: boolean,
  ): number | null => {
    if (lo === null || hi === null) return null;
    const l = loOpen ? nudge(lo, 1n) : lo;
    const h = hiOpen ? nudge(hi, -1n) : hi;
    const a = endCode(l);
    const b = endCode(h);
    if (a === b) return a;
    return isZeroCode(a) && isZeroCode(b) ? SIGNLESS_ZERO : null;
  };

  const decideAt = (x: readonly number[], at: () => string): number => {
    const t0 = performance.now();
    const point = x.map((c) => floatCodeRational(c, f));
    let signless = false;
    if (approximate && f.expBits <= 10) {
      try {
        const v = evaluateDouble(
          expression.tree,
          point.map((r) => Number(r.num) / Number(r.den)),
        );
        const c = decide(ofDouble(v.lo), ofDouble(v.hi), v.loOpen, v.hiOpen);
        // a zero of undecided sign: one try with exact rationals and 24 digits for its sign
        if (c === SIGNLESS_ZERO) signless = true;
        else if (c !== null) return c;
      } catch (e) {
        if (!(e instanceof Undecided)) throw e;
      }
    }
    let tried = 'double';
    let last = 0;
    for (const digits of DIGITS) {
      const spent = performance.now() - t0;
      // twice the digits cost at least four times as long: stop before a precision that would
      // exceed the budget, not only after
      if (spent + 4 * last > budgetMs)
        throw new FxnnError(
          `expression ${quote(expression.text)} at x = ${at()}: undetermined within the time budget of ${seconds(budgetMs)} per point (${seconds(spent)} spent; ${tried} enclosures did not decide the rounding into ${f.spec}, and ${digits} digits would take longer; --force lifts the budget)`,
          'fn',
        );
      tried = `${digits}-digit`;
      const start = performance.now();
      try {
        const value = evaluateExact(expression.tree, point, intervalArithmetic(digits));
        if (typeof value === 'boolean') throw new DomainError('the expression is a condition, not a number');
        if ('num' in value) return endCode(value);
        const c = decide(ofDecimal(value.lo), ofDecimal(value.hi), value.loOpen, value.hiOpen);
        if (c !== null) return c;
      } catch (e) {
        if (!(e instanceof Indeterminate)) throw e;
      }
      if (signless) return SIGNLESS_ZERO;
      last = performance.now() - start;
    }
    throw new DomainError(
      `cannot decide the rounding into ${f.spec} with ${DIGITS[DIGITS.length - 1]} digits (the value lies on a rounding boundary, or within 10^-1500 of one, reached through irrational operations)`,
    );
  };

  return {
    description: `f(${names}) = ${expression.text}`,
    codeAt(x: readonly number[]): number {
      const at = () => `(${x.map((c) => floatCodeText(c, f)).join(', ')})`;
      let c: number;
      try {
        c = decideAt(x, at);
      } catch (e) {
        if (e instanceof DomainError || e instanceof FloatOverflowError)
          throw new FxnnError(`expression ${quote(expression.text)} at x = ${at()}: ${e.message}`, 'fn');
        throw e;
      }
      if (c === OVER || c === UNDER)
        throw new FxnnError(
          `expression ${quote(expression.text)} at x = ${at()}: overflow: the value rounds beyond the range of ${f.spec} (overflow error)`,
          'fn',
        );
      return c;
    },
  };
}
