/**
 * Modular span certificates (docs/theory.md §10.8, Proposition MS): unsigned formats under overflow `wrap`
 * with sequential accumulation, where every weight is ≥ 0 and 1 need not be a weight (`UQ0.n`).
 *
 * Statement. Overflow `wrap`, min = 0 (N = |𝕀| = 2^bits, every ⊕ reduces modulo N), sequential accumulation
 * (either bias order). For w₁, b₁, w let T(c) = w ⊗ σ_F(w₁ ⊗ c ⊕ b₁) (a function 𝕀 → ℤ/N). If the all-ones
 * vector and N such vectors T have full rank over GF(2) (their values reduced modulo 2), and there are codes
 * p, K with σ_F((p + 2K) mod N) ∉ {σ_F(p), σ_F((p + K) mod N)}, the configuration is universal (all d).
 *
 * Proof sketch (full proof in docs/theory.md §10.8): an N × N matrix over ℤ/2^k that is invertible modulo 2
 * is invertible (its determinant is odd), so every φ : 𝕀 → ℤ/N is Σ k_j·T_j + k₀ modulo N; a layer of
 * neurons σ_F(w₁ ⊗ h ⊕ b₁) (k_j copies of each, every copy read once) and one neuron reading them with w
 * and bias k₀ has pre-activation φ(h), and sums of such functions of different neurons add. Blocks of two
 * layers thus compute σ_F(Σᵢ φᵢ(hᵢ)); the pair AND p + K·[u = α] + K·[v = β] is σ_F(p + 2K) exactly when
 * both match; a tree of these and an output block Σ_a f(a)·[t_a = σ_F(p + 2K)] (identity output) give f.
 *
 * Pure integer kernel on number codes; `verifyModularSpanCertificate` recomputes every vector with the
 * setting's own ⊗ and ⊕ and redoes the elimination.
 */
import type { Budget } from './budget.js';
import { type Setting, sigmaOf, unary } from './setting.js';
import { solveModPowerOfTwo } from './solve-mod-power-of-two.js';

/** One generator c ↦ w ⊗ σ_F(w₁ ⊗ c ⊕ b₁) (codes). */
export interface SpanGenerator {
  readonly w1: number;
  readonly b1: number;
  readonly w: number;
}

export interface ModularSpanCertificate {
  /** N − 1 generators; with the all-ones vector (the bias) they have full rank modulo 2. */
  readonly generators: readonly SpanGenerator[];
  /** The pair AND: σ_F(p + 2K) differs from σ_F(p) and σ_F(p + K) (modulo N). */
  readonly p: number;
  readonly k: number;
}

/** The largest format searched (the elimination is O(N³/32) bit operations). */
export const SPAN_MAX_SIZE = 256;

/** The search's own cap on evaluations of ⊗ (well under a second). */
export const SPAN_MAX_WORK = 3e7;

/** Why the proposition does not apply to s, or null when it does. */
export function modularSpanApplies(s: Setting): string | null {
  if (s.policy.overflow !== 'wrap') return 'overflow is not wrap';
  if (s.min !== 0) return 'the format has negative values';
  if (s.accumulation !== 'sequential') return 'accumulation is not sequential';
  if (s.size < 3 || (s.size & (s.size - 1)) !== 0) return 'N is not a power of two ≥ 4';
  if (s.max !== s.size - 1) return 'codes are not 0..N − 1';
  return null;
}

/** The generator's values modulo N on every code c of 𝕀 (the setting's own ⊗ and ⊕). */
export function spanVector(s: Setting, g: SpanGenerator): Int32Array {
  const v = new Int32Array(s.size);
  for (let c = 0; c < s.size; c++) {
    const h = unary(s, g.w1, c, g.b1);
    v[c] = (((s.mul(g.w, h) % s.size) + s.size) % s.size) | 0;
  }
  return v;
}

/** A GF(2) basis kept in echelon form by leading bit. */
class Gf2Basis {
  private readonly rows = new Map<number, Uint32Array>();
  constructor(private readonly n: number) {}
  get rank(): number {
    return this.rows.size;
  }
  /** Adds the vector (values reduced modulo 2); true when it raised the rank. */
  add(values: ArrayLike<number>): boolean {
    const words = Math.ceil(this.n / 32);
    const v = new Uint32Array(words);
    for (let c = 0; c < this.n; c++) if (values[c] & 1) v[c >> 5] |= 1 << (c & 31);
    for (;;) {
      let p = -1;
      for (let i = words - 1; i >= 0 && p < 0; i--) if (v[i]) p = i * 32 + 31 - Math.clz32(v[i]);
      if (p < 0) return false;
      const b = this.rows.get(p);
      if (!b) {
        this.rows.set(p, v);
        return true;
      }
      for (let i = 0; i < words; i++) v[i] ^= b[i];
    }
  }
}

/** Codes p, K for the pair AND, or null. */
export function pairAnd(s: Setting): { p: number; k: number } | null {
  const N = s.size;
  for (let k = 1; k < N; k++)
    for (let p = 0; p < N; p++) {
      const y2 = sigmaOf(s, (p + 2 * k) % N);
      if (y2 !== sigmaOf(s, p) && y2 !== sigmaOf(s, (p + k) % N)) return { p, k };
    }
  return null;
}

