import { DomainError, Indeterminate, intervalArithmetic } from '../activations/decimal-interval.js';
import { applyOverflow, OverflowError } from '../core/overflow.js';
import { dyadic, fromDouble, type Rational } from '../core/rational.js';
import { roundQuotient } from '../core/rounding.js';
import { FxnnError, quote } from '../errors.js';
import type { Format } from '../format.js';
import type { Policy } from '../policy.js';
import { codeToDecimal, parseValue } from '../value.js';
import { type DoubleInterval, evaluateDouble, Undecided } from './evaluate-double.js';
import { evaluateExpression, type Value } from './evaluate-expression.js';
import { type Expr, parseTargetExpression, type TargetExpression } from './expression.js';

/** A target f : 𝕀^d → 𝕀, given by its value on each input (codes in, code out). */
export interface TargetFunction {
  readonly inputs: number;
  readonly format: Format;
  readonly policy: Policy;
  /** What the target is, for messages (`f(x1, x2) = x1*x2`). */
  readonly description: string;
  /** rnd(f(x)) as a code; an FxnnError naming x when f is undefined there or rnd overflows under `error`. */
  codeAt(x: readonly bigint[]): bigint;
}

/** Digits of the successive enclosures (Ziv's strategy: retry with more digits until rounding is decided). */
const DIGITS = [24, 48, 96, 192, 384, 768, 1536];

/**
 * The target given by an expression in x1 … xd (see `parseTargetExpression`), correctly rounded into
 * the format: exact rational arithmetic wherever the operations allow it; otherwise rigorous interval
 * enclosures with more and more digits until both ends round to the same code.
 */
export async function expressionTarget(
  text: string,
  format: Format,
  policy: Policy,
  inputs: number,
  options: TargetOptions = {},
): Promise<TargetFunction> {
  const expression = await parseTargetExpression(text, inputs);
  return targetOfExpression(expression, format, policy, options);
}

export interface TargetOptions {
  /** Try interval arithmetic on doubles first (default true; false for testing the exact path). */
  readonly doubles?: boolean;
}

/** `expressionTarget` for an already parsed expression. */
export function targetOfExpression(
  expression: TargetExpression,
  format: Format,
  policy: Policy,
  options: TargetOptions = {},
): TargetFunction {
  const { text, inputs } = expression;
  const names = Array.from({ length: inputs }, (_, i) => `x${i + 1}`).join(', ');
  const at = (x: readonly bigint[]) => `(${x.map((c) => codeToDecimal(c, format)).join(', ')})`;
  const approximate = options.doubles !== false && needsApproximation(expression.tree);
  return {
    inputs,
    format,
    policy,
    description: `f(${names}) = ${text}`,
    codeAt(x: readonly bigint[]): bigint {
      try {
        return applyOverflow(
          quantizedAt(expression.tree, x, format, policy, approximate),
          format,
          policy.overflow,
        ).code;
      } catch (e) {
        if (e instanceof DomainError || e instanceof OverflowError) {
          throw new FxnnError(`expression ${quote(text)} at x = ${at(x)}: ${e.message}`, 'fn');
        }
        if (e instanceof Indeterminate) {
          throw new FxnnError(
            `expression ${quote(text)} at x = ${at(x)}: cannot decide the rounding with ${DIGITS[DIGITS.length - 1]} digits ` +
              '(the value lies on a rounding boundary reached through irrational operations, e.g. exp(x1) - exp(x1))',
            'fn',
          );
        }
        throw e;
      }
    },
  };
}

/** True when the expression may leave the rationals (constants, transcendental functions, roots). */
function needsApproximation(e: Expr): boolean {
  switch (e.kind) {
    case 'constant':
      return true;
    case 'number':
    case 'boolean':
    case 'input':
      return false;
    case 'neg':
    case 'not':
      return needsApproximation(e.arg);
    case 'binary':
      return e.op === '^' || needsApproximation(e.left) || needsApproximation(e.right);
    case 'compare':
    case 'logic':
      return needsApproximation(e.left) || needsApproximation(e.right);
    case 'if':
      return needsApproximation(e.test) || needsApproximation(e.yes) || needsApproximation(e.no);
    default:
      return (
        !['abs', 'sign', 'floor', 'ceil', 'min', 'max', 'relu', 'mod'].includes(e.name) ||
        e.args.some(needsApproximation)
      );
  }
}

/**
 * f(x) quantized to an integer code (before overflow): first in doubles (when the expression needs
 * approximation at all), then exactly or with decimal enclosures of more and more digits.
 */
function quantizedAt(
  tree: Expr,
  x: readonly bigint[],
  format: Format,
  policy: Policy,
  approximate: boolean,
): bigint {
  if (approximate) {
    try {
      const q = quantizeDouble(
        evaluateDouble(
          tree,
          x.map((c) => Number(c) / 2 ** format.fracBits),
        ),
        format,
        policy,
      );
      if (q !== undefined) return q;
    } catch (e) {
      if (!(e instanceof Undecided)) throw e;
    }
  }
  const point = x.map((c) => dyadic(c, format.fracBits));
  for (const digits of DIGITS) {
    try {
      const q = quantizeValue(evaluateExpression(tree, point, intervalArithmetic(digits)), format, policy);
      if (q !== undefined) return q;
    } catch (e) {
      if (!(e instanceof Indeterminate)) throw e;
    }
  }
  throw new Indeterminate('rounding boundary');
}

function quantizeDouble(v: DoubleInterval, format: Format, policy: Policy): bigint | undefined {
  const scale = 2 ** format.fracBits;
  const lo = v.lo * scale;
  const hi = v.hi * scale;
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return undefined;
  const qlo = roundQuotient(fromDouble(lo).num, fromDouble(lo).den, policy.rounding).value;
  const qhi = roundQuotient(fromDouble(hi).num, fromDouble(hi).den, policy.rounding).value;
  return qlo === qhi ? qlo : undefined;
}

function decimalToRational(d: { toString(): string }): Rational {
  return parseValue(d.toString());
}

/** Pre-overflow rounding of an exact value to an integer code. */
function quantize(r: Rational, format: Format, policy: Policy): bigint {
  return roundQuotient(r.num << BigInt(format.fracBits), r.den, policy.rounding).value;
}

/**
 * The value quantized to an integer code (before overflow), or undefined when its enclosure straddles
 * a rounding boundary. Rounding is monotone, so when both ends of an enclosure quantize to the same
 * integer, so does every point in it; overflow is applied afterwards (it is not monotone under `wrap`).
 */
function quantizeValue(value: Value, format: Format, policy: Policy): bigint | undefined {
  if (typeof value === 'boolean') throw new DomainError('the expression is a condition, not a number');
  if ('num' in value) return quantize(value, format, policy);
  const lo = quantize(decimalToRational(value.lo), format, policy);
  const hi = quantize(decimalToRational(value.hi), format, policy);
  return lo === hi ? lo : undefined;
}
