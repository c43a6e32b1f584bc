/**
 * The last-term obstruction above 16 bits (docs/theory.md §8.7 and §9.5). Hypotheses: binary weights ±1,
 * sequential accumulation (either bias order), overflow `saturate` or `error`, min < 0 < max, and every
 * value of σ_F on 𝕀 non-zero and of one sign: the hull of σ_F(𝕀) (one range query, Lemma 2; under `error`
 * σ_F must be valid on all of 𝕀) lies in [ε, max] or in [min, −ε]. Then every term ±1 ⊗ v is non-zero
 * with the sign of the weight times that of v (1 ⊗ v = v; (−1) ⊗ v = −v exactly when −v ∈ 𝕀, else
 * saturated to the same side or invalid under `error`), which is §8.7's hypothesis, and its theorem gives
 * `not-universal` (d = 1): no network computes g(0) = max, g(x) = min for x ≠ 0.
 */
import type { WideSigma } from './wide-sigma.js';

/** Null when the obstruction applies (not universal), else the first hypothesis that fails. */
export function wideLastTerm(r: WideSigma): string | null {
  const s = r.setting;
  if (!s.binary) return 'the last-term obstruction needs binary weights (0 ⊗ v = 0 with all weights)';
  if (s.exact) return 'the last-term obstruction needs sequential accumulation';
  if (s.policy.overflow !== 'saturate' && s.policy.overflow !== 'error')
    return `the last-term obstruction needs overflow saturate or error, not ${s.policy.overflow}`;
  if (!(s.min < 0n && s.max > 0n)) return 'the last-term obstruction needs negative and positive values';
  if (s.one > s.max || -s.one < s.min) return 'the last-term obstruction reads the weights ±1';
  const hull = r.range(s.min, s.max);
  if (!hull) return 'σ_F is invalid somewhere on 𝕀';
  if (hull[0] >= 1n || hull[1] <= -1n) return null;
  return `σ_F takes values from code ${hull[0]} to code ${hull[1]}: not of one sign without 0`;
}
