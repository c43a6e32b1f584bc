import { decideNumber } from '../activations/decide.js';
import {
  DomainError,
  Indeterminate,
  type Interval,
  intervalArithmetic,
} from '../activations/decimal-interval.js';
import { applyOverflow, OverflowError } from '../core/overflow.js';
import { dyadic, type Rational } from '../core/rational.js';
import { roundQuotient } from '../core/rounding.js';
import { FxnnError, quote } from '../errors.js';
import {
  beyondNumber,
  decideEnclosure,
  hugeForWrap,
  wrapsBeyondRange,
} from '../expression/decide-enclosure.js';
import { type DoubleInterval, evaluateDouble, Undecided } from '../expression/evaluate-double.js';
import { evaluateExact, type Value } from '../expression/evaluate-exact.js';
import { mayBeIrrational } from '../expression/may-be-irrational.js';
import type { Format } from '../format.js';
import type { Policy } from '../policy.js';
import { codeToDecimal } from '../value.js';
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
  options: TargetOptions = {},
): Promise<TargetFunction> {
  const expression = await parseTargetExpression(text, inputs);
  return targetOfExpression(expression, format, policy, options);
}

export interface TargetOptions {
  /** Try interval arithmetic on doubles first (default true; false for testing the exact path). */
  readonly doubles?: boolean;
  /**
   * The format of the argument codes x (default: `format`, the format f is rounded into). A version 2
   * network reads its input type and writes its output type (docs/networks.md "verify on version 2").
   */
  readonly inputFormat?: Format;
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
  const inFormat = options.inputFormat ?? format;
  const at = (x: readonly bigint[]) => `(${x.map((c) => codeToDecimal(c, inFormat)).join(', ')})`;
  const approximate = options.doubles !== false && mayBeIrrational(expression.tree);
  return {
    inputs,
    format,
    policy,
    description: `f(${names}) = ${text}`,
    codeAt(x: readonly bigint[]): bigint {
      try {
        const q = quantizedAt(expression.tree, x, inFormat.fracBits, format, policy, approximate);
        if (typeof q === 'bigint')
          return applyOverflow(q, format, policy.overflow, policy.saturationBits ?? 0).code;
        // beyond the range: every code past that end overflows alike (not under wrap: never 'above'/'below')
        const bound = q === 'above' ? format.maxCode + 1n : format.minCode - 1n;
        if (policy.overflow === 'error') throw new OverflowError(bound, format, q);
        return applyOverflow(bound, format, policy.overflow, policy.saturationBits ?? 0).code;
      } catch (e) {
        if (e instanceof DomainError || e instanceof OverflowError || e instanceof Undecidable) {
          throw new FxnnError(`expression ${quote(text)} at x = ${at(x)}: ${e.message}`, 'fn');
        }
        throw e;
      }
    },
  };
}

/** The rounding could not be decided with the most digits; the message says why. */
class Undecidable extends Error {}

/**
 * f(x) quantized to an integer code (before overflow), or 'above'/'below' when it lies beyond the
 * range (decided without its digits, except under `wrap`): first in doubles (when the expression
 * needs approximation at all), then exactly or with decimal enclosures of more and more digits.
 */
function quantizedAt(
  tree: TargetExpression['tree'],
  x: readonly bigint[],
  inputFracBits: number,
  format: Format,
  policy: Policy,
  approximate: boolean,
): bigint | 'above' | 'below' {
  if (approximate) {
    try {
      const q = quantizeDouble(
        evaluateDouble(
          tree,
          x.map((c) => Number(c) / 2 ** inputFracBits),
        ),
        format,
        policy,
      );
      if (q !== undefined) return q;
    } catch (e) {
      if (!(e instanceof Undecided)) throw e;
    }
  }
  const point = x.map((c) => dyadic(c, inputFracBits));
  let last: Interval | undefined;
  for (const digits of DIGITS) {
    try {
      const value = evaluateExact(tree, point, intervalArithmetic(digits));
      const q = quantizeValue(value, format, policy);
      if (q !== undefined) return q;
      if (typeof value === 'object' && 'lo' in value) {
        last = value;
        if (wrapsBeyondRange(policy.overflow)) {
          const huge = hugeForWrap(value, format, DIGITS[DIGITS.length - 1]);
          if (huge !== null) throw new Undecidable(huge);
        }
      }
    } catch (e) {
      if (!(e instanceof Indeterminate)) throw e;
    }
  }
  const top = DIGITS[DIGITS.length - 1];
  if (last !== undefined && wrapsBeyondRange(policy.overflow)) {
    const huge = hugeForWrap(last, format, top);
    if (huge !== null) throw new Undecidable(huge);
  }
  throw new Undecidable(
    `cannot decide the rounding with ${top} digits ` +
      '(the value lies on a rounding boundary, or within 10^-1500 of one, reached through irrational ' +
      'operations, e.g. exp(x1) - exp(x1))',
  );
}

function quantizeDouble(
  v: DoubleInterval,
  format: Format,
  policy: Policy,
): bigint | 'above' | 'below' | undefined {
  const scale = 2 ** format.fracBits;
  const lo = v.lo * scale;
  const hi = v.hi * scale;
  if (Math.abs(lo) < 2 ** 52 && Math.abs(hi) < 2 ** 52) {
    const r = decideNumber(0, lo, hi, v.loOpen === true, v.hiOpen === true, policy.rounding);
    if (!Number.isNaN(r)) return BigInt(r);
  }
  return beyondNumber(lo, hi, format, policy.overflow);
}

/** Pre-overflow rounding of an exact value to an integer code. */
function quantize(r: Rational, format: Format, policy: Policy): bigint {
  return roundQuotient(r.num << BigInt(format.fracBits), r.den, policy.rounding).value;
}

/**
 * The value quantized to an integer code (before overflow), 'above'/'below' when it is beyond the
 * range (not under `wrap`), or undefined when its enclosure straddles a rounding boundary. Overflow
 * is applied afterwards (it is not monotone under `wrap`).
 */
function quantizeValue(value: Value, format: Format, policy: Policy): bigint | 'above' | 'below' | undefined {
  if (typeof value === 'boolean') throw new DomainError('the expression is a condition, not a number');
  if ('num' in value) return quantize(value, format, policy);
  return decideEnclosure(value, format, policy) ?? undefined;
}
