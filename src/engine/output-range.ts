import { intGcd } from '../core/int-gcd.js';
import type { Budget } from './budget.js';
import type { Setting } from './setting.js';

/**
 * The output-range obstruction (docs/theory.md §6), on codes. Hypotheses: distinct sources (fxnn's edge
 * model), any overflow mode, either accumulation and bias order. The output neuron of a network with
 * hidden layers accumulates terms w⊗v (exact products w·v under exact accumulation) with w ∈ W and
 * v ∈ V = σ_F(𝕀), and adds its bias β; whatever the network, its outputs lie in the set R_β of values
 * such accumulations reach. Under sequential accumulation R_β is a closure under the setting's own ⊕ (so
 * wrap and saturation are followed exactly); under exact accumulation every sum of terms is a multiple of
 * g = gcd{w·v}, and R_β = {rnd(β + k·g) : k ∈ ℤ}, enumerated over one window of k under saturate and
 * error (every k outside it clamps to min or max, or raises) and over every residue of k·g modulo the
 * period N·2ⁿ on each side of 0 under wrap. `largest` is max over β of |R_β|; when it is below |𝕀| no
 * network with hidden layers computes a function with |𝕀| distinct values. `shallowSwap` says whether a
 * network without hidden layers (one output neuron with at most one edge from x) computes the function
 * that swaps min and min + ε and fixes every other x; when neither does, no network computes it.
 */
export interface OutputRange {
  /** The most output values one bias allows. */
  readonly largest: number;
  /** A bias reaching `largest`. */
  readonly beta: number;
  /** |V|: the distinct values a hidden neuron can output. */
  readonly hiddenValues: number;
  /**
   * Whether a network without hidden layers computes the swap of min and min + ε; null when not
   * computed because some bias already reaches every value (`largest` = |𝕀|: no obstruction either way).
   */
  readonly shallowSwap: boolean | null;
  /** Why some R_β is all of 𝕀 without enumerating (the fast test of `fullRange`), or null. */
  readonly full: string | null;
}

/**
 * A reason why some R_β is all of 𝕀, found in O(|W|·|V|) without enumerating (docs/theory.md §10.3),
 * or null. Sequential: when ε and −ε are both terms w⊗v, the accumulator walks from 0 (or from β) to
 * every value one code at a time, and no step overflows (each sum stays between the start and the
 * target), so R_0 (bias last) and every R_β (bias first) is 𝕀; under `wrap` one of them is enough (adding
 * it N − 1 times runs through every code, wrapping at the end; docs/theory.md §10.5). Exact: when g = gcd{w·v} ≤ 2ⁿ/2 (half
 * an ε in product units), the sums β·2ⁿ + k·g have a point in every code's rounding preimage (an
 * interval of length 2ⁿ, open at worst), so every R_β is 𝕀.
 */
