/**
 * The expressivity engine's view of a configuration above 16 bits (docs/theory.md §9.5): codes are
 * BigInt (products of 32-bit codes exceed 2^53), σ_F is evaluated at single codes (correctly rounded by
 * `roundedActivation`, memoized), never tabulated. Every operation is the configuration's own: the exact
 * product or sum rounded once (`roundQuotient`) and brought into range by the overflow mode. No array of
 * |𝕀| entries is ever built.
 */
import type { RoundedActivation } from '../../activations/rounded.js';
import { roundedActivation } from '../../activations/rounded.js';
import { OverflowError } from '../../core/overflow.js';
import { roundQuotient } from '../../core/rounding.js';
import type { Configuration } from '../../expressivity/configuration.js';
import type { Format } from '../../format.js';
import type { Policy } from '../../policy.js';

/** A unary step h ↦ σ_F(w⊗h ⊕ b), codes. */
export type WideStep = readonly [bigint, bigint];

export interface WideSetting {
  readonly config: Configuration;
  readonly format: Format;
  readonly policy: Policy;
  readonly min: bigint;
  readonly max: bigint;
  /** The code of 1 (2^fracBits). */
  readonly one: bigint;
  readonly exact: boolean;
  readonly binary: boolean;
  /** σ_F at a code (null: σ's value overflows under `error`). */
  sigma(c: bigint): bigint | null;
  /** σ's rounded value at a code when it is in range before any overflow mode applies, else null. */
  unwrapped(c: bigint): bigint | null;
  /**
   * The pre-activation of the neuron with edges (ws[i], hs[i]) and bias b, in the configuration's
   * accumulation and bias order. `strict`: null as soon as any intermediate value (rounded product or
   * partial sum) leaves the range, whatever the overflow mode (under `error` that is an invalid neuron;
   * under `wrap` it is where the monotonicity of §9.1 ends). Non-strict: the overflow mode applies
   * (null only under `error`).
   */
  pre(ws: readonly bigint[], hs: readonly bigint[], b: bigint, strict?: boolean): bigint | null;
  /** σ_F(pre(…)), null when invalid (or, strict, when an intermediate value overflows). */
  neuron(ws: readonly bigint[], hs: readonly bigint[], b: bigint, strict?: boolean): bigint | null;
  /** One step of a chain: σ_F(w⊗h ⊕ b). */
  step(st: WideStep, h: bigint, strict?: boolean): bigint | null;
}

/** Builds the wide setting of a configuration (any width; the callers use it above 16 bits). */
export function wideSetting(c: Configuration): WideSetting {
  const { format, policy } = c;
  const min = format.minCode;
  const max = format.maxCode;
  const n = BigInt(format.fracBits);
  const one = 1n << n;
  const sig: RoundedActivation = roundedActivation(c.activation, format, policy);
  const memo = new Map<bigint, bigint | null>();
  const strictSig = roundedActivation(c.activation, format, { rounding: policy.rounding, overflow: 'error' });
  const unwrapped = (code: bigint): bigint | null => {
    try {
      return strictSig.apply(code);
    } catch (e) {
      if (e instanceof OverflowError) return null;
      throw e;
    }
  };
  const sigma = (code: bigint): bigint | null => {
    let v = memo.get(code);
    if (v !== undefined) return v;
    try {
      v = sig.apply(code);
    } catch (e) {
      if (!(e instanceof OverflowError)) throw e;
      v = null;
    }
    if (memo.size > 1 << 18) memo.clear();
    memo.set(code, v);
    return v;
  };
  // overflow of an exact integer code: null under `error` or when strict
  const bring = (v: bigint, strict: boolean): bigint | null => {
    if (v >= min && v <= max) return v;
    if (strict || policy.overflow === 'error') return null;
    if (policy.overflow === 'saturate') return v < min ? min : max;
    // wrap (saturation bits 0, Q or UQ): keep the low W bits
    const m = 1n << BigInt(format.bits);
    let r = (((v - min) % m) + m) % m;
    r += min;
    return r;
  };
  const rnd = (p: bigint, q: bigint) => roundQuotient(p, q, policy.rounding).value;
  const exact = c.accumulation === 'exact';
  const pre = (ws: readonly bigint[], hs: readonly bigint[], b: bigint, strict = false): bigint | null => {
    if (exact) {
      let p = b * one;
      for (let i = 0; i < ws.length; i++) p += ws[i] * hs[i];
      return bring(rnd(p, one), strict);
    }
    let acc: bigint | null = c.bias === 'first' ? b : 0n;
    for (let i = 0; i < ws.length; i++) {
      const t = bring(rnd(ws[i] * hs[i], one), strict);
      if (t === null) return null;
      acc = bring((acc as bigint) + t, strict);
      if (acc === null) return null;
    }
    return c.bias === 'first' ? acc : bring((acc as bigint) + b, strict);
  };
  const neuron = (ws: readonly bigint[], hs: readonly bigint[], b: bigint, strict = false) => {
    const p = pre(ws, hs, b, strict);
    return p === null ? null : sigma(p);
  };
  return {
    config: c,
    format,
    policy,
    min,
    max,
    one,
    exact,
    binary: c.weights === 'binary',
    sigma,
    unwrapped,
    pre,
    neuron,
    step: (st, h, strict = false) => neuron([st[0]], [h], st[1], strict),
  };
}
