/**
 * The exact affine obstruction (docs/theory.md §10.4, Proposition EA; it merges the affine obstruction of
 * §10.4, Lemma A′ of §10.7 and Lemma IA of §10.8, which are one argument under two hypotheses).
 *
 * Hypotheses: overflow `wrap` or `error`; σ_F the identity on every code (its rounded table: identity, relu
 * and leaky-relu on non-negative codes, and other activations where rounding sends each value back to
 * itself), or a translation of it (Proposition EA′: σ_F(v) ≡ v + k (mod N) on every code under `wrap`, e.g.
 * softplus on UQm.0 under `ceil`, where softplus(v) ∈ (v, v + 1) rounds up to v + 1 and max + 1 wraps to 0;
 * σ_F(v) = v + k on every code where it is valid under `error`); every weight of W is an integer value, i.e. its code is a multiple of 2^fracBits (binary
 * weights ±1 on any format, or any weights on an integer format such as `ap_int<W>`, `ap_uint<W>`, `UQm.0`);
 * N = |𝕀| ≥ 3; any rounding, accumulation, bias order and edges, an identity or σ_F output layer.
 *
 * Then every product w ⊗ h = (w/2^n)·h is an integer code, rounded exactly; the exact accumulator's
 * b·2^n + Σ w·h is a multiple of 2^n, rounded exactly; ⊕ adds; σ_F changes nothing. So every value of every
 * network is Σ c_i·x_i + k reduced modulo N (wrap), or exactly, without reduction (`error`: a network that
 * computes a function raises on no input, so no operation overflows). The function f with
 * f(min) = min + 1 and f(min + 1) = f(min + 2) = min needs c ≡ −1 and c ≡ 0 (mod N, or in ℤ): no network
 * computes it (d = 1), and the configuration is not universal.
 */
import type { Setting } from './setting.js';

/** True when the hypotheses hold, so the configuration is not universal. */
export function exactAffine(s: Setting): boolean {
  return affineShift(s) !== null;
}

/**
 * The shift k of σ_F when the hypotheses hold (under `wrap` reduced to 0 ≤ k < N; 0 for the identity table of Proposition EA, k ≠ 0 for a
 * translation, Proposition EA′), else null. Under `wrap` σ_F(v) ≡ v + k (mod N) at every code; under
 * `error` σ_F(v) = v + k at every code where σ_F is valid (an invalid value raises, so no network that
 * computes a function meets it) and at least one code is valid.
 */
export function affineShift(s: Setting): number | null {
  const { overflow } = s.policy;
  if ((overflow !== 'wrap' && overflow !== 'error') || s.size < 3) return null;
  if (s.max - s.min + 1 !== s.size) return null;
  if (!s.weights.every((w) => w % s.one === 0)) return null;
  const mod = (v: number) => ((v % s.size) + s.size) % s.size;
  let k: number | null = null;
  for (let i = 0; i < s.size; i++) {
    const v = s.sigma[i];
    if (Number.isNaN(v)) {
      if (overflow === 'wrap') return null;
      continue;
    }
    const shift = v - (s.min + i);
    if (k === null) k = shift;
    else if (overflow === 'wrap' ? mod(shift - k) !== 0 : shift !== k) return null;
  }
  if (k === null) return null;
  // the identity table (k = 0) keeps Proposition EA's original hypothesis: every code valid
  if (k === 0 && s.sigma.some((v) => Number.isNaN(v))) return null;
  return overflow === 'wrap' ? mod(k) : k;
}
