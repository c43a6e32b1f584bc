import { DomainError, Indeterminate, intervalArithmetic } from '../activations/decimal-interval.js';
import { applyOverflow, OverflowError } from '../core/overflow.js';
import { dyadic, type Rational } from '../core/rational.js';
import { roundQuotient } from '../core/rounding.js';
import { FxnnError, quote } from '../errors.js';
import type { Format } from '../format.js';
import type { Policy } from '../policy.js';
import { codeToDecimal, parseValue } from '../value.js';
import { evaluateExpression, type Value } from './evaluate-expression.js';
import { parseTargetExpression, type TargetExpression } from './expression.js';

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
): Promise<TargetFunction> {
  const expression = await parseTargetExpression(text, inputs);
  return targetOfExpression(expression, format, policy);
}

/** `expressionTarget` for an already parsed expression. */
export function targetOfExpression(
  expression: TargetExpression,
  format: Format,
  policy: Policy,
): TargetFunction {
  const { text, inputs } = expression;
  const names = Array.from({ length: inputs }, (_, i) => `x${i + 1}`).join(', ');
  const at = (x: readonly bigint[]) => `(${x.map((c) => codeToDecimal(c, format)).join(', ')})`;
  return {
    inputs,
    format,
    policy,
    description: `f(${names}) = ${text}`,
    codeAt(x: readonly bigint[]): bigint {
      const point = x.map((c) => dyadic(c, format.fracBits));
      for (const digits of DIGITS) {
        try {
          const value = evaluateExpression(expression.tree, point, intervalArithmetic(digits));
          const code = roundValue(value, format, policy);
          if (code !== undefined) return code;
        } catch (e) {
          if (e instanceof Indeterminate) continue;
          if (e instanceof DomainError) {
            throw new FxnnError(`expression ${quote(text)} at x = ${at(x)}: ${e.message}`, 'fn');
          }
          if (e instanceof OverflowError) {
            throw new FxnnError(`expression ${quote(text)} at x = ${at(x)}: ${e.message}`, 'fn');
          }
          throw e;
        }
      }
      throw new FxnnError(
        `expression ${quote(text)} at x = ${at(x)}: cannot decide the rounding with ${DIGITS[DIGITS.length - 1]} digits ` +
          '(the value lies on a rounding boundary reached through irrational operations, e.g. exp(x1) - exp(x1))',
        'fn',
      );
    },
  };
}

function decimalToRational(d: { toString(): string }): Rational {
  return parseValue(d.toString());
}

/** Pre-overflow rounding of an exact value to an integer code. */
function quantize(r: Rational, format: Format, policy: Policy): bigint {
  return roundQuotient(r.num << BigInt(format.fracBits), r.den, policy.rounding).value;
}

/**
 * rnd(value) as a code, or undefined when the enclosure straddles a rounding boundary. Rounding is
 * monotone, so when both ends of an enclosure quantize to the same integer, so does every point in it;
 * overflow is applied afterwards (it is not monotone under `wrap`).
 */
function roundValue(value: Value, format: Format, policy: Policy): bigint | undefined {
  if (typeof value === 'boolean') throw new DomainError('the expression is a condition, not a number');
  let q: bigint;
  if ('num' in value) {
    q = quantize(value, format, policy);
  } else {
    const lo = quantize(decimalToRational(value.lo), format, policy);
    const hi = quantize(decimalToRational(value.hi), format, policy);
    if (lo !== hi) return undefined;
    q = lo;
  }
  return applyOverflow(q, format, policy.overflow).code;
}
