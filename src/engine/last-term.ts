/**
 * The last-term obstruction (docs/theory.md §8.7). Hypotheses: sequential accumulation (the bias first or
 * last), overflow `saturate` or `error`, and for every weight w ∈ W every term w ⊗ v with v a value of σ_F
 * is non-zero with a sign that depends on w alone (e.g. binary weights ±1 and σ_F never 0 and of one sign:
 * sigmoid, softplus, hard-sigmoid where they never round to 0).
 *
 * Lemma. Then the output of a network with at least one hidden layer (identity output neuron) is never
 * min on any input, or never max on any input: with the last edge's term t > 0, acc ⊕ t ≥ min + ε (an exact
 * sum of codes is clamped only at the far end, or raises under `error`); with the bias last, ⊕ β ≥ 0 keeps
 * it above min and ⊕ β < 0 keeps it below max; t < 0 is the mirror; no edge gives the constant β. A network
 * without hidden layer (distinct sources, d = 1) computes a constant or a monotone x ↦ w⊗x ⊕ β. So the
 * function g with g(0) = max and g(x) = min for x ≠ 0, neither monotone nor missing min or max, is computed
 * by no network: the configuration is not universal (d = 1).
 */
import type { Setting } from './setting.js';

export interface LastTermObstruction {
  /** Whether every hypothesis holds (then the configuration is not universal). */
  readonly applies: boolean;
  /** The first hypothesis that fails, or null. */
  readonly failure: string | null;
  /** For each weight of W (in order), the sign of its terms w ⊗ v (+1 or −1) when the lemma applies. */
  readonly signs: ReadonlyArray<readonly [number, 1 | -1]>;
}

/** Decides the hypotheses of the last-term obstruction: O(|W| · |σ_F(𝕀)|), binary weights in practice. */
export function lastTermObstruction(s: Setting): LastTermObstruction {
  const no = (failure: string): LastTermObstruction => ({ applies: false, failure, signs: [] });
  if (s.accumulation !== 'sequential') return no('needs sequential accumulation');
  if (s.policy.overflow !== 'saturate' && s.policy.overflow !== 'error')
    return no(`needs overflow saturate or error (got ${s.policy.overflow})`);
  if (!(s.min < 0 && s.max > 0)) return no('needs a format with negative and positive values');
  // 0 ∈ W kills every value: its terms are 0 (with all weights the hypothesis fails at once)
  if (s.weights.includes(0)) return no('0 is a weight, and 0 ⊗ v = 0');
  const values = new Set<number>();
  for (const v of s.sigma) if (v >= s.min) values.add(v);
  const signs: Array<readonly [number, 1 | -1]> = [];
  for (const w of s.weights) {
    let sign: 0 | 1 | -1 = 0;
    for (const v of values) {
      const t = s.mul(w, v);
      if (!(t >= s.min)) continue; // invalid under `error`: a neuron with this term raises
      if (t === 0) return no(`the term ${w} ⊗ ${v} is 0 (codes)`);
      const here = t > 0 ? 1 : -1;
      if (sign !== 0 && here !== sign) return no(`the terms of the weight ${w} (code) take both signs`);
      sign = here;
    }
    if (sign !== 0) signs.push([w, sign]);
  }
  return { applies: true, failure: null, signs };
}