export function fullRange(s: Setting, budget?: Budget): string | null {
  const values = termValues(s);
  if (s.accumulation === 'exact') {
    let g = 0;
    for (const w of s.weights) {
      budget?.spend(values.length, 'the output-range obstruction');
      for (const v of values) g = intGcd(g, Math.abs(w * v));
      if (g === 1) break;
    }
    return g > 0 && 2 * g <= s.one
      ? `every exact sum of terms w·σ_F(h) is a multiple of g = ${g}/2^${2 * s.format.fracBits} ≤ ε/2, so each output bias reaches all ${s.size} values`
      : null;
  }
  let up = false;
  let down = false;
  // first the weights where a term ±ε is likely, w ≈ ±one/v in codes for each value v (|V| · 10 products): on a
  // 16-bit format with no ε in V the sweep below costs |W|·|V| ≈ 10⁹ products (softplus on Q2.13: 30 s);
  // a term found here is a term, so the sweep is only what decides when none is found
  const inW = new Set(s.weights);
  // under wrap one of ±ε is enough: adding it N − 1 times runs through every code, wrapping at the end
  const wraps = s.policy.overflow === 'wrap';
  const full = () => (wraps ? up || down : up && down);
  const fullReason = () =>
    wraps
      ? `${up ? 'ε' : '−ε'} is a term w⊗σ_F(h) and overflow wraps, so the accumulator reaches every one of the ${s.size} values one code at a time, wrapping around (docs/theory.md §10.5)`
      : `ε and −ε are terms w⊗σ_F(h), so the accumulator reaches every one of the ${s.size} values one code at a time`;
  for (const v of values) {
    const w0 = Math.round(s.one / v);
    for (const sign of [1, -1])
      for (let delta = -2; delta <= 2; delta++) {
        const w = sign * w0 + delta;
        if (!inW.has(w)) continue;
        const t = safe(() => s.mul(w, v));
        if (t === 1) up = true;
        else if (t === -1) down = true;
      }
    if (full()) return fullReason();
  }
  // ±1 first (their terms are ±v, so ε ∈ V settles it at once), then every weight
  const ones = s.weights.filter((w) => w === s.one || w === -s.one);
  for (const w of [...ones, ...s.weights]) {
    budget?.spend(values.length, 'the output-range obstruction');
    for (const v of values) {
      const t = safe(() => s.mul(w, v));
      if (t === 1) up = true;
      else if (t === -1) down = true;
    }
    if (full()) return fullReason();
  }
  return null;
}

/**
 * The obstruction's data: first the fast test of `fullRange`, then |R_β| for every β (stopping at the
 * first β with |R_β| = |𝕀|), charging `budget` up front for the products and per bias as it goes, so a
 * deadline stops it between biases.
 */
export function outputRange(s: Setting, budget?: Budget): OutputRange {
  const hidden = new Set<number>();
  for (const v of s.sigma) if (v >= s.min) hidden.add(v);
  const full = fullRange(s, budget);
  if (full) return { largest: s.size, beta: 0, hiddenValues: hidden.size, shallowSwap: null, full };
  budget?.spend(s.weights.length * hidden.size, 'the output-range obstruction');
  const count = outputCounts(s);
  let best = { largest: 0, beta: s.min };
  for (let beta = s.min; beta <= s.max && best.largest < s.size; beta++) {
    // a count is O(1) (saturate and error, bias last) or one pass over R_β: a nominal charge per bias,
    // the deadline is what stops the slow cases
    budget?.spend(64, 'the output-range obstruction');
    const n = count(beta);
    if (n > best.largest) best = { largest: n, beta };
  }
  const swap = best.largest < s.size ? shallowSwap(s) : null;
  return { ...best, hiddenValues: hidden.size, shallowSwap: swap, full: null };
}

/** The non-zero valid values of σ_F (the hidden outputs that add a term). */
function termValues(s: Setting): number[] {
  const values = new Set<number>();
  for (const v of s.sigma) if (v >= s.min && v !== 0) values.add(v);
  return [...values];
}

/**
 * R_β as a function of the output bias β (codes): a superset of the values the output neuron of any
 * network with hidden layers and output bias β takes (docs/theory.md §6). Valid values only.
 */
export function outputValues(s: Setting): (beta: number) => ReadonlySet<number> {
  const values = termValues(s);
  if (s.accumulation === 'exact') return exactValues(s, values);
  const seq = sequentialReach(s, values);
  return (beta) => {
    const out = new Set<number>();
    seq.each(beta, (y) => out.add(y));
    return out;
  };
}

/**
 * |R_β| as a function of β: the sizes of `outputValues`, without building the sets. Sequential
 * accumulation with the bias last under saturate or error: R_β = {a ⊕ β : a ∈ R₀} and a ⊕ β is a + β
 * clamped (saturate) or dropped (error) outside [min, max], so |R_β| counts the a ∈ R₀ with a + β inside
 * (min, max), plus min and max when some a + β reaches them, in O(1) per β by prefix counts of R₀.
 */
