/**
 * Interval abstraction of chains of unary neurons (docs/theory.md §9, "Interval verification"). Without
 * wrap-around, a step h ↦ σ_F(w⊗h ⊕ b) has a pre-activation that is monotone in h (rounding, saturation
 * and addition are monotone; under overflow `error` it is valid on an interval of h as soon as it is
 * valid at both ends), so the step maps every value of an interval [lo, hi] into
 * [min σ_F, max σ_F] over the pre-activations between p(lo) and p(hi): a range-minimum query. Composing
 * these images over a chain gives a superset of the chain's outputs on [lo, hi]; when it is a single
 * value, the chain is proved to output that value on the whole interval, in O(1) per step instead of
 * O(hi − lo). `solveIntervalChain` searches chains with the same images (any σ_F, monotone or not).
 */
import { roundQuotientNumber, shiftRounder } from '../core/rounding.js';
import type { Budget } from './budget.js';
import { candidateWeights, type Step } from './chain-solver.js';
import { makeSetting, type Setting } from './setting.js';

/** A closed interval of codes [lo, hi]. */
export type Span = readonly [number, number];

/**
 * Range minimum and maximum of σ_F over intervals of codes (sparse tables, O(|𝕀| log |𝕀|) memory), and
 * a prefix count of invalid codes (NaN in the σ_F table under overflow `error`).
 */
export interface SigmaRanges {
  readonly setting: Setting;
  /** [min, max] of σ_F over the codes a … b (a ≤ b), or null when some σ_F value there is invalid. */
  range(a: number, b: number): Span | null;
  /** `range` without allocating: true when every σ_F value over a … b (a ≤ b) is valid. */
  valid(a: number, b: number): boolean;
  /** The least σ_F value over a … b (a ≤ b, `valid(a, b)`). */
  least(a: number, b: number): number;
  /** The greatest σ_F value over a … b (a ≤ b, `valid(a, b)`). */
  greatest(a: number, b: number): number;
}

const tables = new WeakMap<Setting, SigmaRanges>();

/** The range tables of a setting (built once per setting). */
export function sigmaRanges(real: Setting): SigmaRanges {
  const s = intervalSetting(real);
  const hit = tables.get(s);
  if (hit) return hit;
  const n = s.size;
  const invalid = new Int32Array(n + 1);
  const base = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const v = s.sigma[i];
    invalid[i + 1] = invalid[i] + (v >= s.min ? 0 : 1);
    base[i] = v >= s.min ? v : 0;
  }
  const mins: Int32Array[] = [base];
  const maxs: Int32Array[] = [base];
  for (let j = 1; 2 ** j <= n; j++) {
    const h = 2 ** (j - 1);
    const pm = mins[j - 1];
    const px = maxs[j - 1];
    const len = n - 2 ** j + 1;
    const m = new Int32Array(len);
    const x = new Int32Array(len);
    for (let i = 0; i < len; i++) {
      m[i] = Math.min(pm[i], pm[i + h]);
      x[i] = Math.max(px[i], px[i + h]);
    }
    mins.push(m);
    maxs.push(x);
  }
  const min = s.min;
  const r: SigmaRanges = {
    setting: s,
    range(a, b) {
      const i = a - min;
      const k = b - min;
      if (invalid[k + 1] - invalid[i] > 0) return null;
      const j = 31 - Math.clz32(k - i + 1);
      const d = k - 2 ** j + 1;
      return [Math.min(mins[j][i], mins[j][d]), Math.max(maxs[j][i], maxs[j][d])];
    },
    valid(a, b) {
      return invalid[b - min + 1] - invalid[a - min] === 0;
    },
    least(a, b) {
      const i = a - min;
      const j = 31 - Math.clz32(b - a + 1);
      const t = mins[j];
      return Math.min(t[i], t[b - min - (1 << j) + 1]);
    },
    greatest(a, b) {
      const i = a - min;
      const j = 31 - Math.clz32(b - a + 1);
      const t = maxs[j];
      return Math.max(t[i], t[b - min - (1 << j) + 1]);
    },
  };
  tables.set(s, r);
  return r;
}

