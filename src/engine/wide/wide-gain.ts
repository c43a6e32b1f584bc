/**
 * Lemma G (gain families: thresholds that never overflow, for overflow `error`; docs/theory.md §9.5).
 * Under `error` a first step x ↦ σ_F(1⊗x ⊕ b) with b ≠ 0 raises on some x, so Lemma 4's families are not
 * valid. With the gain w₀ = ±½ instead the products fill half the range and a bias can be added without
 * overflow. Hypotheses: ±½ ∈ W; rounding floor, ceil, nearest-up or nearest-down (rnd(q + k) = rnd(q) + k
 * for every integer k), or nearest-even with sequential accumulation and n ≤ 20 (rnd(q + 2) = rnd(q) + 2:
 * then also the gains ±(½ ± ε), and servedness has the period 2·2ⁿ); any overflow mode, accumulation and
 * bias order.
 *
 * Let g(x) = rnd(w₀·x) (the rounded product, a code). The pre-activation of x ↦ w₀⊗x ⊕ b is g(x) + b
 * (sequential: g(x) then an exact integer sum; exact accumulation: rnd(w₀x + b) = rnd(w₀x) + b), valid for
 * all x exactly when it is at x = min and x = max (g is monotone, Lemma 3). g(x + P) = g(x) + 2c for
 * w₀ = c/2ⁿ and P = 4 (±½) or 2·2ⁿ (the rounding commutes with the even shift 2c), so whether g separates
 * t − 1 and t depends on t mod P only (evaluated on one period).
 *
 * Lemma G′ (nearest-away, nearest-zero; sequential accumulation, n ≤ 20): the same gains as nearest-even.
 * On q ≥ 0 these roundings are nearest-up and nearest-down, on q ≤ 0 nearest-down and nearest-up, each
 * commuting with integer shifts, so g(x + P) = g(x) + 2c whenever x and x + P have one sign: servedness
 * is periodic on t ≥ 1 (t − 1, t ≥ 0) and on t ≤ 0 separately, one table per side (`gainTwoSided`,
 * evaluated on t = 1 … P and t = 1 − P … 0). The pre-activation g(x) + b is exact under sequential
 * accumulation for every rounding, and the rest of the proof reads only g's monotonicity. toward-zero is
 * excluded: no gain |w₀| < 1 separates t − 1 and t at t = k·2ⁿ ≤ 0 (see `gainApplies`).
 *
 * Lemma G″ (exact accumulation, toward-zero, nearest-away, nearest-zero; any n): at a fixed split s the
 * step only asks whether rnd(w₀x + b) ≥ s, and {q : rnd(q) ≥ s} is [s, ∞) or (s − 1, ∞) or [s − ½, ∞) or
 * (s − ½, ∞), the same up-set as for one rounding r′_s that commutes with integer shifts (floor, ceil,
 * nearest-up, nearest-down; `gainProxy`). So rnd(w₀x + b) ≥ s ⟺ r′_s(w₀x) + b ≥ s, and the family reads
 * g(x) = r′_s(w₀x) with the gains ±½ and the period 4, as under Lemma G; validity is still the real
 * rnd(w₀x + b) at min and max (strict).
 *
 * A family (w₀, s, R_ge, R_le) with a split s and the rest chains of Lemma 4 (R_ge: hull σ_F([min, s − 1])
 * → 0, hull σ_F([s, max]) → e; R_le the opposite) serves the threshold x ≥ t when g(t − 1) ≠ g(t) (the
 * residue of t is served) and the bias b_t below is valid at min and max (a window of t, an interval
 * since g is monotone: checked at its two ends):
 *
 * - w₀ > 0: b_t = s − g(t); x ≥ t ⟹ g(x) + b_t ≥ s, x ≤ t − 1 ⟹ g(x) + b_t ≤ g(t − 1) − g(t) + s ≤ s − 1,
 *   so [w₀, b_t] + R_ge computes e·[x ≥ t];
 * - w₀ < 0: b_t = s − 1 − g(t); x ≥ t ⟹ p ≤ s − 1, x ≤ t − 1 ⟹ p ≥ s, so [w₀, b_t] + R_le computes it.
 *
 * x ≤ t is ¬(x ≥ t + 1): the same first step for t + 1 with the other rest chain. Thresholds no family
 * serves get chains of their own, proved on their two intervals by strict interval images. ∎ Every
 * operation of such a certificate is proved never to leave the range, so it is a certificate under every
 * overflow mode, `error` included.
 */
