import { type Rational, ZERO } from '../core/rational.js';
import { FxnnError, quote } from '../errors.js';
import { type DoubleInterval, evaluateDouble, Undecided } from '../expression/evaluate-double.js';
import { evaluateExact } from '../expression/evaluate-exact.js';
import { mayBeIrrational } from '../expression/may-be-irrational.js';
import { parseExpression } from '../expression/parse-expression.js';
import type { Activation } from './activation.js';
import { DomainError, Indeterminate, type Interval, intervalArithmetic } from './decimal-interval.js';
import type { Enclosure } from './kernel.js';

/**
 * A user activation given as an expression in x, e.g. `x*sigmoid(x)` or `x >= 0 ? x : 0.02*x`, in
 * the expression language of docs/expressions.md (the same parser, functions and evaluators as
 * targets): doubles first (`bracket`), exactly with rationals wherever the value is rational, else
 * rigorous decimal enclosures at increasing precision. A point where the expression is undefined is
 * an error naming the point.
 */
export function exprActivation(text: string): Activation {
  if (typeof text !== 'string' || text.trim() === '') {
    throw new FxnnError('expr: expected a non-empty expression in x, e.g. "x*sigmoid(x)"', 'expr');
  }
  const parsed = parseExpression(text, {
    variables: ['x'],
    hint: 'the variable is x',
    label: `expr ${quote(text)}`,
    param: 'expr',
  });
  const tree = parsed.tree;
  const canonical = parsed.canonical;
  const rational = !mayBeIrrational(tree);
  const ia40 = intervalArithmetic(40);
  const number = (v: Rational | Interval | boolean): Rational | Interval => {
    if (typeof v === 'boolean') throw new DomainError('a comparison used as a number');
    return v;
  };
  // the last enclosure at 40 digits, reused by the fallback right after `exact` gave up on it
  let memo: { x: Rational; v: Rational | Interval } | null = null;
  const exact = (x: Rational): Rational | null => {
    if (rational) {
      const v = number(evaluateExact(tree, [x], ia40));
      return 'num' in v ? v : null;
    }
    let v: Rational | Interval;
    try {
      v = number(evaluateExact(tree, [x], ia40));
    } catch (e) {
      if (e instanceof Indeterminate) return null;
      throw e;
    }
    memo = { x, v };
    return 'num' in v ? v : null;
  };
  const enclose = (x: Rational, ia: typeof ia40): Enclosure => {
    const v = ia === ia40 && memo !== null && memo.x === x ? memo.v : number(evaluateExact(tree, [x], ia));
    if ('num' in v) return { head: v, tail: ia.point(0), tinySign: 0 };
    return { head: ZERO, tail: v, tinySign: 0 };
  };
  const bracket = (x: number): DoubleInterval | null => {
    try {
      return evaluateDouble(tree, [x]);
    } catch (e) {
      if (e instanceof Undecided) return null;
      throw e;
    }
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
    kernel: { exact, enclose, bracket },
  });
}