/** Up to this many values, searches try every bias; above it, the biases that put a landmark at an edge. */
export const FULL_BIAS_SCAN = 2048;

const marks = new WeakMap<Setting, Int32Array>();

/**
 * Landmark pre-activations of σ_F: the codes near 0, ±2^k, where σ_F leaves its bottom and top plateaus,
 * and where it takes its least and greatest values (each with its neighbours). Searches on large formats
 * try the biases that put a side's edge at a landmark, which is where a step can pull two sides apart.
 */
export function landmarks(s: Setting): Int32Array {
  const hit = marks.get(s);
  if (hit) return hit;
  const out = new Set<number>();
  const add = (c: number) => {
    for (const d of [-2, -1, 0, 1, 2]) if (c + d >= s.min && c + d <= s.max) out.add(c + d);
  };
  add(0);
  for (let p = 1; p <= s.max; p *= 2) {
    add(p);
    add(-p);
  }
  const n = s.size;
  let lo = 0;
  while (lo + 1 < n && s.sigma[lo + 1] === s.sigma[0]) lo++;
  let hi = n - 1;
  while (hi > 0 && s.sigma[hi - 1] === s.sigma[n - 1]) hi--;
  add(lo + s.min);
  add(hi + s.min);
  let argMin = 0;
  let argMax = 0;
  for (let i = 0; i < n; i++) {
    if (s.sigma[i] < s.sigma[argMin]) argMin = i;
    if (s.sigma[i] > s.sigma[argMax]) argMax = i;
  }
  add(argMin + s.min);
  add(argMax + s.min);
  const arr = Int32Array.from(out).sort();
  marks.set(s, arr);
  return arr;
}

/**
 * Biases to try for a step whose products at the sides' edges are `us` (pre-activations u ⊕ b): every
 * bias on small formats, else the biases putting some edge at a landmark (deduplicated, in range).
 */
export function biasCandidates(s: Setting, us: readonly number[]): Int32Array {
  if (s.size <= FULL_BIAS_SCAN) {
    // every bias, in increasing order: one shared array per setting (callers only read it)
    let all = allBiases.get(s);
    if (!all) {
      all = new Int32Array(s.size);
      for (let i = 0; i < s.size; i++) all[i] = s.min + i;
      allBiases.set(s, all);
    }
    return all;
  }
  // the same biases in the same order as inserting them into a Set, deduplicated by a stamp per code
  let scratch = biasScratch.get(s);
  if (!scratch || scratch.shifts.length < us.length)
    biasScratch.set(
      s,
      (scratch = {
        mark: scratch?.mark ?? new Int32Array(s.size),
        stamp: scratch?.stamp ?? 0,
        out: scratch?.out ?? new Int32Array(64),
        shifts: new Float64Array(Math.max(8, us.length)),
      }),
    );
  const stamp = ++scratch.stamp;
  const { mark, shifts } = scratch;
  let out = scratch.out;
  let k = 0;
  const exact = s.accumulation === 'exact';
  const { min, max } = s;
  const wraps = windowSearch(s) || (s.min >= 0 && s.policy.overflow === 'wrap');
  // the shift of each product (exact: in codes); a shift equal to an earlier one adds only marked biases,
  // so it is dropped (the order of the biases is unchanged)
  let m = 0;
  for (let j = 0; j < us.length; j++) {
    const u = exact ? Math.round(us[j] / s.one) : us[j];
    let dup = false;
    for (let i = 0; i < m && !dup; i++) dup = shifts[i] === u;
    if (!dup) shifts[m++] = u;
  }
  const marks = landmarks(s);
  for (let i = 0; i < marks.length; i++) {
    const c = marks[i];
    for (let j = 0; j < m; j++) {
      const b = c - shifts[j];
      for (let d = b - 1; d <= b + 1; d++) {
        // under wrap (`s` a shadow) b + d modulo N: the sum wraps by one window onto the landmark
        const x = wraps ? min + ((((d - min) % s.size) + s.size) % s.size) : d;
        if (x < min || x > max || mark[x - min] === stamp) continue;
        mark[x - min] = stamp;
        if (k === out.length) {
          const grown = new Int32Array(2 * out.length);
          grown.set(out);
          scratch.out = out = grown;
        }
        out[k++] = x;
      }
    }
  }
  return out.slice(0, k);
}