import { type Rounding, roundQuotient } from '../../core/rounding.js';
import type { WideSetting, WideStep } from './wide-setting.js';

/** A gain family's first-step data. */
export interface GainFamily {
  readonly gain: bigint;
  readonly split: bigint;
  /** With `gainParity`: the parity of the biases b_t this family uses (0: even, 1: odd). */
  readonly parity?: bigint;
  /** Window of thresholds t (ge) whose first step is valid: [lo, hi] (null: empty). */
  readonly window: readonly [bigint, bigint] | null;
  /** served[r] = 1 when g separates t − 1 and t for t ≡ r (mod the period). */
  readonly residues: Uint8Array;
}

/** The most fraction bits whose residue tables (period 2·2ⁿ) are filled. */
const MAX_PERIOD_BITS = 20;
const MAX_PERIOD_ONE = 1n << BigInt(MAX_PERIOD_BITS);

const SHIFT_ROUNDINGS = new Set(['floor', 'ceil', 'nearest-up', 'nearest-down']);
/**
 * Roundings symmetric about 0 (rnd(−q) = −rnd(q)) used two-sided: on q ≥ 0 nearest-away and nearest-zero
 * are nearest-up and nearest-down, on q ≤ 0 nearest-down and nearest-up, so they commute with integer
 * shifts that keep the sign of q (Lemma G′, docs/theory.md §9.5). toward-zero is symmetric too, but
 * leaves thresholds no gain serves (`gainApplies`).
 */
const SIGN_ROUNDINGS = new Set(['nearest-away', 'nearest-zero']);

/**
 * Roundings that Lemma G″ reads through a proxy under exact accumulation: toward-zero, nearest-away and
 * nearest-zero (docs/theory.md §9.5).
 */
const PROXY_ROUNDINGS = new Set(['toward-zero', 'nearest-away', 'nearest-zero']);

/** True when the families read g through `gainProxy` (exact accumulation and a rounding of Lemma G″). */
export function gainProxied(s: WideSetting): boolean {
  return s.exact && PROXY_ROUNDINGS.has(s.policy.rounding);
}

/**
 * Lemma G″: the rounding r′ ∈ {floor, ceil, nearest-up, nearest-down} with rnd(q) ≥ split ⟺ r′(q) ≥ split
 * for every rational q, where rnd is the configuration's rounding (null when the families read rnd itself).
 * toward-zero is floor on q ≥ 0 and ceil on q ≤ 0, and the boundary of {rnd ≥ s} lies at s (s ≥ 1, positive
 * side) or s − 1 (s ≤ 0, negative side); nearest-away and nearest-zero have their boundary tie s − ½ on the
 * side of s's sign (s ≥ 1: positive, s ≤ 0: negative), where they break it up or down.
 */
export function gainProxy(s: WideSetting, split: bigint): Rounding | null {
  if (!gainProxied(s)) return null;
  const pos = split >= 1n;
  switch (s.policy.rounding) {
    case 'toward-zero':
      return pos ? 'floor' : 'ceil';
    case 'nearest-away':
      return pos ? 'nearest-up' : 'nearest-down';
    default:
      return pos ? 'nearest-down' : 'nearest-up';
  }
}