function outputCounts(s: Setting): (beta: number) => number {
  const values = termValues(s);
  if (s.accumulation === 'exact') {
    const fast = exactCountsOnGrid(s);
    if (fast) return fast;
    const at = exactValues(s, values);
    return (beta) => at(beta).size;
  }
  const seq = sequentialReach(s, values);
  const { min, max, size: n } = s;
  const overflow = s.policy.overflow;
  if (seq.reach && (overflow === 'saturate' || overflow === 'error')) {
    // below[k] = #{a ∈ R₀ : a < min + k}
    const below = new Int32Array(n + 1);
    for (const a of seq.reach) below[a - min + 1]++;
    for (let k = 0; k < n; k++) below[k + 1] += below[k];
    let lo = max;
    let hi = min;
    for (const a of seq.reach) {
      lo = Math.min(lo, a);
      hi = Math.max(hi, a);
    }
    /** #{a ∈ R₀ : x ≤ a ≤ y}. */
    const within = (x: number, y: number) => {
      const a = Math.max(x, min);
      const b = Math.min(y, max);
      return a > b ? 0 : below[b - min + 1] - below[a - min];
    };
    if (overflow === 'error') return (beta) => within(min - beta, max - beta);
    return (beta) =>
      within(min - beta + 1, max - beta - 1) + (lo + beta <= min ? 1 : 0) + (hi + beta >= max ? 1 : 0);
  }
  const mark = new Int32Array(n);
  let stamp = 0;
  return (beta) => {
    stamp++;
    let count = 0;
    seq.each(beta, (y) => {
      if (mark[y - min] !== stamp) {
        mark[y - min] = stamp;
        count++;
      }
    });
    return count;
  };
}

/** Exact accumulation: outputs rnd(β + k·g) over k ∈ ℤ (product units: β·2ⁿ + k·g). */
function exactValues(s: Setting, values: readonly number[]): (beta: number) => Set<number> {
  // g = gcd{w·v : w ∈ W, v ∈ V} = intGcd(W)·intGcd(V): gcd_v(w·v) = |w|·intGcd(V) for each w, and then
  // gcd_w(|w|·intGcd(V)) = intGcd(W)·intGcd(V) (O(|W| + |V|) instead of |W|·|V| products: 10⁹ on UQ15.0)
  let gw = 0;
  for (const w of s.weights) gw = intGcd(gw, Math.abs(w));
  let gv = 0;
  for (const v of values) gv = intGcd(gv, Math.abs(v));
  const g = gw * gv;
  // no term is ever non-zero: the output is rnd(β) = β
  if (g === 0) return (beta) => new Set([beta]);
  if (s.policy.overflow !== 'wrap') {
    return (beta) => {
      // every k below lo (above hi) rounds below min (above max): clamped to min (max), or raises
      const lo = Math.floor((s.min * s.one - beta * s.one) / g) - 1;
      const hi = Math.ceil((s.max * s.one - beta * s.one) / g) + 1;
      const out = new Set<number>();
      for (let j = lo; j <= hi; j++) {
        const y = safe(() => s.roundWide(beta * s.one + j * g));
        if (y !== null && y >= s.min) out.add(y);
      }
      return out;
    };
  }
  // wrap: on each side of 0, rnd(X + P) = rnd(X) + N for P = N·2ⁿ (N is even, so parity and sign are
  // kept, and every rounding mode decides from them and the fraction), and wrapping removes the N. The
  // reachable X = β·2ⁿ + k·g with k ∈ ℤ meet every residue r ≡ β·2ⁿ (mod intGcd(g, P)) modulo P on both
  // sides, so the outputs are exactly rnd(r) for those r in [−P, P).
  const P = s.size * s.one;
  const d = intGcd(g, P);
  const byClass = new Map<number, Set<number>>();
  return (beta) => {
    const cls = (((beta * s.one) % d) + d) % d;
    let out = byClass.get(cls);
    if (out === undefined) {
      out = new Set<number>();
      for (let x = -P + cls; x < P; x += d) out.add(s.roundWide(x));
      byClass.set(cls, out);
    }
    return out;
  };
}

