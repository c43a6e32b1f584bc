/**
 * No valid first layer (docs/theory.md §9.5, "Lemma BV"): binary weights ±1, overflow `error`, a Q or SQ
 * format with ±1 as values, and σ_F invalid at some code (σ rounds outside 𝕀 there, e.g. softplus at max).
 * By Lemma BE the unary neurons that could be valid are σ_F(x) (w = 1, b = 0), σ_F(−x) (SQ: w = −1, b = 0)
 * and σ_F(−1 − x) (Q under exact accumulation: w = −1, b = −1); every other (w, b) overflows at min or
 * max. Each of these pre-activations runs over all of 𝕀 as x does (x ↦ x, −x, −1 − x are bijections of 𝕀),
 * so each meets the code where σ_F is invalid and raises there. A first-layer neuron of a 1-input network
 * reads the input at most once (distinct sources), so it is one of these, or has no edge and is constant.
 * Hence every network with a hidden layer that raises on no input is constant, and one without a hidden
 * layer computes x ↦ (±1)⊗x ⊕ β or β, monotone in x. The function g(0) = max, g(x) = min otherwise is
 * neither (−ε, 0, ε are values): not universal (d = 1; an output layer applying σ_F too).
 */
import type { WideSetting } from './wide-setting.js';

/** The code where σ_F is invalid when the lemma applies, else null. */
export function noValidNeuron(s: WideSetting): bigint | null {
  if (!s.binary || s.policy.overflow !== 'error') return null;
  if (s.format.kind !== 'Q' && s.format.kind !== 'SQ') return null;
  if (s.one > s.max || -s.one < s.min || !(s.min < -1n && s.max > 1n)) return null;
  for (const c of [s.max, s.min, 0n, s.max - 1n, s.min + 1n]) if (s.sigma(c) === null) return c;
  return null;
}
