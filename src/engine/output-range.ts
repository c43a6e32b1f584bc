import type { Setting } from './setting.js';

/**
 * The output-range obstruction (docs/theory.md §6), on codes. The output neuron of a network with hidden
 * layers accumulates terms w⊗v with w ∈ W and v ∈ V = σ_F(𝕀) and adds its bias β; whatever the network,
 * its outputs lie in the set R_β of values such accumulations reach. `largest` is max over β of |R_β|; when
 * it is below |𝕀| no network computes a function with |𝕀| distinct values that is not monotone (a network
 * without hidden layers computes a monotone one), which disproves universality.
 */
export interface OutputRange {
  /** The most output values one bias allows. */
  readonly largest: number;
  /** A bias reaching `largest`. */
  readonly beta: number;
  /** |V|: the distinct values a hidden neuron can output. */
  readonly hiddenValues: number;
}

/** Greatest common divisor of non-negative integers. */
function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

export function outputRange(s: Setting): OutputRange {
  const n = s.size;
  const hidden = new Set<number>();
  for (const v of s.sigma) if (v >= s.min) hidden.add(v);
  const values = [...hidden].filter((v) => v !== 0);
  let best = { largest: 0, beta: s.min };
  const consider = (beta: number, count: number) => {
    if (count > best.largest) best = { largest: count, beta };
  };
  if (s.accumulation === 'exact') {
    // every sum of terms w·v is a multiple of g (product units): outputs are rnd(β + k·g), clamped
    let g = 0;
    for (const w of s.weights) for (const v of values) g = gcd(g, Math.abs(w * v));
    for (let beta = s.min; beta <= s.max; beta++) {
      if (g === 0) {
        consider(beta, 1);
        continue;
      }
      const lo = Math.floor((s.min * s.one - beta * s.one) / g) - 1;
      const hi = Math.ceil((s.max * s.one - beta * s.one) / g) + 1;
      const out = new Set<number>();
      for (let k = lo; k <= hi; k++) {
        const y = safe(() => s.roundWide(beta * s.one + k * g));
        if (y !== null && y >= s.min) out.add(y);
      }
      consider(beta, out.size);
    }
    return { ...best, hiddenValues: hidden.size };
  }
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
      consider(beta, out.size);
    }
  } else {
    for (let beta = s.min; beta <= s.max && best.largest < n; beta++) {
      consider(
        beta,
        closure(beta).reduce((k, x) => k + x, 0),
      );
    }
  }
  return { ...best, hiddenValues: hidden.size };
}

/** The value of an operation, or null when it raises (overflow `error`). */
function safe(f: () => number): number | null {
  try {
    return f();
  } catch {
    return null;
  }
}
