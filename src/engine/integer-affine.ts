/**
 * The integer affine obstruction (docs/theory.md §10.8, Lemma IA). Hypotheses: overflow `wrap`, an integer
 * format (no fraction bits: every code is its own value, `ap_int<W>`, `ap_uint<W>`, `UQm.0`, `Qm.0`),
 * σ_F the identity on every code (its rounded table, as for relu, gelu, gelu-tanh, hard-swish on
 * non-negative integers), N = |𝕀| ≥ 3; ANY weights, rounding, accumulation and bias order, any edges, an
 * identity or σ_F output layer. Then every value of every network is (Σ c_i·x_i + k) mod N on codes: a
 * product w ⊗ h = w·h is an integer, rounded exactly and wrapped modulo N; ⊕ adds modulo N; the exact
 * accumulator's b + Σ w·h is an integer, rounded exactly and reduced once; σ_F changes nothing. The
 * function f with f(min) = min + 1 and f(min + 1) = f(min + 2) = min would need c ≡ −1 and c ≡ 0 (mod N):
 * no network computes it (d = 1), and the configuration is not universal.
 */
import type { Setting } from './setting.js';

/** True when the hypotheses hold, so the configuration is not universal. */
export function integerAffineUnderWrap(s: Setting): boolean {
  if (s.policy.overflow !== 'wrap' || s.format.fracBits !== 0 || s.one !== 1 || s.size < 3) return false;
  if (s.max - s.min + 1 !== s.size) return false;
  for (let i = 0; i < s.size; i++) if (s.sigma[i] !== s.min + i) return false;
  return true;
}
