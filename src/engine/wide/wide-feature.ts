/**
 * Lemma FW (feature families above 16 bits, docs/theory.md §9.5 "Lemma FW"): threshold chains whose
 * first step is a feature, proved once for all thresholds, for activations that are the identity on
 * x ≥ 0. Under overflow `error` with binary weights the only unary neurons valid on all of 𝕀 are the
 * features f₊(x) = σ_F(x) and f₋(x) = σ_F(b₋ − x) (b₋ = −1 on a Q format under exact accumulation,
 * b₋ = 0 on SQ; Lemma BE, §10.9), so no threshold family of Lemmas 4, 5 or G exists; this one reads a
 * feature first.
 *
 * Hypotheses (each checked by `featureHypotheses`): ±1 ∈ W; σ(v) = v for every code v ≥ 0 (by the
 * definition of relu, leaky-relu, elu and identity: rounding a value of 𝕀 returns it); σ_F(v) ≤ 0 for every
 * code v < 0 (one range query, Lemma 2), and < 0 when f₊ serves the threshold t = 0; the features valid on
 * all of 𝕀 (evaluated strictly at min and max; the pre-activation ±x + b is exact and monotone in x).
 *
 * Levels. For t ∈ [min + 1, max] let (f, L) be (f₊, t) when t ≥ T₊ (T₊ = 0 when σ_F < 0 on the negatives,
 * else 1), and (f₋, b₋ − t + 1) when t ≤ b₋ (with T₊ ≤ b₋ + 1 every t has one). Then, for every x ∈ 𝕀,
 * with v = f(x): f₊: x ≥ t ⇔ v ≥ L and x ≤ t − 1 ⇔ v ≤ L − 1; f₋: x ≤ t − 1 ⇔ v ≥ L and x ≥ t ⇔ v ≤ L − 1.
 * _Proof._ f₊, L = t ≥ 1: x ≥ t ≥ 1 gives v = x ≥ L; x ∈ [0, t − 1] gives v = x ≤ L − 1; x < 0 gives
 * v ≤ 0 ≤ L − 1. L = t = 0 (T₊ = 0): x ≥ 0 gives v = x ≥ 0, x < 0 gives v < 0. f₋: u = b₋ − x is exact and
 * L = b₋ − t + 1 ≥ 1; x ≤ t − 1 ⇔ u ≥ L, where v = u ≥ L; x ≥ t ⇔ u ≤ L − 1, where v = u ≤ L − 1 if u ≥ 0
 * and v ≤ 0 ≤ L − 1 if u < 0. ∎
 *
 * Families. A family is a split s with rest chains R_ge (hull σ_F([min, s − 1]) → 0, hull σ_F([s, max]) → e)
 * and R_le (the opposite), proved by interval images (§9.1), and a window [L₁, L₂] of levels. The chain of
 * level L is [f, (1, s − L)] + R: its second pre-activation is v + s − L (a product by 1 is exact; a sum
 * of codes in range is exact in every accumulation and bias order), in range for every value v of σ_F(𝕀)
 * when L is in the window (checked at the window's ends at the least and greatest value of σ_F(𝕀): the
 * pre-activation is monotone in v and in L), and ≥ s exactly when v ≥ L. So R_ge computes e·[v ≥ L] and
 * R_le computes e·[v ≤ L − 1], and by the level equivalences the chain computes e·[x ≥ t] or e·[x ≤ t − 1].
 * Coverage: every level the thresholds need (f₊: [T₊, max]; f₋: [1, b₋ − min]) lies in a window: interval
 * arithmetic, no enumeration. With the AND, delay and emitters checked as in §9.2 the certificate meets
 * G1–G4 (the composition lemma), in any overflow mode (no operation leaves the range).
 */
import type { Budget } from '../budget.js';
import { solveWideChain } from './wide-chain.js';
import type { WideSetting, WideStep } from './wide-setting.js';
import type { WideSigma, WideSpan } from './wide-sigma.js';

/** The activations with σ(v) = v for v ≥ 0 by definition (the same list as the linear-unit theorem's L1). */
const IDENTITY_ON_NONNEGATIVE = new Set(['relu', 'leaky-relu', 'elu', 'identity']);

export interface FeatureFamily {
  readonly split: bigint;
  readonly ge: readonly WideStep[];
  readonly le: readonly WideStep[];
  /** Levels L whose second step (1, s − L) keeps every value of σ_F(𝕀) in range. */
  readonly window: readonly [bigint, bigint];
}

