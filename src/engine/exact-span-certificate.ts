/**
 * Exact span certificates (docs/theory.md §10.10, Proposition XS): formats under overflow `wrap` with EXACT
 * accumulation, where the shift span certificate's Fact 2 fails (nearest-even on `UQ0.n`: no weight is a
 * multiple of 2^n, and rnd(C + y) ≠ C + rnd(y) at a tie for odd C).
 *
 * Statement. Overflow `wrap`, codes min … max with N = max − min + 1 = 2^k ≥ 4 and min ∈ {0, −N/2}, exact
 * accumulation (either bias order), weights W, distinct sources, identity output layer; n fraction bits,
 * M = N·2^n. For w₁, w ∈ W and a code b₁ let t(c) = w·σ_F(rnd((b₁·2^n + w₁·c)/2^n) mod N) (an integer in
 * product units: the exact contribution of one copy of the neuron σ_F(w₁·c + b₁) read with weight w).
 * Suppose
 *   (H1) the ℤ/M-module Λ spanned by the terms t_j of the certificate and by 2^n·1 (the bias) contains
 *        2^n·e_c for every code c (e_c the indicator of c), and
 *   (H2) there are codes p, K with σ_F(p + 2K) ∉ {σ_F(p), σ_F(p + K)} (codes modulo N; the pair AND).
 * Then every f : 𝕀^d → 𝕀 (every d ≥ 1) is computed by a network.
 *
 * Proof sketch (docs/theory.md §10.10): by (H1), for every φ : 𝕀 → ℤ/N there are k_j ≥ 0 and a bias β with
 * β·2^n + Σ_j k_j·t_j(c) ≡ 2^n·φ(c) (mod M) for every code c; a neuron reading k_j copies of each term's
 * first-layer neuron (each copy read once, with weight w_j) has an exact sum that is a multiple of 2^n, so
 * its one rounding changes nothing and the wrap leaves (β + φ(h)) mod N (Fact 1′). Sums over several
 * sources add in the exact sum, so blocks of two layers compute σ_F(Σᵢ φᵢ(hᵢ)); the pair AND, the tree and
 * the output block are those of Proposition MS (§10.8).
 *
 * Pure integer kernel on number codes (M ≤ 2^16 on the formats searched, so every product stays exact);
 * `verifyExactSpanCertificate` recomputes every term with the setting's own exact accumulator (`unary`)
 * and redoes the lattice reduction.
 */
import type { Budget } from './budget.js';
import { type Setting, sigmaOf, unary } from './setting.js';
import { boundedPairAnd, wrapCode } from './shift-span-certificate.js';

/** One term c ↦ w·σ_F(w₁·c + b₁) (codes; exact product, not rounded). */
export interface ExactSpanTerm {
  readonly w1: number;
  readonly b1: number;
  readonly w: number;
}

export interface ExactSpanCertificate {
  /** Terms whose ℤ/M-span with 2^n·1 contains 2^n·e_c for every code c. */
  readonly terms: readonly ExactSpanTerm[];
  /** The pair AND: σ_F(p + 2K) differs from σ_F(p) and σ_F(p + K) (modulo N). */
  readonly p: number;
  readonly k: number;
}

/** The largest format searched (each reduction step is O(N) and a term costs up to N of them). */
export const EXACT_SPAN_MAX_SIZE = 256;

/** The search's own cap on elementary operations (the other searches keep the budget). */
export const EXACT_SPAN_MAX_WORK = 3e7;

/**
 * The late pass of `decide` (docs/theory.md §10.10, "XS at 512 values"): formats of 512 values with a larger
 * cap on the search's own operations, tried after every other search and obstruction. M ≤ 2^18 there, so every
 * product of the reduction stays below 2^37 (exact in doubles).
 */
export const EXACT_SPAN_LATE_LIMITS = { maxSize: 512, maxWork: 1.5e9 } as const;

/** Why the proposition does not apply to s, or null when it does (`maxSize`: the largest format searched). */
export function exactSpanApplies(s: Setting, maxSize: number = EXACT_SPAN_MAX_SIZE): string | null {
  if (s.policy.overflow !== 'wrap') return 'overflow is not wrap';
  if (s.accumulation !== 'exact') return 'accumulation is not exact';
  const N = s.size;
  if (N < 4 || (N & (N - 1)) !== 0) return 'N is not a power of two ≥ 4';
  if (s.min !== 0 && s.min !== -N / 2) return 'codes are neither 0..N − 1 nor −N/2..N/2 − 1';
  if (s.max !== s.min + N - 1) return 'codes are not N consecutive values';
  if (N > maxSize) return `N = ${N} > ${maxSize} values`;
  return null;
}