/**
 * |R_β| in O(1) per β under exact accumulation with saturate or error when g = gcd{w·v} is a multiple
 * m·2ⁿ of the code 1 (docs/theory.md §10.5): every sum β·2ⁿ + k·g is the code β + k·m exactly, so no
 * rounding happens, and `exactValues`' window (one k below min and one above max) yields exactly the codes
 * y ≡ β (mod m) of [min, max], plus min and max themselves under saturate (the clamped ends) — the same set
 * counted without enumerating it (step with binary weights on Q14.1: 2·10⁸ roundings before). Null otherwise.
 */
export function exactCountsOnGrid(s: Setting): ((beta: number) => number) | null {
  if (s.accumulation !== 'exact' || s.policy.overflow === 'wrap') return null;
  const values = termValues(s);
  let gw = 0;
  for (const w of s.weights) gw = intGcd(gw, Math.abs(w));
  let gv = 0;
  for (const v of values) gv = intGcd(gv, Math.abs(v));
  const g = gw * gv;
  if (g === 0 || g % s.one !== 0) return null;
  const m = g / s.one;
  const { min, max } = s;
  const residue = (y: number) => ((y % m) + m) % m;
  const saturate = s.policy.overflow === 'saturate';
  return (beta) => {
    const r = residue(beta);
    // codes y ≡ r (mod m) in [min, max]: the first one at or above min, then every m-th up to max
    const first = min + residue(r - min);
    const onGrid = first > max ? 0 : Math.floor((max - first) / m) + 1;
    if (!saturate) return onGrid;
    return onGrid + (residue(min) === r ? 0 : 1) + (residue(max) === r ? 0 : 1);
  };
}

/**
 * Sequential accumulation: the closure of the start under ⊕ t (t ∈ T, T the non-zero products w⊗v),
 * then ⊕ β (bias last). `each(β, f)` calls f on every value of R_β (a value may come more than once);
 * `reach` is R₀, the closure of 0, with the bias last (null with the bias first).
 * Typed arrays and two early stops that change no set: T is complete once it holds every non-zero
 * code, and a closure is complete once it holds every code.
 */
function sequentialReach(
  s: Setting,
  values: readonly number[],
): { each(beta: number, f: (y: number) => void): void; reach: Int32Array | null } {
  const n = s.size;
  const isTerm = new Uint8Array(n);
  const terms: number[] = [];
  const collect = (ws: Iterable<number>, vs: Iterable<number>) => {
    for (const w of ws) {
      for (const v of vs) {
        // NaN (invalid under overflow error; the setting's operations return NaN, never throw) adds
        // nothing: a ⊕ NaN is never a valid value
        const t = s.mul(w, v);
        if (t === 0 || !(t >= s.min && t <= s.max) || isTerm[t - s.min]) continue;
        isTerm[t - s.min] = 1;
        terms.push(t);
        if (terms.length === n - 1) return;
      }
    }
  };
  // a cheap probe first: the small weights and ±1 on every value, every weight on the extreme values;
  // when ε and −ε are both terms, every closure is all of 𝕀 (steps of ±ε from any start stay in 𝕀)
  const weightSet = new Set(s.weights);
  const probe = [1, -1, 2, -2, 3, -3, 4, -4, s.one, -s.one].filter((w) => weightSet.has(w));
  let vLo = Number.POSITIVE_INFINITY;
  let vHi = Number.NEGATIVE_INFINITY;
  let vSmall = 0;
  for (const v of values) {
    vLo = Math.min(vLo, v);
    vHi = Math.max(vHi, v);
    if (vSmall === 0 || Math.abs(v) < Math.abs(vSmall)) vSmall = v;
  }
  collect(probe, values);
  if (values.length > 0) collect(s.weights, [vLo, vHi, vSmall]);
  const step = 1 >= s.min && 1 <= s.max && -1 >= s.min && -1 <= s.max;
  if (step && isTerm[1 - s.min] && isTerm[-1 - s.min]) {
    const all = new Int32Array(n);
    for (let i = 0; i < n; i++) all[i] = s.min + i;
    const each = (start: number, f: (y: number) => void) => {
      for (const y of all) {
        const z = s.bias === 'first' ? y : s.add(y, start);
        if (z >= s.min) f(z);
      }
    };
    return { reach: s.bias === 'first' ? null : all, each };
  }
  collect(s.weights, values);
  const seen = new Int32Array(n);
  let stamp = 0;
  // one buffer for the closures of `each` (read before the next one is computed): a fresh |𝕀|-sized array
  // per bias costs more than the closure itself (65,536 biases on 16 bits)
  const scratch = new Int32Array(n);
  /**
   * Values reachable from `start` by adding terms (each addition rounded and overflowed as ⊕ does), in
   * `out` (overwritten; a view of it is returned).
   */
  const closure = (start: number, out: Int32Array): Int32Array => {
    stamp++;
    let size = 0;
    seen[start - s.min] = stamp;
    out[size++] = start;
    const stack = [start];
    while (stack.length > 0 && size < n) {
      const a = stack.pop() as number;
      for (const t of terms) {
        const b = s.add(a, t);
        if (!(b >= s.min) || seen[b - s.min] === stamp) continue;
        seen[b - s.min] = stamp;
        out[size++] = b;
        if (size === n) break;
        stack.push(b);
      }
    }
    return out.subarray(0, size);
  };
  // bias first: the accumulator starts at β
  if (s.bias === 'first')
    return {
      reach: null,
      each(beta, f) {
        for (const y of closure(beta, scratch)) f(y);
      },
    };
  // bias last: the accumulator starts at 0, then ⊕ β
  const reach = closure(0, new Int32Array(n));
  return {
    reach,
    each(beta, f) {
      for (const a of reach) {
        const y = s.add(a, beta);
        if (y >= s.min) f(y);
      }
    },
  };
}

