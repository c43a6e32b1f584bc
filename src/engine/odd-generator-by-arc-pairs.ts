/**
 * Odd generators from pairs of shifted first-layer neurons (docs/theory.md §10.10, "Arc-pair generators"):
 * an extra generator source of Proposition SS for tables where every depth-1 and depth-2 generator has an
 * even sum, e.g. a step σ_F onto {0, 1} whose arc {z : σ_F(z) = 1} has even length.
 *
 * Statement. Overflow `wrap`, N = 2^k codes (the residues ℤ/N). For a shift d, a weight w₂, a bias b₂ and a
 * readout w let G(z) = w ⊗ σ_F(w₂ ⊗ σ_F(z) ⊕ w₂ ⊗ σ_F(z ⊕ d) ⊕ b₂) (first-layer biases 0 and d, one hidden
 * neuron with two edges of weight w₂, the output neuron reads it with w). Under sequential accumulation the
 * hidden pre-activation is (y_d(z) + b₂) mod N with y_d(z) = (w₂ ⊗ σ_F(z) + w₂ ⊗ σ_F(z ⊕ d)) mod N in either
 * bias order, so Σ_z G(z) ≡ Σ_y H_d(y)·P(y + b₂) (mod 2) with H_d(y) = #{z : y_d(z) = y} mod 2 and
 * P(y) = (w ⊗ σ_F(y)) mod 2: the coefficient of t^{b₂} in H_d(t⁻¹)·P(t) in GF(2)[t]/(t + 1)^N, so some b₂
 * gives an odd sum iff v(H_d) + v(P) < N (Lemma CS (iv)). For the step σ_F = [z ≥ a] (arc of length L) and
 * w₂ = 1, d odd < L: y_d = 2 on the L − d codes of both arcs, 1 on 2d codes, 0 on N − L − d, so
 * H_d = δ₀ + δ₂ (both counts odd), v(H_d) = 2, and the hidden neuron with b₂ = the shift that maps 2 to the
 * arc's start ANDs the two arcs: G = [z in both], Σ_z G(z) = L − d, odd.
 *
 * This is a search: every generator it returns is re-checked by `generatorOddSum` (the setting's own
 * arithmetic, either accumulation) and by `verifyShiftSpanCertificate` before any verdict uses it.
 */
import { type Setting, sigmaOf } from './setting.js';
import { generatorOddSum, type ShiftGenerator } from './shift-generator.js';
import { oddCorrelations, valuation, wrapCode } from './shift-span-certificate.js';

/** The generator w ⊗ σ_F(w₂ ⊗ σ_F(z) ⊕ w₂ ⊗ σ_F(z ⊕ d) ⊕ b₂). */
export function arcPairGenerator(d: number, w2: number, b2: number, w: number): ShiftGenerator {
  return {
    firstBiases: [0, d],
    rest: {
      inputs: 2,
      layers: [
        [
          {
            bias: b2,
            edges: [
              [0, w2],
              [1, w2],
            ],
          },
        ],
        [{ bias: 0, edges: [[0, w]] }],
      ],
    },
  };
}

/** The search's cap on elementary operations. */
export const ARC_PAIR_MAX_WORK = 3e7;

/** A generator w ⊗ σ_F(w₂ ⊗ σ_F(z) ⊕ w₂ ⊗ σ_F(z ⊕ d) ⊕ b₂) with Σ_z G(z) odd, or null. */
export function oddGeneratorByArcPairs(s: Setting): ShiftGenerator | null {
  const N = s.size;
  if (N < 4 || (N & (N - 1)) !== 0) return null;
  const exact = s.accumulation === 'exact';
  const sig = new Int32Array(N); // index code − min
  for (let i = 0; i < N; i++) {
    const v = sigmaOf(s, s.min + i);
    if (!Number.isInteger(v)) return null;
    sig[i] = v;
  }
  const isWeight = (w: number) => Number.isInteger(w) && w >= s.min && w <= s.max && w !== 0;
  const readouts = [...new Set([s.one, 1, 2, 3, s.max, s.max - 1, -1])].filter(isWeight);
  const ps = readouts
    .map((w) => {
      const p = new Uint8Array(N);
      for (let i = 0; i < N; i++) p[i] = exact ? Math.abs(w * sig[i]) % 2 : s.mul(w, sig[i]) & 1; // exact: parity at scale 1
      return { w, p, v: valuation(p) };
    })
    .sort((a, b) => a.v - b.v);
  if (ps.length === 0 || ps[0].v >= N) return null;
  const weights2 = [...new Set([s.one, 1, 2, s.max, -1])].filter(isWeight);
  const shifts = [
    ...new Set([1, 3, 5, 7, 2, 4, 6, 8, 9, 11, 13, 15, 16, 17, 31, 33, 63, 65, 127, 129]),
  ].filter((d) => d < N);
  let work = 0;
  const y = new Int32Array(N);
  for (const d of shifts)
    for (const w2 of weights2) {
      if (work > ARC_PAIR_MAX_WORK) return null;
      work += N * (Math.log2(N) + 2);
      const h = new Uint8Array(N);
      for (let i = 0; i < N; i++) {
        const a = sig[i];
        const b = sig[(i + d) % N]; // σ_F(z ⊕ d): index shift by d is the code shift by d modulo N
        y[i] = exact ? s.roundWide(w2 * (a + b)) : wrapCode(s, s.mul(w2, a) + s.mul(w2, b));
        h[y[i] - s.min] ^= 1;
      }
      const vh = valuation(h);
      for (const r of ps) {
        if (vh + r.v >= N) continue;
        const scan = { count: 0 };
        let tries = 0;
        for (const shift of oddCorrelations(h, r.p, N, scan)) {
          if (++tries > 8) break;
          const g = arcPairGenerator(wrapCode(s, d), w2, wrapCode(s, shift), r.w);
          work += 4 * N;
          if (generatorOddSum(s, g)) return g;
        }
        work += scan.count * Math.max(1, N / 32);
      }
    }
  return null;
}