/** The modulus M = N·2^n of the exact sums (the pre-activation depends on the exact sum modulo M). */
export function exactSpanModulus(s: Setting): number {
  return s.size * s.one;
}

/** The term's exact values w·σ_F(w₁·c + b₁) on every code (index code − min), or null if one is invalid. */
export function exactTermVector(s: Setting, t: ExactSpanTerm): number[] | null {
  const v: number[] = [];
  for (let c = s.min; c <= s.max; c++) {
    const h = unary(s, t.w1, c, t.b1);
    if (!(h >= s.min && h <= s.max)) return null;
    v.push(t.w * h);
  }
  return v;
}

function xgcd(a: number, b: number): [number, number, number] {
  let [x0, y0, x1, y1] = [1, 0, 0, 1];
  while (b !== 0) {
    const q = Math.floor(a / b);
    [a, b] = [b, a - q * b];
    [x0, x1] = [x1, x0 - q * x1];
    [y0, y1] = [y1, y0 - q * y1];
  }
  return [a, x0, y0];
}

/**
 * A sublattice of ℤ^N containing M·ℤ^N (a submodule of (ℤ/M)^N), kept as an upper-triangular basis with
 * positive diagonal entries dividing M (Hermite form without reducing above the diagonal). Entries lie in
 * [0, M); M ≤ 2^16 keeps every product below 2^33.
 */
export class ModularLattice {
  /** Row j has zeros before column j and its diagonal entry d_j | M at column j. */
  readonly rows: Float64Array[];
  private readonly v: Float64Array;
  constructor(
    readonly n: number,
    readonly M: number,
  ) {
    this.rows = Array.from({ length: n }, (_, i) => {
      const r = new Float64Array(n);
      r[i] = M;
      return r;
    });
    this.v = new Float64Array(n);
  }
  private load(values: ArrayLike<number>): Float64Array {
    const { v, M } = this;
    for (let k = 0; k < this.n; k++) v[k] = ((values[k] % M) + M) % M;
    return v;
  }
  /** Adds a vector to the lattice; true when the lattice grew (some diagonal entry shrank). */
  add(values: ArrayLike<number>): boolean {
    const { n, M } = this;
    const v = this.load(values);
    let grew = false;
    for (let j = 0; j < n; j++) {
      if (v[j] === 0) continue;
      const r = this.rows[j];
      const a = r[j];
      const b = v[j];
      if (b % a === 0) {
        // the row's pivot divides: subtract, the row stays
        const q = b / a;
        for (let k = j; k < n; k++) v[k] = (((v[k] - q * r[k]) % M) + M) % M;
        continue;
      }
      const [g, x, y] = xgcd(a, b);
      const ag = a / g;
      const bg = b / g;
      for (let k = j; k < n; k++) {
        const rk = r[k];
        const vk = v[k];
        r[k] = (((x * rk + y * vk) % M) + M) % M;
        v[k] = (((ag * vk - bg * rk) % M) + M) % M;
      }
      r[j] = g;
      grew = true;
    }
    return grew;
  }
  /** Whether the vector lies in the lattice (reduction by the triangular basis). */
  contains(values: ArrayLike<number>): boolean {
    const { n, M } = this;
    const v = this.load(values);
    for (let j = 0; j < n; j++) {
      if (v[j] === 0) continue;
      const r = this.rows[j];
      if (v[j] % r[j] !== 0) return false;
      const q = v[j] / r[j];
      for (let k = j; k < n; k++) v[k] = (((v[k] - q * r[k]) % M) + M) % M;
    }
    return true;
  }
  /** log₂ of the number of elements of the module (ℤ/M)-span: Σ_j log₂(M / d_j). */
  log2Size(): number {
    let t = 0;
    for (let j = 0; j < this.n; j++) t += Math.log2(this.M / this.rows[j][j]);
    return t;
  }
}