/**
 * Whether one output neuron reading x at most once (distinct sources), with identity output, computes
 * the swap of min and min + ε: x ↦ β, x ↦ w⊗x ⊕ β, β ⊕ w⊗x or rnd(β + w·x). A constant is never the
 * swap. For each w only the biases that can map min to min + ε are tried: the pre-activation
 * before overflow is β + u with u = w⊗min (sequential) or β + y, y = w·min/2ⁿ, rounded into
 * {β + ⌊y⌋, β + ⌊y⌋ + 1} (exact); when N ≥ 3, min + ε is never a clamped value, so
 * β ≡ min + ε − ⌊u⌋ − {0, 1} (modulo N under wrap); when N = 2 every β is tried. Each candidate is then
 * checked on every x.
 */
export function shallowSwap(s: Setting): boolean {
  const want = (x: number) => (x === s.min ? s.min + 1 : x === s.min + 1 ? s.min : x);
  const out = (w: number, b: number, x: number): number | null =>
    safe(() => {
      if (s.accumulation === 'exact') return s.roundWide(b * s.one + w * x);
      const t = s.mul(w, x);
      return s.bias === 'first' ? s.add(b, t) : s.add(t, b);
    });
  const wrap = s.policy.overflow === 'wrap';
  for (const w of s.weights) {
    let base: number;
    if (s.accumulation === 'exact') base = Math.floor((w * s.min) / s.one);
    else {
      const u = out(w, 0, s.min);
      if (u === null) continue;
      base = s.mul(w, s.min);
    }
    // with N = 2, min + ε = max is a clamped value: try every bias
    const candidates =
      s.size < 3
        ? [s.min, s.max]
        : [0, 1].map((delta) => {
            const b = s.min + 1 - base - delta;
            return wrap ? ((((b - s.min) % s.size) + s.size) % s.size) + s.min : b;
          });
    for (const b of candidates) {
      if (b < s.min || b > s.max) continue;
      let ok = true;
      for (let x = s.min; x <= s.max && ok; x++) ok = out(w, b, x) === want(x);
      if (ok) return true;
    }
  }
  return false;
}

/** The value of an operation, or null when it raises (overflow `error`). */
function safe(f: () => number): number | null {
  try {
    return f();
  } catch {
    return null;
  }
}
