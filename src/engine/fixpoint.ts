import type { Setting } from './setting.js';

/** Limits of the fixpoint computation. */
export interface FixpointOptions {
  /** Largest |𝕀| accepted. Default 16. */
  readonly maxValues?: number;
  /** Most functions held in one accumulator closure or one layer (16 times as many computed functions). Default 2^16. */
  readonly maxFunctions?: number;
  /** Most pointwise function steps in all (each costs |𝕀| table lookups). Default 2·10^6. */
  readonly maxWork?: number;
  /**
   * Edges of one neuron come from distinct sources: first-layer neurons (and an output neuron of a
   * network without hidden layers) then have at most one edge. Default false: THEORY §4 allows several
   * edges from one source. Later layers are unaffected (a layer may hold two neurons computing the same
   * function).
   */
  readonly distinctSources?: boolean;
  /**
   * Count output layers that apply σ as well as the identity (default true: a missing function is then
   * missing in both readings of the output layer). False: the identity output layer only (fxnn's model),
   * so that a full set says every function 𝕀 → 𝕀 is computed by a network of that model.
   */
  readonly sigmaOutput?: boolean;
}

export type FixpointResult =
  | {
      readonly status: 'done';
      /** Number of functions 𝕀 → 𝕀 computed by 1-input networks. */
      readonly computed: number;
      /** |𝕀|^|𝕀|, the number of all functions 𝕀 → 𝕀. */
      readonly total: bigint;
      /**
       * The lexicographically first function (codes f(min), …, f(max)) no 1-input network computes, or
       * null when every function is computed. Non-null proves non-universality (docs/theory.md).
       */
      readonly missing: readonly number[] | null;
      /** |H_ℓ|: number of functions of hidden layer ℓ = 1, 2, … until the sequence repeats. */
      readonly layerSizes: readonly number[];
      /** H_{ℓ} repeats H_{period[0]} for ℓ = layerSizes.length + 1, with period period[1]. */
      readonly period: readonly [number, number];
      /** Whether some 1-input network computes f (codes f(min), …, f(max)). */
      computes(f: readonly number[]): boolean;
    }
  | { readonly status: 'refused'; readonly reason: string };

/** A set of functions 𝕀 → 𝕀 (value indices code − min, one byte each), hashed, insertion-ordered. */
class FunctionSet {
  readonly n: number;
  pool: Uint8Array;
  count = 0;
  table: Int32Array;
  /** Order-independent fingerprint of the set (sum of the function hashes). */
  fingerprint = 0;

  constructor(n: number) {
    this.n = n;
    this.pool = new Uint8Array(n * 64);
    this.table = new Int32Array(128).fill(-1);
  }

  static hash(f: Uint8Array, n: number): number {
    let h = 0x811c9dc5;
    for (let i = 0; i < n; i++) h = Math.imul(h ^ f[i], 0x01000193);
    return h >>> 0;
  }

  at(i: number): Uint8Array {
    return this.pool.subarray(i * this.n, (i + 1) * this.n);
  }

  private slot(f: Uint8Array, h: number): number {
    const { n, pool, table } = this;
    const mask = table.length - 1;
    for (let s = h & mask; ; s = (s + 1) & mask) {
      const i = table[s];
      if (i < 0) return s;
      let eq = true;
      for (let k = 0, o = i * n; k < n && eq; k++) eq = pool[o + k] === f[k];
      if (eq) return s;
    }
  }

  has(f: Uint8Array): boolean {
    return this.table[this.slot(f, FunctionSet.hash(f, this.n))] >= 0;
  }

  /** Adds f (copied); true when it was new. */
  add(f: Uint8Array): boolean {
    const h = FunctionSet.hash(f, this.n);
    const s = this.slot(f, h);
    if (this.table[s] >= 0) return false;
    if ((this.count + 1) * this.n > this.pool.length) {
      const bigger = new Uint8Array(this.pool.length * 2);
      bigger.set(this.pool);
      this.pool = bigger;
    }
    this.pool.set(f, this.count * this.n);
    this.table[s] = this.count++;
    this.fingerprint = (this.fingerprint + h) >>> 0;
    if (this.count * 2 > this.table.length) this.rehash();
    return true;
  }