/** Why Lemma G does not apply (null: it does). */
export function gainApplies(s: WideSetting): string | null {
  if (s.binary || s.one < 2n || s.one / 2n > s.max) return 'Lemma G needs ±½ as weights';
  const r = s.policy.rounding;
  if (SHIFT_ROUNDINGS.has(r) || gainProxied(s)) return null;
  if (r === 'toward-zero')
    // rnd(c(t − 1)/2ⁿ) = rnd(ct/2ⁿ) for every 0 < |c| < 2ⁿ when t = k·2ⁿ ≤ 0 or t = k·2ⁿ + 1 ≥ 1 (ct/2ⁿ is
    // an integer and the other product lies within 1 of it on the side toward 0): about 2^(m+1)
    // thresholds no gain step serves (docs/theory.md §9.5, Lemma G′)
    return 'Lemma G with toward-zero: no gain |w₀| < 1 separates t − 1 and t for t = k·2ⁿ ≤ 0 or t = k·2ⁿ + 1 ≥ 1 (rounding toward 0 undoes the step of size |w₀| < 1 from an integer product), about 2^(m+1) thresholds, more than the singles';
  if (r === 'nearest-even' || SIGN_ROUNDINGS.has(r)) {
    if (s.exact && r !== 'nearest-even')
      return `Lemma G with ${r} needs sequential accumulation (rnd(q + b) ≠ rnd(q) + b when q and q + b differ in sign)`;
    // the residue tables have 2·2ⁿ entries (two-sided: 4·2ⁿ), filled by one exact evaluation each: at
    // n = 20 about 0.6 s per gain on this machine; beyond, the tables would cost too much time and memory
    if (s.one > MAX_PERIOD_ONE)
      return `Lemma G with ${r} needs at most ${MAX_PERIOD_BITS} fraction bits (its residue table has 2·2ⁿ entries, one exact evaluation each)`;
    return null;
  }
  return `Lemma G needs a rounding that commutes with integer shifts (floor, ceil, nearest-up, nearest-down), nearest-even, toward-zero, nearest-away or nearest-zero, not ${r}`;
}

/**
 * True when servedness is periodic on t ≥ 1 and on t ≤ 0 separately (the roundings symmetric about 0):
 * the residue table then has two halves, [0, P) for t ≥ 1 and [P, 2P) for t ≤ 0.
 */
export function gainTwoSided(s: WideSetting): boolean {
  return SIGN_ROUNDINGS.has(s.policy.rounding) && !gainProxied(s);
}

/**
 * True when a gain step's bias must be even (nearest-even with exact accumulation: rnd(q + b) = rnd(q) + b
 * for even b only; Lemma G, "exact accumulation"). Servedness then also asks that b_t be even, and the
 * window is the interval where the step would be valid with pre-activation g(x) + b_t (`gainValid`).
 */
export function gainParity(s: WideSetting): boolean {
  return s.exact && s.policy.rounding === 'nearest-even';
}

/** The index of t in a residue table of period P (two halves when `twoSided`). */
export function residueIndex(t: bigint, P: bigint, twoSided: boolean): number {
  const r = Number(((t % P) + P) % P);
  return twoSided && t <= 0n ? Number(P) + r : r;
}

/**
 * The gains of Lemma G and the period P of servedness: ±½ with P = 4 when the rounding commutes with
 * every integer shift; under nearest-even (which commutes with even shifts) also ±(½ ± ε), all with
 * P = 2·2ⁿ (the product shifts by 2·w₀·2ⁿ/2ⁿ·… = 2c/2ⁿ·2ⁿ = 2c, an even integer).
 */
export function gainsOf(s: WideSetting): { gains: bigint[]; period: bigint } {
  const half = s.one / 2n;
  if (SHIFT_ROUNDINGS.has(s.policy.rounding) || gainProxied(s)) return { gains: [half, -half], period: 4n };
  return { gains: [half, -half, half + 1n, -(half + 1n), half - 1n, -(half - 1n)], period: 2n * s.one };
}

/**
 * g(x) = rnd(w₀·x): the rounded product (a code; may be out of range). With `gainParity` and parity 1, g₁(x) =
 * rnd(w₀·x + 1) − 1 (nearest with ties to odd): the pre-activation of an odd bias b is rnd(w₀x + b) =
 * g₁(x) + b, as rnd(w₀x + 1 + (b − 1)) = rnd(w₀x + 1) + b − 1 for the even b − 1.
 */
export function gainProduct(s: WideSetting, w0: bigint, x: bigint, parity = 0n, split = 0n): bigint {
  if (parity === 0n) return roundQuotient(w0 * x, s.one, gainProxy(s, split) ?? s.policy.rounding).value;
  return roundQuotient(w0 * x + s.one, s.one, s.policy.rounding).value - 1n;
}

