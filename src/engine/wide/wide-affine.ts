/**
 * The affine obstruction above 16 bits (docs/theory.md §10.4, §9.5 "The affine obstruction above 16
 * bits"). Hypotheses: overflow `wrap` or `error`, binary weights {−1, 1}, σ_F the identity on every code,
 * N = |𝕀| ≥ 4, a Q format (under `error` also SQ: Lemma A′ of §10.7); any rounding, accumulation, bias order, edges and output layer. Then every
 * network computes (Σ c_i·x_i + k) mod N on codes (wrap), or, under `error`, every network that raises on
 * no input computes Σ c_i·x_i + k exactly (a product by ±1 is exact, sums of codes are exact, nothing may
 * overflow); the swap of min and min + ε (which fixes the codes 0 and 1) is computed by none: not
 * universal.
 *
 * σ_F is the identity on every code for the `identity` activation by its definition: σ(v) = v is a value
 * of 𝕀, every rounding mode returns a value of the grid unchanged, and no overflow mode acts on a value
 * in range. That is what is checked (the name), with σ_F evaluated at a few codes as a sanity check;
 * no other activation is claimed (its rounded table is not read above 16 bits).
 */
import type { WideSetting } from './wide-setting.js';

/** True when the affine obstruction's hypotheses hold, so the configuration is not universal. */
export function wideAffineObstruction(s: WideSetting): boolean {
  const mode = s.policy.overflow;
  if ((mode !== 'wrap' && mode !== 'error') || !s.binary) return false;
  // under wrap a Q format (the cycle ℤ_N); under error also SQ (Lemma A′, docs/theory.md §10.7)
  if (s.format.kind !== 'Q' && !(mode === 'error' && s.format.kind === 'SQ')) return false;
  if (s.config.activation.name !== 'identity') return false;
  if (!(s.min + 1n < 0n && s.max >= 1n)) return false;
  for (const c of [s.min, s.min + 1n, -1n, 0n, 1n, s.max - 1n, s.max]) if (s.sigma(c) !== c) return false;
  return true;
}
