import type { Setting } from './setting.js';

/** A closed interval [lo, hi] of bias codes. */
export type BiasInterval = readonly [number, number];

/**
 * The bias rows of the unary neurons of a setting (docs/theory.md, "Bias rows"). For a weight w and an
 * input x, the row of (w, x) is b ↦ σ_F(w⊗x ⊕ b) over every bias b = min … max (with rnd(b + w·x)
 * under exact accumulation). Every row is a window of length |𝕀| of one of at most four fixed symbol
 * sequences, so comparing two rows on an interval of biases is comparing two substrings: after
 * Karp–Miller–Rosenberg doubling (exact ranks of every substring of length 2^j) each comparison takes
 * O(1), and one pass over 𝕀 refines a partition by every bias at once.
 *
 * - Sequential accumulation: w⊗x ⊕ b = ovf(u + b) with u = w⊗x, the same for bias first or last, so the
 *   row of (w, x) is the window at t = u + min … u + max of E(t) = σ_F(ovf(t)), t ∈ [2·min, 2·max].
 * - Exact accumulation: rnd(b + w·x·ε) with z = w·x = k·2^n + r (0 ≤ r < 2^n) is
 *   ovf(round(t + r/2^n)) with t = b + k, and the rounding depends on r only through its class
 *   (0, below one half, one half, above one half): one sequence per class, indexed by t. Far-out k are
 *   brought to a canonical k with the same row (constant rows under saturate and error; period |𝕀| on
 *   each side of 0 under wrap).
 */
export interface BiasRows {
  readonly setting: Setting;
  /** Symbols of the concatenated sequences: 0 for an invalid value, else σ_F code − min + 1. */
  readonly symbols: Int32Array;
  /** True when no row holds an invalid value: every neuron is valid on every input. */
  readonly allValid: boolean;
  /**
   * Offset of the row of (w, x): `unary(s, w, x, b)` is the symbol at offset + (b − min). NaN when
   * w⊗x itself is invalid (sequential accumulation under overflow `error`): no bias helps then.
   */
  offset(w: number, x: number): number;
  /**
   * The biases b for which the neuron x ↦ σ_F(w⊗x ⊕ b) is valid on every input of 𝕀, as disjoint
   * increasing intervals (all of B when `allValid`). A network with an invalid neuron computes nothing.
   */
  validBiases(w: number): readonly BiasInterval[];
  /** The rows at offsets p and q agree on the biases lo … hi. */
  same(p: number, q: number, lo: number, hi: number): boolean;
  /** A number equal for two offsets iff their rows agree on the biases lo … hi (one interval at a time). */
  rowId(p: number, lo: number, hi: number): number;
}

/** Largest format (values) bias rows are built for: 2^16 values, like the engine. */
const MAX_VALUES = 2 ** 16;

/**
 * The exact-rank tables of substrings of length 2^j (KMR doubling with counting sorts): `ranks[j][i]`
 * is equal for i and i' iff symbols[i … i+2^j) = symbols[i' … i'+2^j). Only levels in `keep` are kept.
 */
function substringRanks(symbols: Int32Array, alphabet: number, top: number, keep: (j: number) => boolean) {
  const levels: (Int32Array | undefined)[] = [];
  const L = symbols.length;
  const byB = new Int32Array(L);
  const order = new Int32Array(L);
  const cnt = new Int32Array(L + alphabet + 1);
  let spare: Int32Array | null = null;
  let prev = symbols;
  let count = alphabet;
  if (keep(0)) levels[0] = prev;
  for (let j = 0; j < top; j++) {
    const h = 2 ** j;
    const n = prev.length - h;
    // counting sort of positions by (prev[i], prev[i + h]): second key, then stable by the first
    cnt.fill(0, 0, count + 1);
    for (let i = 0; i < n; i++) cnt[prev[i + h] + 1]++;
    for (let c = 0; c < count; c++) cnt[c + 1] += cnt[c];
    for (let i = 0; i < n; i++) byB[cnt[prev[i + h]]++] = i;
    cnt.fill(0, 0, count + 1);
    for (let i = 0; i < n; i++) cnt[prev[i] + 1]++;
    for (let c = 0; c < count; c++) cnt[c + 1] += cnt[c];
    for (let k = 0; k < n; k++) {
      const i = byB[k];
      order[cnt[prev[i]]++] = i;
    }
    const next: Int32Array = spare !== null && spare.length >= n ? spare.subarray(0, n) : new Int32Array(n);
    let c = -1;
    let pa = -1;
    let pb = -1;
    for (let k = 0; k < n; k++) {
      const i = order[k];
      const a = prev[i];
      const b = prev[i + h];
      if (a !== pa || b !== pb) {
        c++;
        pa = a;
        pb = b;
      }
      next[i] = c;
    }
    // a level not kept is recycled as the next level's buffer (never the input symbols)
    spare = j > 0 && !keep(j) ? prev : null;
    prev = next;
    count = c + 1;
    if (keep(j + 1)) levels[j + 1] = next;
  }
  return levels;
}

