import { type Budget, BudgetExceeded } from '../engine/budget.js';
import { chainGadget, gadgetNeurons, gadgetParameters } from '../engine/gadget.js';
import { largestIdleChainDetector } from '../engine/idle-chain-certificate.js';
import {
  findModularIdleCertificate,
  type ModularIdleCertificate,
  modularDetector,
  modularSplit,
} from '../engine/modular-idle-certificate.js';
import type { Setting } from '../engine/setting.js';
import { codeToDecimal } from '../value.js';
import type { CertificateSummary } from './certificates.js';

/**
 * The modular idle certificate (docs/theory.md §8.9) of a tabulated format under overflow wrap, searched
 * after the other searches found none: the certificate, verified by `verifyModularIdleCertificate` before
 * it is returned, with its summary and the verdict's reason; `{ tried }` when none is found; null when the
 * budget ran out.
 */
export function modularIdleUniversal(
  s: Setting,
  budget: Budget,
):
  | { certificate: ModularIdleCertificate; summary: CertificateSummary; reason: string }
  | { tried: string[] }
  | null {
  let found: ReturnType<typeof findModularIdleCertificate>;
  try {
    found = findModularIdleCertificate(s, budget);
  } catch (e) {
    if (e instanceof BudgetExceeded) return null;
    throw e;
  }
  const c = found.certificate;
  if (!c) return { tried: found.tried };
  const dec = (code: number) => codeToDecimal(BigInt(code), s.format);
  const reason = `a modular idle certificate (a = ${dec(c.a)}, I = {${dec(c.idle)}}: ${c.cyclic ? (c.cyclic.inverse ? `one-sided cyclic detectors (rotations x ↦ −x ⊕ b, then a rest chain R or its inverse R′ proved by interval images for the split ${c.cyclic.split}; the weight −1 alone)` : `cyclic detectors (rotations x ↦ ±x ⊕ b, then one rest chain proved by interval images for the split ${c.cyclic.split}, docs/theory.md §10.3)`) : 'threshold chains proved on their intervals by interval images'}, AND and delay checked on {ι, a}; under wrap the output neuron computes β + Σ terms modulo ${s.size}, so idle emitters may add any constant, which the output bias β_f of N_f cancels, and the active emitter's copies of the delay read with ${dec(c.emitters.unit)} add (${dec(c.emitters.unit)} ⊗ a − ${dec(c.emitters.unit)} ⊗ ι) per copy, an odd number of codes, so every y is reached, checked for every y; docs/theory.md §8.9); by the modular composition lemma every f : 𝕀^d → 𝕀 is computed`;
  return { certificate: c, summary: summarizeModular(s, c), reason };
}

/** Sizes of the certificate's gadgets: one detector per shape, the emitter with the most copies of P. */
export function summarizeModular(s: Setting, c: ModularIdleCertificate): CertificateSummary {
  // cyclic detectors all have one shape
  const detector = c.cyclic ? modularDetector(s, c, 0) : largestIdleChainDetector(s, c);
  let maxTerms = 0;
  for (let y = s.min; y <= s.max; y++) maxTerms = Math.max(maxTerms, modularSplit(s, c, y).count);
  const delay = chainGadget(c.delay);
  const dec = (code: number) => codeToDecimal(BigInt(code), s.format);
  return {
    e: dec(c.a),
    a: dec(c.a),
    idle: [dec(c.idle)],
    omega: dec(c.emitters.unit),
    detector: {
      parameters: gadgetParameters(detector),
      neurons: gadgetNeurons(detector),
      depth: detector.layers.length,
    },
    and: { parameters: gadgetParameters(c.and), depth: c.and.layers.length },
    delay: { parameters: gadgetParameters(delay), depth: delay.layers.length },
    emitter: { parameters: maxTerms * gadgetParameters(delay), depth: delay.layers.length, maxTerms },
    beta: 'β_f (depends on f, §8.9)',
  };
}
