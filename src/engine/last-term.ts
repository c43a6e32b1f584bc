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
 *
 * Lemma LT₀ (killing weights dropped, docs/theory.md §8.7). With `{ dropKilling: true }` the hypothesis on the
 * weights is weaker: every weight w either kills every value of σ_F (w ⊗ v = 0 wherever valid) or reads every
 * value as a non-zero term of one sign s_w. An edge whose weight kills every value adds 0 to a sequential
 * accumulator on every input (Lemma A, §8.2) and is deleted; the lemma above then reads the last remaining
 * edge. This covers all weights (0 ∈ W kills everything) where no weight kills one value of σ_F without
 * killing all (§8.5) and σ_F is of one sign, e.g. sigmoid, softplus and hard-sigmoid on Q0.2 under ceil.
 */
import type { Setting } from './setting.js';

export interface LastTermObstruction {
  /** Whether every hypothesis holds (then the configuration is not universal). */
  readonly applies: boolean;
  /** The first hypothesis that fails, or null. */
  readonly failure: string | null;
  /** For each weight of W (in order), the sign of its terms w ⊗ v (+1 or −1) when the lemma applies. */
  readonly signs: ReadonlyArray<readonly [number, 1 | -1]>;
  /** The weights (codes) whose every valid term is 0, deleted by Lemma A (only with `dropKilling`). */
  readonly killing: readonly number[];
}

export interface LastTermOptions {
  /**
   * Lemma LT₀: a weight whose terms w ⊗ v are 0 for every value v of σ_F (where valid) is allowed (its edges
   * are deleted by Lemma A); a weight that kills some values of σ_F and not others still fails.
   */
  readonly dropKilling?: boolean;
}

/** Decides the hypotheses of the last-term obstruction: O(|W| · |σ_F(𝕀)|), binary weights in practice. */
export function lastTermObstruction(s: Setting, options: LastTermOptions = {}): LastTermObstruction {
  const drop = options.dropKilling === true;
  const no = (failure: string): LastTermObstruction => ({ applies: false, failure, signs: [], killing: [] });
  if (s.accumulation !== 'sequential') return no('needs sequential accumulation');
  if (s.policy.overflow !== 'saturate' && s.policy.overflow !== 'error')
    return no(`needs overflow saturate or error (got ${s.policy.overflow})`);
  if (!(s.min < 0 && s.max > 0)) return no('needs a format with negative and positive values');
  // 0 ∈ W kills every value: its terms are 0 (with all weights the hypothesis fails at once)
  if (!drop && s.weights.includes(0)) return no('0 is a weight, and 0 ⊗ v = 0');
  const values = new Set<number>();
  for (const v of s.sigma) if (v >= s.min) values.add(v);
  if (values.size === 0) return no('σ_F is invalid on every code');
  const signs: Array<readonly [number, 1 | -1]> = [];
  const killing: number[] = [];
  for (const w of s.weights) {
    let sign: 0 | 1 | -1 = 0;
    let zero: number | null = null;
    for (const v of values) {
      const t = s.mul(w, v);
      if (!(t >= s.min)) continue; // invalid under `error`: a neuron with this term raises
      if (t === 0) {
        if (!drop) return no(`the term ${w} ⊗ ${v} is 0 (codes)`);
        zero = v;
        continue;
      }
      const here = t > 0 ? 1 : -1;
      if (sign !== 0 && here !== sign) return no(`the terms of the weight ${w} (code) take both signs`);
      sign = here;
    }
    if (zero !== null && sign !== 0)
      return no(`the weight ${w} (code) kills the value ${zero} of σ_F but not every value`);
    if (sign !== 0) signs.push([w, sign]);
    else if (zero !== null) killing.push(w);
  }
  return { applies: true, failure: null, signs, killing };
}