/** A family's first-step data: the gain, the split and (with `gainParity`) the biases' parity. */
export interface GainKey {
  readonly gain: bigint;
  readonly split: bigint;
  readonly parity?: bigint;
  /**
   * Reach-limited families (Lemma IF under `error` with σ_F invalid above a code, docs/theory.md §9.5): every
   * pre-activation of the first step must also be at most `cap`, where σ_F is valid (absent: max).
   */
  readonly cap?: bigint;
}

/** The first step of the threshold x ≥ t (its bias), from Lemma G (G″: g read through the split's proxy). */
export function gainStep(s: WideSetting, f: GainKey, t: bigint): WideStep {
  const g = gainProduct(s, f.gain, t, f.parity ?? 0n, f.split);
  return [f.gain, f.gain > 0n ? f.split - g : f.split - 1n - g];
}

/**
 * True when the first step of x ≥ t is valid on all of 𝕀 (checked at min and max, strictly). With
 * `gainParity`, the step's pre-activation is taken as g(x) + b_t (what it is for the even b_t of every
 * served t), so that validity is an interval of t for every t, served or not.
 */
export function gainValid(s: WideSetting, f: GainKey, t: bigint): boolean {
  const [w, b] = gainStep(s, f, t);
  if (b < s.min || b > s.max) return false;
  if (gainParity(s)) {
    const lo = gainProduct(s, w, s.min, f.parity ?? 0n) + b;
    const hi = gainProduct(s, w, s.max, f.parity ?? 0n) + b;
    const inRange = (v: bigint) => v >= s.min && v <= (f.cap ?? s.max);
    return inRange(lo) && inRange(hi);
  }
  const lo = s.pre([w], [s.min], b, true);
  const hi = s.pre([w], [s.max], b, true);
  if (lo === null || hi === null) return false;
  // the pre-activation is monotone in x: its ends bound it (reach-limited families: below the cap)
  return f.cap === undefined || (lo <= f.cap && hi <= f.cap);
}

const residueMemo = new WeakMap<WideSetting, Map<bigint, Uint8Array>>();

/**
 * served[r] for r = 0 … P − 1: g(r − 1) ≠ g(r) (P + 1 evaluations of g, memoized per setting). Two-sided
 * (`gainTwoSided`): served[t mod P] from t = 1 … P and served[P + (t mod P)] from t = −P + 1 … 0, so that
 * t − 1 and t have one sign in each half.
 */
export function gainResidues(s: WideSetting, w0: bigint, split = 0n, p = 0n): Uint8Array {
  let memo = residueMemo.get(s);
  if (!memo) residueMemo.set(s, (memo = new Map()));
  const parity = gainParity(s);
  // with gainParity the bias b_t = s − g_p(t) (w₀ > 0) or s − 1 − g_p(t) must have the parity p: the split's
  // parity matters
  // with gainProxy the residues are those of the split's proxy rounding (one per sign of the split)
  const key = parity
    ? w0 * 8n + (((split % 2n) + 2n) % 2n) * 4n + p * 2n + 1n
    : w0 * 8n + (gainProxied(s) && split >= 1n ? 2n : 0n);
  const hit = memo.get(key);
  if (hit) return hit;
  const P = gainsOf(s).period;
  const two = gainTwoSided(s);
  const out = new Uint8Array(Number(two ? 2n * P : P));
  const top = w0 > 0n ? split : split - 1n;
  const fill = (from: bigint, to: bigint) => {
    let prev = gainProduct(s, w0, from - 1n, p, split);
    for (let t = from; t <= to; t++) {
      const g = gainProduct(s, w0, t, p, split);
      if (g !== prev && (!parity || (((top - g - p) % 2n) + 2n) % 2n === 0n))
        out[residueIndex(t, P, two)] = 1;
      prev = g;
    }
  };
  if (two) {
    fill(1n, P);
    fill(1n - P, 0n);
  } else fill(0n, P - 1n);
  memo.set(key, out);
  return out;
}

/** True when the family's gain separates t − 1 and t (by the residue of t; with `gainParity`, b_t even). */
export function gainServes(s: WideSetting, w0: bigint, t: bigint, split = 0n, p = 0n): boolean {
  return gainResidues(s, w0, split, p)[residueIndex(t, gainsOf(s).period, gainTwoSided(s))] === 1;
}

/**
 * The window of t whose step is valid: valid t form an interval (g monotone); found by binary search
 * from a valid t near the one with g(t) = s's mirror, and re-checked at both ends by the verifier.
 */