const allBiases = new WeakMap<Setting, Int32Array>();
const biasScratch = new WeakMap<
  Setting,
  { mark: Int32Array; stamp: number; out: Int32Array; shifts: Float64Array }
>();

const shadows = new WeakMap<Setting, Setting>();

/**
 * The setting the interval proofs run in (docs/theory.md §10.1): the setting itself when its overflow
 * mode is monotone (`saturate`, `error`); under `wrap`, its **no-wrap shadow**: the same format, rounding,
 * accumulation, weights and σ_F table, with every operation raising (NaN) where the real one would wrap.
 * Where a shadow operation is valid it equals the real one (wrapping changes only out-of-range results),
 * and by the monotonicity of the exact intermediate values, a step valid in the shadow at both ends of an
 * interval wraps nowhere on it; so an interval image proved in the shadow holds for the real setting.
 */
export function intervalSetting(s: Setting): Setting {
  if (s.policy.overflow !== 'wrap') return s;
  const hit = shadows.get(s);
  if (hit) return hit;
  const table = new Int32Array(s.size);
  for (let i = 0; i < s.size; i++) table[i] = s.sigma[i];
  const shadow = makeSetting(
    s.format,
    { rounding: s.policy.rounding, overflow: 'error' },
    s.accumulation,
    s.bias,
    s.weightSet,
    table,
  );
  shadows.set(s, shadow);
  wrapShift.set(shadow, shiftRounder(s.policy.rounding, s.format.fracBits));
  return shadow;
}

/**
 * The shadows of wrapping settings, with the product rounding of their operations before any overflow
 * is applied (w·h in product units to a code): their steps are proved by windows (`stepPair`).
 */
const wrapShift = new WeakMap<Setting, (p: number) => number>();

/** Searches take images in windows: the shadow of a wrapping setting without negative values (UQm.n). */
function windowSearch(s: Setting): boolean {
  return s.min >= 0 && wrapShift.has(s);
}

/** The pre-activations at the ends of the last `stepPair` that held (module scratch, no allocation). */
let pairLo = 0;
let pairHi = 0;

/** The window k of an exact code c: c − kN lies in [min, max]. */
function windowOf(s: Setting, c: number): number {
  return c >= s.min && c <= s.max ? 0 : Math.floor((c - s.min) / s.size);
}

/**
 * The pre-activations of the step (w, b) at lo and hi, into `pairLo`, `pairHi`, when the step is proved
 * monotone on [lo, hi] (docs/theory.md §10.8, interval images in windows); false otherwise. Without wrap:
 * both ends valid (§9.1). Under `wrap` (`s` the shadow): every exact intermediate value (the rounded
 * product, then the sum with b; exact: the rounded wide sum) lies at lo and at hi in one window
 * [min + kN, max + kN], the same k at both ends. Each is monotone in h, so on all of [lo, hi] it stays in
 * that window and wraps by exactly kN: the real step equals the exact value minus kN, monotone in h, and
 * its pre-activations lie between those at lo and hi. k = 0 throughout is the no-wrap shadow (§10.1).
 */
