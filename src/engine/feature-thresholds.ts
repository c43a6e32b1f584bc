/**
 * Feature thresholds: threshold chains whose first step is a feature (docs/theory.md §10.9, Lemma FT).
 * Under overflow `error` with binary weights on SQ formats the only first-layer neurons valid on all of 𝕀
 * are the **features** f₊(x) = σ_F(x) and f₋(x) = σ_F(−x) (b = 0 is forced: x ⊕ b overflows at an end for
 * b ≠ 0; Lemma BE of §9.5), so the families of §9.3, whose first step moves the threshold t to a split
 * with a bias b_t, are not networks of the configuration. Here the threshold x ≥ t (or x ≤ t) is read off a
 * feature instead: with f = σ_F(w₁⊗x) (w₁ = ±1, b = 0), A = the interval image of the inside and B that of
 * the outside (§9.1); when A and B are disjoint, a second step y ↦ σ_F(±y ⊕ b) puts the boundary between
 * them at a split s of a rest chain R solved once per split (as in §9.3), and the chain
 * [(w₁, 0), (±1, b), …R] computes e·[x ≥ t]. Nothing here is trusted: every chain is proved on its two
 * intervals by interval images, and `verifyChainCertificate` proves each again (§9.2's proposition is
 * unchanged: the chains are ordinary unary chains). When A and B overlap for both features (σ_F not
 * monotone: gelu, silu near their dip), no unary chain computes the threshold (the images of overlapping
 * hulls overlap), and the search reports the threshold.
 *
 * With **all weights** under `error` the search runs too, after the families of §9.3 failed (docs/theory.md
 * §10.9, Lemma FE): toward-zero with sequential accumulation leaves thresholds no gain step serves (§9.5,
 * "Why not toward-zero"), and on SQ formats the features σ_F(±x) serve them; next to the ends of 𝕀 only a
 * split about −σ_F(min) codes from 0 keeps the shift step in range (elu on SQ7.8 with toward-zero:
 * σ_F(min) = −255 codes, the cuts 255 and −256).
 */
import type { Budget } from './budget.js';
import type { Step } from './chain-solver.js';
import { featureFamilyCuts } from './feature-family-cuts.js';
import { chainProves, type SigmaRanges, type Span, solveIntervalChain, stepImage } from './interval-chain.js';
import { type RestKind as Kind, restChains, splitDisjoint } from './rest-chains.js';
import type { Setting } from './setting.js';
import { fillThresholdTables, type ThresholdTables, thresholdSides } from './threshold-tables.js';

/** Threshold chains solved per direction of the pre-activation: `upper` (inside above), `lower`. */

/** Direct interval searches allowed when no family serves a threshold. */
const MAX_DIRECT = 64;

/**
 * True when the feature search applies: overflow `error` (with binary weights the first layer is the
 * bias-free features; with all weights the gain steps of §9.5 have their biases but miss thresholds under
 * toward-zero with sequential accumulation, Lemma FE of §10.9). The chains found are ordinary chains in
 * every weight set: only their parameters must be weights and values, which the verifier checks.
 */
export function featureThresholdsApply(s: Setting): boolean {
  if (s.policy.overflow !== 'error') return false;
  // σ_F the identity: every chain is affine and collapses nothing (Lemma A′ of §10.7 decides the cell)
  for (let i = 0; i < s.size; i++) if (s.sigma[i] !== s.min + i) return true;
  return false;
}

/**
 * The first steps (±1, b) valid on all of 𝕀 (checked by their interval images): by Lemma BE (§9.5) these
 * are (1, 0), on SQ formats (−1, 0), and on Q formats under exact accumulation (−1, −1) (b − x ∈ 𝕀 for
 * every x only for b = min + max); b ∈ {−1, 0, 1} are tried, the check decides.
 */
export function featureSteps(r: SigmaRanges): Step[] {
  const s = r.setting;
  const out: Step[] = [];
  for (const w of s.weights)
    if (Math.abs(w) === s.one)
      for (const b of [0, -1, 1]) if (stepImage(r, w, b, s.min, s.max) !== null) out.push([w, b]);
  return out;
}

/**
 * Chains separating two disjoint intervals of values: `separate(a, b)` returns a chain mapping every
 * value of `a` to e and every value of `b` to 0, proved by interval images (§9.1), or null. Its first
 * step ±y ⊕ bias puts the boundary between a and b at a split s of a rest chain solved once per
 * (direction, split) on the σ_F ranges of the split's two sides (§9.3); failing every family, a direct
 * interval search (at most `MAX_DIRECT` of them; `exhausted()` tells). With binary weights the first
 * step's pre-activation is exactly ±y + bias in both accumulations.
 */
