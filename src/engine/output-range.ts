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
  /** Whether a network without hidden layers computes the swap of min and min + ε. */
  readonly shallowSwap: boolean;
}

/** Greatest common divisor of non-negative integers. */
function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

export function outputRange(s: Setting): OutputRange {
  const hidden = new Set<number>();
  for (const v of s.sigma) if (v >= s.min) hidden.add(v);
  const values = [...hidden].filter((v) => v !== 0);
  const r = s.accumulation === 'exact' ? exactRange(s, values) : sequentialRange(s, values);
  return { ...r, hiddenValues: hidden.size, shallowSwap: shallowSwap(s) };
}

type Best = { largest: number; beta: number };

function keeper(s: Setting): { best: Best; consider: (beta: number, count: number) => void } {
  const state = { best: { largest: 0, beta: s.min } };
  return {
    get best() {
      return state.best;
    },
    consider: (beta, count) => {
      if (count > state.best.largest) state.best = { largest: count, beta };
    },
  };
}

/** Exact accumulation: outputs rnd(β + k·g) over k ∈ ℤ (product units: β·2ⁿ + k·g). */
function exactRange(s: Setting, values: readonly number[]): Best {
  const k = keeper(s);
  let g = 0;
  for (const w of s.weights) for (const v of values) g = gcd(g, Math.abs(w * v));
  if (g === 0) {
    k.consider(s.min, 1);
    return k.best;
  }
  if (s.policy.overflow !== 'wrap') {
    for (let beta = s.min; beta <= s.max; beta++) {
      // every k below lo (above hi) rounds below min (above max): clamped to min (max), or raises
      const lo = Math.floor((s.min * s.one - beta * s.one) / g) - 1;
      const hi = Math.ceil((s.max * s.one - beta * s.one) / g) + 1;
      const out = new Set<number>();
      for (let j = lo; j <= hi; j++) {
        const y = safe(() => s.roundWide(beta * s.one + j * g));
        if (y !== null && y >= s.min) out.add(y);
      }
      k.consider(beta, out.size);
    }
    return k.best;
  }
  // wrap: on each side of 0, rnd(X + P) = rnd(X) + N for P = N·2ⁿ (N is even, so parity and sign are
  // kept, and every rounding mode decides from them and the fraction), and wrapping removes the N. The
  // reachable X = β·2ⁿ + k·g with k ∈ ℤ meet every residue r ≡ β·2ⁿ (mod gcd(g, P)) modulo P on both
  // sides, so the outputs are exactly rnd(r) for those r in [−P, P).
  const P = s.size * s.one;
  const d = gcd(g, P);
  const byClass = new Map<number, number>();
  for (let beta = s.min; beta <= s.max; beta++) {
    const cls = (((beta * s.one) % d) + d) % d;
    let count = byClass.get(cls);
    if (count === undefined) {
      const out = new Set<number>();
      for (let x = -P + cls; x < P; x += d) out.add(s.roundWide(x));
      count = out.size;
      byClass.set(cls, count);
    }
    k.consider(beta, count);
  }
  return k.best;
}

/** Sequential accumulation: the closure of the start under ⊕ t (t ∈ T), then ⊕ β (bias last). */
function sequentialRange(s: Setting, values: readonly number[]): Best {
  const n = s.size;
  const k = keeper(s);
  const terms = new Set<number>();
  for (const w of s.weights) {
    for (const v of values) {
      const t = safe(() => s.mul(w, v));
      if (t !== null && t !== 0) terms.add(t);
    }
  }
  const termList = [...terms];
  /** Values reachable from `start` by adding terms (each addition rounded and overflowed as ⊕ does). */
  const closure = (start: number): Uint8Array => {
    const seen = new Uint8Array(n);
    seen[start - s.min] = 1;
    const stack = [start];
    while (stack.length > 0) {
      const a = stack.pop() as number;
      for (const t of termList) {
        const b = safe(() => s.add(a, t));
        if (b === null || !(b >= s.min) || seen[b - s.min]) continue;
        seen[b - s.min] = 1;
        stack.push(b);
      }
    }
    return seen;
  };
  if (s.bias === 'last') {
    const reach = closure(0);
    for (let beta = s.min; beta <= s.max; beta++) {
      const out = new Set<number>();
      for (let a = s.min; a <= s.max; a++) {
        if (!reach[a - s.min]) continue;
        const y = safe(() => s.add(a, beta));
        if (y !== null && y >= s.min) out.add(y);
      }
      k.consider(beta, out.size);
    }
  } else {
    for (let beta = s.min; beta <= s.max && k.best.largest < n; beta++) {
      k.consider(
        beta,
        closure(beta).reduce((c, x) => c + x, 0),
      );
    }
  }
  return k.best;
}

/**
 * Whether one output neuron reading x at most once (distinct sources), with identity output, computes
 * the swap of min and min + ε: x ↦ β, x ↦ w⊗x ⊕ β, β ⊕ w⊗x or rnd(β + w·x). A constant is never the
 * swap (|𝕀| ≥ 3). For each w only the biases that can map min to min + ε are tried: the pre-activation
 * before overflow is β + u with u = w⊗min (sequential) or β + y, y = w·min/2ⁿ, rounded into
 * {β + ⌊y⌋, β + ⌊y⌋ + 1} (exact); min + ε is never a clamped value, so β ≡ min + ε − ⌊u⌋ − {0, 1}
 * (modulo N under wrap). Each candidate is then checked on every x.
 */
export function shallowSwap(s: Setting): boolean {
  if (s.size < 3) return false;
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
    for (const delta of [0, 1]) {
      let b = s.min + 1 - base - delta;
      if (wrap) b = ((((b - s.min) % s.size) + s.size) % s.size) + s.min;
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
