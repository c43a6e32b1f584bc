/**
 * Remark NA (docs/theory.md §10.9, "Feature pairs with all weights"): on SQm.1 (m ≥ 1) under overflow
 * `error`, nearest-away and sequential accumulation (either bias order, any weight set), when
 * σ_F(1) = σ_F(2) and σ_F(−1) = σ_F(v) for some code v ≤ −2, every unary neuron valid on all of 𝕀 gives −1
 * the value of some x ≤ −2 and 1 the value of some x ≥ 2 (σ_F(x) merges −1 with v; σ_F(−x) merges −1 with
 * −2; the halvings ±½ ⊗ x ⊕ b merge −2 with −1 and 1 with 2, the ties going away from zero; every other
 * first step raises at ±max or is constant). So no unary chain computes x ≥ −1, x ≤ −2, x ≥ 2 or x ≤ 1, and
 * no chain or family certificate exists: `decide` tries the feature-pair certificate first there.
 *
 * Pure kernel on number codes: checks the hypotheses on the format, the modes and the σ_F table.
 */
import type { Setting } from './setting.js';

/** The code v ≤ −2 with σ_F(v) = σ_F(−1) when Remark NA's hypotheses hold, else null. */
export function unaryTieMerge(s: Setting): number | null {
  const f = s.format;
  if (f.kind !== 'SQ' || f.fracBits !== 1 || f.intBits < 1) return null;
  if (s.policy.overflow !== 'error' || s.policy.rounding !== 'nearest-away') return null;
  if (s.accumulation !== 'sequential') return null;
  const at = (code: number) => s.sigma[code - s.min];
  // every σ_F value valid (NaN compares unequal, so a merge through an invalid value is never claimed)
  if (!(at(1) >= s.min) || at(1) !== at(2) || !(at(-1) >= s.min)) return null;
  for (let v = -2; v >= s.min; v--) if (at(v) === at(-1)) return v;
  return null;
}
