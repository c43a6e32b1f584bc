import type { Rational } from '../core/rational.js';
import type { DoubleInterval } from '../expression/evaluate-double.js';
import type { Interval, IntervalArithmetic } from './decimal-interval.js';

/**
 * How an activation is evaluated for correct rounding (see docs/activations.md). Values are split as
 * σ(x) = head + tail, where `head` is exact (a double on the fast path, a rational on the slow path) and
 * the tail carries the error: this keeps relative precision in the tails (SiLU(127) = 127 − 127·σ(−127)).
 *
 * A `tiny` tail (sign ±1) means: σ(x) lies strictly between head and head ± TINY, with the tail
 * nonzero; the kernels only claim it where an analytic bound proves |tail| < TINY.
 */
export const TINY = 2 ** -900;

/**
 * log2 of the bound of a far tiny tail in decimal enclosures (`Enclosure.tinyLog2`): below half the least
 * subnormal of every float format of at most 16 bits (2^-8192 for E14M1), so that far tails decide there too.
 */
export const TINY_FAR_LOG2 = -8200;

/** Indices into the scratch array filled by `ActivationKernel.estimate`. */
export const HEAD = 0;
export const TAIL = 1;
export const ERR = 2;
export const TINY_SIGN = 3;

/** Relative error bound of the double kernels, before per-kernel sensitivity terms (docs/activations.md). */
export const DOUBLE_REL = 2 ** -44;

export interface Enclosure {
  /** Exact part of the value. */
  readonly head: Rational;
  /** An enclosure of σ(x) − head, or null when `tinySign` ≠ 0. */
  readonly tail: Interval | null;
  readonly tinySign: -1 | 0 | 1;
  /** With tinySign ≠ 0: |σ(x) − head| < 2^tinyLog2 (default: TINY = 2^-900). */
  readonly tinyLog2?: number;
}

export interface ActivationKernel {
  /** σ(x) exactly when it is rational and known in closed form, else null. */
  exact(x: Rational): Rational | null;
  /**
   * Number fast path of `exact` for x = code·2^-fracBits: when σ(x)·2^fracBits is a rational p/q with
   * safe integers p and q > 0, writes them into out[0], out[1] and returns true; false otherwise (then
   * `exact` is asked).
   */
  readonly exactScaled?: (code: number, fracBits: number, out: Float64Array) => boolean;
  /**
   * Fast path for a double x (exactly the argument): writes head (an exact double), tail, err (with
   * |σ(x) − (head + tail)| ≤ err) and tinySign into `out` and returns true; false when it has no estimate.
   */
  readonly estimate?: (x: number, out: Float64Array) => boolean;
  /**
   * Fast path for expressions: a rigorous double bracket of σ(x) for a double x (ends may be
   * infinite or open, see src/expression/evaluate-double.ts), or null. Used instead of `estimate`.
   */
  readonly bracket?: (x: number) => DoubleInterval | null;
  /**
   * Exact-rational enclosure [lo, hi] of σ(x) for small x (0 < |x| ≤ 2^-12; small-argument.ts), or
   * null. Used where doubles cannot resolve σ(x) near the grid point it approaches, or cannot hold x.
   */
  readonly small?: (x: Rational) => { readonly lo: Rational; readonly hi: Rational } | null;
  /**
   * Rigorous enclosure of σ(x) at the working precision of `ia`. Throws `Indeterminate` when the
   * digits are too few to evaluate, `DomainError` when σ is undefined at x.
   */
  enclose(x: Rational, ia: IntervalArithmetic): Enclosure;
}