export interface FeatureHypotheses {
  /** f₊ = (1, 0) and f₋ = (−1, b₋) (null: no valid f₋). */
  readonly plus: WideStep;
  readonly minus: WideStep | null;
  /** Thresholds t ≥ T₊ read f₊ (0 when σ_F < 0 on every negative code, else 1). */
  readonly tPlus: bigint;
  /** Hull of σ_F over 𝕀 (the values of both features). */
  readonly hull: WideSpan;
}

/** Lemma FW's hypotheses on the setting (null reason when they hold), without the families. */
export function featureHypotheses(r: WideSigma): FeatureHypotheses | string {
  const s = r.setting;
  const act = s.config.activation;
  if (s.one > s.max || -s.one < s.min) return 'Lemma FW needs the weights ±1';
  if (!IDENTITY_ON_NONNEGATIVE.has(act.name))
    return `Lemma FW needs σ(v) = v for v ≥ 0, proved by definition only for relu, leaky-relu, elu and identity, not ${act.key}`;
  const neg = r.range(s.min, -1n);
  const hull = r.range(s.min, s.max);
  if (!neg || !hull) return 'Lemma FW: σ_F is invalid somewhere on 𝕀';
  if (neg[1] > 0n) return `Lemma FW needs σ_F(v) ≤ 0 for v < 0 (σ_F reaches code ${neg[1]} there)`;
  const valid = (st: WideStep) =>
    s.pre([st[0]], [s.min], st[1], true) !== null && s.pre([st[0]], [s.max], st[1], true) !== null;
  const plus: WideStep = [s.one, 0n];
  if (!valid(plus)) return 'Lemma FW: the feature σ_F(x) is not valid on 𝕀';
  let minus: WideStep | null = null;
  for (const b of [0n, -1n]) if (!minus && valid([-s.one, b])) minus = [-s.one, b];
  const tPlus = neg[1] < 0n ? 0n : 1n;
  const bMinus = minus ? minus[1] : s.min - 1n;
  if (tPlus > bMinus + 1n)
    return minus
      ? `Lemma FW: σ_F(−ε) = 0 and the feature σ_F(${bMinus} − x) serves only t ≤ ${bMinus}, so the threshold t = 0 has no feature`
      : 'Lemma FW: no feature σ_F(b − x) is valid on 𝕀 (the threshold x ≥ t for t ≤ 0 has no feature)';
  return { plus, minus, tPlus, hull };
}

/** The feature and level of the threshold t (x ≥ t against x ≤ t − 1), and whether f is non-increasing. */
export function featureLevel(
  s: WideSetting,
  h: FeatureHypotheses,
  t: bigint,
): { feature: WideStep; level: bigint; down: boolean } | null {
  if (t <= s.min || t > s.max) return null;
  if (t >= h.tPlus) return { feature: h.plus, level: t, down: false };
  if (h.minus && t <= h.minus[1]) return { feature: h.minus, level: h.minus[1] - t + 1n, down: true };
  return null;
}

/** The levels the thresholds need, as intervals (f₊ and f₋). */
export function neededLevels(s: WideSetting, h: FeatureHypotheses): WideSpan[] {
  const out: WideSpan[] = [[h.tPlus > s.min + 1n ? h.tPlus : s.min + 1n, s.max]];
  if (h.minus && h.tPlus > s.min + 1n) {
    // t from min + 1 to min(b₋, T₊ − 1)
    const top = h.minus[1] < h.tPlus - 1n ? h.minus[1] : h.tPlus - 1n;
    out.push([h.minus[1] - top + 1n, h.minus[1] - s.min]);
  }
  return out;
}

/** The window of levels of a split: s − L ∈ 𝕀 and v + s − L ∈ 𝕀 for every v in the hull. */
export function featureWindow(s: WideSetting, hull: WideSpan, split: bigint): [bigint, bigint] | null {
  let lo = split + hull[1] - s.max;
  let hi = split + hull[0] - s.min;
  if (split - s.max > lo) lo = split - s.max;
  if (split - s.min < hi) hi = split - s.min;
  return lo <= hi ? [lo, hi] : null;
}

/** The second step of level L is valid on the whole hull (strict evaluation at both ends). */
export function secondStepValid(s: WideSetting, hull: WideSpan, split: bigint, L: bigint): boolean {
  const b = split - L;
  if (b < s.min || b > s.max) return false;
  return s.pre([s.one], [hull[0]], b, true) !== null && s.pre([s.one], [hull[1]], b, true) !== null;
}

