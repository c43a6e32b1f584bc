/**
 * Lemma OP and feature-pair families above 16 bits (docs/theory.md §9.5 "Lemma OP"): Proposition FP of
 * §10.9 without a table, for activations with σ(t) − σ(−t) = t (gelu, silu, softplus, hard-swish) on
 * symmetric formats, where Lemma FW (σ = identity on x ≥ 0) does not apply.
 *
 * Lemma OP (odd part). Hypotheses (checked by `featurePairHypotheses`): an SQ format (min = −max, so −x is
 * a value), ±1 ∈ W, σ one of gelu, silu, softplus, hard-swish (σ(t) − σ(−t) = t for every real t: Φ(t) +
 * Φ(−t) = 1, sigmoid(t) + sigmoid(−t) = 1, ln(1 + eᵗ) − ln(1 + e⁻ᵗ) = t, relu6(t + 3) + relu6(3 − t) = 6),
 * the features f₊(x) = σ_F(1⊗x ⊕ 0) and f₋(x) = σ_F((−1)⊗x ⊕ 0) valid on all of 𝕀; the rounding is floor,
 * ceil, nearest-up or nearest-down (every cell a half-open unit interval, invariant under integer shifts),
 * or toward-zero for softplus (σ > 0: on positive values toward-zero is floor), or nearest-even,
 * nearest-away or nearest-zero for silu and softplus (σ(q) is irrational at every rational q ≠ 0 by
 * Lindemann–Weierstrass, and silu(0) = 0 is no tie) or hard-swish (every pair next to a code where σ
 * takes a half-integer multiple of ε, found by arithmetic, is evaluated). Then x ↦ (f₊(x), f₋(x)) is
 * injective on 𝕀.
 * _Proof._ In units of ε put a(x) = σ(xε)/ε; f₊(x) = rnd(a(x)) and f₋(x) = rnd(a(−x)) = rnd(a(x) − x)
 * (x is an integer). Let x < y = x + k be merged by both. Two reals with one rounding lie in one cell,
 * of length at most 1, so |a(y) − a(x)| ≤ 1 and |(a(y) − y) − (a(x) − x)| ≤ 1, hence k ≤ 2. Shift
 * invariant half-open cells: a(x), a(y) ∈ C and a(x) − x, a(y) − y ∈ C′, so a(x), a(y) − k ∈ C′ + x, a
 * cell containing a(x), i.e. C itself; C then holds a(y) and a(y) − k, k ≥ 1 apart: impossible. Nearest
 * modes whose cells are not shift invariant: the cells of ℝ minus the ties (½ + ℤ) are the open unit
 * intervals J between ties, and the same argument runs on them unless one of the four values is a tie;
 * a(−c) = a(c) − c is a tie iff a(c) is, so only pairs (c, c ± 1), (c, c ± 2) with a(c) a tie can be
 * merged, and those are evaluated. ∎ With Lemma BE's validity this is DIST, and Proposition FP's
 * injectivity.
 *
 * Families (the levels of Proposition FP). Both features take their values in the hull [lo, hi] of
 * σ_F(𝕀) (−x runs over 𝕀). A family is a split s with rest chains R_ge (hull σ_F([min, s − 1]) → 0, hull
 * σ_F([s, max]) → e) and R_le (the opposite), proved by interval images (§9.1), a sign and a window of
 * levels L. Sign +1: the second step (1, s − L) gives p = v + s − L, ≥ s exactly when v ≥ L; sign −1:
 * (−1, s + L − 1) gives p = s + L − 1 − v, ≥ s exactly when v ≤ L − 1 (−v is a value on SQ; a sum of codes
 * in range is exact in every accumulation and bias order). p is in range for every v ∈ [lo, hi] and every
 * L of the window when it is at the four corners (monotone in both; strict evaluation). So g_{k,v}
 * (e·[y ≥ v], level v) and h_{k,v} (e·[y ≤ v], level v + 1) exist for every v with the level in a window;
 * the levels needed are [lo + 1, hi] (at v = lo, g is h; at v = hi, h is g). Proposition FP then gives
 * universality (all d) with D_z = AND(AND(G₊, H₊), AND(G₋, H₋)).
 */
import { roundedActivation } from '../../activations/rounded.js';
import { makeFormat } from '../../format.js';
import type { Budget } from '../budget.js';
import { splitRest, uncoveredLevels } from './wide-feature.js';
import type { WideSetting, WideStep } from './wide-setting.js';
import type { WideSigma, WideSpan } from './wide-sigma.js';

