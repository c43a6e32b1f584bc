import { overflowClamp } from '../core/overflow.js';
import { shiftRounder } from '../core/rounding.js';
import type { Format } from '../format.js';
import type { Policy } from '../policy.js';

export type Accumulation = 'sequential' | 'exact';
export type BiasOrder = 'last' | 'first';
export type WeightSet = 'all' | 'binary';

/** The largest format the expressivity engine works on (codes, products and sums stay exact in doubles). */
export const ENGINE_MAX_BITS = 16;

/**
 * Everything the expressivity engine needs about one configuration, on number codes: the format, the
 * policy, the accumulation semantics, the weight set and σ_F as a table over all codes. Kernel object:
 * built by the validated front end (`expressivity/configuration.ts`).
 */
export interface Setting {
  readonly format: Format;
  readonly policy: Policy;
  readonly accumulation: Accumulation;
  readonly bias: BiasOrder;
  readonly weightSet: WeightSet;
  /**
   * σ_F code for each code, index code − min; NaN where σ's value overflows under overflow `error`.
   * Invalid results (overflow under `error`) are NaN throughout the engine: test validity with `v >= min`.
   */
  readonly sigma: Float64Array;
  readonly min: number;
  readonly max: number;
  /** Number of values |𝕀|. */
  readonly size: number;
  /** The code of 1 (2^fracBits), whether or not 1 is a value. */
  readonly one: number;
  /** σ_F is non-decreasing over the whole format (no NaN): chains may then track value intervals only. */
  readonly monotone: boolean;
  /** Weight codes allowed (all codes, or ±1). */
  readonly weights: readonly number[];
  /** a ⊗ b on codes. */
  readonly mul: (a: number, b: number) => number;
  /** acc ⊕ a on codes (overflow mode applied; under `error` an overflow throws). */
  readonly add: (a: number, b: number) => number;
  /** rnd of an exact sum in product units (2·fracBits fractional bits): the exact accumulator. */
  readonly roundWide: (p: number) => number;
}

export function makeSetting(
  format: Format,
  policy: Policy,
  accumulation: Accumulation,
  bias: BiasOrder,
  weightSet: WeightSet,
  sigmaTable: Int32Array,
): Setting {
  const min = Number(format.minCode);
  const max = Number(format.maxCode);
  const one = 2 ** format.fracBits;
  if (sigmaTable.length !== max - min + 1) {
    throw new RangeError(
      `makeSetting: σ table has ${sigmaTable.length} entries for ${max - min + 1} values of ${format.spec}`,
    );
  }
  const clamp =
    policy.overflow === 'error'
      ? (c: number) => (c < min || c > max ? Number.NaN : c)
      : overflowClamp(format, policy.overflow);
  const sigma = new Float64Array(sigmaTable.length);
  for (let i = 0; i < sigmaTable.length; i++) {
    const v = sigmaTable[i];
    sigma[i] = v >= min && v <= max ? v : Number.NaN;
  }
  const shift = shiftRounder(policy.rounding, format.fracBits);
  let monotone = !Number.isNaN(sigma[0]);
  for (let i = 1; i < sigma.length && monotone; i++) monotone = sigma[i] >= sigma[i - 1];
  const weights: number[] = [];
  // binary weights {−1, 1}: only those that are values of the format (UQ formats lack −1; the front
  // end refuses binary weights there, kernels simply never use a weight outside the format)
  if (weightSet === 'binary') {
    for (const w of [-one, one]) if (w >= min && w <= max) weights.push(w);
  } else {
    for (let c = min; c <= max; c++) weights.push(c);
  }
  return {
    format,
    policy,
    accumulation,
    bias,
    weightSet,
    sigma,
    monotone,
    min,
    max,
    size: max - min + 1,
    one,
    weights,
    mul: (a, b) => clamp(shift(a * b)),
    add: (a, b) => clamp(a + b),
    // rounding p/2^n is rounding p·2^−n: the shift kernel (exact for safe integers, test/rounding.test.ts)
    roundWide: (p) => clamp(shift(p)),
  };
}

/**
 * The pre-activation of one neuron (THEORY §4): sequential accumulation with the bias last or first,
 * or the exact wide accumulator rounded once. `ws[i]` weighs `hs[i]`.
 */
export function preActivation(s: Setting, ws: readonly number[], hs: readonly number[], b: number): number {
  if (s.accumulation === 'exact') {
    let p = b * s.one;
    for (let i = 0; i < ws.length; i++) p += ws[i] * hs[i];
    return s.roundWide(p);
  }
  let acc = s.bias === 'first' ? b : 0;
  for (let i = 0; i < ws.length; i++) acc = s.add(acc, s.mul(ws[i], hs[i]));
  return s.bias === 'first' ? acc : s.add(acc, b);
}

/** σ_F of a code (NaN for an invalid code or value). */
export function sigmaOf(s: Setting, code: number): number {
  const v = s.sigma[code - s.min];
  return v === undefined ? Number.NaN : v;
}

/** One neuron: σ_F(pre-activation). */
export function neuron(s: Setting, ws: readonly number[], hs: readonly number[], b: number): number {
  return sigmaOf(s, preActivation(s, ws, hs, b));
}

/** The unary neuron h ↦ σ_F(w⊗h ⊕ b) (one edge and a bias), the step of every chain. */
export function unary(s: Setting, w: number, h: number, b: number): number {
  if (s.accumulation === 'exact') return sigmaOf(s, s.roundWide(b * s.one + w * h));
  const t = s.mul(w, h);
  return sigmaOf(s, s.bias === 'first' ? s.add(b, t) : s.add(t, b));
}
