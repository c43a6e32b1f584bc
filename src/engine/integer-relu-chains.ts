/**
 * Integer ReLU chains (docs/theory.md §10.9, Lemma IR): chain certificates (§9.2) for σ_F the ReLU table on
 * the codes (σ_F(v) = max(v, 0), e.g. relu, or mish under ceil, on an integer format) of a symmetric integer
 * format SQm.0 under overflow `error` with all weights. Every product is exact (integer weights and values)
 * and nothing may overflow, so the first step of a chain valid on all of 𝕀 = [−M, M] is σ_F(±x) (any other
 * weight or bias leaves the range at an end); from there every threshold is a chain of at most five steps:
 *
 *   x ≥ t, t ≥ 1:  h = σ_F(x), g = σ_F(h − t + 1) (> 0 iff x ≥ t), then σ_F(1 − g) twice  → [x ≥ t]
 *   x ≥ t, t ≤ 0:  h = σ_F(−x), g = σ_F(h + t) (= 0 iff x ≥ t), then σ_F(1 − g)         → [x ≥ t]
 *   x ≤ t:         the chain of x ≥ t + 1, then σ_F(1 − ·)                                 → [x ≤ t]
 *
 * with e = ε (code 1), P = σ_F(1⊗h), AND = σ_F(u + v − 1), emitters of §9.3. The certificate is checked by
 * `verifyChainCertificate` (every chain proved on its two intervals by interval images, §9.1).
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

/** Null when the hypotheses hold: σ_F the ReLU table, n = 0, min = −max, overflow error, all weights. */
export function integerReluApplies(s: Setting): string | null {
  if (s.policy.overflow !== 'error') return 'needs overflow error';
  if (s.weightSet !== 'all') return 'needs all weights';
  if (s.one !== 1) return 'needs an integer format (no fraction bits)';
  if (s.min !== -s.max || s.max < 2) return 'needs a symmetric format SQm.0 with max ≥ 2';
  if (!s.sigma.every((v, i) => v === Math.max(s.min + i, 0))) return 'needs σ_F the ReLU table on the codes';
  return null;
}

/** The chain of e·[x ≥ t] (e = 1), t > min, as the module comment gives it. */
export function reluAtLeast(t: number): Step[] {
  return t >= 1
    ? [
        [1, 0],
        [1, 1 - t],
        [-1, 1],
        [-1, 1],
      ]
    : [
        [-1, 0],
        [1, t],
        [-1, 1],
      ];
}

/** The chain of e·[x ≤ t] (e = 1), t < max: x ≥ t + 1 inverted. */
export function reluAtMost(t: number): Step[] {
  return [...reluAtLeast(t + 1), [-1, 1]];
}

/** The certificate of Lemma IR, verified by `verifyChainCertificate` before it is returned. */
export function findIntegerReluCertificate(
  s: Setting,
  budget?: Budget,
): { certificate: ChainCertificate | null; tried: string[] } {
  const no = integerReluApplies(s);
  if (no) return { certificate: null, tried: [no] };
  const e = 1;
  const delay: Step[] = [[1, 0]];
  const and = andGadget(1, -1, []);
  const ge: (Step[] | null)[] = new Array(s.size).fill(null);
  const le: (Step[] | null)[] = new Array(s.size).fill(null);
  for (let t = s.min; t <= s.max; t++) {
    if (t > s.min) ge[t - s.min] = reluAtLeast(t);
    if (t < s.max) le[t - s.min] = reluAtMost(t);
  }
  const emit = emittersFor(s, e, delay, budget, false);
  if (typeof emit === 'string') return { certificate: null, tried: [emit] };
  const cert: ChainCertificate = { e, delay, and, ge, le, ...emit };
  const failure = verifyChainCertificate(s, cert, budget);
  return failure ? { certificate: null, tried: [failure] } : { certificate: cert, tried: [] };
}

/**
 * Lemma IR on SQm.n (docs/theory.md §10.9, "Lemma IR with fraction bits"): the same chains with every weight
 * ±1 (codes ±2^n) and the biases read as codes. With weights ±1 every product is exact, so on codes the steps
 * are those of SQm.0 with M = max; σ_F must be the ReLU table on the codes (relu; leaky-relu where its
 * negative values round to 0). Null when the hypotheses hold.
 */
export function scaledReluApplies(s: Setting): string | null {
  if (s.policy.overflow !== 'error') return 'needs overflow error';
  if (s.weightSet !== 'all') return 'needs all weights';
  if (s.one === 1) return 'an integer format (Lemma IR itself)';
  if (!s.weights.includes(s.one) || !s.weights.includes(-s.one)) return 'needs the weights ±1';
  if (s.min !== -s.max || s.max < 2) return 'needs a symmetric format SQm.n with max ≥ 2';
  if (!s.sigma.every((v, i) => v === Math.max(s.min + i, 0))) return 'needs σ_F the ReLU table on the codes';
  return null;
}

/** The certificate of Lemma IR on SQm.n (weights ±2^n codes), verified before it is returned. */
export function findScaledReluCertificate(
  s: Setting,
  budget?: Budget,
): { certificate: ChainCertificate | null; tried: string[] } {
  const no = scaledReluApplies(s);
  if (no) return { certificate: null, tried: [no] };
  const scale = (steps: Step[]): Step[] => steps.map(([w, b]) => [w * s.one, b]);
  const e = 1;
  const delay: Step[] = [[s.one, 0]];
  const and = andGadget(s.one, -1, []);
  const ge: (Step[] | null)[] = new Array(s.size).fill(null);
  const le: (Step[] | null)[] = new Array(s.size).fill(null);
  for (let t = s.min; t <= s.max; t++) {
    if (t > s.min) ge[t - s.min] = scale(reluAtLeast(t));
    if (t < s.max) le[t - s.min] = scale(reluAtMost(t));
  }
  const emit = emittersFor(s, e, delay, budget, false);
  if (typeof emit === 'string') return { certificate: null, tried: [emit] };
  const cert: ChainCertificate = { e, delay, and, ge, le, ...emit };
  const failure = verifyChainCertificate(s, cert, budget);
  return failure ? { certificate: null, tried: [failure] } : { certificate: cert, tried: [] };
}
