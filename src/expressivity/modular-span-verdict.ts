import type { Budget } from '../engine/budget.js';
import {
  findModularSpanCertificate,
  type ModularSpanCertificate,
  verifyModularSpanCertificate,
} from '../engine/modular-span-certificate.js';
import { type Setting, sigmaOf } from '../engine/setting.js';
import { codeToDecimal } from '../value.js';
import type { CertificateSummary } from './certificates.js';
import { type Searched, searchCertificate } from './searched-certificate.js';

/**
 * The modular span certificate (docs/theory.md §10.8, Proposition MS) of an unsigned format under wrap with
 * sequential accumulation: verified by `verifyModularSpanCertificate` before it is returned, with its
 * summary and the verdict's reason; `{ tried }` when none is found; null when the budget ran out.
 */
export function modularSpanUniversal(s: Setting, budget: Budget): Searched<ModularSpanCertificate> {
  return searchCertificate(
    s,
    budget,
    'modular span certificate',
    (t, b) => {
      const found = findModularSpanCertificate(t, b);
      if (found.certificate) {
        const failure = verifyModularSpanCertificate(t, found.certificate);
        if (failure)
          throw new Error(`modular span certificate fails its verifier on ${t.format.spec}: ${failure}`);
      }
      return found;
    },
    (c) => {
      const dec = (code: number) => codeToDecimal(BigInt(code), s.format);
      const N = s.size;
      const y2 = sigmaOf(s, (c.p + 2 * c.k) % N);
      const reason = `a modular span certificate (docs/theory.md §10.8, Proposition MS): under wrap every ⊕ reduces modulo ${N}, and the ${N - 1} terms x ↦ w ⊗ σ_F(w₁ ⊗ x ⊕ b₁) listed by the certificate, with the bias, have full rank modulo 2 (checked by elimination over GF(2)), so they span every function 𝕀 → ℤ/${N} (an integer matrix invertible modulo 2 is invertible modulo 2^k): two layers compute σ_F(Σᵢ φᵢ(hᵢ)) for any φᵢ; the pair AND σ_F(p + K·[u = α] + K·[v = β]) with p = ${dec(c.p)}, K = ${dec(c.k)} equals ${dec(y2)} exactly when both match; by the tree of pair ANDs and an identity output block every f : 𝕀^d → 𝕀 is computed`;
      return { summary: summarizeSpan(s, c), reason };
    },
  );
}

/** Sizes: a univariate block has up to N − 1 copies of each of N − 1 first-layer neurons. */
export function summarizeSpan(s: Setting, c: ModularSpanCertificate): CertificateSummary {
  const dec = (code: number) => codeToDecimal(BigInt(code), s.format);
  const N = s.size;
  const neurons = (N - 1) * (N - 1);
  const block = { parameters: 3 * neurons + 1, depth: 2 };
  return {
    e: dec(sigmaOf(s, (c.p + 2 * c.k) % N)),
    a: dec(sigmaOf(s, (c.p + 2 * c.k) % N)),
    idle: [dec(sigmaOf(s, c.p)), dec(sigmaOf(s, (c.p + c.k) % N))],
    omega: 'the generators’ readout weights',
    detector: { parameters: block.parameters, neurons: neurons + 1, depth: 2 },
    and: { parameters: 2 * block.parameters, depth: 2 },
    delay: block,
    emitter: { parameters: block.parameters, depth: 2, maxTerms: neurons },
    beta: 'β_f (depends on f, §10.8)',
  };
}
