/**
 * Lemma TZ (toward-zero under `error` on two's-complement formats, docs/theory.md §9.5 "Lemma TZ"): a DIST
 * obstruction for all weights. Hypotheses: a two's-complement or symmetric format (Q, ap_fixed, SQ), rounding toward-zero,
 * overflow `error`, sequential accumulation (either bias order), any weight set W ⊆ 𝕀.
 *
 * The first-layer neurons valid on all of 𝕀 are σ_F(1⊗x ⊕ 0) and neurons with a weight |w| < 1: w = 1 with
 * b ≠ 0 overflows at max or min; w = −1 and w < −1 overflow at min ((−1)⊗min = −min = max + ε); w > 1
 * (m ≥ 1) overflows at max (rnd((2ⁿ + j)(2^(m+n) − 1)/2ⁿ) ≥ 2^(m+n) for j ≥ 1). For |w| < 1 (codes
 * 0 < |c| < 2ⁿ) and k an integer, the products at x = k·2ⁿ and at its neighbour toward 0's far side are
 * equal: at x = k·2ⁿ the product c·k is an integer, and at x = k·2ⁿ − 1 (k ≤ 0) or x = k·2ⁿ + 1 (k ≥ 0) it is
 * c·k ∓ c/2ⁿ, within 1 of c·k on the side away from 0 (the sign of c·k's neighbour: for k ≤ 0 and c > 0,
 * −|k|c − c/2ⁿ < 0; for c < 0, |k||c| + |c|/2ⁿ > 0; likewise for k ≥ 0), so rounding toward 0 returns c·k.
 * A sequential neuron adds the bias to the rounded product (either order): equal pre-activations, equal
 * values. So the pair (k·2ⁿ − 1, k·2ⁿ) (k ≤ 0) or (k·2ⁿ, k·2ⁿ + 1) (k ≥ 0) is separated only by σ_F(x)
 * itself; if σ_F takes one value on it (evaluated), DIST fails there and Theorem 1 (§2.2, N ≥ 3, distinct
 * sources) gives `not-universal`. If σ_F(x) is invalid somewhere on 𝕀, it is no neuron at all and every
 * such pair is merged. On an SQ format (min = −max) the same holds with one more valid neuron, σ_F(−x)
 * (w = −1, b = 0: −x is a value for every x; b ≠ 0 overflows at an end; w < −1 overflows at min since
 * |min| = max), so a pair is merged when σ_F takes one value on it and on its mirror (−x). ∎
 */
import type { WideSigma } from './wide-sigma.js';

/** The most pairs evaluated (two σ_F evaluations each). */
const MAX_PAIRS = 4096;

/** Null when the hypotheses fail, else a merged pair [x, x + 1] (codes), or a string when none was found. */
export function towardZeroMergedPair(r: WideSigma): readonly [bigint, bigint] | string | null {
  const s = r.setting;
  const f = s.format;
  const sq = f.encoding === 'symmetric';
  if ((f.encoding !== 'twos-complement' && !sq) || s.policy.rounding !== 'toward-zero') return null;
  if (s.policy.overflow !== 'error' || s.exact) return null;
  if (s.max - s.min + 1n < 3n) return null;
  const P = s.one;
  // k ranges over [kLo, kHi]: k ≤ 0 needs k·2ⁿ − 1 ≥ min, k ≥ 0 needs k·2ⁿ + 1 ≤ max
  const kLo = -((-s.min - 1n) / P);
  const kHi = (s.max - 1n) / P;
  const pair = (k: bigint): readonly [bigint, bigint] =>
    k <= 0n ? [k * P - 1n, k * P] : [k * P, k * P + 1n];
  if (!r.range(s.min, s.max)) return pair(0n);
  const ks: bigint[] = [];
  const seen = new Set<bigint>();
  const add = (k: bigint) => {
    if (k >= kLo && k <= kHi && !seen.has(k)) {
      seen.add(k);
      ks.push(k);
    }
  };
  // near 0 and near both ends first (slopes of σ below 1 merge there), then outward from 0
  for (let d = 0n; ks.length < MAX_PAIRS && (d <= -kLo || d <= kHi); d++) {
    add(-d);
    add(d);
    add(kLo + d);
    add(kHi - d);
  }
  for (const k of ks) {
    const [a, b] = pair(k);
    const va = s.sigma(a);
    const vb = s.sigma(b);
    if (va === null || va !== vb) continue;
    if (sq) {
      const ma = s.sigma(-a);
      if (ma === null || ma !== s.sigma(-b)) continue;
    }
    return [a, b];
  }
  return `none of the ${ks.length} pairs (k·2ⁿ ∓ 1, k·2ⁿ) nearest 0 and the ends is merged by σ_F${sq ? ' and σ_F(−x)' : ''}`;
}
