import type { Budget } from '../engine/budget.js';
import { EXACT_SPAN_MAX_SIZE, verifyExactSpanCertificate } from '../engine/exact-span-certificate.js';
import type { Setting } from '../engine/setting.js';
import {
  findThresholdSpanCertificate,
  type ThresholdSpanCertificate,
  thresholdSpanTerms,
} from '../engine/threshold-span-certificate.js';
import { summarizeExactSpan } from './exact-span-verdict.js';
import { type Searched, searchCertificate } from './searched-certificate.js';

/**
 * The threshold span certificate (docs/theory.md §10.10, Lemma XT with Proposition XS) of the identity table
 * on `UQ0.n` under wrap with exact accumulation, searched after every other search and obstruction of
 * `decide`: verified by `verifyThresholdSpanCertificate` (every combination on every code) and, up to 256
 * values, by Proposition XS's own verifier (a Hermite reduction) on its terms.
 */
export function thresholdSpanUniversal(s: Setting, budget: Budget): Searched<ThresholdSpanCertificate> {
  return searchCertificate(
    s,
    budget,
    'threshold span certificate',
    (t, b) => {
      const found = findThresholdSpanCertificate(t, b);
      if (found.certificate && t.size <= EXACT_SPAN_MAX_SIZE) {
        const failure = verifyExactSpanCertificate(t, thresholdSpanTerms(found.certificate));
        if (failure)
          throw new Error(`threshold span certificate fails XS's verifier on ${t.format.spec}: ${failure}`);
      }
      return found;
    },
    (c) => {
      const N = s.size;
      const xs = thresholdSpanTerms(c);
      const reason = `a threshold span certificate (docs/theory.md §10.10, Lemma XT): σ_F is the identity table, and for every θ = 1 … ${N - 1} four first-layer terms read with the weight code 1, T(w₁, b₀) − T(0, b₀) + T(0, b) − T(w₁, b) with b₀ ≡ b (mod 2), add up to ${N}·[x ≥ θ] exactly (the wrap of b + rnd(w₁·x/2^n); checked on every code), so the ${xs.terms.length} terms and the bias span every 2^n·e_c modulo ${N * N}: Proposition XS's (H1); the pair AND σ_F(p + 2K) with p = ${c.p}, K = ${c.k} codes is (H2); by Proposition XS (under wrap with exact accumulation two layers compute σ_F(Σᵢ φᵢ(hᵢ)) for any φᵢ, then pair ANDs and an identity output block) every f : 𝕀^d → 𝕀 is computed`;
      return { summary: summarizeExactSpan(s, xs), reason };
    },
  );
}
