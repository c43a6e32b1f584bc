/**
 * Lemma IR₋ (docs/theory.md §10.9): integer ReLU chains for the table with a −1 floor. On a symmetric
 * integer format SQm.0 (𝕀 = [−M, M], M ≥ 2) let σ_F(v) = −1 for v < 0, 0 for v ∈ {0, 1} and v − 1 for v ≥ 1
 * (silu, mish, gelu and gelu-tanh under floor on SQ3.0 and SQ6.0: x·Φ(x) ∈ (x − 1, x) for x ≥ 1 and in
 * (−1, 0) for x < 0). Overflow `error`, all weights, either accumulation and bias order, distinct sources,
 * identity output layer. With e = −1 the unary chains (steps (w, b), codes; I = (−1, −1) the inversion
 * 0 ↦ −1, −1 ↦ 0)
 *
 *   x ≥ t, t ≥ 2:   (1, 0), (1, 1 − t), (−1, −1)          x ≤ t, t ≤ −2:  (−1, 0), (1, 1 + t), (−1, −1)
 *   x ≥ 0:          (1, 0), (−1, −1)                      x ≤ 0:          (−1, 0), (−1, −1)
 *   x ≥ 1:          x ≤ 0, then I                         x ≤ −1:         x ≥ 0, then I
 *   x ≤ t, t ≥ 1:   x ≥ t + 1, then I                     x ≥ t, t ≤ −1:  x ≤ t − 1, then I
 *
 * compute e·[x ≥ t] and e·[x ≤ t] on all of 𝕀 with every neuron valid; with the delay P = σ_F(1⊗h)
 * (P(0) = 0, P(−1) = −1), AND = σ_F(1⊗u ⊕ 1⊗v ⊕ 1) on {0, −1}² and the direct emitters −y ⊗ e they form a
 * chain certificate (§9.2): the configuration is universal (all d). The proof is in docs/theory.md;
 * `verifyChainCertificate` proves every chain by interval images before the certificate is used.
 */
import type { Budget } from './budget.js';
import {
  andGadget,
  type ChainCertificate,
  emittersFor,
  verifyChainCertificate,
} from './chain-certificate.js';
import type { Step } from './chain-solver.js';
import type { Setting } from './setting.js';

/** The table of the lemma at code v. */
export function floorReluValue(v: number): number {
  return v < 0 ? -1 : v <= 1 ? 0 : v - 1;
}

/** Null when the hypotheses hold: σ_F the −1-floor ReLU table, n = 0, min = −max ≥ 2, error, all weights. */
export function floorReluApplies(s: Setting): string | null {
  if (s.policy.overflow !== 'error') return 'needs overflow error';
  if (s.weightSet !== 'all') return 'needs all weights';
  if (s.one !== 1) return 'needs an integer format (no fraction bits)';
  if (s.min !== -s.max || s.max < 2) return 'needs a symmetric format SQm.0 with max ≥ 2';
  if (!s.sigma.every((v, i) => v === floorReluValue(s.min + i)))
    return 'needs σ_F(v) = −1 (v < 0), 0 (v ∈ {0, 1}), v − 1 (v ≥ 1) on the codes';
  return null;
}

const INVERT: Step = [-1, -1];

/** The chain of −[x ≥ t] (min < t ≤ max). */
export function floorReluAtLeast(t: number): Step[] {
  if (t >= 2)
    return [
      [1, 0],
      [1, 1 - t],
      [-1, -1],
    ];
  if (t === 0)
    return [
      [1, 0],
      [-1, -1],
    ];
  // t = 1 and t ≤ −1: x ≤ t − 1, inverted
  return [...floorReluAtMost(t - 1), INVERT];
}

/** The chain of −[x ≤ t] (min ≤ t < max). */
export function floorReluAtMost(t: number): Step[] {
  if (t <= -2)
    return [
      [-1, 0],
      [1, 1 + t],
      [-1, -1],
    ];
  if (t === 0)
    return [
      [-1, 0],
      [-1, -1],
    ];
  // t = −1 and t ≥ 1: x ≥ t + 1, inverted
  return [...floorReluAtLeast(t + 1), INVERT];
}

/** The certificate of Lemma IR₋, verified by `verifyChainCertificate` before it is returned. */
export function findFloorReluCertificate(
  s: Setting,
  budget?: Budget,
): { certificate: ChainCertificate | null; tried: string[] } {
  const no = floorReluApplies(s);
  if (no) return { certificate: null, tried: [no] };
  const e = -1;
  const delay: Step[] = [[1, 0]];
  const and = andGadget(1, 1, []);
  const ge: (Step[] | null)[] = new Array(s.size).fill(null);
  const le: (Step[] | null)[] = new Array(s.size).fill(null);
  for (let t = s.min; t <= s.max; t++) {
    if (t > s.min) ge[t - s.min] = floorReluAtLeast(t);
    if (t < s.max) le[t - s.min] = floorReluAtMost(t);
  }
  const emit = emittersFor(s, e, delay, budget, false);
  if (typeof emit === 'string') return { certificate: null, tried: [emit] };
  const cert: ChainCertificate = { e, delay, and, ge, le, ...emit };
  const failure = verifyChainCertificate(s, cert, budget);
  return failure ? { certificate: null, tried: [failure] } : { certificate: cert, tried: [] };
}
