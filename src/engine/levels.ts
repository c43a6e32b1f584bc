import { shiftRounder } from '../core/rounding.js';
import type { Setting } from './setting.js';

/**
 * The signal levels of a certificate (docs/theory.md §8, idle-set certificates): a gadget output is
 * **active** when it equals `a` and **idle** when it lies in the set `idle` (I). Today's template is the
 * case I = {0}. An edge reading a gadget output uses a readout weight ω with ω ⊗ i = 0 for every i ∈ I
 * (`kills`), so idle neurons contribute exactly nothing to a sequential accumulator (acc ⊕ 0 = acc in
 * every rounding and overflow mode); under exact accumulation the product enters the wide sum unrounded,
 * so there ω · i = 0 exactly is needed, i.e. I = {0}.
 */
export interface Levels {
  /** The active value a (code), not in `idle`. */
  readonly a: number;
  /** The idle set I (codes, increasing, non-empty). */
  readonly idle: readonly number[];
}

/** The levels of the classical template: active e, idle {0}. */
export function zeroLevels(e: number): Levels {
  return { a: e, idle: [0] };
}

/** True when the levels are the classical I = {0}. */
export function isZeroIdle(lv: Levels): boolean {
  return lv.idle.length === 1 && lv.idle[0] === 0;
}

/**
 * The contribution of a source of value h through weight w is exactly nothing: w ⊗ h = 0 under
 * sequential accumulation (then acc ⊕ 0 = acc), w · h = 0 in the wide sum under exact accumulation.
 */
export function contributesNothing(s: Setting, w: number, h: number): boolean {
  return s.accumulation === 'exact' ? w * h === 0 : s.mul(w, h) === 0;
}

/** w kills every value of `values` (contributes nothing from each). */
export function kills(s: Setting, w: number, values: readonly number[]): boolean {
  for (const h of values) if (!contributesNothing(s, w, h)) return false;
  return true;
}

/** The readout weights of the levels: ω ∈ W with ω ⊗ i = 0 for all i ∈ I and ω ⊗ a ≠ 0. */
export function readoutWeights(s: Setting, lv: Levels): number[] {
  return s.weights.filter((w) => kills(s, w, lv.idle) && !contributesNothing(s, w, lv.a));
}

/** Membership of codes in I, as a table indexed by code − min. */
export function idleMask(s: Setting, idle: readonly number[]): Uint8Array {
  const m = new Uint8Array(s.size);
  for (const i of idle) if (i >= s.min && i <= s.max) m[i - s.min] = 1;
  return m;
}

/**
 * Whether any levels can be read at all: some weight ω ∈ W kills a value i of σ_F(𝕀) and not another
 * value a (every gadget output is a σ_F value). When none does, no certificate exists, classical or
 * idle-set (docs/theory.md §8): e.g. binary weights on a σ_F without a zero (±1 ⊗ v = ±v or a saturated
 * ±1 ⊗ v, never 0 for v ≠ 0), or exact accumulation without a zero of σ_F (ω · i = 0 needs i = 0).
 */
export function readableLevelsExist(s: Setting): boolean {
  const values = [...new Set(s.sigma)].filter((v) => v >= s.min);
  // exact accumulation: w kills v iff w·v = 0, i.e. w = 0 or v = 0 (no scan needed)
  if (s.accumulation === 'exact')
    return values.includes(0) && values.some((v) => v !== 0) && s.weights.some((w) => w !== 0);
  // small weights first: they are the ones that kill (round a product to 0)
  const weights = [...s.weights].sort((a, b) => Math.abs(a) - Math.abs(b));
  values.sort((a, b) => a - b);
  const shift = shiftRounder(s.policy.rounding, s.format.fracBits);
  for (const w of weights) {
    const split = w === 0 ? null : killsAndReads(s, w, values, shift);
    if (split === true) return true;
    if (split === false) continue;
    // the plain scan (w = 0, or too many multiples of N under wrap)
    let killed = false;
    let read = false;
    for (const v of values) {
      if (contributesNothing(s, w, v)) killed = true;
      else read = true;
      if (killed && read) return true;
    }
  }
  return false;
}

/**
 * Whether w ≠ 0 kills one of the increasing `values` and reads another (sequential accumulation), from
 * the few values where that can happen, or null when the scan must decide. w ⊗ v = ovf(r(v)) with
 * r(v) = rnd(w·v·2⁻ⁿ) monotone in v (rounding is monotone), and ovf(r) = 0 exactly for r ∈ Z: Z = {0}
 * under error and under saturate on Q and SQ (min < 0 < max), Z = (−∞, 0] under saturate on UQ (min = 0),
 * Z = N·ℤ under wrap (N = |𝕀|). So the v that w kills are those with r(v) in Z: for each run of Z met
 * by r over the values, the first value (in the order of r) where r reaches the run is the only candidate
 * a binary search needs; each candidate is checked by ⊗ itself. Under saturate and error, Z is one run, so
 * the killed values are one run of consecutive values, and w reads some value iff it does not kill both
 * ends. Under wrap with more than 64 multiples of N in the range of r, null.
 */
function killsAndReads(
  s: Setting,
  w: number,
  values: readonly number[],
  shift: (p: number) => number,
): boolean | null {
  const n = values.length;
  // index i in the order of increasing r
  const at = (i: number) => (w > 0 ? values[i] : values[n - 1 - i]);
  const r = (i: number) => shift(w * at(i));
  const kills = (i: number) => s.mul(w, at(i)) === 0;
  /** The first index whose r is ≥ z (n when none). */
  const first = (z: number) => {
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (r(mid) >= z) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  };
  const wrap = s.policy.overflow === 'wrap';
  const lowRun = s.policy.overflow === 'saturate' && s.min === 0;
  // Z as above needs min < 0 < max (or min = 0 < max for UQ): Q0.0 ({−1, 0}) saturates r > 0 to 0
  if (!(s.max > 0 && (s.min < 0 || lowRun || wrap))) return null;
  let killed = false;
  if (lowRun) killed = kills(0);
  else if (!wrap) {
    const i = first(0);
    killed = i < n && kills(i);
  } else {
    const N = s.size;
    const lo = Math.ceil(r(0) / N);
    const hi = Math.floor(r(n - 1) / N);
    if (hi - lo + 1 > 64) return null;
    for (let k = lo; k <= hi && !killed; k++) {
      const i = first(k * N);
      killed = i < n && kills(i);
    }
  }
  if (!killed) return false;
  if (!kills(0) || !kills(n - 1)) return true;
  // both ends killed: under saturate and error every value between them is killed too
  return wrap ? null : false;
}