/** σ(t) − σ(−t) = t for every real t (by their definitions). */
const ODD_PART = new Set(['gelu', 'silu', 'softplus', 'hard-swish']);
/** Roundings whose cells are half-open unit intervals invariant under integer shifts. */
const SHIFT_INVARIANT = new Set(['floor', 'ceil', 'nearest-up', 'nearest-down']);
/** At most this many tie codes are evaluated (hard-swish: about 6·2^(n/2)). */
const MAX_TIES = 1 << 16;

export interface FeaturePairHypotheses {
  readonly plus: WideStep;
  readonly minus: WideStep;
  /** Hull of σ_F over 𝕀 (the values of both features). */
  readonly hull: WideSpan;
  /** Codes c with a(c) a tie whose neighbouring pairs were evaluated (nearest modes on hard-swish and gelu; null: ties cannot matter). */
  readonly ties: number | null;
}

export interface PairFamily {
  readonly split: bigint;
  readonly ge: readonly WideStep[];
  readonly le: readonly WideStep[];
  readonly sign: 1n | -1n;
  readonly window: readonly [bigint, bigint];
}

/**
 * Codes c ∈ 𝕀 where hard-swish(cε)/ε is a half-integer: on |c| ≤ 3·2ⁿ it is c(c + 3·2ⁿ)/(6·2ⁿ), and
 * 2a(c) is an integer only if v₂(c) ≥ n/2 (v₂(c) = j < n gives v₂(2c(c + 3·2ⁿ)) = 2j + 1); beyond, a(c)
 * is c or 0, an integer. Null when more than `MAX_TIES` candidates.
 */
export function hardSwishTies(s: WideSetting): bigint[] | null {
  const n = BigInt(s.format.fracBits);
  const three = 3n << n;
  const den = 6n << n;
  const step = 1n << ((n + 1n) / 2n);
  const lo = -three > s.min ? -three : s.min;
  const hi = three < s.max ? three : s.max;
  if ((hi - lo) / step > BigInt(MAX_TIES)) return null;
  const out: bigint[] = [];
  for (let c = lo - (((lo % step) + step) % step); c <= hi; c += step) {
    if (c < lo) continue;
    const twice = 2n * c * (c + three);
    if (twice % den === 0n && ((twice / den) & 1n) === 1n) out.push(c);
  }
  return out;
}

/** Nearest-even, nearest-away and nearest-zero on hard-swish and gelu: ties may be reached at codes. */
function tiesMatter(s: WideSetting): boolean {
  const rounding = s.policy.rounding;
  const act = s.config.activation.name;
  return (
    !SHIFT_INVARIANT.has(rounding) && rounding !== 'toward-zero' && (act === 'hard-swish' || act === 'gelu')
  );
}

/** At most this many codes of gelu are evaluated for ties (twice each, with one more fraction bit). */
const MAX_GELU_CODES = 1 << 20;

/**
 * Codes c ∈ 𝕀 where gelu(cε)/ε = a(c) is a half-integer (a tie), or a reason. 2a(c) is rounded with floor
 * and with ceil on the format with one more fraction bit (x = 2c·2^-(n+1) = cε, the engine's exact
 * rounding): a tie is 2a(c) an odd integer, i.e. floor = ceil, odd. Since a(−c) = a(c) − c, only c ≥ 0 is
 * evaluated, up to the first c₀ = k·2ⁿ (k ≥ 3) with a(c₀) ∈ (c₀ − ½, c₀) (floor(2a) = 2c₀ − 1, ceil(2a) =
 * 2c₀): for x ≥ 1, x·Q(x) is decreasing (its derivative Q(x) − xφ(x) < 0, Mills' ratio Q(x) < φ(x)/x), so
 * every c ≥ c₀ has c − a(c) = c·Q(cε) ≤ c₀ − a(c₀) < ½ and a(c) ∈ (c − ½, c): no tie.
 */