export function stepPair(s: Setting, w: number, b: number, lo: number, hi: number): boolean {
  const shift = wrapShift.get(s);
  if (shift === undefined) {
    pairLo = stepPre(s, w, b, lo);
    pairHi = stepPre(s, w, b, hi);
    return pairLo >= s.min && pairHi >= s.min;
  }
  const n = s.size;
  if (s.accumulation === 'exact') {
    const bb = b * s.one;
    const x = roundQuotientNumber(bb + w * lo, s.one, s.policy.rounding);
    const y = roundQuotientNumber(bb + w * hi, s.one, s.policy.rounding);
    const k = windowOf(s, x);
    if (windowOf(s, y) !== k) return false;
    pairLo = x - k * n;
    pairHi = y - k * n;
    return true;
  }
  const x = shift(w * lo);
  const y = shift(w * hi);
  const k = windowOf(s, x);
  if (windowOf(s, y) !== k) return false;
  const u = x - k * n + b;
  const v = y - k * n + b;
  const j = windowOf(s, u);
  if (windowOf(s, v) !== j) return false;
  pairLo = u - j * n;
  pairHi = v - j * n;
  return true;
}

/**
 * The product ends of a step under windows: the wrapped products at lo and hi, or false (`stepPair`).
 * `win` false: in the no-wrap shadow (§10.1) only.
 */
function productPair(s: Setting, w: number, lo: number, hi: number, win: boolean): boolean {
  const shift = win ? wrapShift.get(s) : undefined;
  if (shift === undefined) {
    pairLo = s.mul(w, lo);
    pairHi = s.mul(w, hi);
    return pairLo >= s.min && pairHi >= s.min;
  }
  const x = shift(w * lo);
  const y = shift(w * hi);
  const k = windowOf(s, x);
  if (windowOf(s, y) !== k) return false;
  pairLo = x - k * s.size;
  pairHi = y - k * s.size;
  return true;
}

/** The sum ends u + b of a sequential step under windows (`stepPair`), or false. */
function sumPair(s: Setting, u: number, v: number, b: number, win: boolean): boolean {
  if (!win || !wrapShift.has(s)) {
    pairLo = s.add(u, b);
    pairHi = s.add(v, b);
    return pairLo >= s.min && pairHi >= s.min;
  }
  const k = windowOf(s, u + b);
  if (windowOf(s, v + b) !== k) return false;
  pairLo = u + b - k * s.size;
  pairHi = v + b - k * s.size;
  return true;
}

/** The rounded wide sums at two ends of an exact step under windows (`stepPair`), or false. */
function widePair(s: Setting, x: number, y: number, win: boolean): boolean {
  if (!win || !wrapShift.has(s)) {
    pairLo = s.roundWide(x);
    pairHi = s.roundWide(y);
    return pairLo >= s.min && pairHi >= s.min;
  }
  const p = roundQuotientNumber(x, s.one, s.policy.rounding);
  const q = roundQuotientNumber(y, s.one, s.policy.rounding);
  const k = windowOf(s, p);
  if (windowOf(s, q) !== k) return false;
  pairLo = p - k * s.size;
  pairHi = q - k * s.size;
  return true;
}

/** True when the interval abstraction applies: always, through `intervalSetting` under `wrap`. */
export function intervalsApply(_s: Setting): boolean {
  return true;
}

/** The pre-activation of one step at h (NaN when invalid). */
export function stepPre(s: Setting, w: number, b: number, h: number): number {
  if (s.accumulation === 'exact') return s.roundWide(b * s.one + w * h);
  const t = s.mul(w, h);
  return s.bias === 'first' ? s.add(b, t) : s.add(t, b);
}

/** The image of [lo, hi] under the step (w, b): an interval containing every output, or null (invalid). */
export function stepImage(r: SigmaRanges, w: number, b: number, lo: number, hi: number): Span | null {
  const s = r.setting;
  if (!stepPair(s, w, b, lo, hi)) return null;
  const p = pairLo;
  const q = pairHi;
  return p <= q ? r.range(p, q) : r.range(q, p);
}

