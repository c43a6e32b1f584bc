/**
 * The monotone obstruction (docs/theory.md §10.7). Hypotheses: every weight is ≥ 0 (the `UQm.n` formats
 * with all weights: their values are non-negative), overflow `saturate` or `error`, σ_F non-decreasing on
 * the codes where it is valid; any rounding, either accumulation and bias order, any edges, an identity or
 * σ_F output layer. Then every network computes a function that is non-decreasing in each input: w·h with
 * w ≥ 0 is non-decreasing in h, and rounding, adding a constant, saturation and σ_F are non-decreasing
 * (under `error` a network that computes a function overflows nowhere, so every operation returns its
 * exact, non-decreasing result). The function f(min) = max, f(x) = min otherwise decreases (N ≥ 2), so no
 * network computes it, and the configuration is not universal (d = 1).
 */
import type { Setting } from './setting.js';

/** True when the hypotheses hold, so the configuration is not universal. */
export function monotoneObstruction(s: Setting): boolean {
  if (s.size < 2 || (s.policy.overflow !== 'saturate' && s.policy.overflow !== 'error')) return false;
  if (s.weights.some((w) => w < 0)) return false;
  let last = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < s.size; i++) {
    const v = s.sigma[i];
    if (!(v >= s.min)) continue; // invalid under error: no network that computes a function reaches it
    if (v < last) return false;
    last = v;
  }
  return true;
}