  private rehash(): void {
    this.table = new Int32Array(this.table.length * 2).fill(-1);
    for (let i = 0; i < this.count; i++) {
      const f = this.at(i);
      this.table[this.slot(f, FunctionSet.hash(f, this.n))] = i;
    }
  }

  equals(other: FunctionSet): boolean {
    if (other.count !== this.count || other.fingerprint !== this.fingerprint) return false;
    for (let i = 0; i < this.count; i++) if (!other.has(this.at(i))) return false;
    return true;
  }
}

class Refused extends Error {}

const INVALID = 255;

/**
 * The set of functions 𝕀 → 𝕀 computed by 1-input networks (hidden layers σ, output layer identity or
 * σ), for tiny formats under sequential accumulation (THEORY §5.4; docs/theory.md, "The fixpoint").
 *
 * For a finite set H of functions and an activation τ, N_τ(H) is the set of functions of one neuron
 * reading functions of H: x ↦ τ(acc), acc = ((a₀ ⊕ w₁⊗h₁(x)) ⊕ … ⊕ w_k⊗h_k(x)) ⊕ b (bias last, a₀ = 0)
 * or acc = (b ⊕ w₁⊗h₁(x)) ⊕ … (bias first), k ≥ 0, h_i ∈ H, w_i ∈ W, b ∈ B. Since each partial
 * accumulator is itself a function 𝕀 → 𝕀, the accumulators form the least set containing the start
 * functions and closed under a ↦ a ⊕ w⊗h — a finite closure. With H₀ = {x ↦ x}, the hidden layer ℓ of
 * any network computes functions of H_ℓ = N_σ(H_{ℓ−1}), every finite choice of them is realised side by
 * side, and the output neuron of a network with L hidden layers computes N_id(H_L) (or, with σ on the
 * output layer, N_σ(H_L) = H_{L+1}). The sequence H_ℓ is eventually periodic; the computed set is
 * N_id(H₀) ∪ H₁ ∪ N_id(H₁) ∪ H₂ ∪ … up to the first repetition. Under
 * overflow `error` a function that overflows on some input is dropped (its network computes nothing).
 */