/** The image of [lo, hi] under a chain of steps (null when some step may be invalid). */
export function chainImage(r: SigmaRanges, steps: readonly Step[], lo: number, hi: number): Span | null {
  let span: Span = [lo, hi];
  for (const [w, b] of steps) {
    const next = stepImage(r, w, b, span[0], span[1]);
    if (!next) return null;
    span = next;
  }
  return span;
}

/** True when the chain maps every value of [lo, hi] to `target` (proved by the interval images). */
export function chainProves(
  r: SigmaRanges,
  steps: readonly Step[],
  lo: number,
  hi: number,
  target: number,
): boolean {
  return headChainProves(r, null, steps, lo, hi, target);
}

/**
 * `chainProves` of the chain [head, ...steps] (head null: steps alone), without building the chain or
 * its images: the same interval images (`chainImage`), computed in place.
 */
export function headChainProves(
  r: SigmaRanges,
  head: Step | null,
  steps: readonly Step[],
  lo: number,
  hi: number,
  target: number,
): boolean {
  const s = r.setting;
  let a = lo;
  let b = hi;
  for (let i = head === null ? 0 : -1; i < steps.length; i++) {
    const [w, bias] = i < 0 ? (head as Step) : steps[i];
    if (!stepPair(s, w, bias, a, b)) return false;
    const p = pairLo;
    const q = pairHi;
    const x = Math.min(p, q);
    const y = Math.max(p, q);
    if (s.monotone) {
      // non-decreasing and valid everywhere: the least and greatest values are at the ends
      a = s.sigma[x - s.min];
      b = s.sigma[y - s.min];
      continue;
    }
    if (!r.valid(x, y)) return false;
    a = r.least(x, y);
    b = r.greatest(x, y);
  }
  return a === target && b === target;
}

export interface IntervalChainOptions {
  readonly maxDepth?: number;
  readonly minDepth?: number;
  readonly beam?: number;
  readonly weights?: readonly number[];
  readonly budget?: Budget;
}

interface State {
  zl: number;
  zh: number;
  el: number;
  eh: number;
  path: Step[];
}

const width = (c: State) => c.zh - c.zl + (c.eh - c.el);
const byWidth = (x: State, y: State) => width(x) - width(y);

/**
 * What the searches from one pair of spans (with one depth range, beam and weight list) have seen: the
 * first chain, in the search's order, ending at each pair of single values (tz, te), and whether a search
 * went through to the end. The search visits the same candidates in the same order whatever (tz, te) is
 * (only its stopping test reads them), so the search for (tz, te) returns the first chain that ends at
 * (tz, te) among them: known when an earlier search passed it, and null when an earlier search finished
 * without one (docs/theory.md §9.6).
 */
interface Explored {
  /** By (z − min)·|𝕀| + (e − min). */
  readonly ends: Map<number, Step[]>;
  complete: boolean;
}

const explored = new WeakMap<Setting, Map<string, Explored>>();

const runs = new WeakMap<Setting, number>();

/** The most consecutive codes on which σ_F takes one valid value (built once per setting). */
export function longestRun(s: Setting): number {
  let best = runs.get(s);
  if (best !== undefined) return best;
  best = 0;
  for (let i = 0, run = 0; i < s.size; i++) {
    const v = s.sigma[i];
    run = v >= s.min ? (i > 0 && s.sigma[i - 1] === v ? run + 1 : 1) : 0;
    if (run > best) best = run;
  }
  runs.set(s, best);
  return best;
}

/**
 * A chain sending every value of `zero` to `tz` and every value of `one` to `te`, proved by interval
 * images (so it is correct on the whole intervals, whatever σ_F): a beam search over pairs of intervals,
 * each step trying every candidate weight and every bias and keeping the `beam` narrowest disjoint
 * pairs. Null when none is found within the depth. Needs `intervalsApply(s)`. The answer is the search's
 * whether it runs or is read from an earlier search from the same spans (`Explored`).
 */
