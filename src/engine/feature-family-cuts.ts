/**
 * Lemma FE, feature families (docs/theory.md §10.9). Hypotheses: an SQ format (min = −max, so −x is a value),
 * ±1 ∈ W, σ_F(v) = v for every code v ≥ 0 and L ≤ σ_F(v) ≤ 0 for every code v < 0 (L the least value of σ_F:
 * relu, leaky-relu, elu); any rounding, overflow mode, accumulation and bias order. Call d a cut when the
 * hulls σ_F([min, d − 1]) and σ_F([d, max]) are disjoint, R↑_d an upper rest chain at the split d and R↓_{d−1}
 * a lower one at d − 1 (§9.3). Then every neuron below is valid on all of 𝕀 and
 * - for t ≥ 1, d ≤ t ≤ d + L + max: [(1, 0), (1, d − t), R↑_d] computes e·[x ≥ t];
 * - for t ≤ 0, d − L − max ≤ t ≤ d: [(−1, 0), (−1, d − t), R↑_d] computes e·[x ≥ t];
 * - the same first steps followed by R↓_{d−1} compute e·[x ≤ t − 1].
 * 1 is always a cut; with the cuts 1, d₋ ≤ L + 1 and d₊ ≥ −L every threshold is served (given the rest chains
 * and d₊ ≤ 2 + L + max, d₋ ≥ −L − max). The proof is in the docs; here the hypotheses are checked on every
 * code and the cuts found. The chains themselves are searched by `levelSeparator` (feature-thresholds.ts),
 * which tries these cuts as splits, and every chain is proved by interval images there and again by
 * `verifyChainCertificate`: nothing here is trusted.
 */
import type { SigmaRanges } from './interval-chain.js';
import { splitDisjoint } from './rest-chains.js';
import type { Setting } from './setting.js';

/**
 * The floor L of Lemma FE (docs/theory.md §10.9) when its hypotheses hold, else null: an SQ format
 * (min = −max, so −x is a value), σ_F(v) = v for every code v ≥ 0 and L ≤ σ_F(v) ≤ 0 for every code v < 0,
 * L the least value of σ_F (relu: L = 0; elu on SQ7.8 with toward-zero: L = −0.99609375, code −255).
 */
export function featureFamilyFloor(s: Setting): number | null {
  if (s.min !== -s.max) return null;
  let low = 0;
  for (let v = s.min; v <= s.max; v++) {
    const y = s.sigma[v - s.min];
    if (v >= 0 ? y !== v : !(y <= 0 && y >= s.min)) return null;
    if (y < low) low = y;
  }
  return low;
}

/**
 * The cuts of Lemma FE: 1 (the σ_F ranges of [min, 0] and [1, max] are disjoint under the hypotheses), d₋
 * the greatest code ≤ L + 1 and d₊ the least code ≥ −L whose two σ_F ranges [min, d − 1], [d, max] are
 * disjoint; null when the hypotheses fail or a cut is missing. A cut d serves x ≥ t with an upper rest chain
 * at the split d and x ≤ t with a lower one at d − 1.
 */
export function featureFamilyCuts(s: Setting, r: SigmaRanges): number[] | null {
  const L = featureFamilyFloor(s);
  if (L === null || !splitDisjoint(s, r, 1)) return null;
  let low: number | null = null;
  for (let v = L + 1; v > s.min + 1 && low === null; v--) if (splitDisjoint(s, r, v)) low = v;
  let high: number | null = null;
  for (let v = -L; v < s.max && high === null; v++) if (splitDisjoint(s, r, v)) high = v;
  return low === null || high === null ? null : [...new Set([1, low, high])];
}