/** Classes of the remainder r of z = k·2^n + r that rounding distinguishes: 0, (0, ½), ½, (½, 1). */
function remainderClasses(one: number): { reps: number[]; classOf: (r: number) => number } {
  const half = one / 2;
  const reps: number[] = [0];
  if (one >= 4) reps.push(1);
  if (one >= 2) reps.push(half);
  if (one >= 4) reps.push(half + 1);
  const idx = (r: number) => (r === 0 ? 0 : r < half ? 1 : r === half ? 2 : 3);
  const map = new Int32Array(4).fill(-1);
  reps.forEach((r, i) => {
    map[idx(r)] = i;
  });
  return { reps, classOf: (r) => map[idx(r)] };
}

/** Builds the bias rows of a setting (O(|𝕀| log |𝕀|) time; at most 2^16 values). */
export function biasRows(s: Setting): BiasRows {
  const { min, max, size: N } = s;
  if (N > MAX_VALUES) throw new RangeError(`biasRows: ${s.format.spec} has more than ${MAX_VALUES} values`);
  const symbolOf = (v: number) => (v >= min ? v - min + 1 : 0);
  let symbols: Int32Array;
  let offset: (w: number, x: number) => number;
  /** Sequence boundaries in `symbols`, for the monotone validity shortcut. */
  const seqStarts: number[] = [];
  let seqLen: number;
  if (s.accumulation === 'sequential') {
    // t = u + b ∈ [2min, 2max], position t − 2min; the row of u starts at u − min
    seqLen = 2 * N - 1;
    symbols = new Int32Array(seqLen);
    for (let i = 0; i < seqLen; i++) {
      const t = 2 * min + i;
      symbols[i] = symbolOf(s.sigma[s.add(t, 0) - min]);
    }
    seqStarts.push(0);
    offset = (w, x) => s.mul(w, x) - min;
  } else {
    const one = s.one;
    const { reps, classOf } = remainderClasses(one);
    const wrap = s.policy.overflow === 'wrap';
    // canonical k range: rows far out are constant (saturate, error) or periodic (wrap)
    const k0 = wrap ? -N - max : min - max - 2;
    const k1 = wrap ? N - min - 1 : max - min + 1;
    const canon = wrap
      ? (k: number) => {
          if (k + min >= 0) return ((k + min) % N) - min;
          if (k + max <= -1) return -1 - ((-1 - k - max) % N) - max;
          return k;
        }
      : (k: number) => Math.max(k0, Math.min(k, k1));
    seqLen = k1 - k0 + N;
    symbols = new Int32Array(seqLen * reps.length);
    reps.forEach((r, c) => {
      seqStarts.push(c * seqLen);
      for (let i = 0; i < seqLen; i++) {
        const t = k0 + min + i;
        symbols[c * seqLen + i] = symbolOf(s.sigma[s.roundWide(t * one + r) - min]);
      }
    });
    offset = (w, x) => {
      const z = w * x;
      const k = Math.floor(z / one);
      return classOf(z - k * one) * seqLen + canon(k) - k0;
    };
  }
  let allValid = true;
  for (let i = 0; i < symbols.length && allValid; i++) allValid = symbols[i] !== 0;
  let top = 0;
  while (2 ** (top + 1) <= N) top++;
  const levels = substringRanks(symbols, N + 1, top, (j) => !allValid || j === top);
  const L = symbols.length;

  const same = (p: number, q: number, lo: number, hi: number): boolean => {
    const len = hi - lo + 1;
    let j = 31 - Math.clz32(len);
    if (allValid) j = top; // all windows have length N then
    const r = levels[j]!;
    const i = p + lo - min;
    const k = q + lo - min;
    const d = len - 2 ** j;
    return r[i] === r[k] && r[i + d] === r[k + d];
  };
  const rowId = (p: number, lo: number, hi: number): number => {
    const len = hi - lo + 1;
    const j = allValid ? top : 31 - Math.clz32(len);
    const r = levels[j]!;
    const i = p + lo - min;
    return r[i] * L + r[i + len - 2 ** j];
  };

  const full: readonly BiasInterval[] = [[min, max]];
  const none: readonly BiasInterval[] = [];
  let validBiases: (w: number) => readonly BiasInterval[];
  if (allValid) validBiases = () => full;
  else {
    // Where σ_F is valid: an interval of codes makes every sequence's invalid symbols a prefix and a
    // suffix (pre-activations are non-decreasing in t), unless wrap breaks monotonicity.
    let lo = 0;
    while (lo < N && !(s.sigma[lo] >= min)) lo++;
    let hi = N - 1;
    while (hi >= 0 && !(s.sigma[hi] >= min)) hi--;
    let interval = lo <= hi;
    for (let i = lo; i <= hi && interval; i++) interval = s.sigma[i] >= min;
    if (s.policy.overflow !== 'wrap' && interval) {
      // per sequence: last index of the invalid prefix and first index of the invalid suffix
      const prefixEnd: number[] = [];
      const suffixStart: number[] = [];
      for (const start of seqStarts) {
        let a = start;
        while (a < start + seqLen && symbols[a] === 0) a++;
        let b = start + seqLen - 1;
        while (b >= a && symbols[b] === 0) b--;
        prefixEnd.push(a - 1);
        suffixStart.push(b + 1);
      }
      const seqOf = (p: number) => Math.floor(p / seqLen);
      // pre-activations are monotone in x: the rows of min and max bound every other row
      validBiases = (w) => {
        let bl = min;
        let bh = max;
        for (const x of [min, max]) {
          const p = offset(w, x);
          if (Number.isNaN(p)) return none;
          const q = seqOf(p);
          bl = Math.max(bl, prefixEnd[q] + 1 - p + min);
          bh = Math.min(bh, suffixStart[q] - 1 - p + min);
        }
        return bl <= bh ? [[bl, bh]] : none;
      };
    } else {
      const cache = new Map<number, readonly BiasInterval[]>();
      // invalid runs [start, end] in increasing order
      const runs: number[] = [];
      for (let i = 0; i < L; i++) {
        if (symbols[i] !== 0) continue;
        let j = i;
        while (j + 1 < L && symbols[j + 1] === 0) j++;
        runs.push(i, j);
        i = j;
      }
      const seen = new Int32Array(L).fill(-1);
      let stamp = 0;
      validBiases = (w) => {
        const hit = cache.get(w);
        if (hit) return hit;
        if (cache.size >= 4096) cache.clear();
        stamp++;
        const diff = new Int32Array(N + 1);
        let ok = true;
        for (let x = min; x <= max && ok; x++) {
          const p = offset(w, x);
          if (Number.isNaN(p)) ok = false;
          else if (seen[p] !== stamp) {
            seen[p] = stamp;
            // first run ending at or after p
            let a = 0;
            let b = runs.length / 2;
            while (a < b) {
              const m = (a + b) >> 1;
              if (runs[2 * m + 1] < p) a = m + 1;
              else b = m;
            }
            for (let r = a; r < runs.length / 2 && runs[2 * r] <= p + N - 1; r++) {
              diff[Math.max(0, runs[2 * r] - p)]++;
              diff[Math.min(N, runs[2 * r + 1] - p + 1)]--;
            }
          }
        }
        const out: BiasInterval[] = [];
        if (ok) {
          let depth = 0;
          let start = -1;
          for (let i = 0; i <= N; i++) {
            if (i < N) depth += diff[i];
            const good = i < N && depth === 0;
            if (good && start < 0) start = i;
            if (!good && start >= 0) {
              out.push([start + min, i - 1 + min]);
              start = -1;
            }
          }
        }
        cache.set(w, out);
        return out;
      };
    }
  }
  return { setting: s, symbols, allValid, offset, validBiases, same, rowId };
}