export function levelSeparator(
  s: Setting,
  r: SigmaRanges,
  e: number,
  budget?: Budget,
): { separate(a: Span, b: Span): Step[] | null; exhausted(): boolean } {
  const seconds = s.weights.filter((w) => Math.abs(w) === s.one);
  const deep = 6;
  // splits near 0 whose two σ_F ranges are disjoint (no chain pulls overlapping ranges apart, §9.3)
  const splits: number[] = [];
  // the rest chain of each (kind, split index), solved on first use
  const { rest, knownNone } = restChains(s, r, splits, e, deep, budget);
  const disjoint = (split: number) => splitDisjoint(s, r, split);
  const usable = (v: number) => v > s.min + 1 && v < s.max - 1 && (disjoint(v) || disjoint(v + 1));
  for (let k = 0; splits.length < 8 && k < s.size; k++)
    for (const v of k === 0 ? [0] : [k, -k]) if (usable(v)) splits.push(v);
  // and splits far from 0: a level at the top (bottom) of a feature's range needs the step's bias to
  // move it down (up) by about the range's width, which only a split that far away keeps in range
  for (let p = 32; p < s.max; p *= 2)
    for (const v of [p, -p, p + p / 2, -(p + p / 2)]) if (usable(v) && !splits.includes(v)) splits.push(v);
  // and the cuts d of Lemma FE (docs/theory.md §10.9) when its hypotheses hold, as the splits d (upper rest
  // chains) and d − 1 (lower): next to the ends the shift after σ_F(±x) stays in range only at a cut about
  // −L codes from 0 (elu, SQ7.8, toward-zero: L = −255 codes)
  for (const d of featureFamilyCuts(s, r) ?? [])
    for (const v of [d, d - 1]) if (usable(v) && !splits.includes(v)) splits.push(v);
  const proves = (a: Span, b: Span, chain: readonly Step[]) =>
    chainProves(r, chain, a[0], a[1], e) && chainProves(r, chain, b[0], b[1], 0);
  let direct = 0;
  const separate = (a: Span, b: Span): Step[] | null => {
    if (!(a[1] < b[0] || b[1] < a[0])) return null;
    const above = a[0] > b[1];
    // the boundary levels: the inside's edge and the outside's edge moved by one code
    const levels = above ? [a[0], b[1] + 1] : [a[1], b[0] - 1];
    for (const w of seconds) {
      const rising = w > 0;
      // the inside lands above the split (upper) when it lies above and the step rises, or below and falls
      const kind: Kind = above === rising ? 'upper' : 'lower';
      for (let i = 0; i < splits.length; i++) {
        if (knownNone(kind, i)) continue;
        const split = splits[i];
        for (const v of levels) {
          // rising: y + bias with y = v at the split's edge; falling: bias − y
          const bias = rising ? split - v : split + v;
          if (bias < s.min || bias > s.max) continue;
          if (!stepImage(r, w, bias, a[0], a[1]) || !stepImage(r, w, bias, b[0], b[1])) continue;
          const chain = rest(kind, i);
          if (!chain) break;
          const full: Step[] = [[w, bias], ...chain];
          if (proves(a, b, full)) return full;
        }
      }
    }
    // no family serves the pair: a direct interval search
    if (++direct > MAX_DIRECT) return null;
    budget?.spend(s.size * 64, 'the feature threshold search');
    const chain = solveIntervalChain(s, b, a, 0, e, { minDepth: 1, maxDepth: deep, beam: 8, budget });
    return chain && proves(a, b, chain) ? chain : null;
  };
  return { separate, exhausted: () => direct > MAX_DIRECT };
}

/**
 * Every threshold chain as [feature, …a chain separating the feature's images of the two sides], or a
 * reason naming the first threshold no feature serves.
 */
export function findFeatureThresholds(
  s: Setting,
  r: SigmaRanges,
  e: number,
  budget?: Budget,
): ThresholdTables | string {
  const features = featureSteps(r);
  if (features.length === 0) return 'feature thresholds: no first step (±1, b) is valid on all of 𝕀';
  const blocked = inseparableThreshold(s, r, features);
  if (blocked !== null)
    return `feature thresholds: no feature separates the two sides of x ≥ code ${blocked} (their images overlap for σ_F(±x); docs/theory.md §10.9)`;
  const sep = levelSeparator(s, r, e, budget);
  const find = (dir: 'ge' | 'le', t: number): Step[] | null => {
    const [inside, outside] = thresholdSides(s, dir, t);
    for (const f of features) {
      const a = stepImage(r, f[0], f[1], inside[0], inside[1]);
      const b = stepImage(r, f[0], f[1], outside[0], outside[1]);
      if (!a || !b) continue;
      const chain = sep.separate(a, b);
      if (!chain) continue;
      const full: Step[] = [f, ...chain];
      // proved on the feature's images; the whole chain is proved on the two sides again by the verifier
      if (chainProves(r, full, inside[0], inside[1], e) && chainProves(r, full, outside[0], outside[1], 0))
        return full;
    }
    return null;
  };
  return fillThresholdTables(
    s,
    find,
    sep.exhausted,
    budget,
    'the feature threshold search',
    'feature thresholds: ',
  );
}

/**
 * The least t for which every feature's interval images of [t, max] and [min, t − 1] overlap, or null.
 * Then no chain starting with a feature is proved for x ≥ t by interval images (the images of two
 * overlapping intervals overlap after every later step), so the search can stop before it starts; x ≤ t
 * has the same two sides as x ≥ t + 1.
 */
export function inseparableThreshold(s: Setting, r: SigmaRanges, features: readonly Step[]): number | null {
  for (let t = s.min + 1; t <= s.max; t++) {
    let separated = false;
    for (const [w, b] of features) {
      const a = stepImage(r, w, b, t, s.max);
      const o = stepImage(r, w, b, s.min, t - 1);
      if (a && o && (a[1] < o[0] || o[1] < a[0])) {
        separated = true;
        break;
      }
    }
    if (!separated) return t;
  }
  return null;
}
