/**
 * The affine obstruction under wrap (docs/theory.md §10.4). Hypotheses: overflow `wrap`, binary weights
 * {−1, 1}, σ_F the identity on every code (σ_F(v) = v), N = |𝕀| ≥ 4; any rounding, either accumulation
 * and bias order, any edges, an identity or σ_F output layer. Then every value of every network is
 * (Σ c_i·x_i + k) mod N for integers c_i, k (codes reduced into [min, max]): a product by ±1 is ±h
 * exactly and wrap reduces it modulo N, ⊕ adds modulo N, the exact accumulator's sum b ± h₁ ± … is an
 * integer reduced once, and σ_F changes nothing. The swap of min and min + ε fixes the codes 0 and 1
 * (N ≥ 4), so an affine f computing it has k ≡ 0 and c ≡ 1, i.e. f(x) = x, which does not swap: no
 * network computes it, and the configuration is not universal (d = 1).
 * Under overflow `error` too (docs/theory.md §10.7; Q and SQ): a network that computes a function under
 * `error` overflows nowhere, so every value is Σ c_i·x_i + k exactly (products by ±1 and sums of codes are
 * exact), and the same swap is computed by none.
 */
import type { Setting } from './setting.js';

/** True when the hypotheses hold, so the configuration is not universal. */
export function affineUnderWrap(s: Setting): boolean {
  const { overflow } = s.policy;
  if ((overflow !== 'wrap' && overflow !== 'error') || s.weightSet !== 'binary' || s.size < 4) return false;
  if (!(s.min < 0 && s.max >= 1 && s.min + 1 < 0)) return false;
  for (let i = 0; i < s.size; i++) if (s.sigma[i] !== s.min + i) return false;
  return true;
}