export function geluTies(s: WideSetting): bigint[] | string {
  const n = s.format.fracBits;
  const fine = makeFormat('SQ', s.format.intBits, n + 1);
  const act = s.config.activation;
  const lo = roundedActivation(act, fine, { rounding: 'floor', overflow: 'saturate' });
  const hi = roundedActivation(act, fine, { rounding: 'ceil', overflow: 'saturate' });
  const one = 1n << BigInt(n);
  let c0 = s.max + 1n;
  for (let k = 3n; k * one <= s.max; k++) {
    const c = k * one;
    if (lo.apply(2n * c) === 2n * c - 1n && hi.apply(2n * c) === 2n * c) {
      c0 = c;
      break;
    }
  }
  if (c0 > BigInt(MAX_GELU_CODES)) return `Lemma OP: gelu's ties would need ${c0} codes evaluated`;
  const out: bigint[] = [];
  for (let c = 0n; c < c0; c++) {
    const f = lo.apply(2n * c);
    if (f === hi.apply(2n * c) && (f & 1n) !== 0n) {
      out.push(c);
      if (c !== 0n && -c >= s.min) out.push(-c);
    }
  }
  return out;
}

/**
 * Lemma OP's evaluated pairs on hard-swish under nearest-even, nearest-away or nearest-zero on an SQ format:
 * a pair (x, y), |x − y| ≤ 2, next to a tie code, on which both features σ_F(x), σ_F(−x) agree (a DIST
 * witness by Lemma BE under `error` with weights ±1), or the number of tie codes checked, or null (too
 * many). 0 when ties do not matter.
 */
export function tieMergedPair(s: WideSetting): [bigint, bigint] | number | null {
  if (!tiesMatter(s) || s.min !== -s.max) return 0;
  // evaluated once per setting (DIST, the hypotheses, the search and the verifier all ask)
  const known = tieMemo.get(s);
  if (known !== undefined) return known;
  const got = tieMergedPairOnce(s);
  tieMemo.set(s, got);
  return got;
}

const tieMemo = new WeakMap<WideSetting, [bigint, bigint] | number | null>();

function tieMergedPairOnce(s: WideSetting): [bigint, bigint] | number | null {
  const list = s.config.activation.name === 'gelu' ? geluTies(s) : hardSwishTies(s);
  if (!list || typeof list === 'string') return null;
  const f = (w: bigint, x: bigint) => s.neuron([w], [x], 0n);
  for (const c of list)
    for (const d of [-2n, -1n, 1n, 2n]) {
      const y = c + d;
      if (y < s.min || y > s.max) continue;
      if (f(s.one, c) === f(s.one, y) && f(-s.one, c) === f(-s.one, y)) return c < y ? [c, y] : [y, c];
    }
  return list.length;
}

/** Lemma OP's hypotheses (null members: the reason it does not apply). */
export function featurePairHypotheses(r: WideSigma): FeaturePairHypotheses | string {
  const s = r.setting;
  const act = s.config.activation.name;
  const rounding = s.policy.rounding;
  if (s.min !== -s.max) return 'Lemma OP needs a symmetric format (SQ), where −x is a value for every x';
  if (s.one > s.max) return 'Lemma OP needs the weights ±1';
  if (!ODD_PART.has(act))
    return `Lemma OP needs σ(t) − σ(−t) = t, proved for gelu, silu, softplus and hard-swish, not ${s.config.activation.key}`;
  if (rounding === 'toward-zero' && act !== 'softplus')
    return `Lemma OP with toward-zero needs σ > 0 (softplus), not ${act}`;
  const plus: WideStep = [s.one, 0n];
  const minus: WideStep = [-s.one, 0n];
  for (const [w, b] of [plus, minus])
    for (const x of [s.min, s.max])
      if (s.pre([w], [x], b, true) === null || s.neuron([w], [x], b) === null)
        return 'Lemma OP: a feature σ_F(±x) is not valid on 𝕀';
  const hull = r.range(s.min, s.max);
  if (!hull) return 'Lemma OP: σ_F is invalid somewhere on 𝕀';
  let ties: number | null = null;
  if (tiesMatter(s)) {
    const got = tieMergedPair(s);
    if (got === null) return `Lemma OP: too many codes of ${act} to evaluate for ties`;
    if (Array.isArray(got))
      return `Lemma OP: the features merge the codes ${got[0]} and ${got[1]} (next to a tie of ${act})`;
    ties = got as number;
  }
  return { plus, minus, hull, ties };
}

/** The second step of level L in a family of the given sign. */
export function pairStep(s: WideSetting, sign: 1n | -1n, split: bigint, L: bigint): WideStep {
  return sign > 0n ? [s.one, split - L] : [-s.one, split + L - 1n];
}

/** The second step of level L is valid on the whole hull (strict evaluation at both ends). */
export function pairStepValid(
  s: WideSetting,
  hull: WideSpan,
  sign: 1n | -1n,
  split: bigint,
  L: bigint,
): boolean {
  const [w, b] = pairStep(s, sign, split, L);
  if (b < s.min || b > s.max) return false;
  return s.pre([w], [hull[0]], b, true) !== null && s.pre([w], [hull[1]], b, true) !== null;
}