export function reachableUnary(s: Setting, options: FixpointOptions = {}): FixpointResult {
  const maxValues = options.maxValues ?? 16;
  const maxFunctions = options.maxFunctions ?? 2 ** 16;
  const maxWork = options.maxWork ?? 2e6;
  const sigmaOutput = options.sigmaOutput ?? true;
  const N = s.size;
  const min = s.min;
  if (s.accumulation !== 'sequential') {
    return {
      status: 'refused',
      reason:
        'the fixpoint is computed for sequential accumulation only (an exact accumulator is an unbounded integer, not a function into 𝕀)',
    };
  }
  if (N > maxValues) {
    return {
      status: 'refused',
      reason: `${s.format.spec} has ${N} values; the fixpoint is computed for at most ${maxValues}`,
    };
  }
  // tables on value indices
  const idx = (c: number) => (c >= min && c <= s.max ? c - min : INVALID);
  const ADD = new Uint8Array(N * N);
  for (let a = 0; a < N; a++) for (let c = 0; c < N; c++) ADD[a * N + c] = idx(s.add(a + min, c + min));
  const weights = [...new Set(s.weights)];
  const MUL = new Uint8Array(weights.length * N);
  weights.forEach((w, i) => {
    for (let h = 0; h < N; h++) MUL[i * N + h] = idx(s.mul(w, h + min));
  });
  const SIG = new Uint8Array(N);
  for (let v = 0; v < N; v++) SIG[v] = idx(s.sigma[v]);
  const zero = idx(0);

  let work = 0;
  const spend = (steps: number) => {
    work += steps;
    if (work > maxWork) throw new Refused(`the fixpoint exceeded ${maxWork} function steps`);
  };
  const capped = (set: FunctionSet, what: string) => {
    if (set.count > maxFunctions) throw new Refused(`${what} exceeded ${maxFunctions} functions`);
  };
  const scratch = new Uint8Array(N);

  /** N_σ(H) and N_id(H) at once (the accumulator closure is shared); `single`: at most one edge. */
  const neurons = (H: FunctionSet, single: boolean, outputs: FunctionSet) => {
    const terms = new FunctionSet(N);
    for (let i = 0; i < H.count; i++) {
      const h = H.at(i);
      for (let wi = 0; wi < weights.length; wi++) {
        let ok = true;
        for (let x = 0; x < N && ok; x++) ok = (scratch[x] = MUL[wi * N + h[x]]) !== INVALID;
        if (ok) terms.add(scratch);
      }
      spend(weights.length);
      capped(terms, 'the terms w⊗h of one layer');
    }
    const acc = new FunctionSet(N);
    if (s.bias === 'last') acc.add(scratch.fill(zero));
    else for (let b = 0; b < N; b++) acc.add(scratch.fill(b));
    const starts = acc.count;
    for (let i = 0; i < acc.count; i++) {
      if (single && i >= starts) break;
      const a = acc.at(i).slice();
      for (let t = 0; t < terms.count; t++) {
        const f = terms.at(t);
        let ok = true;
        for (let x = 0; x < N && ok; x++) ok = (scratch[x] = ADD[a[x] * N + f[x]]) !== INVALID;
        if (ok) acc.add(scratch);
      }
      spend(terms.count);
      capped(acc, 'an accumulator closure');
    }
    const hidden = new FunctionSet(N);
    const biases = s.bias === 'last' ? N : 1;
    for (let i = 0; i < acc.count; i++) {
      const a = acc.at(i).slice();
      for (let b = 0; b < biases; b++) {
        // pre-activation (bias last: a ⊕ b), then σ into `hidden` and identity into `outputs`
        let ok = true;
        for (let x = 0; x < N && ok; x++) {
          scratch[x] = s.bias === 'last' ? ADD[a[x] * N + b] : a[x];
          ok = scratch[x] !== INVALID;
        }
        if (!ok) continue;
        outputs.add(scratch);
        let good = true;
        for (let x = 0; x < N && good; x++) good = (scratch[x] = SIG[scratch[x]]) !== INVALID;
        if (good) {
          hidden.add(scratch);
          if (sigmaOutput) outputs.add(scratch);
        }
      }
      spend(biases * 2);
      capped(hidden, 'one hidden layer');
      if (outputs.count > 16 * maxFunctions) {
        throw new Refused(`the set of computed functions exceeded ${16 * maxFunctions} functions`);
      }
    }
    return hidden;
  };

  try {
    const outputs = new FunctionSet(N);
    const input = new FunctionSet(N);
    for (let x = 0; x < N; x++) scratch[x] = x;
    input.add(scratch);
    const single = options.distinctSources === true;
    const layers: FunctionSet[] = [neurons(input, single, outputs)];
    let period: [number, number] | null = null;
    while (period === null) {
      const next = neurons(layers[layers.length - 1], false, outputs);
      for (let j = 0; j < layers.length && period === null; j++) {
        if (layers[j].equals(next)) period = [j + 1, layers.length - j];
      }
      if (period === null) layers.push(next);
    }
    const total = BigInt(N) ** BigInt(N);
    let missing: number[] | null = null;
    if (BigInt(outputs.count) < total) {
      // lexicographically first vector not computed: at most |computed| + 1 candidates
      const f = new Uint8Array(N);
      while (outputs.has(f)) {
        let k = N - 1;
        while (f[k] === N - 1) f[k--] = 0;
        f[k]++;
      }
      missing = Array.from(f, (v) => v + min);
    }
    return {
      status: 'done',
      computed: outputs.count,
      total,
      missing,
      layerSizes: layers.map((l) => l.count),
      period,
      computes: (f) =>
        f.length === N &&
        f.every((v) => v >= min && v <= s.max) &&
        outputs.has(Uint8Array.from(f, (v) => v - min)),
    };
  } catch (e) {
    if (e instanceof Refused) return { status: 'refused', reason: e.message };
    throw e;
  }
}