/** Levels of `need` outside every window (at most `cap` listed; empty: covered). */
export function uncoveredLevels(
  need: readonly WideSpan[],
  windows: ReadonlyArray<readonly [bigint, bigint]>,
  cap = 4,
): bigint[] {
  const ws = [...windows].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const out: bigint[] = [];
  for (const [lo, hi] of need) {
    let next = lo;
    for (const [a, b] of ws) {
      if (next > hi) break;
      if (a > next) {
        out.push(next);
        if (out.length >= cap) return out;
        next = a;
        if (next > hi) break;
      }
      if (b + 1n > next) next = b + 1n;
    }
    if (next <= hi) out.push(next);
    if (out.length >= cap) return out;
  }
  return out;
}

/** The rest chains of a split: ge maps hull σ_F([min, s − 1]) to 0 and hull σ_F([s, max]) to e. */
export function splitRest(
  r: WideSigma,
  e: bigint,
  split: bigint,
  depth: number,
  budget?: Budget,
): { ge: WideStep[]; le: WideStep[] } | null {
  const s = r.setting;
  if (split <= s.min || split > s.max) return null;
  const lo = r.range(s.min, split - 1n);
  const hi = r.range(split, s.max);
  if (!lo || !hi || !(lo[1] < hi[0] || hi[1] < lo[0])) return null;
  const ge = solveWideChain(r, lo, hi, 0n, e, { minDepth: 0, maxDepth: depth, budget });
  if (!ge) return null;
  const le = solveWideChain(r, hi, lo, 0n, e, { minDepth: 0, maxDepth: depth, budget });
  return le ? { ge, le } : null;
}

/**
 * Feature families covering every needed level: splits at the low end of the needed levels (≤ 0 or 1),
 * then each next split at the first level not yet covered (at most 8 families).
 */
export function featureFamilies(
  r: WideSigma,
  e: bigint,
  depth: number,
  budget?: Budget,
): { families: FeatureFamily[]; hypotheses: FeatureHypotheses } | string {
  const s = r.setting;
  const h = featureHypotheses(r);
  if (typeof h === 'string') return h;
  const need = neededLevels(s, h);
  const families: FeatureFamily[] = [];
  const windows = () => families.map((f) => f.window);
  for (let i = 0; i < 8; i++) {
    const gap = uncoveredLevels(need, windows(), 1)[0];
    if (gap === undefined) return { families, hypotheses: h };
    // the split that covers L = gap at the bottom of its window is gap − hull.hi + max (or gap itself,
    // whichever is lower); try it and a few codes below it (a split needs disjoint hulls)
    let base = gap + s.max - h.hull[1];
    if (base > gap) base = gap;
    let added = false;
    for (const d of [0n, -1n, -2n, -4n, -8n, 1n]) {
      const split = base + d;
      const w = featureWindow(s, h.hull, split);
      if (!w || w[0] > gap || w[1] < gap) continue;
      const rest = splitRest(r, e, split, depth, budget);
      if (!rest) continue;
      families.push({ split, ...rest, window: w });
      added = true;
      break;
    }
    if (!added) return `Lemma FW: no split with rest chains covers the level code ${gap}`;
  }
  const gap = uncoveredLevels(need, windows(), 1)[0];
  return gap === undefined
    ? { families, hypotheses: h }
    : `Lemma FW: more than 8 families needed (level code ${gap} uncovered)`;
}

/**
 * The chain of a threshold in feature mode: x ≥ t (ge) or x ≤ t (le, the threshold t + 1), or null.
 * `ge`/`le` of the family read as the lemma says: e·[v ≥ L] by R_ge, e·[v ≤ L − 1] by R_le.
 */
export function featureChain(
  s: WideSetting,
  h: FeatureHypotheses,
  families: readonly FeatureFamily[],
  dir: 'ge' | 'le',
  t: bigint,
): WideStep[] | null {
  const tt = dir === 'ge' ? t : t + 1n;
  const fl = featureLevel(s, h, tt);
  if (!fl) return null;
  const f = families.find((x) => fl.level >= x.window[0] && fl.level <= x.window[1]);
  if (!f) return null;
  // f₊: x ≥ t ⇔ v ≥ L; f₋: x ≥ t ⇔ v ≤ L − 1
  const wantGe = (dir === 'ge') !== fl.down;
  return [fl.feature, [s.one, f.split - fl.level], ...(wantGe ? f.ge : f.le)];
}