/** The window of levels of a split and sign: the bias in 𝕀 and the second step in range on the hull. */
export function pairWindow(
  s: WideSetting,
  hull: WideSpan,
  sign: 1n | -1n,
  split: bigint,
): [bigint, bigint] | null {
  const big = (a: bigint, b: bigint) => (a > b ? a : b);
  const small = (a: bigint, b: bigint) => (a < b ? a : b);
  const lo =
    sign > 0n
      ? big(split + hull[1] - s.max, split - s.max)
      : big(s.min + hull[1] - split + 1n, s.min - split + 1n);
  const hi =
    sign > 0n
      ? small(split + hull[0] - s.min, split - s.min)
      : small(s.max + hull[0] - split + 1n, s.max - split + 1n);
  return lo <= hi ? [lo, hi] : null;
}

/** Levels the detectors need: [lo + 1, hi] (empty when σ_F is constant). */
export function pairNeededLevels(h: FeaturePairHypotheses): WideSpan[] {
  return h.hull[0] + 1n <= h.hull[1] ? [[h.hull[0] + 1n, h.hull[1]]] : [];
}

/** Families covering every needed level (at most 8; each next one at the first level not covered). */
export function featurePairFamilies(
  r: WideSigma,
  e: bigint,
  depth: number,
  budget?: Budget,
): { families: PairFamily[]; hypotheses: FeaturePairHypotheses } | string {
  const s = r.setting;
  const h = featurePairHypotheses(r);
  if (typeof h === 'string') return h;
  const need = pairNeededLevels(h);
  const families: PairFamily[] = [];
  const windows = () => families.map((f) => f.window);
  for (let i = 0; i <= 8; i++) {
    const gap = uncoveredLevels(need, windows(), 1)[0];
    if (gap === undefined) return { families, hypotheses: h };
    if (i === 8) break;
    // the split whose window starts at the gap: sign +1, s = gap + max − hi (at most gap); sign −1,
    // s = min + hi + 1 − gap; then a few codes around (a split needs disjoint hulls and rest chains)
    let plusBase = gap + s.max - h.hull[1];
    if (plusBase > gap) plusBase = gap;
    const minusBase = s.min + h.hull[1] + 1n - gap;
    let added = false;
    for (const d of [0n, -1n, -2n, -4n, -8n, -16n, 1n, 2n]) {
      for (const [sign, base] of [
        [-1n, minusBase],
        [1n, plusBase],
      ] as const) {
        const split = sign > 0n ? base + d : base - d;
        const w = pairWindow(s, h.hull, sign, split);
        if (!w || w[0] > gap || w[1] < gap) continue;
        const rest = splitRest(r, e, split, depth, budget);
        if (!rest) continue;
        families.push({ split, ...rest, sign, window: w });
        added = true;
        break;
      }
      if (added) break;
    }
    if (!added) return `Proposition FP above 16 bits: no split with rest chains covers the level code ${gap}`;
  }
  const gap = uncoveredLevels(need, windows(), 1)[0];
  return `Proposition FP above 16 bits: more than 8 families needed (level code ${gap} uncovered)`;
}

/**
 * The chain after a feature computing e·[y ≥ v] (g) or e·[y ≤ v] (h) on the feature's values y, as
 * Proposition FP names them (at v = lo, g is h; at v = hi, h is g), or null when no window holds the level.
 */
export function levelChain(
  s: WideSetting,
  hull: WideSpan,
  families: readonly PairFamily[],
  kind: 'g' | 'h',
  v: bigint,
): WideStep[] | null {
  let k = kind;
  if (k === 'g' && v <= hull[0]) k = 'h';
  else if (k === 'h' && v >= hull[1]) k = 'g';
  // g: e·[y ≥ L] with L = v; h: e·[y ≤ L − 1] with L = v + 1
  const L = k === 'g' ? v : v + 1n;
  const f = families.find((x) => L >= x.window[0] && L <= x.window[1]);
  if (!f) return null;
  // sign +1: R_ge gives e·[y ≥ L], R_le e·[y ≤ L − 1]; sign −1 the other way round
  const wantGe = (k === 'g') === f.sign > 0n;
  return [pairStep(s, f.sign, f.split, L), ...(wantGe ? f.ge : f.le)];
}