export function solveIntervalChain(
  real: Setting,
  zero: Span,
  one: Span,
  tz: number,
  te: number,
  options: IntervalChainOptions = {},
): Step[] | null {
  const r = sigmaRanges(real);
  // every image is taken in the no-wrap shadow (the setting itself unless it wraps)
  const s = r.setting;
  const maxDepth = options.maxDepth ?? 4;
  const minDepth = options.minDepth ?? 1;
  const beam = options.beam ?? 8;
  if (minDepth === 0 && zero[0] === tz && zero[1] === tz && one[0] === te && one[1] === te) return [];
  // from two single values every state is a pair of values, each an end to record: no memory kept there
  // (such searches, the delay's and the AND's, are not repeated)
  if (zero[0] === zero[1] && one[0] === one[1])
    return searchIntervalChain(r, zero, one, tz, te, options, null);
  let bySpans = explored.get(s);
  if (!bySpans) explored.set(s, (bySpans = new Map()));
  const key = `${zero[0]},${zero[1]},${one[0]},${one[1]};${minDepth},${maxDepth},${beam};${options.weights?.join(',') ?? ''}`;
  let seenBefore = bySpans.get(key);
  if (!seenBefore) bySpans.set(key, (seenBefore = { ends: new Map(), complete: false }));
  const known = seenBefore.ends.get((tz - s.min) * s.size + (te - s.min));
  if (known) return [...known];
  if (seenBefore.complete) return null;
  const found = searchIntervalChain(r, zero, one, tz, te, options, seenBefore.ends);
  if (!found) seenBefore.complete = true;
  return found;
}

/**
 * The beam search of `solveIntervalChain`, recording in `ends` (unless null) the first chain to each pair
 * of values.
 */
