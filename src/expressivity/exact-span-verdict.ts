import type { Budget } from '../engine/budget.js';
import {
  type ExactSpanCertificate,
  exactSpanModulus,
  findExactSpanCertificate,
  verifyExactSpanCertificate,
} from '../engine/exact-span-certificate.js';
import { type Setting, sigmaOf } from '../engine/setting.js';
import { wrapCode } from '../engine/shift-span-certificate.js';
import { codeToDecimal } from '../value.js';
import type { CertificateSummary } from './certificates.js';
import { type Searched, searchCertificate } from './searched-certificate.js';

/**
 * The exact span certificate (docs/theory.md §10.10, Proposition XS) of a format under wrap with exact
 * accumulation: verified by `verifyExactSpanCertificate` before it is returned, with its summary and the
 * verdict's reason; `{ tried }` when none is found; null when the budget ran out.
 */
export function exactSpanUniversal(
  s: Setting,
  budget: Budget,
  limits?: { readonly maxSize: number; readonly maxWork: number },
): Searched<ExactSpanCertificate> {
  return searchCertificate(
    s,
    budget,
    'exact span certificate',
    (t, b) => {
      const found = findExactSpanCertificate(t, b, limits);
      if (found.certificate) {
        const failure = verifyExactSpanCertificate(t, found.certificate, limits?.maxSize);
        if (failure)
          throw new Error(`exact span certificate fails its verifier on ${t.format.spec}: ${failure}`);
      }
      return found;
    },
    (c) => {
      const dec = (code: number) => codeToDecimal(BigInt(code), s.format);
      const N = s.size;
      const M = exactSpanModulus(s);
      const y2 = sigmaOf(s, wrapCode(s, c.p + 2 * c.k));
      const reason = `an exact span certificate (docs/theory.md §10.10, Proposition XS): under wrap with exact accumulation a pre-activation depends on the exact sum modulo ${M} = N·2^n only, and the ${c.terms.length} terms x ↦ w·σ_F(w₁·x + b₁) listed by the certificate (exact products), with the bias, span every 2^n·e_c modulo ${M} (checked by a Hermite reduction), so a neuron reading copies of them has an exact sum 2^n·φ(x) for any φ : 𝕀 → ℤ/${N}, which its rounding keeps: two layers compute σ_F(Σᵢ φᵢ(hᵢ)); the pair AND σ_F(p + K·[u = α] + K·[v = β]) with p = ${dec(c.p)}, K = ${dec(c.k)} equals ${dec(y2)} exactly when both match; by the tree of pair ANDs and an identity output block every f : 𝕀^d → 𝕀 is computed`;
      return { summary: summarizeExactSpan(s, c), reason };
    },
  );
}

/** Sizes: a univariate block has up to M − 1 copies of each term's first-layer neuron. */
export function summarizeExactSpan(s: Setting, c: ExactSpanCertificate): CertificateSummary {
  const dec = (code: number) => codeToDecimal(BigInt(code), s.format);
  const y2 = sigmaOf(s, wrapCode(s, c.p + 2 * c.k));
  const neurons = c.terms.length * (exactSpanModulus(s) - 1);
  const block = { parameters: 3 * neurons + 1, depth: 2 };
  return {
    e: dec(y2),
    a: dec(y2),
    idle: [dec(sigmaOf(s, c.p)), dec(sigmaOf(s, wrapCode(s, c.p + c.k)))],
    omega: 'the terms’ readout weights',
    detector: { parameters: block.parameters, neurons: neurons + 1, depth: 2 },
    and: { parameters: 2 * block.parameters, depth: 2 },
    delay: block,
    emitter: { parameters: block.parameters, depth: 2, maxTerms: neurons },
    beta: 'β_f (depends on f, §10.10)',
  };
}
