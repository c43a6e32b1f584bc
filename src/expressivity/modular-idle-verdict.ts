import type { Budget } from '../engine/budget.js';
import { chainGadget, gadgetParameters } from '../engine/gadget.js';
import { largestIdleChainDetector } from '../engine/idle-chain-certificate.js';
import {
  findModularIdleCertificate,
  type ModularIdleCertificate,
  modularDetector,
  modularSplit,
} from '../engine/modular-idle-certificate.js';
import type { Setting } from '../engine/setting.js';
import { codeToDecimal } from '../value.js';
import { type CertificateSummary, summarizeIdleShaped } from './certificates.js';
import { type Searched, searchCertificate } from './searched-certificate.js';

/**
 * The modular idle certificate (docs/theory.md §8.9) of a tabulated format under overflow wrap, searched
 * after the other searches found none: the certificate, verified by `verifyModularIdleCertificate` before
 * it is returned, with its summary and the verdict's reason; `{ tried }` when none is found; null when the
 * budget ran out.
 */
export function modularIdleUniversal(s: Setting, budget: Budget): Searched<ModularIdleCertificate> {
  return searchCertificate(s, budget, 'modular idle certificate', findModularIdleCertificate, (c) => {
    const dec = (code: number) => codeToDecimal(BigInt(code), s.format);
    const reason = `a modular idle certificate (a = ${dec(c.a)}, I = {${dec(c.idle)}}: ${c.cyclic ? (c.cyclic.inverse ? `one-sided cyclic detectors (rotations x ↦ −x ⊕ b, then a rest chain R or its inverse R′ proved by interval images for the split ${c.cyclic.split}; the weight −1 alone)` : `cyclic detectors (rotations x ↦ ±x ⊕ b, then one rest chain proved by interval images, the codes min and max possibly evaluated directly (Lemma P, §10.3), for the split ${c.cyclic.split}, docs/theory.md §10.3)`) : 'threshold chains proved on their intervals by interval images'}, AND and delay checked on {ι, a}; under wrap the output neuron computes β + Σ terms modulo ${s.size}, so idle emitters may add any constant, which the output bias β_f of N_f cancels, and the active emitter's copies of the delay read with ${dec(c.emitters.unit)} add (${dec(c.emitters.unit)} ⊗ a − ${dec(c.emitters.unit)} ⊗ ι) per copy, an odd number of codes, so every y is reached, checked for every y; docs/theory.md §8.9); by the modular composition lemma every f : 𝕀^d → 𝕀 is computed`;
    return { summary: summarizeModular(s, c), reason };
  });
}

/** Sizes of the certificate's gadgets: one detector per shape, the emitter with the most copies of P. */
export function summarizeModular(s: Setting, c: ModularIdleCertificate): CertificateSummary {
  // cyclic detectors all have one shape
  const detector = c.cyclic ? modularDetector(s, c, 0) : largestIdleChainDetector(s, c);
  let maxTerms = 0;
  for (let y = s.min; y <= s.max; y++) maxTerms = Math.max(maxTerms, modularSplit(s, c, y).count);
  const parameters = maxTerms * gadgetParameters(chainGadget(c.delay));
  return summarizeIdleShaped(
    s,
    c,
    detector,
    c.emitters.unit,
    { parameters, maxTerms },
    'β_f (depends on f, §8.9)',
  );
}