function searchIntervalChain(
  r: SigmaRanges,
  zero: Span,
  one: Span,
  tz: number,
  te: number,
  options: IntervalChainOptions,
  ends: Map<number, Step[]> | null,
): Step[] | null {
  const s = r.setting;
  const maxDepth = options.maxDepth ?? 4;
  const minDepth = options.minDepth ?? 1;
  const beam = options.beam ?? 8;
  const weights = options.weights ?? candidateWeights(s);
  const { min } = s;
  const exact = s.accumulation === 'exact';
  // the product spread beyond which no bias puts a side into one run of σ_F (0: no such bound, saturate)
  const runLimit = s.policy.overflow === 'error' ? (exact ? (longestRun(s) + 1) * s.one : longestRun(s)) : 0;
  let frontier: State[] = [{ zl: zero[0], zh: zero[1], el: one[0], eh: one[1], path: [] }];
  const seen = new Set<string>([`${zero[0]},${zero[1]},${one[0]},${one[1]}`]);
  const { monotone, sigma } = s;
  // the search takes images in windows (§10.8) on formats without negative values (UQm.n), where the
  // shadow cannot prove x ≤ min; elsewhere it searches in the shadow as before (every chain it returns
  // is then also proved in windows, which accept whatever the shadow accepts)
  const win = windowSearch(s);
  for (let depth = 1; depth <= maxDepth; depth++) {
    const kept: State[] = [];
    let worst = Number.POSITIVE_INFINITY;
    for (const st of frontier) {
      for (const w of weights) {
        options.budget?.spend(Math.min(s.size, 4096), 'the interval chain search');
        // products at the four ends (sequential: w⊗h, rounded; exact: w·h in product units)
        // (under wrap each side's products wrap by one window, or the weight is skipped: `stepPair`)
        let uzl: number;
        let uzh: number;
        let uel: number;
        let ueh: number;
        if (exact) {
          uzl = w * st.zl;
          uzh = w * st.zh;
          uel = w * st.el;
          ueh = w * st.eh;
        } else {
          if (!productPair(s, w, st.zl, st.zh, win)) continue;
          uzl = pairLo;
          uzh = pairHi;
          if (!productPair(s, w, st.el, st.eh, win)) continue;
          uel = pairLo;
          ueh = pairHi;
        }
        // pre-activations are monotone in the product (rounding, saturation and adding b are): when the
        // two sides' products overlap, so do their pre-activations for every bias, and each is skipped
        // below; skipping them here changes nothing
        if (
          Math.max(Math.min(uzl, uzh), Math.min(uel, ueh)) <= Math.min(Math.max(uzl, uzh), Math.max(uel, ueh))
        )
          continue;
        // the last step only matters where both sides end on single values (a chain's end): then each
        // side's pre-activations lie in one run of equal σ_F values. Without saturation (overflow error,
        // or wrap's shadow, whose windows shift a side by one kN) their spread is |Δu| (sequential) or
        // more than |Δu|/2ⁿ − 2 (exact) for every bias, so products spread wider than the longest run end
        // nothing (docs/theory.md §9.6)
        if (depth === maxDepth && runLimit > 0)
          if (Math.abs(uzh - uzl) >= runLimit || Math.abs(ueh - uel) >= runLimit) continue;
        for (const b of biasCandidates(s, [uzl, uzh, uel, ueh])) {
          let a1: number;
          let a2: number;
          let c1: number;
          let c2: number;
          if (exact) {
            const bb = b * s.one;
            if (!widePair(s, bb + uzl, bb + uzh, win)) continue;
            a1 = pairLo;
            a2 = pairHi;
            if (!widePair(s, bb + uel, bb + ueh, win)) continue;
            c1 = pairLo;
            c2 = pairHi;
          } else {
            if (!sumPair(s, uzl, uzh, b, win)) continue;
            a1 = pairLo;
            a2 = pairHi;
            if (!sumPair(s, uel, ueh, b, win)) continue;
            c1 = pairLo;
            c2 = pairHi;
          }
          // the two sides' pre-activation intervals must not overlap, or σ_F cannot pull them apart
          const zlo = Math.min(a1, a2);
          const zhi = Math.max(a1, a2);
          const elo = Math.min(c1, c2);
          const ehi = Math.max(c1, c2);
          if (!(zhi < elo || ehi < zlo)) continue;
          // the σ_F ranges of the two sides (range queries without allocating; a non-decreasing σ_F,
          // valid everywhere, takes its least and greatest values at the ends)
          let z0: number;
          let z1: number;
          let e0: number;
          let e1: number;
          if (monotone) {
            z0 = sigma[zlo - min];
            z1 = sigma[zhi - min];
            e0 = sigma[elo - min];
            e1 = sigma[ehi - min];
          } else {
            if (!r.valid(zlo, zhi) || !r.valid(elo, ehi)) continue;
            z0 = r.least(zlo, zhi);
            z1 = r.greatest(zlo, zhi);
            e0 = r.least(elo, ehi);
            e1 = r.greatest(elo, ehi);
          }
          if (!(z1 < e0 || e1 < z0)) continue;
          if (depth >= minDepth && z0 === z1 && e0 === e1) {
            // the first chain the search meets to each pair of values is that pair's answer
            if (ends) {
              const end = (z0 - min) * s.size + (e0 - min);
              if (!ends.has(end)) ends.set(end, [...st.path, [w, b]]);
            }
            if (z0 === tz && e0 === te) return [...st.path, [w, b]];
          }
          if (depth === maxDepth) continue;
          const wd = z1 - z0 + (e1 - e0);
          if (kept.length >= beam && wd >= worst) continue;
          const key = `${z0},${z1},${e0},${e1}`;
          if (seen.has(key)) continue;
          seen.add(key);
          const child: State = { zl: z0, zh: z1, el: e0, eh: e1, path: [...st.path, [w, b]] };
          kept.push(child);
          if (kept.length > beam) {
            kept.sort(byWidth);
            kept.length = beam;
          }
          if (kept.length >= beam) {
            worst = 0;
            for (const k of kept) worst = Math.max(worst, width(k));
          }
        }
      }
    }
    if (kept.length === 0) return null;
    kept.sort(byWidth);
    frontier = kept;
  }
  return null;
}
