/**
 * Lemma M above 16 bits (the monotone obstruction, docs/theory.md §10.7 and §9.5): every weight ≥ 0 (an
 * unsigned `UQm.n` format with all weights), overflow `saturate` or `error`, σ_F non-decreasing on 𝕀. Then
 * every network computes a function non-decreasing in each input, and f(min) = max, f(x) = min elsewhere is
 * not one of them: not universal (any rounding, accumulation, bias order, edges and output layer).
 *
 * Without a table, σ_F's monotonicity on 𝕀 = [0, max] comes from the activation's proven shape (Lemma 1,
 * `activation-shape.ts`): monotone activations are non-decreasing on all codes, and a valley is
 * non-decreasing on codes ≥ cR, so it suffices that cR ≤ min = 0 (every valley built-in has its critical
 * point below 0: silu, gelu, mish, hard-swish; elu and leaky-relu with α < 0 at 0). Rounding and
 * saturation keep the order; under `error` a code where σ overflows is one no valid network reaches.
 */
import type { WideSigma } from './wide-sigma.js';

/** Null when Lemma M applies (not universal), else why not. */
export function wideMonotoneObstruction(r: WideSigma): string | null {
  const s = r.setting;
  if (s.format.encoding !== 'unsigned') return 'Lemma M needs an unsigned format (every weight ≥ 0)';
  if (s.binary) return 'Lemma M needs all weights of an unsigned format (binary weights hold −1)';
  if (s.min < 0n) return 'Lemma M needs every weight ≥ 0';
  if (s.policy.overflow !== 'saturate' && s.policy.overflow !== 'error')
    return `Lemma M needs overflow saturate or error, not ${s.policy.overflow}`;
  if (s.max - s.min + 1n < 2n) return 'Lemma M needs at least two values';
  if (r.cR > s.min) return `σ_F is proved non-decreasing only from code ${r.cR} on, not on all of 𝕀`;
  return null;
}