/**
 * Whether 2^n·e_c lies in the lattice for every code c ((H1)), from code `from` on (index code − min); the
 * first code whose target is missing, or N when none is (targets once in stay in: the lattice only grows).
 */
function firstMissingTarget(s: Setting, lat: ModularLattice, from = 0): number {
  const N = s.size;
  const e = new Array<number>(N).fill(0);
  for (let c = from; c < N; c++) {
    e[c] = s.one;
    if (!lat.contains(e)) return c;
    e[c] = 0;
  }
  return N;
}

/** Codes of weights used as readouts: the code 1 when it is a weight (w·t is then in the span of t). */
function readouts(s: Setting): number[] {
  return s.weights.includes(1) ? [1] : [...s.weights];
}

/** Searches terms whose span holds every 2^n·e_c, then the pair AND. */
export function findExactSpanCertificate(
  s: Setting,
  budget?: Budget,
  limits: { readonly maxSize: number; readonly maxWork: number } = {
    maxSize: EXACT_SPAN_MAX_SIZE,
    maxWork: EXACT_SPAN_MAX_WORK,
  },
): { certificate: ExactSpanCertificate | null; tried: string[] } {
  const why = exactSpanApplies(s, limits.maxSize);
  if (why) return { certificate: null, tried: [`exact span: ${why}`] };
  const and = boundedPairAnd(s, budget);
  if (!and)
    return { certificate: null, tried: ['exact span: no pair AND (σ_F(p + 2K) ∉ {σ_F(p), σ_F(p + K)})'] };
  const N = s.size;
  const M = exactSpanModulus(s);
  const lat = new ModularLattice(N, M);
  lat.add(new Array<number>(N).fill(s.one));
  // the targets span N·log₂N bits of (ℤ/M)^N: below that size the check cannot succeed
  const needed = N * Math.log2(N);
  const terms: ExactSpanTerm[] = [];
  const seen = new Set<string>();
  const descending = [...s.weights].sort((x, y) => y - x);
  const outs = readouts(s);
  let work = 0;
  let missing = 0;
  for (let b1 = s.min; b1 <= s.max; b1++)
    for (const w1 of descending) {
      budget?.spend(N, 'exact span terms');
      work += N;
      const first: number[] = [];
      let valid = true;
      for (let c = s.min; c <= s.max && valid; c++) {
        const h = unary(s, w1, c, b1);
        valid = h >= s.min && h <= s.max;
        first.push(h);
      }
      const key = first.join(',');
      if (!valid || seen.has(key)) continue;
      seen.add(key);
      for (const w of outs) {
        if (work > limits.maxWork)
          return {
            certificate: null,
            tried: [
              `exact span (docs/theory.md §10.10): the span holds ${lat.log2Size().toFixed(0)} of ${(N * Math.log2(M)).toFixed(0)} bits after ${limits.maxWork.toExponential(0)} operations (its cap)`,
            ],
          };
        work += N * N;
        budget?.spend(N * N, 'exact span reduction');
        if (!lat.add(first.map((h) => w * h))) continue;
        terms.push({ w1, b1, w });
        if (lat.log2Size() >= needed - 1e-9) {
          work += N * N;
          missing = firstMissingTarget(s, lat, missing);
          if (missing === N) return { certificate: { terms, ...and }, tried: [] };
        }
      }
    }
  return {
    certificate: null,
    tried: [
      `exact span (docs/theory.md §10.10): the terms w·σ_F(w₁·x + b₁) and the bias span ${lat.log2Size().toFixed(0)} of ${(N * Math.log2(M)).toFixed(0)} bits of (ℤ/${M})^${N} and miss some 2^n·e_c`,
    ],
  };
}

