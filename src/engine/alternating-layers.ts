/**
 * Lemma AL, alternating layers (docs/theory.md §10.7): an obstruction for d = 1.
 *
 * Hypotheses: sequential accumulation (either bias order); overflow `saturate` or `error` (⊕ and ⊗ are then
 * monotone wherever they do not raise); σ_F non-decreasing on the codes where it is valid; every weight
 * w ∈ W reads the values V = σ_F(𝕀) non-increasingly: h ↦ w ⊗ h is non-increasing on the valid products
 * with h ∈ V (a weight that rounds every value of V to 0 qualifies); and three distinct codes x₁, x₂, x₃ on
 * which every valid first-layer neuron x ↦ σ_F(w ⊗ x ⊕ b) is non-increasing: f(x₁) ≥ f(x₂) ≥ f(x₃).
 *
 * Then every neuron of hidden layer ℓ is monotone on (x₁, x₂, x₃), non-increasing for odd ℓ and
 * non-decreasing for even ℓ (its terms w ⊗ h reverse the direction of its inputs, ⊕ and σ_F keep it), so
 * the output neuron (identity or σ_F) is monotone there; a network without hidden layers computes
 * x ↦ w ⊗ x ⊕ b or a constant, checked directly. The function g with g(x₂) = max and g = min elsewhere is
 * monotone on (x₁, x₂, x₃) in neither direction and none of those: no network computes it, so the
 * configuration is not universal (any edges, either output layer).
 */
import { preActivation, type Setting, unary } from './setting.js';

/** The chain (x₁, x₂, x₃) of Lemma AL when its hypotheses hold, else null. */
export function alternatingObstruction(s: Setting): [number, number, number] | null {
  if (s.accumulation !== 'sequential') return null;
  if (s.policy.overflow !== 'saturate' && s.policy.overflow !== 'error') return null;
  if (s.size < 3) return null;
  const valid = (v: number) => v >= s.min && v <= s.max;
  // σ_F non-decreasing where valid
  let last = Number.NEGATIVE_INFINITY;
  for (const v of s.sigma) {
    if (!valid(v)) continue;
    if (v < last) return null;
    last = v;
  }
  const values = [...new Set(Array.from(s.sigma).filter(valid))].sort((p, q) => p - q);
  // every weight reads V non-increasingly (valid products only: a network that computes a function raises nowhere)
  for (const w of s.weights) {
    let prev = Number.POSITIVE_INFINITY;
    for (const h of values) {
      const t = s.mul(w, h);
      if (!valid(t)) continue;
      if (t > prev) return null;
      prev = t;
    }
  }
  // the valid first-layer neurons, and the domination relation D = {(x, y): f(x) ≥ f(y) for every one}
  const xs = Array.from({ length: s.size }, (_, i) => s.min + i);
  const firsts: number[][] = [];
  for (const w of s.weights)
    for (let b = s.min; b <= s.max; b++) {
      const f = xs.map((x) => unary(s, w, x, b));
      if (f.every(valid)) firsts.push(f);
    }
  const dominates = (i: number, j: number) => firsts.every((f) => f[i] >= f[j]);
  for (let i = 0; i < s.size; i++)
    for (let j = 0; j < s.size; j++) {
      if (j === i || !dominates(i, j) || dominates(j, i)) continue;
      for (let k = 0; k < s.size; k++) {
        if (k === i || k === j || !dominates(j, k) || dominates(k, j)) continue;
        if (shallowComputes(s, xs[j])) continue;
        return [xs[i], xs[j], xs[k]];
      }
    }
  return null;
}

/**
 * Whether a network without hidden layers (one output neuron, identity or σ_F, reading x once or not at all)
 * computes g with g(x₂) = max and g = min elsewhere.
 */
function shallowComputes(s: Setting, x2: number): boolean {
  const g = (x: number) => (x === x2 ? s.max : s.min);
  const matches = (f: (x: number) => number) => {
    for (let x = s.min; x <= s.max; x++) if (f(x) !== g(x)) return false;
    return true;
  };
  for (let b = s.min; b <= s.max; b++) {
    if (matches(() => preActivation(s, [], [], b))) return true;
    if (matches(() => s.sigma[preActivation(s, [], [], b) - s.min])) return true;
    for (const w of s.weights) {
      if (matches((x) => preActivation(s, [w], [x], b))) return true;
      if (matches((x) => unary(s, w, x, b))) return true;
    }
  }
  return false;
}