/** Searches generators of full rank modulo 2 (at most SPAN_MAX_SIZE values). */
export function findModularSpanCertificate(
  s: Setting,
  budget?: Budget,
): { certificate: ModularSpanCertificate | null; tried: string[] } {
  const why = modularSpanApplies(s);
  if (why) return { certificate: null, tried: [`modular span: ${why}`] };
  if (s.size > SPAN_MAX_SIZE)
    return { certificate: null, tried: [`modular span: N = ${s.size} > ${SPAN_MAX_SIZE} values`] };
  const and = pairAnd(s);
  if (!and)
    return { certificate: null, tried: ['modular span: no pair AND (σ_F(p + 2K) ∉ {σ_F(p), σ_F(p + K)})'] };
  const N = s.size;
  const basis = new Gf2Basis(N);
  basis.add(new Int32Array(N).fill(1));
  const generators: SpanGenerator[] = [];
  // first layers σ_F(w₁ ⊗ c ⊕ b₁) (each distinct function once), each read with every weight w; biases
  // outermost and the largest w₁ first (near-injective first layers raise the rank fastest), at most
  // SPAN_MAX_WORK evaluations of ⊗ in all (a fixed cap: the other searches keep their budget)
  const seen = new Set<string>();
  const descending = [...s.weights].sort((x, y) => y - x);
  let work = 0;
  for (let b1 = 0; b1 < N; b1++)
    for (const w1 of descending) {
      budget?.spend(s.weights.length, 'modular span generators');
      const first = new Int32Array(N);
      for (let c = 0; c < N; c++) first[c] = unary(s, w1, c, b1);
      const key = first.join(',');
      if (seen.has(key)) continue;
      seen.add(key);
      for (const w of s.weights) {
        if (work > SPAN_MAX_WORK)
          return {
            certificate: null,
            tried: [
              `modular span (docs/theory.md §10.8): rank ${basis.rank} of ${N} modulo 2 after ${SPAN_MAX_WORK.toExponential(0)} products (its cap)`,
            ],
          };
        work += N;
        const v = new Int32Array(N);
        for (let c = 0; c < N; c++) v[c] = s.mul(w, first[c]) & 1; // only the parity is needed here
        if (basis.add(v)) {
          generators.push({ w1, b1, w });
          if (basis.rank === N) return { certificate: { generators, ...and }, tried: [] };
        }
      }
    }
  return {
    certificate: null,
    tried: [
      `modular span (docs/theory.md §10.8): the terms w ⊗ σ_F(w₁ ⊗ x ⊕ b₁) span rank ${basis.rank} of ${N} modulo 2`,
    ],
  };
}

/** Null when the certificate holds on s, else the first failure. */
export function verifyModularSpanCertificate(s: Setting, c: ModularSpanCertificate): string | null {
  const why = modularSpanApplies(s);
  if (why) return why;
  const N = s.size;
  const weights = new Set(s.weights);
  if (c.generators.length !== N - 1) return `${c.generators.length} generators, not N − 1 = ${N - 1}`;
  const basis = new Gf2Basis(N);
  basis.add(new Int32Array(N).fill(1));
  for (const g of c.generators) {
    if (!weights.has(g.w1) || !weights.has(g.w)) return `a generator weight is not in W (${g.w1}, ${g.w})`;
    if (!(g.b1 >= s.min && g.b1 <= s.max)) return `bias ${g.b1} is not a code`;
    if (!basis.add(spanVector(s, g))) return `generator (${g.w1}, ${g.b1}, ${g.w}) is dependent modulo 2`;
  }
  const { p, k } = c;
  if (!(Number.isInteger(p) && Number.isInteger(k) && p >= 0 && p < N && k >= 0 && k < N))
    return 'p, K are not codes';
  const y2 = sigmaOf(s, (p + 2 * k) % N);
  if (y2 === sigmaOf(s, p) || y2 === sigmaOf(s, (p + k) % N))
    return 'σ_F(p + 2K) equals σ_F(p) or σ_F(p + K)';
  return null;
}

/**
 * Coefficients k₀ (the bias), k_j (copies of generator j) with Σ k_j·T_j + k₀ ≡ φ (mod N) on every code:
 * Gaussian elimination modulo N = 2^bits with odd pivots (they exist: the matrix is invertible modulo 2).
 */
export function spanCoefficients(s: Setting, c: ModularSpanCertificate, phi: ArrayLike<number>): number[] {
  const N = s.size;
  const cols = [new Int32Array(N).fill(1), ...c.generators.map((g) => spanVector(s, g))];
  // augmented rows: row r (code r) = [cols[0][r], …, cols[N−1][r] | φ(r)]
  const big = BigInt(N);
  const m = Array.from({ length: N }, (_, r) => [...cols.map((v) => BigInt(v[r])), BigInt(phi[r]) % big]);
  return solveModPowerOfTwo(m, big, 'spanCoefficients').map(Number);
}