/** Null when the certificate holds on s, else the first failure. */
export function verifyExactSpanCertificate(
  s: Setting,
  c: ExactSpanCertificate,
  maxSize: number = EXACT_SPAN_MAX_SIZE,
): string | null {
  const why = exactSpanApplies(s, maxSize);
  if (why) return why;
  const N = s.size;
  const weights = new Set(s.weights);
  const lat = new ModularLattice(N, exactSpanModulus(s));
  lat.add(new Array<number>(N).fill(s.one));
  for (const t of c.terms) {
    if (!weights.has(t.w1) || !weights.has(t.w)) return `a term weight is not in W (${t.w1}, ${t.w})`;
    if (!(Number.isInteger(t.b1) && t.b1 >= s.min && t.b1 <= s.max)) return `bias ${t.b1} is not a code`;
    const v = exactTermVector(s, t);
    if (!v) return `term (${t.w1}, ${t.b1}, ${t.w}) has an invalid value`;
    lat.add(v);
  }
  if (firstMissingTarget(s, lat) < N)
    return 'the terms and the bias do not span every 2^n·e_c modulo M = N·2^n';
  const { p, k } = c;
  if (!(Number.isInteger(p) && Number.isInteger(k) && p >= s.min && p <= s.max && k >= 1 && k < N))
    return 'p, K are not codes with K ≠ 0';
  const y2 = sigmaOf(s, wrapCode(s, p + 2 * k));
  if (y2 === sigmaOf(s, p) || y2 === sigmaOf(s, wrapCode(s, p + k)))
    return 'σ_F(p + 2K) equals σ_F(p) or σ_F(p + K)';
  return null;
}

/**
 * Copies k_j of each term and a bias code β with β·2^n + Σ_j k_j·t_j(c) ≡ 2^n·φ(c) (mod M) on every code c
 * (φ indexed by code − min, values taken modulo N): a Hermite reduction that tracks each basis row's
 * combination of the generators (BigInt). Throws when φ is out of the span (the verifier excludes it).
 */
export function exactSpanCoefficients(
  s: Setting,
  c: ExactSpanCertificate,
  phi: ArrayLike<number>,
): { bias: number; copies: number[] } {
  const N = s.size;
  const M = BigInt(exactSpanModulus(s));
  const mod = (x: bigint) => ((x % M) + M) % M;
  const gens: bigint[][] = [new Array<number>(N).fill(s.one).map(BigInt)];
  for (const t of c.terms) {
    const v = exactTermVector(s, t);
    if (!v) throw new Error('exactSpanCoefficients: a term has an invalid value');
    gens.push(v.map(BigInt));
  }
  const g = gens.length;
  // basis rows: [vector | combination of the generators]; the rows M·e_j combine nothing
  const vec: bigint[][] = Array.from({ length: N }, (_, i) =>
    Array.from({ length: N }, (_, j) => (i === j ? M : 0n)),
  );
  const comb: bigint[][] = Array.from({ length: N }, () => new Array<bigint>(g).fill(0n));
  const egcd = (a: bigint, b: bigint): [bigint, bigint, bigint] => {
    let [x0, y0, x1, y1] = [1n, 0n, 0n, 1n];
    while (b !== 0n) {
      const q = a / b;
      [a, b] = [b, a - q * b];
      [x0, x1] = [x1, x0 - q * x1];
      [y0, y1] = [y1, y0 - q * y1];
    }
    return [a, x0, y0];
  };
  gens.forEach((gv, gi) => {
    let v = gv.map(mod);
    let cv = new Array<bigint>(g).fill(0n);
    cv[gi] = 1n;
    for (let j = 0; j < N; j++) {
      if (v[j] === 0n) continue;
      const r = vec[j];
      const rc = comb[j];
      const [d, x, y] = egcd(r[j], v[j]);
      const a = r[j] / d;
      const b = v[j] / d;
      vec[j] = r.map((rk, k) => mod(x * rk + y * v[k]));
      comb[j] = rc.map((rk, k) => mod(x * rk + y * cv[k]));
      v = v.map((vk, k) => mod(a * vk - b * r[k]));
      cv = cv.map((vk, k) => mod(a * vk - b * rc[k]));
    }
  });
  let target = Array.from({ length: N }, (_, i) => mod(BigInt(s.one) * BigInt(phi[i])));
  const k = new Array<bigint>(g).fill(0n);
  for (let j = 0; j < N; j++) {
    if (target[j] === 0n) continue;
    const r = vec[j];
    if (target[j] % r[j] !== 0n) throw new Error('exactSpanCoefficients: φ is not in the span');
    const q = target[j] / r[j];
    target = target.map((tk, i) => mod(tk - q * r[i]));
    comb[j].forEach((ck, i) => {
      k[i] = mod(k[i] + q * ck);
    });
  }
  return {
    bias: wrapCode(s, Number(k[0] % BigInt(N))),
    copies: k.slice(1).map(Number),
  };
}