export function gainWindow(s: WideSetting, f: GainKey): [bigint, bigint] | null {
  // a valid t: the one whose bias is about −g(0) − (g(min) + g(max))/2, centring the pre-activations
  const gmin = gainProduct(s, f.gain, s.min, f.parity ?? 0n, f.split);
  const gmax = gainProduct(s, f.gain, s.max, f.parity ?? 0n, f.split);
  const mid = (gmin + gmax) / 2n;
  // want b_t ≈ −mid, i.e. g(t) ≈ s + mid (w₀ > 0) or s − 1 + mid (w₀ < 0): binary search g monotone
  const target = (f.gain > 0n ? f.split : f.split - 1n) + mid;
  let lo = s.min;
  let hi = s.max;
  const up = f.gain > 0n;
  while (lo < hi) {
    const m = lo + (hi - lo) / 2n;
    const g = gainProduct(s, f.gain, m, f.parity ?? 0n, f.split);
    if (up ? g < target : g > target) lo = m + 1n;
    else hi = m;
  }
  let c = lo;
  if (!gainValid(s, f, c)) {
    let found = false;
    for (const d of [-1n, 1n, -2n, 2n, -3n, 3n])
      if (c + d >= s.min && c + d <= s.max && gainValid(s, f, c + d)) {
        c += d;
        found = true;
        break;
      }
    if (!found) return null;
  }
  const edge = (dir: 1n | -1n): bigint => {
    // last valid t from c in direction dir (validity is an interval)
    let good = c;
    let bad = dir > 0n ? s.max + 1n : s.min - 1n;
    while ((bad - good) * dir > 1n) {
      const m = good + (bad - good) / 2n;
      if (gainValid(s, f, m)) good = m;
      else bad = m;
    }
    return good;
  };
  return [edge(-1n), edge(1n)];
}

/** Builds a gain family's data (window and residues). */
export function gainFamily(
  s: WideSetting,
  gain: bigint,
  split: bigint,
  parity = 0n,
  cap?: bigint,
): GainFamily {
  return {
    gain,
    split,
    parity,
    window: gainWindow(s, { gain, split, parity, ...(cap === undefined ? {} : { cap }) }),
    residues: gainResidues(s, gain, split, parity),
  };
}

/**
 * The thresholds x ≥ t, t ∈ [from, to], that no family serves (at most `limit` + 1 listed): the window
 * ends split [from, to] into segments, each served on the union of its families' residues.
 */
export function gainUncovered(
  families: readonly GainFamily[],
  from: bigint,
  to: bigint,
  limit: number,
  twoSided = false,
): bigint[] {
  const cuts = new Set<bigint>([from, to + 1n]);
  // two-sided tables: no segment holds both t ≤ 0 and t ≥ 1
  if (twoSided && from < 1n && 1n <= to) cuts.add(1n);
  for (const f of families)
    if (f.window) {
      if (f.window[0] > from && f.window[0] <= to) cuts.add(f.window[0]);
      if (f.window[1] + 1n > from && f.window[1] + 1n <= to) cuts.add(f.window[1] + 1n);
    }
  const points = [...cuts].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const out: bigint[] = [];
  const L = families.length > 0 ? families[0].residues.length : 1;
  if (families.some((f) => f.residues.length !== L)) throw new Error('gain families of different periods');
  const P = twoSided ? L / 2 : L;
  const Pb = BigInt(P);
  for (let i = 0; i + 1 < points.length; i++) {
    const [a, b] = [points[i], points[i + 1] - 1n];
    // the half of the table this segment reads (two-sided: t ≤ 0 reads [P, 2P))
    const off = twoSided && b <= 0n ? P : 0;
    const union = new Uint8Array(P);
    for (const f of families)
      if (f.window && f.window[0] <= a && b <= f.window[1])
        for (let r = 0; r < P; r++) union[r] |= f.residues[off + r];
    if (union.every((x) => x === 1)) continue;
    for (let t = a; t <= b; t++) {
      if (union[Number(((t % Pb) + Pb) % Pb)] === 1) continue;
      out.push(t);
      if (out.length > limit) return out;
    }
  }
  return out;
}
