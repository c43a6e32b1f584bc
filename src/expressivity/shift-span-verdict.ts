import type { Budget } from '../engine/budget.js';
import { type Setting, sigmaOf } from '../engine/setting.js';
import {
  generatorCopySize,
  generatorDepth,
  generatorRaw,
  generatorScale,
} from '../engine/shift-generator.js';
import {
  findShiftSpanCertificate,
  type ShiftSpanCertificate,
  verifyShiftSpanCertificate,
  wrapCode,
} from '../engine/shift-span-certificate.js';
import { codeToDecimal } from '../value.js';
import type { CertificateSummary } from './certificates.js';
import { type Searched, searchCertificate } from './searched-certificate.js';

/**
 * The shift span certificate (docs/theory.md §10.10, Proposition SS) of an unsigned format under wrap (either
 * accumulation, up to 16 bits): verified by `verifyShiftSpanCertificate` before it is returned, with its
 * summary and the verdict's reason; `{ tried }` when none is found; null when the budget ran out.
 */
export function shiftSpanUniversal(s: Setting, budget: Budget): Searched<ShiftSpanCertificate> {
  return searchCertificate(
    s,
    budget,
    'shift span certificate',
    (t, b) => {
      const found = findShiftSpanCertificate(t, b);
      if (found.certificate) {
        const failure = verifyShiftSpanCertificate(t, found.certificate);
        if (failure)
          throw new Error(`shift span certificate fails its verifier on ${t.format.spec}: ${failure}`);
      }
      return found;
    },
    (c) => {
      const dec = (code: number) => codeToDecimal(BigInt(code), s.format);
      const N = s.size;
      const y2 = sigmaOf(s, wrapCode(s, c.p + 2 * c.k));
      const exact = s.accumulation === 'exact';
      const fibres =
        c.fibreWeights.length === 1 && c.fibreWeights[0] === s.one
          ? `the first-layer weight 1 (u(x) = x)`
          : `the first-layer weights w₁ ∈ {${c.fibreWeights.map(dec).join(', ')}}, for each of which some codes are alone in their fibre of u(x) = ${exact ? 'rnd(w₁·x) mod ' + N : 'w₁ ⊗ x'} (every code for one of them, checked)`;
      const raw = generatorRaw(s, c.generator);
      const e = generatorScale(s, raw);
      const M = spanModulus(s, e);
      const odd = exact
        ? `its readout sum R(z) = Σ w·h (exact, in units of 2^−${2 * s.format.fracBits}, before the neuron's one rounding) has Σ_z R(z)/2^${e} odd over all ${N} codes (computed with the setting's own arithmetic), so the ${N} cyclic shifts of R/2^${e} span every function ℤ/${N} → ℤ/${M} (modulo 2 they generate GF(2)[t]/(t + 1)^${N}, and a matrix invertible modulo 2 is invertible modulo 2^k); copies read by one neuron add R exactly, so its pre-activation can be 2^${s.format.fracBits}·φ(h) + const for any φ, an exact multiple that the one rounding keeps,`
        : `its readout sum R(z) = G(z) − β has an odd sum over all ${N} codes (computed with the setting's own arithmetic), so its ${N} cyclic shifts span every function ℤ/${N} → ℤ/${N} (modulo 2 they generate GF(2)[t]/(t + 1)^${N}, and a matrix invertible modulo 2 is invertible modulo 2^k),`;
      const reason = `a shift span certificate (docs/theory.md §10.10, Proposition SS): under wrap every ⊕ reduces modulo ${N}; the generator G, ${c.source}: ${odd} and copies of its block reading h through ${fibres} with first-layer biases shifted by b give σ_F(Σᵢ φᵢ(hᵢ)) for any φᵢ; the pair AND σ_F(p + K·[u = α] + K·[v = β]) with p = ${dec(c.p)}, K = ${dec(c.k)} equals ${dec(y2)} exactly when both match; by the tree of pair ANDs and an identity output block every f : 𝕀^d → 𝕀 is computed (blocks of depth ${generatorDepth(c.generator)})`;
      return { summary: summarizeShiftSpan(s, c), reason };
    },
  );
}

/** The modulus of the span: N·2^(n − e) under exact accumulation (the readout sums R/2^e), N otherwise. */
function spanModulus(s: Setting, e: number): number {
  return s.accumulation === 'exact' ? s.size * 2 ** (s.format.fracBits - e) : s.size;
}

/**
 * Sizes from the proof: a univariate block holds, for each fibre weight, up to M − 1 copies of the generator
 * for each of the N shifts (M the span's modulus), and one output neuron; a pair AND block reads two sources.
 */
export function summarizeShiftSpan(s: Setting, c: ShiftSpanCertificate): CertificateSummary {
  const dec = (code: number) => codeToDecimal(BigInt(code), s.format);
  const N = s.size;
  const copies =
    c.fibreWeights.length * N * (spanModulus(s, generatorScale(s, generatorRaw(s, c.generator))) - 1);
  const copy = generatorCopySize(c.generator);
  const depth = generatorDepth(c.generator);
  const block = { parameters: copies * copy.parameters + 1, depth };
  const y2 = dec(sigmaOf(s, wrapCode(s, c.p + 2 * c.k)));
  return {
    e: y2,
    a: y2,
    idle: [dec(sigmaOf(s, c.p)), dec(sigmaOf(s, wrapCode(s, c.p + c.k)))],
    omega: 'the generator’s readout weights',
    detector: { parameters: block.parameters, neurons: copies * copy.neurons + 1, depth },
    and: { parameters: 2 * copies * copy.parameters + 1, depth },
    delay: block,
    emitter: { parameters: block.parameters, depth, maxTerms: copies * copy.neurons },
    beta: 'β_f (depends on f, §10.10)',
  };
}
